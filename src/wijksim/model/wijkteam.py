"""The wijkteam on simpy: requests arrive, wait, are taken on within the caseload
ceiling, are closed, and sometimes come back.

The model lives in a simpy ``Environment`` that the caller may own; another
model can feed it requests (:meth:`WijkteamModel.submit`) and read its state
while both run. Time is in weeks from the moment the model was built.

This is the public face of the engine: building a model, what a caller and an
intervention may do with it (:class:`~wijksim.model.interventions.Team`), and
the weekly tick. The per-event path is :class:`~wijksim.model.core.Core`,
which this class extends (one object: no layer between them per event); what
is recorded, :mod:`~wijksim.model.ledger`.

Speed: a request costs two timers (arrival and closure) and no process; the
timers run from the model's own agenda in simpy's order of events (see
scheduling.py), and random numbers are drawn in batches per named stream.
"""

from __future__ import annotations

import math
import os
from typing import Any

import simpy

from ..scenario.loading import as_scenario
from ..scenario.problems import check_flags
from ..scenario.schema import Scenario
from ..streams import Seed
from . import core
from .core import Core
from .demand import arrivals
from .initial import initial_requests, pending_returns
from .ledger import COUNTERS, Ledger, Snapshot
from .requests import (
    AVERTED,
    DIVERTED,
    DONE_EVENT,
    FINAL,
    HIDDEN_NEED,
    INITIAL,
    INTAKE_EVENT,
    PAST_INTAKE,
    REFERRAL,
    SUBMITTED,
    THOUSANDTHS_PER_SLOT,
    WAITING,
    Request,
)
from .scheduling import Callback, Recurring
from .waits import WAIT_CHUNK


def _finite_and_at_least_zero(value: object) -> bool:
    """Whether ``value`` is a number in [0, inf): NaN fails both comparisons, and
    text or None is refused in words by the caller, not as Python's "'<=' not
    supported"."""
    try:
        return 0.0 <= value < math.inf  # type: ignore[operator]
    except TypeError:
        return False


