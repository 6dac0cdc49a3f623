"""The wijkteam on simpy: requests arrive, wait, are taken on within the caseload
ceiling, are closed, and sometimes come back.

The model lives in a simpy ``Environment`` that the caller may own; another
model can feed it requests (:meth:`WijkteamModel.submit`) and read its state
while both run. Time is in weeks from the moment the model was built.

Speed: a request costs two timers (arrival and closure) and no process; the
timers run from the model's own agenda in simpy's order of events (see
scheduling.py), and random numbers are drawn in batches per named stream.
"""

from __future__ import annotations

import heapq
import math
import os
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

import simpy

from ..scenario.calendar import month_offset
from ..scenario.loading import as_scenario
from ..scenario.schema import Scenario
from ..scenario.units import WEEKS_PER_MONTH, WEEKS_PER_YEAR
from ..streams import Seed, Streams
from .demand import Growth, growth
from .disciplines import Disciplines
from .initial import ClosedBefore, initial_requests, pending_returns
from .requests import (
    AVERTED,
    CLOSED,
    DIVERTED,
    DONE_EVENT,
    FINAL,
    HIDDEN_NEED,
    IN_CARE,
    INTAKE_EVENT,
    MILLI,
    NEW,
    PAST_INTAKE,
    RECURRENCE,
    REFERRAL,
    RENEGED,
    SETTLED,
    SUBMITTED,
    WAITING,
    Request,
    RequestDraws,
)
from .scheduling import NORMAL, Agenda, Callback
from .waits import WAIT_CHUNK, WaitStats

#: Counters that the summary and the weekly series report (cumulative).
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


#: Given-up requests in the waiting list and stale patience timers in the agenda
#: are cleared out once there are more than this many, and more of them
#: than live ones: memory and heap operations stay in proportion to the work.
CLEAR_OUT_ABOVE = 1024


