"""A help request (hulpvraag) and the draws that give it its attributes."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable

from ..scenario.schema import Scenario
from ..streams import Streams

# Where a request stands.
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

# Where a request came from.
NEW, RECURRENCE, SUBMITTED, INITIAL = "new", "recurrence", "submitted", "initial"
REFERRAL, HIDDEN_NEED = "referral", "hidden_need"

#: Slot weights are held in thousandths, as integers, so that taking a case on
#: and closing it again returns the load exactly to where it was.
MILLI = 1000


class Request:
    """One help request: its theme and severity (indices), times in weeks."""

    __slots__ = (
        "_done",
        "arrival",
        "duration",
        "end",
        "escalate_after",
        "escalated",
        "id",
        "intake",
        "origin",
        "patience",
        "severity",
        "status",
        "theme",
    )

    def __init__(self, id, theme, severity, origin, arrival, duration, patience, escalate_after):
        self.id = id
        self.theme = theme
        self.severity = severity
        self.origin = origin
        self.arrival = arrival
        self.duration = duration
        self.patience = patience
        self.escalate_after = escalate_after
        self.status = PENDING
        self.intake = None
        self.end = None
        self.escalated = False
        self._done = None

    @property
    def state(self) -> str:
        """Where the request stands: waiting, in_care, closed, reneged, ..."""
        return STATUS_NAMES[self.status]

    @property
    def wait(self) -> float | None:
        """Weeks from arrival to intake (``None`` while still waiting)."""
        return None if self.intake is None else self.intake - self.arrival

    def __repr__(self) -> str:
        return (
            f"Request(id={self.id}, theme={self.theme}, severity={self.severity}, "
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
            exp = streams.exponentials(f"{origin}.escalation")
            hazard = team.escalation.hazard_per_week
            self.escalate_after: Callable[[], float | None] = lambda: exp() / hazard
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
        uniform = self.streams.uniforms(name)
        return lambda: bisect.bisect_right(cumulative, uniform())

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
