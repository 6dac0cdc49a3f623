"""What an intervention may use of the model it is part of: the :class:`Team`
protocol (an intervention and a volunteer pool see the model only through it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import simpy

    from ...scenario.schema import Scenario
    from ...streams import Streams
    from ..requests import Request
    from ..scheduling import Callback


class Team(Protocol):
    """What an intervention may use of the model it is part of (read only,
    besides the two methods that add requests)."""

    @property
    def env(self) -> simpy.Environment:
        """The simpy environment; time in weeks."""

    @property
    def scenario(self) -> Scenario:
        """All parameters of the run."""

    @property
    def streams(self) -> Streams:
        """The run's named random streams (use :meth:`Intervention.stream`)."""

    @property
    def themes(self) -> tuple[str, ...]:
        """Theme names, in scenario order."""

    @property
    def start(self) -> float:
        """Simulation time (weeks) at which the model was built."""

    @property
    def now(self) -> float:
        """Weeks since the model was built."""

    def refer(self, theme: str, severity: str, intake_factor: float = 1.0) -> Request:
        """Pass a request on to the team now (e.g. a buddy refers a client); a warm
        referral may need a shorter intake (``intake_factor`` of the usual time)."""

    def hidden_need(self, theme: str) -> Request:
        """Add a request that surfaced because neighbours noticed (severity drawn)."""

    def timer(self, delay: float, callback: Callback[Any], value: Any = None) -> None:
        """Call ``callback(timer)`` in ``delay`` weeks (use :meth:`Intervention.schedule`)."""
