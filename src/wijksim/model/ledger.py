"""What a run records: snapshots of every cumulative figure, the weekly series
of them, the cut at the end of the warm-up and the rows that close a year.

A :class:`Snapshot` holds every cumulative figure at one moment, by name: the
counters, the time-weighted areas, the hours. The figures of a period are the
differences of two snapshots (:func:`difference`), which is how the summary,
the weekly series and the yearly figures are all made: they add up exactly.

Adding a time-averaged figure: a field here, its area in the engine's
``Core._accrue`` (the one place areas move), its value in
``Core.snapshot``, and its use in :mod:`wijksim.model.results`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..scenario.units import WEEKS_PER_YEAR

#: Counters that the summary and the weekly series report (cumulative), in the
#: order of :attr:`Snapshot.counts`.
COUNTERS = (
    "potential_requests",
    "averted",
    "diverted",
    "new_requests",
    "referrals",
    "hidden_need",
    "submitted",
    "submitted_diverted",
    "requests",
    "settled_at_intake",
    "intakes",
    "closures",
    "reneged",
    "escalations",
    "recurrences",
)


class Snapshot(NamedTuple):
    """Every cumulative figure at one moment (since the model was built).

    A tuple, so that a year of weekly rows costs little memory; read its fields
    by name.
    """

    #: the time on the environment's clock
    time: float
    #: the counters, in the order of :data:`COUNTERS` (see :meth:`count`)
    counts: tuple[int, ...]
    #: requests that reached the team, per theme
    theme_requests: list[int]
    #: cases that grew heavier while waiting, per theme
    theme_escalations: list[int]
    #: request-weeks on the waiting list
    area_waiting: float
    #: case-weeks in care
    area_care: float
    #: caseload slot-weeks in use, in thousandths of a slot
    area_load: float
    #: the ceiling's slot-weeks, in thousandths of a slot (inf without a ceiling)
    area_capacity: float
    #: case-weeks in care, per theme
    area_theme: list[float]
    #: professional contact hours
    contact_hours: float
    #: professional intake hours
    intake_hours: float
    #: the collective side's figures (nested dicts), None without one
    collective: dict[str, Any] | None

    def count(self, name: str) -> int:
        """Counter ``name`` (one of :data:`COUNTERS`)."""
        return self.counts[_COUNTER_INDEX[name]]

    def counters(self) -> dict[str, int]:
        """Every counter by name."""
        return dict(zip(COUNTERS, self.counts, strict=True))


_COUNTER_INDEX = {name: i for i, name in enumerate(COUNTERS)}


class Ledger:
    """The snapshots a run keeps: one at week 0, one every week (or, with
    ``every_week`` False, only those that close a year after the warm-up: what
    the yearly figures need), and the one at the end of the warm-up.

    The engine calls :meth:`keeps` and :meth:`record` at every weekly tick and
    :meth:`warm_up` at the end of the warm-up.
    """

    __slots__ = ("every_week", "snapshots", "warm", "week", "weeks", "years_kept")

    def __init__(self, first: Snapshot, every_week: bool, warm: bool):
        #: the weeks of :attr:`snapshots`
        self.weeks: list[int] = [0]
        self.snapshots: list[Snapshot] = [first]
        self.every_week = every_week
        #: the snapshot at the end of the warm-up (None while warming up)
        self.warm: Snapshot | None = first if warm else None
        #: the last week ticked
        self.week = 0
        self.years_kept = 0

    def warm_up(self, snapshot: Snapshot) -> None:
        """The warm-up ends: the figures reported start from ``snapshot``."""
        self.warm = snapshot

    def keeps(self, week: int, now: float) -> bool:
        """Week ``week`` has passed at ``now``: whether its snapshot is kept."""
        self.week = week
        return self.every_week or self._closes_a_year(now)

    def record(self, week: int, snapshot: Snapshot) -> None:
        self.weeks.append(week)
        self.snapshots.append(snapshot)

    def _closes_a_year(self, now: float) -> bool:
        """Whether this week's snapshot is a year boundary of the yearly figures
        (the rule of :func:`wijksim.model.yearly.year_bounds`, applied as we go)."""
        warm = self.warm
        if warm is None:
            return False
        due = warm.time + (self.years_kept + 1) * WEEKS_PER_YEAR
        if now >= due - 1e-9 and now > warm.time:
            self.years_kept += 1
            return True
        return False


def difference(now: Any, then: Any) -> Any:
    """``now - then`` for figures, nested dicts of figures (None stays None)."""
    if now is None:
        return None
    if isinstance(now, dict):
        return {key: difference(value, then[key]) for key, value in now.items()}
    return now - then


__all__ = ["COUNTERS", "Ledger", "Snapshot", "difference"]
