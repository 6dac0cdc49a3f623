"""A help request (hulpvraag) and the draws that give it its attributes."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, cast

import numpy as np

from ..scenario.schema import Scenario
from ..streams import Streams, batched

if TYPE_CHECKING:
    import simpy

# Where a request stands (``Request.status``; ``Request.state`` is the name).
WAITING, IN_CARE, CLOSED, RENEGED, SETTLED, PENDING, AVERTED, DIVERTED = range(8)
STATUS_NAMES = (
    "waiting",
    "in_care",
    "closed",
    "reneged",
    "settled_at_intake",
    "pending",
    "averted",
    "diverted",
)
#: States after the waiting list: the intake event has fired.
PAST_INTAKE = frozenset({IN_CARE, CLOSED, RENEGED, SETTLED, AVERTED, DIVERTED})
#: Which of a request's events (``Request._waiters``).
INTAKE_EVENT, DONE_EVENT = 0, 1
#: States a request never leaves: the done event has fired.
FINAL = frozenset({CLOSED, RENEGED, SETTLED, AVERTED, DIVERTED})

# Where a request came from.
NEW, RECURRENCE, SUBMITTED, INITIAL = "new", "recurrence", "submitted", "initial"
REFERRAL, HIDDEN_NEED = "referral", "hidden_need"

#: Caseload slots are counted in thousandths of a slot, as integers (a case
#: weight of 1.5 is 1500), so that taking a case on and closing it again returns
#: the load exactly to where it was.
THOUSANDTHS_PER_SLOT = 1000


class Request:
    """One help request (hulpvraag).

    ``theme`` and ``severity`` are names; ``arrival``, ``intake`` and ``end``
    are times on the environment's clock and ``duration`` (of care) is in
    weeks. ``state`` says where the request stands; its life cycle:

    ``pending``
        Made, not yet at the team. A potential request from the baseline's
        demand meets the collective interventions first; from there it is

        - ``averted``: prevention took it away (final);
        - ``diverted``: volunteers took it on instead of the team (final);
        - ``settled_at_intake``: a light request answered at intake, no case
          (final; ``intake == end``);
        - ``waiting``: on the waiting list (or taken on at once, see below).
    ``waiting``
        Until the caseload ceiling has room for it (a long wait may make it
        one severity heavier), then ``in_care``; or it gives up: ``reneged``
        (final).
    ``in_care``
        A case of the team for ``duration`` weeks, then ``closed`` (final);
        a closed case may come back later as a new request.

    An embedding model waits for these moments with
    :meth:`WijkteamModel.intake` (leaves the waiting list: in care, settled,
    or gave up) and :meth:`WijkteamModel.done` (reached a final state), as
    with any simpy event.
    """

    __slots__ = (
        "_names",
        "arrival",
        "discipline",
        "duration",
        "end",
        "escalate_after",
        "escalated",
        "id",
        "intake",
        "intake_factor",
        "origin",
        "patience",
        "severity_index",
        "status",
        "theme_index",
        "waiters",
    )

    def __init__(
        self,
        id: int,
        theme_index: int,
        severity_index: int,
        origin: str,
        arrival: float,
        duration: float,
        patience: float | None,
        escalate_after: float | None,
        names: tuple[tuple[str, ...], tuple[str, ...]],
    ):
        self.id = id
        self.theme_index = theme_index  # the engine works with indices, callers with names
        self.severity_index = severity_index
        self.origin = origin
        self.arrival = arrival
        self.duration = duration
        self.patience = patience
        self.escalate_after = escalate_after
        self._names = names  # the model's (themes, severities)
        self.status = PENDING
        self.intake: float | None = None
        self.end: float | None = None
        self.escalated = False
        self.discipline = 0  # index in the team's disciplines (0 in a single-pool team)
        self.intake_factor = 1.0  # intake time relative to the usual (a warm referral: less)
        #: [intake event, done event] once a caller has asked for one (:meth:`event`),
        #: else None: the engine fires them (:meth:`fire`) only then
        self.waiters: list[simpy.Event | None] | None = None

    @property
    def theme(self) -> str:
        """The theme's name."""
        return self._names[0][self.theme_index]

    @property
    def severity(self) -> str:
        """The severity's name (it may grow heavier while waiting)."""
        return self._names[1][self.severity_index]

    @property
    def state(self) -> str:
        """Where the request stands: ``pending``, ``waiting``, ``in_care``,
        ``closed``, ``reneged``, ``settled_at_intake``, ``averted``, ``diverted``."""
        return STATUS_NAMES[self.status]

    @property
    def wait(self) -> float | None:
        """Weeks from arrival to intake (``None`` while still waiting)."""
        return None if self.intake is None else self.intake - self.arrival

    def event(
        self, env: simpy.Environment, which: int, names: tuple[tuple[str, ...], tuple[str, ...]]
    ) -> simpy.Event:
        """Event ``which`` (``INTAKE_EVENT`` or ``DONE_EVENT``) of this request in the
        model whose names are ``names``, made on first asking (fired at once when
        the request is already past that moment)."""
        if self._names is not names:  # each model shares one names tuple
            raise ValueError(
                f"request {self.id} belongs to another model: ask that model for its "
                "intake or done event (this one would never fire it)"
            )
        waiters = self.waiters
        if waiters is None:
            waiters = self.waiters = [None, None]
        event = waiters[which]
        if event is None:
            event = waiters[which] = env.event()
            if self.status in (PAST_INTAKE if which == INTAKE_EVENT else FINAL):
                event.succeed(self)
        return event

    def fire(self, which: int) -> None:
        """Fire event ``which``, if asked for (callers check that :attr:`waiters`
        is not None: the hot path pays one test)."""
        event = self.waiters[which]  # type: ignore[index]
        if event is not None:
            event.succeed(self)

    def make_lighter(self, duration_factor: float) -> None:
        """One severity lighter (not below the lightest) and ``duration_factor``
        times as long: for an intervention that reaches a request early."""
        self.severity_index = max(0, self.severity_index - 1)
        self.duration *= duration_factor

    def __repr__(self) -> str:
        return (
            f"Request(id={self.id}, theme={self.theme!r}, severity={self.severity!r}, "
            f"origin={self.origin!r}, state={self.state!r})"
        )


