"""Volunteer pools: recruitment, turnover, burnout, and drift once unfunded."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ...scenario.interventions import VolunteerPool
from ...scenario.units import WEEKS_PER_YEAR
from .base import MILLI, Level, Team

if TYPE_CHECKING:
    from .base import Intervention


class Pool:
    """Trained volunteers shared by the interventions that name the pool.

    Updated weekly from its own stream: recruits arrive (Poisson) while some
    intervention using the pool is funded and coordinated; each volunteer leaves
    with the weekly chance of the yearly turnover, raised when the pool is
    overloaded (burnout), or at the drift rate once coordination has stopped.
    """

    def __init__(self, name: str, spec: VolunteerPool, model: Team):
        self.name = name
        self.spec = spec
        self.model = model
        self.size = spec.size
        self.used = 0  # client slots in use, in thousandths of a volunteer
        self.users: list[Intervention] = []
        self.rng = model.streams.rng(f"volunteers.{name}")
        self.level = Level(model.env.now, self.size)
        self.recruited = 0
        self.left = 0

    def has_room(self, use: int) -> bool:
        """Whether ``use`` more client slots (thousandths of a volunteer) fit."""
        return self.used + use <= self.size * MILLI

    def take(self, use: int) -> None:
        """A participant starts with a volunteer: ``use`` client slots (thousandths)."""
        self.used += use

    def release(self, use: int) -> None:
        """A participation with a volunteer ended: ``use`` client slots free again."""
        self.used -= use

    @property
    def occupancy(self) -> float:
        return self.used / (self.size * MILLI) if self.size else (1.0 if self.used else 0.0)

    def coordinated(self) -> bool:
        return any(iv.funded() and iv.availability > 0 for iv in self.users)

    def weekly(self) -> None:
        spec = self.spec
        if self.coordinated():
            recruits = int(self.rng.poisson(spec.recruitment_per_year / WEEKS_PER_YEAR))
            hazard = spec.turnover_per_year
            if spec.burnout is not None and self.occupancy > spec.burnout.occupancy_above:
                hazard += spec.burnout.extra_turnover_per_year
        else:
            recruits, hazard = 0, spec.drift_after_stop_per_year
        leaving = int(self.rng.binomial(self.size, -math.expm1(-hazard / WEEKS_PER_YEAR)))
        for iv in self.users:  # capacity-weeks up to now at the old size
            iv.places.capacity_area(self.model.env.now)
        self.size += recruits - leaving
        self.recruited += recruits
        self.left += leaving
        self.level.set(self.model.env.now, self.size)
        self._fit()

    def _fit(self) -> None:
        """Over capacity after volunteers left: the latest participations end early."""
        while self.used > self.size * MILLI:
            if not any(iv.places.drop_latest() for iv in self.users):
                break

    def figures(self) -> dict[str, float]:
        now = self.model.env.now
        return {
            "volunteers": float(self.size),
            "volunteer_weeks": self.level.area(now),
            "recruited": float(self.recruited),
            "left": float(self.left),
        }
