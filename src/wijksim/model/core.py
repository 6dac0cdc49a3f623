"""The engine's per-event path: a request arrives, waits, is admitted within the
caseload ceiling, is in care, is closed, gives up or comes back; and the
time-weighted areas. One object runs it all (the façade ``WijkteamModel`` is a
:class:`Core`): a request costs two timers of the model's agenda
(:mod:`~wijksim.model.scheduling`) and a handful of calls, no process, no event.
What is recorded is :meth:`Core._snapshot` (:mod:`~wijksim.model.ledger`).
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from typing import TYPE_CHECKING, Any

import simpy

from ..scenario.schema import Scenario
from ..streams import Seed, Streams
from .demand import Demand
from .disciplines import Disciplines
from .initial import ClosedBefore
from .ledger import COUNTERS, Snapshot
from .requests import (
    CLOSED,
    DONE_EVENT,
    IN_CARE,
    INTAKE_EVENT,
    NEW,
    RECURRENCE,
    RENEGED,
    SETTLED,
    THOUSANDTHS_PER_SLOT,
    WAITING,
    Request,
    RequestDraws,
)
from .scheduling import Agenda
from .waits import WaitStats

if TYPE_CHECKING:
    from .interventions.collective import Collective

#: Given-up requests in the waiting list and stale patience timers in the agenda are
#: cleared out once more than this many and more than live ones (memory, heap work).
CLEAR_OUT_ABOVE = 1024


class Core:
    """The state of a team and its requests, and the events that change it.

    Every method here runs from the model's agenda (the agenda's clock,
    ``self._agenda.now``, is the time); the façade syncs that clock before it
    calls in from outside (see :meth:`Agenda.sync`).
    """

    # Slots: with ~50 attributes an instance dict is too large for CPython's fast
    # attribute access (3%). Sorted: 3% faster than grouped by meaning (A/B, M/M/10)
    # fmt: off
    __slots__ = (
        "_agenda", "_all", "_area_capacity", "_area_care", "_area_hours", "_area_load",
        "_area_waiting", "_at", "_capacity", "_capacity_since", "_close_cb", "_draws", "_fifo",
        "_gone_in_queue", "_hours", "_hours_rate", "_intake_hours", "_intake_hours_total",
        "_last", "_lightest", "_load", "_names", "_next_id", "_other_draws", "_queue",
        "_rank", "_record", "_recur_delay", "_recur_u", "_recurrence", "_renege_cb", "_seq",
        "_settle_share", "_settle_u", "_stale_timers", "_teams", "_theme_area",
        "_theme_care", "_theme_escalations", "_theme_last", "_theme_requests", "_weight",
        "collective", "counts", "env", "in_care", "initial", "scenario", "severities",
        "start", "streams", "themes", "waiting", "waits", "warmup_end",
    )
    # fmt: on

    def __init__(
        self, env: simpy.Environment, scenario: Scenario, seed: Seed, record_cases: bool
    ) -> None:
        self.env = env
        self._agenda = Agenda(env)  # the model's timers (see scheduling.py)
        self._at = self._agenda.at
        # timers' callbacks bound once, not per timer (1.5% of M/M/10's instructions)
        self._close_cb, self._renege_cb = self._close, self._renege
        self.scenario = scenario
        self.streams = Streams(seed)
        self.start = env.now
        self.warmup_end = self.start + scenario.warmup
        self.themes = scenario.themes
        self.severities = scenario.severities
        team = scenario.team
        per_slot = THOUSANDTHS_PER_SLOT
        # the ceiling and the load in thousandths of a slot, as integers
        self._capacity = math.inf if math.isinf(team.capacity) else round(team.capacity * per_slot)
        # a team given by discipline: slots per discipline, routes and lines per theme
        self._teams = Disciplines(team, self.themes) if team.disciplines else None
        if self._teams is not None:
            self._capacity = self._teams.total_capacity
        self._area_capacity = 0.0  # slot-weeks of the ceiling (it moves with a squeeze)
        self._capacity_since = self.start
        self._weight = [round(team.case_weight[s] * per_slot) for s in self.severities]
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
        # given-up requests in the waiting list, stale patience timers in the agenda
        self._gone_in_queue = 0
        self._stale_timers = 0
        # the waiting list: FIFO, or priority by severity (lazy deletion of reneges):
        # a deque of requests (FIFO), or a heap of (rank, seq, request) (priority)
        self._fifo = team.queue == "fifo"
        order = team.priority or tuple(reversed(self.severities))
        self._rank = [order.index(s) for s in self.severities]
        self._queue: Any = deque() if self._fifo else []

        # state and time-weighted areas (request-weeks), since self.start
        self.waiting = 0
        self.in_care = 0
        self._load = 0  # thousandths of a slot
        self._hours_rate = 0.0  # professional contact hours per week
        self._area_waiting = self._area_care = self._area_load = self._area_hours = 0.0
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

        self._draws = RequestDraws(scenario, self.streams, NEW)
        self._other_draws: dict[str, RequestDraws] = {}
        if team.recurrence is not None:
            self._recur_u = self.streams.uniforms("recurrence")
            self._recur_delay = team.recurrence.delay.draws(self.streams.rng("recurrence.delay"))
        self._settle_u = [self.streams.uniforms(f"settle.{t}") for t in self.themes]
        self.collective: Collective | None = None

    # -- requests ------------------------------------------------------------------

    def _origin_draws(self, origin: str) -> RequestDraws:
        draws = self._other_draws.get(origin)
        if draws is None:
            draws = self._other_draws[origin] = RequestDraws(self.scenario, self.streams, origin)
        return draws

    def _new(self, theme: int, severity: int, origin: str, draws: RequestDraws) -> Request:
        """A request arriving now, its attributes drawn from ``draws``. Copied into
        :meth:`_potential_arrival` (1-2%, A/B); ``tests/model/test_core.py`` checks."""
        request = Request(
            self._next_id,
            theme,
            severity,
            origin,
            self._agenda.now,
            draws.durations[theme][severity](),
            draws.patience(),
            draws.escalate_after(),
            self._names,
        )
        self._next_id += 1
        if self._record:
            self._all.append(request)
        return request

    # -- arrivals ------------------------------------------------------------------

    def _potential_arrival(self, source: Demand) -> float | None:
        """A potential request from the baseline's demand: interventions at the
        front door may avert or divert it; what passes reaches the team. Returns
        the time of the next one (the agenda calls again then), None if none."""
        t = source.theme
        draws = self._draws
        severity = draws.severities[t]()
        request = Request(  # self._new(t, severity, NEW, draws), inlined (see _new)
            self._next_id,
            t,
            severity,
            NEW,
            self._agenda.now,
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
        now = self._agenda.now  # the next one
        gap = source.next_gap(now - self.start)
        return now + gap if gap < math.inf else None

    def _settle(self, request: Request) -> None:
        """Light requests answered at intake: information and advice, no case."""
        self.counts["requests"] += 1
        self._theme_requests[request.theme_index] += 1
        self.counts["settled_at_intake"] += 1
        self._intake_hours_total += self._intake_hours
        request.status = SETTLED
        request.intake = request.end = self._agenda.now
        self._finish(request)

    def _arrive(self, request: Request) -> None:
        """A request reaches the team."""
        self.counts["requests"] += 1
        self._theme_requests[request.theme_index] += 1
        self._enter(request)

    def _recur(self, previous: Request | ClosedBefore) -> None:
        """A resident whose case was closed comes back."""
        draws = self._origin_draws(RECURRENCE)
        t = previous.theme_index
        request = self._new(t, draws.severity(t), RECURRENCE, draws)
        self.counts["recurrences"] += 1
        self._arrive(request)

    def _enter(self, request: Request, initial: bool = False) -> None:
        """Join the waiting list (or, for the initial caseload, care)."""
        if initial:
            self.initial += 1
        now = self._agenda.now  # self._accrue(), inlined: see _accrue
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
            self._at(now + request.patience, self._renege_cb, request)
        if self._teams is not None:  # by discipline, its own may have room
            self._seq += 1
            if self._fifo:
                queue.append(request)
                self._teams.line_up(request.theme_index, (self._seq, request))
            else:
                entry = (self._rank[request.severity_index], self._seq, request)
                heapq.heappush(queue, entry)
                self._teams.line_up(request.theme_index, entry)
            self._take_on_by_discipline(now)
        elif self._fifo:
            # after every event the first one waiting does not fit, so a newcomer
            # at the back changes nothing (in a single pool)
            queue.append(request)
        else:  # by priority, a newcomer may go first
            self._seq += 1
            heapq.heappush(queue, (self._rank[request.severity_index], self._seq, request))
            self._take_on(now)

    # -- the waiting list ------------------------------------------------------------

    def _take_on(self, now: float | None = None) -> None:
        """Take cases from the head of the waiting list while the ceiling allows
        (callers that have just accrued the areas pass ``now``)."""
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
        """By discipline: every request whose route has room (see
        :meth:`Disciplines.take_on`); those taken on stay in ``_queue`` as
        given-up ones do, until it is cleared out."""
        teams = self._teams
        if teams is None or not self.waiting or not teams.any_room(self._lightest):
            return
        if now is None:
            now = self._accrue()
        taken, stale = teams.take_on(self._admit, now)
        self.waiting -= taken
        self._gone_in_queue += taken
        self._stale_timers += stale
        if self._gone_in_queue > CLEAR_OUT_ABOVE and self._gone_in_queue > self.waiting:
            self._clear_out_queue()

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
                draws = self._draws if request.origin == NEW else self._origin_draws(request.origin)
                request.duration = draws.escalated_duration(request.theme_index, severity)
        counts["intakes"] += 1
        self._intake_hours_total += self._intake_hours * request.intake_factor
        if arrival >= self.warmup_end and request.origin != "initial":
            self.waits.add(wait)
        request.intake = now
        self._begin_care(request, request.duration, now)
        if request.waiters is not None:
            request.fire(INTAKE_EVENT)
        return True

    def _renege(self, request: Request) -> None:
        """A request gives up waiting (its patience timer)."""
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
        else:
            self._queue = [entry for entry in self._queue if entry[2].status == WAITING]
            heapq.heapify(self._queue)  # unique (rank, seq) keys: the same order
        if self._teams is not None:
            self._teams.clear_out()
        self._gone_in_queue = 0

    def _finish(self, request: Request) -> None:
        """Settled or gave up: no intake (any more), and done."""
        if request.waiters is not None:
            request.fire(INTAKE_EVENT)
            request.fire(DONE_EVENT)

    # -- care ------------------------------------------------------------------------

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
        self._at(now + remaining, self._close_cb, request)

    def _close(self, request: Request) -> None:
        """A case is closed; the resident may come back later."""
        now = self._agenda.now  # self._accrue(), inlined: see _accrue
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
        if request.waiters is not None:  # the intake event fired at intake
            request.fire(DONE_EVENT)
        if self._queue:
            self._take_on(now)

    # -- the areas -------------------------------------------------------------------

    def _accrue(self) -> float:
        """Add up the time-weighted areas until now; returns now. Copied into
        :meth:`_enter` and :meth:`_close` (the call costs 2-3%, A/B, see
        benchmarks/README.md): ``tests/model/test_core.py`` checks the copies."""
        now = self._agenda.now
        dt = now - self._last
        if dt:
            self._area_waiting += self.waiting * dt
            self._area_care += self.in_care * dt
            self._area_load += self._load * dt
            self._area_hours += self._hours_rate * dt
            self._last = now
        return now

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

    def _capacity_area(self) -> float:
        """The ceiling's slot-weeks until now (inf without a ceiling)."""
        if math.isinf(self._capacity):
            return math.inf
        return self._area_capacity + self._capacity * (self._agenda.now - self._capacity_since)

    def _snapshot(self) -> Snapshot:
        """Every cumulative figure now; differences of two give a period's figures."""
        now = self._tick()
        return Snapshot(
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


__all__ = ["CLEAR_OUT_ABOVE", "Core"]
