"""What the collective side of a scenario (:mod:`wijksim.model.interventions`)
may use of its model: the :class:`~wijksim.model.interventions.Team` an
intervention sees, and the front door and the team's collective hours.

A protocol of its own, so that the interventions know the model by what it
offers and import nothing of it (the model imports them: no circle).
"""

from __future__ import annotations

from typing import Protocol

from .interventions.base import Team
from .requests import Request


class Host(Team, Protocol):
    """The model as the collective side uses it."""

    @property
    def waiting(self) -> int:
        """Requests on the waiting list now."""

    @property
    def collective_hours(self) -> float:
        """Team hours per week given to collective work now."""

    @property
    def collective_hours_available(self) -> float:
        """Hours per week of the disciplines that do collective work."""

    def set_collective_hours(self, hours: float) -> None:
        """Give ``hours`` a week of casework to collective work (the ceiling shrinks)."""

    def avert(self, request: Request) -> None:
        """A potential request that prevention took away."""

    def divert(self, request: Request) -> None:
        """A request that volunteers took on instead of the team."""


__all__ = ["Host"]