class WijkteamModel(Core):
    """A neighbourhood social team and the help requests of its residents.

    Parameters
    ----------
    env:
        The simpy environment to live in (yours, or one made by :func:`simulate`).
    scenario:
        All parameters: a :class:`~wijksim.Scenario` or the path of a scenario file.
    seed:
        Seed of the random streams (an int, or a sequence of ints).
    record_cases:
        Keep every request for :meth:`cases` (memory grows with the horizon).
    series:
        Keep the weekly figures for the time series (memory grows with the
        horizon). Without them the run keeps one row a year (for the yearly
        figures) besides what is going on, and gives the same summary and
        yearly figures, bit for bit.
    """

    # "__dict__" keeps the instance open to attributes of a caller's own
    __slots__ = (
        "__dict__",
        "__weakref__",
        "collective_hours",
        "collective_hours_available",
        "ledger",
    )

    def __init__(
        self,
        env: simpy.Environment,
        scenario: Scenario | str | os.PathLike[str],
        seed: Seed = 0,
        *,
        record_cases: bool = False,
        series: bool = True,
    ):
        if not isinstance(env, simpy.Environment):
            raise TypeError(f"env must be a simpy.Environment, not {type(env).__name__}")
        check_flags(record_cases=record_cases, series=series)
        scenario = as_scenario(scenario)  # a Scenario, or the path of a scenario file
        super().__init__(env, scenario, seed, record_cases)
        team = scenario.team
        #: hours per week the disciplines that do collective work have (all, in one pool)
        self.collective_hours_available = math.inf
        if self._teams is not None:
            self.collective_hours_available = self._teams.collective_hours_available
        self.collective_hours = 0.0
        if scenario.interventions or scenario.volunteers or team.collective_hours_per_week:
            from .interventions.collective import Collective

            self.collective = Collective(self)

        # week 0 (and, without warm-up, the summary) starts before the initial state
        #: the snapshots kept: weekly (or the ends of years), the end of the warm-up
        self.ledger = Ledger(self._snapshot(), series, warm=scenario.warmup <= 0)
        if scenario.warmup > 0:
            self._agenda.after(scenario.warmup, self._warmed_up, None)
        now = self._agenda.now
        draws = self._origin_draws(INITIAL)

        def make(theme: int, severity: int) -> Request:
            return self._new(theme, severity, INITIAL, draws)

        for request in initial_requests(scenario, self.streams, draws, make, now):
            self._enter(request, initial=True)
        for delay, closed in pending_returns(scenario, self.streams):
            self._at(now + delay, self._recur, closed)
        for gap, source in arrivals(scenario, self.streams):
            self._agenda.after(gap, self._potential_arrival, source)
        self._agenda.after(1.0, self._weekly, 1)

    # -- public ------------------------------------------------------------------

    @property
    def now(self) -> float:
        """Weeks since the model was built."""
        return self.env.now - self.start

    @property
    def load(self) -> float:
        """Caseload slots in use now: the case weights of the cases in care."""
        return self._load / THOUSANDTHS_PER_SLOT

    @property
    def capacity(self) -> float:
        """The caseload ceiling now, in slots (lower while the team spends
        hours on collective work; ``inf`` without a ceiling)."""
        return self._capacity / THOUSANDTHS_PER_SLOT

    @property
    def closed(self) -> int:
        """Cases closed so far."""
        return self.counts["closures"]

    def submit(
        self, theme: str, severity: str | None = None, *, provisions: bool = True
    ) -> Request:
        """A request arriving now from outside (another model, a referral).

        Its severity is drawn from the theme's mix unless given; its other
        attributes come from streams of their own (``submitted.*``), so
        submitting never shifts the draws of the model's own demand.

        It passes the same provisions as the model's own requests (a volunteer
        front door, buddies, diversion; prevention acts on requests that have
        not yet arisen, so not here) unless ``provisions`` is False. A diverted
        request ends in state ``diverted`` and is counted in
        ``submitted_diverted``. Wait for it with :meth:`intake` and :meth:`done`.
        """
        t = self._index(theme, "theme", self.themes, "themes")
        if provisions is not True and provisions is not False:
            check_flags(provisions=provisions)  # once a request: the common case costs two tests
        sev = (
            None
            if severity is None
            else self._index(severity, "severity", self.severities, "severities")
        )
        self._agenda.sync()
        draws = self._origin_draws(SUBMITTED)
        sev = draws.severity(t) if sev is None else sev
        request = self._new(t, sev, SUBMITTED, draws)
        self.counts["submitted"] += 1
        collective = self.collective
        if provisions and collective is not None and collective.front_door(request, False):
            return request
        self._arrive(request)
        return request

    def intake(self, request: Request) -> simpy.Event:
        """An event that fires when ``request`` leaves the waiting list: taken
        into care, settled at intake, or given up (see ``request.state``).

        Its value is the request; asked for later, it has fired already.
        """
        return self._moment(request, INTAKE_EVENT)

    def done(self, request: Request) -> simpy.Event:
        """An event that fires when ``request`` reaches a final state: closed,
        given up, settled at intake, averted or diverted.

        Its value is the request; asked for later, it has fired already.
        """
        return self._moment(request, DONE_EVENT)

    def _moment(self, request: Request, which: int) -> simpy.Event:
        if not isinstance(request, Request):
            raise TypeError(
                f"expected a Request (from submit() or the model), not {type(request).__name__}"
            )
        return request.event(self.env, which, self._names)

    def state(self) -> dict[str, int]:
        """Counts of requests by where they stand now.

        ``initial + requests == settled_at_intake + waiting + in_care + closed +
        reneged`` at every moment (conservation of requests).
        """
        return {
            "initial": self.initial,
            "requests": self.counts["requests"],
            "settled_at_intake": self.counts["settled_at_intake"],
            "waiting": self.waiting,
            "in_care": self.in_care,
            "closed": self.counts["closures"],
            "reneged": self.counts["reneged"],
        }

    # -- for the figures ---------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """Every cumulative figure now (see :mod:`~wijksim.model.ledger`);
        differences of two give a period's figures."""
        self._agenda.sync()
        return self._snapshot()

    @property
    def recorded(self) -> list[Request] | None:
        """Every request so far, in the order made (None without ``record_cases``)."""
        return self._all if self._record else None

    @property
    def disciplines(self) -> tuple[str, ...] | None:
        """The disciplines of a team given by discipline (``Request.discipline``
        indexes them), else None."""
        return None if self._teams is None else self._teams.names

    # -- for the interventions (the Team protocol) ---------------------------------

    def timer(self, delay: float, callback: Callback[Any], value: Any = None) -> None:
        """Call ``callback(timer)`` in ``delay`` weeks, where ``timer.value`` is
        ``value``: for the model's interventions, whose timers run with the
        model's own, in the order ``simpy.Timeout`` would give them.

        ``delay`` is a number of weeks of at least 0 (``ValueError``: a negative
        or NaN one would send time back); an infinite one never fires.
        """
        if not _finite_and_at_least_zero(delay):
            if delay == math.inf:
                return  # never: nothing to keep (a rhythm of once in forever)
            raise ValueError(
                f"a timer's delay is a number of weeks of at least 0, not {delay!r:.80}"
            )
        if not callable(callback):  # now, not when it fires
            raise TypeError(
                f"a timer's callback is a function callback(timer), not {callback!r:.80}"
            )
        self._agenda.timer(delay, callback, value)

    def refer(self, theme: str, severity: str, intake_factor: float = 1.0) -> Request:
        """A request passed on to the team by an intervention (e.g. a buddy); a warm
        referral may need a shorter intake (``intake_factor`` of the usual time)."""
        t = self._index(theme, "theme", self.themes, "themes")
        s = self._index(severity, "severity", self.severities, "severities")
        if not _finite_and_at_least_zero(intake_factor):  # below 0: hours given back
            raise ValueError(f"intake_factor is a number of at least 0, not {intake_factor!r}")
        return self._from_outside(t, s, REFERRAL, "referrals", intake_factor)

    def hidden_need(self, theme: str) -> Request:
        """An extra request that surfaced because neighbours noticed (severity drawn)."""
        t = self._index(theme, "theme", self.themes, "themes")
        draws = self._origin_draws(HIDDEN_NEED)
        return self._from_outside(t, draws.severity(t), HIDDEN_NEED, "hidden_need")

    @staticmethod
    def _index(name: str, what: str, names: tuple[str, ...], plural: str) -> int:
        """The position of ``name`` among the model's themes or severities; one it
        does not have is refused in words (not "tuple.index(x): x not in tuple")."""
        if name not in names:
            raise ValueError(f"unknown {what} {name!r:.80} ({plural}: {', '.join(names)})")
        return names.index(name)

    def avert(self, request: Request) -> None:
        """A potential request that prevention took away (front door)."""
        self.counts["averted"] += 1
        request.status = AVERTED

    def divert(self, request: Request) -> None:
        """A request that volunteers took on instead of the team (front door): a
        potential one, or one submitted from outside."""
        self.counts["submitted_diverted" if request.origin == SUBMITTED else "diverted"] += 1
        request.status = DIVERTED

    def _from_outside(
        self, theme: int, severity: int, origin: str, counter: str, intake_factor: float = 1.0
    ) -> Request:
        self._agenda.sync()
        request = self._new(theme, severity, origin, self._origin_draws(origin))
        request.intake_factor = intake_factor
        self.counts[counter] += 1
        self._arrive(request)
        return request

    def set_collective_hours(self, hours: float) -> None:
        """Team hours for collective work, taken from casework: the ceiling
        shrinks in proportion to the team's hours."""
        team = self.scenario.team
        total = team.fte * team.hours_per_fte_per_week
        most = total if self._teams is None else self.collective_hours_available
        # more hours than there are would make the ceiling negative
        if not _finite_and_at_least_zero(hours) or hours > most:
            raise ValueError(
                "collective hours are a number of hours a week from 0 to the "
                f"{most:g} the team can give, not {hours!r:.80}"
            )
        self.collective_hours = hours
        now = self._agenda.sync()
        if self._teams is not None:  # the disciplines that hold collective hours give them
            self._area_capacity = self._capacity_area()
            self._capacity_since = now
            self._teams.set_collective_hours(hours)
            self._capacity = self._teams.total_capacity
            self._take_on()
            return
        if math.isinf(team.capacity):
            return
        share = 1.0 - hours / total if total > 0 else 1.0
        self._area_capacity = self._capacity_area()
        self._capacity_since = now
        self._capacity = round(team.capacity * share * THOUSANDTHS_PER_SLOT)
        self._take_on()

    # -- the weekly tick ---------------------------------------------------------

    def _clear_out_timers(self) -> None:
        """Drop patience timers of requests no longer waiting (in the agenda or
        held back), once there are many of them (the weekly tick asks)."""
        limit = core.CLEAR_OUT_ABOVE  # read here: a test lowers it
        if self._stale_timers <= limit or self._stale_timers <= len(self._agenda) // 2:
            return
        renege = self._renege

        def stale(callback: Recurring[Any], value: Any) -> bool:
            return callback == renege and value.status != WAITING

        self._agenda.drop(stale)
        self._stale_timers = 0

    def _warmed_up(self, _: None) -> None:
        self.ledger.warm_up(self._snapshot())

    def _weekly(self, week: int) -> None:
        self._agenda.week_passed(week)
        if len(self.waits.pending) >= WAIT_CHUNK:  # bounded memory, few numpy calls
            self.waits.flush()
        if self.collective is not None:
            self.collective.weekly(week)
        if self.ledger.keeps(week, self._agenda.now):
            self.ledger.record(week, self._snapshot())
        else:
            self._tick()
        if self._stale_timers > core.CLEAR_OUT_ABOVE:  # else nothing to clear out
            self._clear_out_timers()
        self._at(self._agenda.now + 1.0, self._weekly, week + 1)


__all__ = ["COUNTERS", "FINAL", "PAST_INTAKE", "WAITING", "WijkteamModel"]