class RequestDraws:
    """Draws the attributes of requests of one origin from named streams.

    Every attribute of a new request is drawn the moment it arrives, from a
    stream of its own (``<origin>.severity.<theme>``, ``<origin>.duration.<theme>.
    <severity>``, ...), so the same potential request gets the same attributes in
    every scenario run with the same seed.

    ``severities[theme]``, ``durations[theme][severity]``, ``patience`` and
    ``escalate_after`` are next-draw functions (zero arguments), called directly
    in the hot path.
    """

    def __init__(self, scenario: Scenario, streams: Streams, origin: str):
        self.scenario = scenario
        self.streams = streams
        self.origin = origin
        team = scenario.team
        themes, severities = scenario.themes, scenario.severities
        self.severities: list[Callable[[], int]] = []
        self.durations: list[list[Callable[[], float]]] = []
        for theme in themes:
            mix = scenario.severity_mix(theme)
            self.severities.append(
                self._categorical(f"{origin}.severity.{theme}", list(mix.values()))
            )
            self.durations.append(
                [
                    scenario.duration(theme, sev).draws(
                        streams.rng(f"{origin}.duration.{theme}.{sev}")
                    )
                    for sev in severities
                ]
            )
        self.patience: Callable[[], float | None] = (
            team.patience.draws(streams.rng(f"{origin}.patience"))
            if team.patience is not None
            else itertools.repeat(None).__next__
        )
        if team.escalation is not None and team.escalation.hazard_per_week > 0:
            rng = streams.rng(f"{origin}.escalation")
            hazard = team.escalation.hazard_per_week
            # Exp(1) / hazard, divided a batch at a time (the same IEEE division)
            self.escalate_after: Callable[[], float | None] = batched(
                lambda n: rng.standard_exponential(n) / hazard
            ).__next__
        else:
            self.escalate_after = itertools.repeat(None).__next__
        self._escalated_duration: dict[tuple[int, int], Callable[[], float]] = {}

    def _categorical(self, name: str, shares: list[float]) -> Callable[[], int]:
        positive = [i for i, p in enumerate(shares) if p > 0]
        if len(positive) == 1:  # nothing to draw: leave the stream untouched
            return itertools.repeat(positive[0]).__next__
        total = sum(shares)
        cumulative = list(itertools.accumulate(p / total for p in shares))
        cumulative[-1] = 1.0
        # bisect_right of each uniform, a batch at a time: the same picks
        bounds = np.array(cumulative)
        rng = self.streams.rng(name)
        picks = batched(lambda n: np.searchsorted(bounds, rng.random(n), side="right"))
        return cast("Iterator[int]", picks).__next__  # tolist() of int64: ints

    def severity(self, theme: int) -> int:
        return self.severities[theme]()

    def duration(self, theme: int, severity: int) -> float:
        return self.durations[theme][severity]()

    def escalated_duration(self, theme: int, severity: int) -> float:
        """Duration of a case that became heavier while waiting (own stream)."""
        draw = self._escalated_duration.get((theme, severity))
        if draw is None:
            names = self.scenario.themes[theme], self.scenario.severities[severity]
            rng = self.streams.rng(f"{self.origin}.escalated_duration.{names[0]}.{names[1]}")
            draw = self.scenario.duration(*names).draws(rng)
            self._escalated_duration[(theme, severity)] = draw
        return draw()
