"""A team of disciplines: case slots per discipline, routes per theme, and the
collective hours that only some disciplines hold.

A request goes to the first discipline on its theme's route with room: first
the disciplines that take the theme, then the team's ``fallback`` order. Slots
are counted in thousandths (as the single-pool team does), so loads return
exactly to where they were.
"""

from __future__ import annotations

import math

from ..scenario.schema import Team
from .requests import MILLI


class Disciplines:
    """Slots, loads and routes of a team given by discipline."""

    def __init__(self, team: Team, themes: tuple[str, ...]):
        parts = team.disciplines or {}
        self.names = tuple(parts)
        # slots (unrounded) and the ceiling in thousandths, as a single-pool team has them
        self.slots = [d.fte * d.caseload_ceiling_per_fte if d.fte else 0.0 for d in parts.values()]
        self.capacity = [math.inf if math.isinf(c) else round(c * MILLI) for c in self.slots]
        self.load = [0] * len(self.names)
        self.hours = [d.fte * team.hours_per_fte_per_week for d in parts.values()]
        self.collective = [d.collective for d in parts.values()]
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

    def set_collective_hours(self, hours: float) -> None:
        """Take ``hours`` from the collective disciplines, in proportion to their
        hours; their ceilings shrink in proportion."""
        available = self.collective_hours_available
        share = 1.0 - hours / available if available > 0 else 1.0
        for i, slots in enumerate(self.slots):
            if self.collective[i] and not math.isinf(slots):
                self.capacity[i] = round(slots * share * MILLI)

    @property
    def total_capacity(self) -> float:
        return math.inf if any(math.isinf(c) for c in self.capacity) else sum(self.capacity)


__all__ = ["Disciplines"]
