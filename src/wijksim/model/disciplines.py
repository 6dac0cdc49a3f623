"""A team of disciplines: case slots per discipline, routes per theme, the
waiting list's lines per theme that a take-on walks, and the collective hours
that only some disciplines hold.

A request goes to the first discipline on its theme's route with room: first
the disciplines that take the theme, then the team's ``fallback`` order. Slots
are counted in thousandths (as the single-pool team does), so loads return
exactly to where they were.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Callable
from typing import Any

from ..scenario.schema import Team
from .requests import THOUSANDTHS_PER_SLOT, WAITING, Request

#: What a take-on asks the engine: take ``request`` on ``now`` in a discipline
#: on its route that is not ``blocked``, if one has room (True if it did).
Admit = Callable[[Request, float, set[int]], bool]


class Disciplines:
    """Slots, loads and routes of a team given by discipline."""

    def __init__(self, team: Team, themes: tuple[str, ...]):
        parts = team.disciplines or {}
        self.names = tuple(parts)
        # slots (unrounded) and the ceiling in thousandths, as a single-pool team has them
        self.slots = [d.fte * d.caseload_ceiling_per_fte if d.fte else 0.0 for d in parts.values()]
        self.capacity = [
            math.inf if math.isinf(c) else round(c * THOUSANDTHS_PER_SLOT) for c in self.slots
        ]
        self.load = [0] * len(self.names)
        self.hours = [d.fte * team.hours_per_fte_per_week for d in parts.values()]
        self.collective = [d.collective for d in parts.values()]
        self.fifo = team.queue == "fifo"
        #: per theme, its requests in the order of the waiting list (they share a
        #: route): ``(seq, request)`` (FIFO) or ``(rank, seq, request)`` (priority)
        self.lines: list[Any] = [deque() if self.fifo else [] for _ in themes]
        fallback = [self.names.index(n) for n in team.fallback]
        self.routes: list[tuple[int, ...]] = []
        for theme in themes:
            own = [i for i, d in enumerate(parts.values()) if not d.themes or theme in d.themes]
            self.routes.append(tuple(own + [i for i in fallback if i not in own]))

    @property
    def collective_hours_available(self) -> float:
        """Working hours per week of the disciplines that do collective work."""
        return sum(h for h, c in zip(self.hours, self.collective, strict=True) if c)

    def place(self, theme: int, weight: int, blocked: set[int] | None = None) -> int | None:
        """The discipline that takes a case of ``weight`` on ``theme`` now (skipping
        ``blocked`` ones), or None."""
        load, capacity = self.load, self.capacity
        for i in self.routes[theme]:
            if load[i] + weight <= capacity[i] and not (blocked and i in blocked):
                return i
        return None

    def any_room(self, weight: int) -> bool:
        """Some discipline could take a case of ``weight`` (of a theme it serves)."""
        return any(
            load + weight <= capacity
            for load, capacity in zip(self.load, self.capacity, strict=True)
        )

    def line_up(self, theme: int, entry: tuple[Any, ...]) -> None:
        """A request of ``theme`` joins the back of the waiting list: its entry
        ``(seq, request)`` (FIFO) or ``(rank, seq, request)`` (priority)."""
        line = self.lines[theme]
        if self.fifo:
            line.append(entry)
        else:
            heapq.heappush(line, entry)

    def take_on(self, admit: Admit, now: float) -> tuple[int, int]:
        """Take on, in the order of the waiting list, every request whose route has
        room; returns how many were taken on and how many of them had a patience
        timer (now stale). Within a discipline the order holds: a request that
        does not fit blocks the disciplines on its route for those behind it (as
        the head of the list does in a single pool), but not the other disciplines.

        The requests of a theme share a route, so the list is walked as a merge
        of the themes' lines by their order in the list: once a theme's route is
        blocked, all its requests are passed over at once. A walk then costs the
        requests taken on and the themes, not the length of the list (which, in
        an overloaded team, made every event cost the whole list).
        """
        lines, routes, fifo = self.lines, self.routes, self.fifo
        heads: list[tuple[Any, int]] = []  # (order in the list, theme) of each line's head
        for t, line in enumerate(lines):
            if self._head(line) is not None:
                heads.append((line[0][0] if fifo else line[0][:2], t))
        heapq.heapify(heads)
        blocked: set[int] = set()
        taken = stale = 0
        while heads:
            t = heapq.heappop(heads)[1]
            route = routes[t]
            if blocked.issuperset(route):
                continue  # every discipline it may go to is blocked: the whole line waits
            line = lines[t]
            request = line[0][-1]
            if not admit(request, now, blocked):
                blocked.update(route)
                continue
            line.popleft() if fifo else heapq.heappop(line)
            taken += 1
            if request.patience is not None:  # its patience timer is now stale
                stale += 1
            if self._head(line) is not None:
                heapq.heappush(heads, (line[0][0] if fifo else line[0][:2], t))
        return taken, stale

    def _head(self, line: Any) -> Request | None:
        """The first request of a theme's line still waiting (those gone are dropped)."""
        while line:
            request = line[0][-1]
            if request.status == WAITING:
                return request
            line.popleft() if self.fifo else heapq.heappop(line)
        return None

    def clear_out(self) -> None:
        """Drop the requests no longer waiting from the lines (the order stays)."""
        if self.fifo:
            self.lines = [deque(e for e in line if e[1].status == WAITING) for line in self.lines]
        else:
            self.lines = [[e for e in line if e[2].status == WAITING] for line in self.lines]
            for line in self.lines:
                heapq.heapify(line)

    def set_collective_hours(self, hours: float) -> None:
        """Take ``hours`` from the collective disciplines, in proportion to their
        hours; their ceilings shrink in proportion."""
        available = self.collective_hours_available
        share = 1.0 - hours / available if available > 0 else 1.0
        for i, slots in enumerate(self.slots):
            if self.collective[i] and not math.isinf(slots):
                self.capacity[i] = round(slots * share * THOUSANDTHS_PER_SLOT)

    @property
    def total_capacity(self) -> float:
        return math.inf if any(math.isinf(c) for c in self.capacity) else sum(self.capacity)


__all__ = ["Disciplines"]