class WijkteamModel:
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

    # Slots for the engine's own state: with ~60 attributes an instance dict is too
    # large for CPython's fast attribute access (3% of a run); "__dict__" keeps
    # the instance open to attributes of a caller's own
    __slots__ = (
        "__dict__",
        "__weakref__",
        "_agenda",
        "_all",
        "_area_capacity",
        "_area_care",
        "_area_hours",
        "_area_load",
        "_area_waiting",
        "_at",
        "_capacity",
        "_capacity_since",
        "_draws",
        "_eid",
        "_every_week",
        "_fifo",
        "_gone_in_queue",
        "_hours",
        "_hours_rate",
        "_intake_hours",
        "_intake_hours_total",
        "_last",
        "_lightest",
        "_lines",
        "_load",
        "_names",
        "_next_id",
        "_other_draws",
        "_own",
        "_queue",
        "_rank",
        "_record",
        "_recur_delay",
        "_recur_u",
        "_recurrence",
        "_seq",
        "_series",
        "_settle_share",
        "_settle_u",
        "_stale_timers",
        "_teams",
        "_theme_area",
        "_theme_care",
        "_theme_escalations",
        "_theme_last",
        "_theme_requests",
        "_warm",
        "_week",
        "_weight",
        "_years_kept",
        "collective",
        "collective_hours",
        "collective_hours_available",
        "counts",
        "env",
        "in_care",
        "initial",
        "scenario",
        "severities",
        "start",
        "streams",
        "themes",
        "waiting",
        "waits",
        "warmup_end",
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
        scenario = as_scenario(scenario)  # a Scenario, or the path of a scenario file
        self.env = env
        # the model's timers: a heap of its own, called in the environment's order
        # of events without simpy's step (see scheduling.py); closures, returns and
        # patience timers, weeks to years ahead, are held back in weekly buckets
        # while the heap is long: a small heap in a large wijk, the same order
        self._agenda = Agenda(env)
        self._at, self._own, self._eid = self._agenda.at, self._agenda.own, self._agenda.eid
        self.scenario = scenario
        self.streams = Streams(seed)
        self.start = env.now
        self.warmup_end = self.start + scenario.warmup
        self.themes = scenario.themes
        self.severities = scenario.severities
        team = scenario.team
        # the ceiling and the load in thousandths of a slot, as integers (see MILLI)
        self._capacity = math.inf if math.isinf(team.capacity) else round(team.capacity * MILLI)
        # a team given by discipline: slots per discipline, routes per theme
        self._teams = Disciplines(team, self.themes) if team.disciplines else None
        #: hours per week the disciplines that do collective work have (all, in one pool)
        self.collective_hours_available = math.inf
        if self._teams is not None:
            self._capacity = self._teams.total_capacity
            self.collective_hours_available = self._teams.collective_hours_available
        self.collective_hours = 0.0
        self._area_capacity = 0.0  # slot-weeks of the ceiling (it moves with a squeeze)
        self._capacity_since = self.start
        self._weight = [round(team.case_weight[s] * MILLI) for s in self.severities]
        self._lightest = min(self._weight)
        self._hours = [team.contact_hours_per_week[s] for s in self.severities]
        self._intake_hours = team.intake_time * 7 * 24
        self._settle_share = scenario.neighbourhood.settled_at_intake
        self._recurrence = team.recurrence
        self._record = record_cases
        self._all: list[Request] = []
        self._next_id = 0
        self._seq = 0
        self._names = (self.themes, self.severities)  # shared by every Request
        # given-up requests still in the waiting list, and patience timers of
        # requests already taken on still in the agenda: both are cleared
        # out once they outnumber the live ones (see _clear_out)
        self._gone_in_queue = 0
        self._stale_timers = 0

        # the waiting list: FIFO, or priority by severity (lazy deletion of reneges)
        self._fifo = team.queue == "fifo"
        order = team.priority or tuple(reversed(self.severities))
        self._rank = [order.index(s) for s in self.severities]
        # a deque of requests (FIFO), or a heap of (rank, seq, request) (priority)
        self._queue: Any = deque() if self._fifo else []
        # by discipline, also a line per theme (its requests share a route), in the
        # order of the list: (seq, request) (FIFO) or (rank, seq, request) (priority);
        # a scan then passes over a theme whose route is blocked in one step, not
        # request by request (see _take_on_by_discipline)
        self._lines: list[Any] = [
            deque() if self._fifo else [] for _ in (self.themes if self._teams else ())
        ]

        # state and time-weighted areas (request-weeks), since self.start
        self.waiting = 0
        self.in_care = 0
        self._load = 0  # thousandths of a slot
        self._hours_rate = 0.0  # professional contact hours per week
        self._area_waiting = self._area_care = self._area_load = 0.0
        self._area_hours = 0.0
        self._last = self.start
        self._theme_care = [0] * len(self.themes)
        self._theme_area = [0.0] * len(self.themes)
        self._theme_last = [self.start] * len(self.themes)
        self._theme_requests = [0] * len(self.themes)
        self._theme_escalations = [0] * len(self.themes)
        self.counts = dict.fromkeys(COUNTERS, 0)
        self.initial = 0
        self._intake_hours_total = 0.0
        self.waits = WaitStats()
        self._warm: dict | None = None

        self._draws = RequestDraws(scenario, self.streams, NEW)
        self._other_draws: dict[str, RequestDraws] = {}
        if team.recurrence is not None:
            self._recur_u = self.streams.uniforms("recurrence")
            self._recur_delay = team.recurrence.delay.draws(self.streams.rng("recurrence.delay"))
        self._settle_u = [self.streams.uniforms(f"settle.{t}") for t in self.themes]
        self.collective = None
        if scenario.interventions or scenario.volunteers or team.collective_hours_per_week:
            from .interventions import Collective

            self.collective = Collective(self)

        # week 0 (and, without warm-up, the summary) starts before the initial state
        # (the weekly series holds compact rows: see _row and _as_snapshot)
        first = self._row()
        # every week's row; or, with series=False, only the rows that close a
        # year after the warm-up (what the yearly figures need): see _weekly
        self._series: dict[str, list] = {"week": [0], "values": [first]}
        self._every_week = series
        self._week = 0  # the last week ticked
        self._years_kept = 0
        if scenario.warmup > 0:
            self._agenda.after(scenario.warmup, self._warmed_up, None)
        else:
            self._warm = self._as_snapshot(first)
        for request in initial_requests(self, self._origin_draws("initial")):
            self._enter(request, initial=True)
        for delay, closed in pending_returns(self):
            self._at(self.env._now + delay, self._recur, closed)
        self._start_arrivals()
        self._agenda.after(1.0, self._weekly, 1)

    # -- public ------------------------------------------------------------------

    @property
    def now(self) -> float:
        """Weeks since the model was built."""
        return self.env.now - self.start

    @property
    def load(self) -> float:
        """Caseload slots in use now: the case weights of the cases in care."""
        return self._load / MILLI

    @property
    def capacity(self) -> float:
        """The caseload ceiling now, in slots (lower while the team spends
        hours on collective work; ``inf`` without a ceiling)."""
        return self._capacity / MILLI

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
        if theme not in self.themes:
            raise ValueError(f"unknown theme {theme!r} (themes: {', '.join(self.themes)})")
        if severity is not None and severity not in self.severities:
            known = ", ".join(self.severities)
            raise ValueError(f"unknown severity {severity!r} (severities: {known})")
        t = self.themes.index(theme)
        draws = self._origin_draws(SUBMITTED)
        sev = draws.severity(t) if severity is None else self.severities.index(severity)
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
        return self._moment(request, INTAKE_EVENT, PAST_INTAKE)

    def done(self, request: Request) -> simpy.Event:
        """An event that fires when ``request`` reaches a final state: closed,
        given up, settled at intake, averted or diverted.

        Its value is the request; asked for later, it has fired already.
        """
        return self._moment(request, DONE_EVENT, FINAL)

    def _moment(self, request: Request, which: int, past: frozenset[int]) -> simpy.Event:
        """Event ``which`` of ``request``, made on first asking (fired at once
        when the request's status is already ``past`` that moment)."""
        if not isinstance(request, Request):
            raise TypeError(
                f"expected a Request (from submit() or the model), not {type(request).__name__}"
            )
        if request._names is not self._names:  # each model shares one names tuple
            raise ValueError(
                f"request {request.id} belongs to another model: ask that model for its "
                "intake or done event (this one would never fire it)"
            )
        waiters = request._waiters
        if waiters is None:
            waiters = request._waiters = [None, None]
        event = waiters[which]
        if event is None:
            event = waiters[which] = self.env.event()
            if request.status in past:
                event.succeed(request)
        return event

    def _fire(self, request: Request, which: int) -> None:
        """Fire event ``which`` of ``request``, if asked for (callers check that
        ``request._waiters`` is not None: the hot path pays one test)."""
        event = request._waiters[which]  # type: ignore[index]
        if event is not None:
            event.succeed(request)

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

    # -- draws ---------------------------------------------------------------------------

    def _origin_draws(self, origin: str) -> RequestDraws:
        draws = self._other_draws.get(origin)
        if draws is None:
            draws = self._other_draws[origin] = RequestDraws(self.scenario, self.streams, origin)
        return draws

    # -- demand ---------------------------------------------------------------------

    def _start_arrivals(self) -> None:
        hood = self.scenario.neighbourhood
        offset = month_offset(self.scenario.start_date)
        for t, (name, theme) in enumerate(hood.themes.items()):
            per_week = hood.residents / 1000.0 * theme.requests_per_1000 / WEEKS_PER_YEAR
            if per_week <= 0:
                continue
            source = _Demand(
                t,
                per_week,
                theme.monthly_profile,
                self.streams.exponentials(f"demand.{name}"),
                offset,
                growth(self.scenario, name),
            )
            gap = source.next_gap(0.0)
            if gap < math.inf:
                self._agenda.after(gap, self._potential_arrival, source)

    def _potential_arrival(self, source: _Demand) -> None:
        """A potential request from the baseline's demand: interventions at the
        front door may avert or divert it; what passes reaches the team."""
        t = source.theme
        draws = self._draws
        severity = draws.severities[t]()
        request = Request(  # self._new(t, severity, NEW, draws), inlined: once per request
            self._next_id,
            t,
            severity,
            NEW,
            self.env._now,
            draws.durations[t][severity](),
            draws.patience(),
            draws.escalate_after(),
            self._names,
        )
        self._next_id += 1
        if self._record:
            self._all.append(request)
        counts = self.counts
        counts["potential_requests"] += 1
        if self.collective is None or not self.collective.front_door(request):
            counts["new_requests"] += 1
            settle = self._settle_share
            if request.severity_index == 0 and settle and self._settle_u[t]() < settle:
                self._settle(request)
            else:  # self._arrive(request), inlined: once per request
                counts["requests"] += 1
                self._theme_requests[t] += 1
                self._enter(request)
        # the next one (self._at without the call: the agenda is calling its timers)
        now = self.env._now
        gap = source.next_gap(now - self.start)
        if gap < math.inf:
            heapq.heappush(
                self._own, (now + gap, NORMAL, next(self._eid), self._potential_arrival, source)
            )

    def _new(self, theme: int, severity: int, origin: str, draws: RequestDraws) -> Request:
        request = Request(
            self._next_id,
            theme,
            severity,
            origin,
            self.env._now,
            draws.durations[theme][severity](),
            draws.patience(),
            draws.escalate_after(),
            self._names,
        )
        self._next_id += 1
        if self._record:
            self._all.append(request)
        return request

    def _count_arrival(self, request: Request) -> None:
        self.counts["requests"] += 1
        self._theme_requests[request.theme_index] += 1

    def _settle(self, request: Request) -> None:
        """Light requests answered at intake: information and advice, no case."""
        self._count_arrival(request)
        self.counts["settled_at_intake"] += 1
        self._intake_hours_total += self._intake_hours
        request.status = SETTLED
        request.intake = request.end = self.env.now
        self._finish(request)

    def _arrive(self, request: Request) -> None:
        self.counts["requests"] += 1  # self._count_arrival(request), inlined
        self._theme_requests[request.theme_index] += 1
        self._enter(request)

    def _enter(self, request: Request, initial: bool = False) -> None:
        """Join the waiting list (or, for the initial caseload, care)."""
        if initial:
            self.initial += 1
        now = self.env._now  # self._accrue(), inlined: once per request
        dt = now - self._last
        if dt:
            self._area_waiting += self.waiting * dt
            self._area_care += self.in_care * dt
            self._area_load += self._load * dt
            self._area_hours += self._hours_rate * dt
            self._last = now
        if request.status == IN_CARE:  # an existing case at time zero
            teams = self._teams
            if teams is not None:  # over the ceiling at the start: its first discipline
                t, weight = request.theme_index, self._weight[request.severity_index]
                found = teams.place(t, weight)
                request.discipline = teams.routes[t][0] if found is None else found
            self._begin_care(request, request.duration, now)
            return
        queue = self._queue
        # by discipline the list keeps those taken on until it is cleared out:
        # nobody waiting is the count, not an empty list
        if not (queue if self._teams is None else self.waiting) and self._admit(request, now):
            return  # nobody waiting and room: taken on at once
        request.status = WAITING
        self.waiting += 1
        if request.patience is not None:
            self._at(self.env._now + request.patience, self._renege, request)
        if self._teams is not None:  # by discipline, its own may have room
            self._seq += 1
            line = self._lines[request.theme_index]
            if self._fifo:
                queue.append(request)
                line.append((self._seq, request))
            else:
                entry = (self._rank[request.severity_index], self._seq, request)
                heapq.heappush(queue, entry)
                heapq.heappush(line, entry)
            self._take_on_by_discipline(now)
        elif self._fifo:
            # after every event the first one waiting does not fit, so a newcomer
            # at the back changes nothing (in a single pool)
            queue.append(request)
        else:  # by priority, a newcomer may go first
            self._seq += 1
            heapq.heappush(queue, (self._rank[request.severity_index], self._seq, request))
            self._take_on(now)

    # -- the team ------------------------------------------------------------------

    def _take_on(self, now: float | None = None) -> None:
        """Take cases from the head of the waiting list while the ceiling allows.

        Callers that have just accrued the areas pass ``now``.
        """
        if self._teams is not None:
            return self._take_on_by_discipline(now)
        queue, fifo, lightest = self._queue, self._fifo, self._lightest
        if not queue or self._load + lightest > self._capacity:
            return  # nobody waits, or not even the lightest case fits (the common cases)
        if now is None:
            now = self._accrue()
        while queue and self._load + lightest <= self._capacity:
            request = queue[0] if fifo else queue[0][2]
            if request.status != WAITING:  # gave up while waiting
                queue.popleft() if fifo else heapq.heappop(queue)
                self._gone_in_queue -= 1
                continue
            if not self._admit(request, now):
                return
            queue.popleft() if fifo else heapq.heappop(queue)
            self.waiting -= 1
            if request.patience is not None:  # its patience timer is now stale
                self._stale_timers += 1

    def _take_on_by_discipline(self, now: float | None) -> None:
        """Take on, in the order of the waiting list, every request whose route has
        room. Within a discipline the order holds: a request that does not fit
        blocks the disciplines on its route for those behind it (as the head of
        the list does in a single pool), but not the other disciplines.

        The requests of a theme share a route, so the list is walked as a merge
        of the themes' lines by their order in the list: once a theme's route is
        blocked, all its requests are passed over at once. A walk then costs the
        requests taken on and the themes, not the length of the list (which, in
        an overloaded team, made every event cost the whole list). Those taken on
        stay in ``_queue`` as given-up ones do, until it is cleared out.
        """
        teams = self._teams
        if teams is None or not self.waiting or not teams.any_room(self._lightest):
            return
        if now is None:
            now = self._accrue()
        lines, routes, fifo = self._lines, teams.routes, self._fifo
        heads: list[tuple[Any, int]] = []  # (order in the list, theme) of each line's head
        for t, line in enumerate(lines):
            if self._head(line) is not None:
                heads.append((line[0][0] if fifo else line[0][:2], t))
        heapq.heapify(heads)
        blocked: set[int] = set()
        while heads:
            t = heapq.heappop(heads)[1]
            route = routes[t]
            if blocked.issuperset(route):
                continue  # every discipline it may go to is blocked: the whole line waits
            line = lines[t]
            request = line[0][-1]
            if not self._admit(request, now, blocked):
                blocked.update(route)
                continue
            line.popleft() if fifo else heapq.heappop(line)
            self.waiting -= 1
            self._gone_in_queue += 1  # still in _queue, as a given-up one is
            if request.patience is not None:  # its patience timer is now stale
                self._stale_timers += 1
            if self._head(line) is not None:
                heapq.heappush(heads, (line[0][0] if fifo else line[0][:2], t))
        if self._gone_in_queue > CLEAR_OUT_ABOVE and self._gone_in_queue > self.waiting:
            self._clear_out_queue()

    def _head(self, line: Any) -> Request | None:
        """The first request of a theme's line still waiting (those gone are dropped)."""
        while line:
            request = line[0][-1]
            if request.status == WAITING:
                return request
            line.popleft() if self._fifo else heapq.heappop(line)
        return None

    def _admit(self, request: Request, now: float, blocked: set[int] | None = None) -> bool:
        """Take ``request`` on now if the ceiling allows; a wait long enough makes
        the case one severity heavier first."""
        arrival = request.arrival
        wait = now - arrival
        severity = request.severity_index
        escalate_after = request.escalate_after
        escalates = escalate_after is not None and wait >= escalate_after
        weights = self._weight
        if escalates and severity + 1 < len(weights):
            severity += 1
        teams = self._teams
        if teams is None:
            if self._load + weights[severity] > self._capacity:
                return False
        else:
            discipline = teams.place(request.theme_index, weights[severity], blocked)
            if discipline is None:
                return False
            request.discipline = discipline
        counts = self.counts
        if escalates:
            counts["escalations"] += 1
            self._theme_escalations[request.theme_index] += 1
            request.escalated = True
            if severity != request.severity_index:
                request.severity_index = severity
                request.duration = self._draws_for(request).escalated_duration(
                    request.theme_index, severity
                )
        counts["intakes"] += 1
        self._intake_hours_total += self._intake_hours * request.intake_factor
        if arrival >= self.warmup_end and request.origin != "initial":
            self.waits.add(wait)
        request.intake = now
        self._begin_care(request, request.duration, now)
        if request._waiters is not None:
            self._fire(request, INTAKE_EVENT)
        return True

    def _draws_for(self, request: Request) -> RequestDraws:
        return self._draws if request.origin == NEW else self._origin_draws(request.origin)

    def _begin_care(self, request: Request, remaining: float, now: float) -> None:
        """Start care at ``now``; the caller has accrued the areas up to ``now``."""
        request.status = IN_CARE
        self.in_care += 1
        severity = request.severity_index
        weight = self._weight[severity]
        self._load += weight
        if self._teams is not None:
            self._teams.load[request.discipline] += weight
        self._hours_rate += self._hours[severity]
        t = request.theme_index  # the theme's area up to now, then one case more
        self._theme_area[t] += self._theme_care[t] * (now - self._theme_last[t])
        self._theme_last[t] = now
        self._theme_care[t] += 1
        self._at(now + remaining, self._close, request)

    def _close(self, request: Request) -> None:
        now = self.env._now  # self._accrue(), inlined: once per case
        dt = now - self._last
        if dt:
            self._area_waiting += self.waiting * dt
            self._area_care += self.in_care * dt
            self._area_load += self._load * dt
            self._area_hours += self._hours_rate * dt
            self._last = now
        request.status = CLOSED
        request.end = now
        self.in_care -= 1
        self.counts["closures"] += 1
        severity = request.severity_index
        weight = self._weight[severity]
        self._load -= weight
        if self._teams is not None:
            self._teams.load[request.discipline] -= weight
        self._hours_rate -= self._hours[severity]
        t = request.theme_index  # the theme's area up to now, then one case less
        self._theme_area[t] += self._theme_care[t] * (now - self._theme_last[t])
        self._theme_last[t] = now
        self._theme_care[t] -= 1
        recurrence = self._recurrence
        if recurrence is not None:
            factor = 1.0 if self.collective is None else self.collective.on_closure(request)
            if self._recur_u() < recurrence.probability * factor:
                self._at(now + self._recur_delay(), self._recur, request)
        elif self.collective is not None:
            self.collective.on_closure(request)
        if request._waiters is not None:  # the intake event fired at intake
            self._fire(request, DONE_EVENT)
        if self._queue:
            self._take_on(now)

    def _recur(self, previous: Request | ClosedBefore) -> None:
        draws = self._origin_draws(RECURRENCE)
        t = previous.theme_index
        request = self._new(t, draws.severity(t), RECURRENCE, draws)
        self.counts["recurrences"] += 1
        self._arrive(request)

    def timer(self, delay: float, callback: Callback[Any], value: Any = None) -> None:
        """Call ``callback(timer)`` in ``delay`` weeks, where ``timer.value`` is
        ``value``: for the model's interventions, whose timers run with the
        model's own, in the order ``simpy.Timeout`` would give them.

        ``delay`` is a number of weeks of at least 0 (``ValueError``: a negative
        or NaN one would send time back); an infinite one never fires.
        """
        if not 0.0 <= delay < math.inf:  # NaN fails both: the comparison is the check
            if delay == math.inf:
                return  # never: nothing to keep (a rhythm of once in forever)
            raise ValueError(f"a timer's delay is a number of weeks of at least 0, not {delay!r}")
        self._agenda.timer(delay, callback, value)

    def refer(self, theme: str, severity: str, intake_factor: float = 1.0) -> Request:
        """A request passed on to the team by an intervention (e.g. a buddy); a warm
        referral may need a shorter intake (``intake_factor`` of the usual time)."""
        t, s = self.themes.index(theme), self.severities.index(severity)
        return self._from_outside(t, s, REFERRAL, "referrals", intake_factor)

    def hidden_need(self, theme: str) -> Request:
        """An extra request that surfaced because neighbours noticed (severity drawn)."""
        t = self.themes.index(theme)
        draws = self._origin_draws(HIDDEN_NEED)
        return self._from_outside(t, draws.severity(t), HIDDEN_NEED, "hidden_need")

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
        request = self._new(theme, severity, origin, self._origin_draws(origin))
        request.intake_factor = intake_factor
        self.counts[counter] += 1
        self._arrive(request)
        return request

    def set_collective_hours(self, hours: float) -> None:
        """Team hours for collective work, taken from casework: the ceiling
        shrinks in proportion to the team's hours."""
        team = self.scenario.team
        self.collective_hours = hours
        if self._teams is not None:  # the disciplines that hold collective hours give them
            self._area_capacity = self._capacity_area()
            self._capacity_since = self.env.now
            self._teams.set_collective_hours(hours)
            self._capacity = self._teams.total_capacity
            self._take_on()
            return
        if math.isinf(team.capacity):
            return
        total = team.fte * team.hours_per_fte_per_week
        share = 1.0 - hours / total if total > 0 else 1.0
        self._area_capacity = self._capacity_area()
        self._capacity_since = self.env.now
        self._capacity = round(team.capacity * share * MILLI)
        self._take_on()

    def _renege(self, request: Request) -> None:
        if request.status != WAITING:
            return
        now = self._accrue()
        request.status = RENEGED
        request.end = now
        self.waiting -= 1
        self.counts["reneged"] += 1
        self._gone_in_queue += 1
        self._finish(request)
        self._take_on(now)  # the one who left may have been blocking the head
        if self._gone_in_queue > CLEAR_OUT_ABOVE and self._gone_in_queue > self.waiting:
            self._clear_out_queue()

    def _clear_out_queue(self) -> None:
        """Drop given-up requests (and, by discipline, those taken on) from the
        waiting list and the themes' lines (the order stays)."""
        if self._fifo:
            self._queue = deque(r for r in self._queue if r.status == WAITING)
            self._lines = [deque(e for e in line if e[1].status == WAITING) for line in self._lines]
        else:
            self._queue = [entry for entry in self._queue if entry[2].status == WAITING]
            heapq.heapify(self._queue)  # unique (rank, seq) keys: the same order
            self._lines = [[e for e in line if e[2].status == WAITING] for line in self._lines]
            for line in self._lines:
                heapq.heapify(line)
        self._gone_in_queue = 0

    def _clear_out_timers(self) -> None:
        """Drop patience timers of requests no longer waiting (in the agenda or held back)."""
        renege = self._renege

        def stale(callback: Callable[[Any], None], value: Any) -> bool:
            return callback == renege and value.status != WAITING

        self._agenda.drop(stale)
        self._stale_timers = 0

    def _finish(self, request: Request) -> None:
        """Settled or gave up: no intake (any more), and done."""
        if request._waiters is not None:
            self._fire(request, INTAKE_EVENT)
            self._fire(request, DONE_EVENT)

    # -- statistics ---------------------------------------------------------------

    def _accrue(self) -> float:
        """Add up the time-weighted areas until now; returns now."""
        now = self.env._now  # the clock without the property call (hot path; see scheduling.py)
        dt = now - self._last
        if dt:
            self._area_waiting += self.waiting * dt
            self._area_care += self.in_care * dt
            self._area_load += self._load * dt
            self._area_hours += self._hours_rate * dt
            self._last = now
        return now

    def _snapshot(self) -> dict:
        """Every cumulative figure now; differences of two give a period's figures."""
        return self._as_snapshot(self._row())

    def _tick(self) -> float:
        """Bring every area up to now (as a snapshot does, so that a run with and
        one without the weekly series add up the same pieces); returns now."""
        now = self._accrue()
        area, care, last = self._theme_area, self._theme_care, self._theme_last
        for theme in range(len(care)):  # each theme's area up to now
            area[theme] += care[theme] * (now - last[theme])
            last[theme] = now
        if self.collective is not None:
            self.collective.accrue(now)
        return now

    def _row(self) -> tuple:
        """The figures of a snapshot as a tuple, for the weekly series: about half
        the time and a third of the memory of the dict (it adds up once a week)."""
        now = self._tick()
        return (
            now,
            tuple(self.counts.values()),
            list(self._theme_requests),
            list(self._theme_escalations),
            self._area_waiting,
            self._area_care,
            self._area_load,
            self._capacity_area(),
            list(self._theme_area),
            self._area_hours,
            self._intake_hours_total,
            None if self.collective is None else self.collective.figures(),
        )

    def _as_snapshot(self, row: tuple) -> dict:
        """The snapshot dict of a row made by :meth:`_row`."""
        now, counts, requests, escalations, waiting, care, load, capacity = row[:8]
        themes, hours, intake, coll = row[8:]
        return {
            "time": now,
            **dict(zip(self.counts, counts, strict=True)),
            "theme_requests": requests,
            "theme_escalations": escalations,
            "area_waiting": waiting,
            "area_care": care,
            "area_load": load,
            "area_capacity": capacity,
            "area_theme": themes,
            "contact_hours": hours,
            "intake_hours": intake,
            "collective": coll,
        }

    def _capacity_area(self) -> float:
        if math.isinf(self._capacity):
            return math.inf
        return self._area_capacity + self._capacity * (self.env.now - self._capacity_since)

    def _closes_a_year(self) -> bool:
        """Whether this week's row is a year boundary of the yearly figures
        (the rule of :func:`wijksim.model.yearly.year_bounds`, applied as we go)."""
        if self._warm is None:
            return False
        now = self.env._now
        due = self._warm["time"] + (self._years_kept + 1) * WEEKS_PER_YEAR
        if now >= due - 1e-9 and now > self._warm["time"]:
            self._years_kept += 1
            return True
        return False

    def _warmed_up(self, _: None) -> None:
        self._warm = self._snapshot()

    def _weekly(self, week: int) -> None:
        self._agenda.week_passed(week)
        if len(self.waits.pending) >= WAIT_CHUNK:  # bounded memory, few numpy calls
            self.waits.flush()
        if self.collective is not None:
            self.collective.weekly(week)
        self._week = week
        if self._every_week or self._closes_a_year():
            self._series["week"].append(week)
            self._series["values"].append(self._row())
        else:
            self._tick()
        if self._stale_timers > CLEAR_OUT_ABOVE and self._stale_timers > len(self._agenda) // 2:
            self._clear_out_timers()
        # next week's (self._at without the call: the agenda is calling its timers)
        heapq.heappush(
            self._own, (self.env._now + 1.0, NORMAL, next(self._eid), self._weekly, week + 1)
        )


#: An arrival further away than this (weeks) is taken as none: a rate that has
#: (nearly) vanished would otherwise be walked month by month for ever.
NO_ARRIVAL_WITHIN = 1000 * WEEKS_PER_YEAR


class _Demand:
    """Poisson arrivals of one theme, optionally varying by month and growing.

    A unit-rate exponential from the theme's stream is mapped through the
    integrated rate (time change), so a seasonal profile, a trend or a shock
    costs one draw per arrival and changing them never shifts the stream.
    Months are of equal length, counted from January: ``offset`` (weeks) places
    the start in the year when the scenario has a ``start_date``.
    """

    __slots__ = ("growth", "offset", "per_week", "profile", "theme", "unit_gap")

    def __init__(
        self,
        theme: int,
        per_week: float,
        profile: Sequence[float] | None,
        unit_gap: Callable[[], float],
        offset: float = 0.0,
        growth: Growth | None = None,
    ):
        self.theme = theme
        self.per_week = per_week
        self.profile: list[float] | None = None  # rates per week, by month
        if profile is not None:
            mean = sum(profile) / len(profile)
            # f / mean first: per_week * f may overflow to infinity for a huge factor
            # (an infinite rate: every gap zero, and time would stand still)
            self.profile = [per_week * (f / mean) for f in profile]
        elif growth is not None:
            self.profile = [per_week] * 12
        self.unit_gap = unit_gap
        self.offset = offset
        self.growth = growth

    def next_gap(self, t: float) -> float:
        """Weeks from ``t`` (weeks since the model started) to the next arrival."""
        gap = self.unit_gap()
        profile = self.profile
        if profile is None:
            return gap / self.per_week
        if self.growth is not None:
            return self._growing_gap(t, gap, profile, self.growth)
        # walk month by month (counted, not recomputed from t: no rounding loops)
        offset = self.offset
        month = math.floor((t + offset) / WEEKS_PER_MONTH)
        at = t
        never = t + NO_ARRIVAL_WITHIN
        while at < never:
            end = (month + 1) * WEEKS_PER_MONTH - offset
            rate = profile[month % 12]
            if rate * (end - at) >= gap:
                return at + gap / rate - t
            gap -= rate * (end - at)
            at, month = end, month + 1
        return math.inf

    def _growing_gap(self, t: float, gap: float, profile: list[float], growth: Growth) -> float:
        """As :meth:`next_gap`, walking pieces that end at a month's or a week's end
        (the growth factor is constant within a week)."""
        offset = self.offset
        month = math.floor((t + offset) / WEEKS_PER_MONTH)
        week = math.floor(t)
        at = t
        never = t + NO_ARRIVAL_WITHIN
        while at < never:
            month_end = (month + 1) * WEEKS_PER_MONTH - offset
            week_end = week + 1.0
            end = min(month_end, week_end)
            rate = profile[month % 12] * growth(week)
            if rate * (end - at) >= gap:
                return at + gap / rate - t
            gap -= rate * (end - at)
            at = end
            if month_end <= end:
                month += 1
            if week_end <= end:
                week += 1
        return math.inf


__all__ = ["COUNTERS", "WijkteamModel"]
