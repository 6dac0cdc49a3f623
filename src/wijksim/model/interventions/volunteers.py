"""Volunteer pools: recruitment, turnover, burnout, and drift once unfunded."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Protocol

from ...scenario.interventions import Burnout, InterventionSpec, VolunteerPool
from ...scenario.units import WEEKS_PER_YEAR
from .level import Level

if TYPE_CHECKING:
    from .team import Team

#: A volunteer's client slots are counted in thousandths of a volunteer, as
#: integers: one volunteer is this many (a participant of a provision with
#: ``clients_per_volunteer: 3`` takes 333 of them).
THOUSANDTHS_PER_VOLUNTEER = 1000


class Places(Protocol):
    """What a pool asks of a user's participants (:class:`~.base.Places`)."""

    def capacity_area(self, now: float) -> float:
        """Capacity-weeks so far, brought up to ``now``."""

    def drop_latest(self) -> bool:
        """End the most recent participation early; False if there was none."""


class User(Protocol):
    """What a pool asks of an intervention that names it (an
    :class:`~.base.Intervention`): its funding and hours, and its participants."""

    @property
    def spec(self) -> InterventionSpec:
        """Its parameters (its funding start)."""

    @property
    def availability(self) -> float:
        """The share of its team hours it gets."""

    @property
    def places(self) -> Places:
        """Its participants."""

    def funded(self) -> bool:
        """Within its funding dates and not paused."""


class Pool:
    """Trained volunteers shared by the interventions that name the pool.

    Updated weekly from its own stream, from its start (its own ``start``, or
    the first funding start of the interventions that use it; before that it is
    not yet there to drift away): recruits arrive (Poisson) while some
    intervention using the pool is funded and coordinated; each volunteer leaves
    with the weekly chance of the yearly turnover, raised when the pool has been
    overloaded for a while (burnout), or at the drift rate once coordination has
    stopped.
    """

    def __init__(self, name: str, spec: VolunteerPool, model: Team):
        self.name = name
        self.spec = spec
        self.model = model
        self.size = spec.size
        self.used = 0  # client slots in use, in thousandths of a volunteer
        self.substitute = 0  # of which in place of professional work
        self.users: list[User] = []
        self.rng = model.streams.rng(f"volunteers.{name}")
        self.level = Level(model.env.now, self.size)
        self.recruited = 0
        self.left = 0
        self.overloaded = 0  # weeks in a row above the burnout threshold
        self.burnout_left = 0.0  # of those who left, the burnout's part (expected)
        self._start: float | None = None  # start, once the users are known (weekly)

    @property
    def start(self) -> float:
        """Weeks from the model's start until the pool is first coordinated."""
        if self.spec.start is not None:
            return self.spec.start
        return min((iv.spec.start for iv in self.users), default=0.0)

    def has_room(self, use: int) -> bool:
        """Whether ``use`` more client slots (thousandths of a volunteer) fit."""
        return self.used + use <= self.size * THOUSANDTHS_PER_VOLUNTEER

    def take(self, use: int, substitute: bool = False) -> None:
        """A participant starts with a volunteer: ``use`` client slots (thousandths),
        ``substitute`` when it stands in for professional work."""
        self.used += use
        if substitute:
            self.substitute += use

    def release(self, use: int, substitute: bool = False) -> None:
        """A participation with a volunteer ended: ``use`` client slots free again."""
        self.used -= use
        if substitute:
            self.substitute -= use

    @property
    def occupancy(self) -> float:
        return (
            self.used / (self.size * THOUSANDTHS_PER_VOLUNTEER)
            if self.size
            else (1.0 if self.used else 0.0)
        )

    def coordinated(self) -> bool:
        """Some user is funded and has its hours, or (a pool with its own, earlier
        start) some user's funding is still to come."""
        for iv in self.users:  # a loop, not a generator: asked every week
            if iv.funded() and iv.availability > 0:
                return True
        now = self.model.now
        return any(now < iv.spec.start for iv in self.users)

    def strain(self, burnout: Burnout) -> float:
        """How much of the burnout's extra turnover applies now (0 to 1): it builds
        up over ``sustained`` weeks overloaded in a row and falls back as slowly.
        Participants who stand in for professional work weigh ``substitute_weight``
        times in the load."""
        load = self.occupancy
        if burnout.substitute_weight != 1.0 and self.size:
            load = (self.used + (burnout.substitute_weight - 1.0) * self.substitute) / (
                self.size * THOUSANDTHS_PER_VOLUNTEER
            )
        over = load > burnout.occupancy_above
        if burnout.sustained <= 0:
            return 1.0 if over else 0.0
        self.overloaded = self.overloaded + 1 if over else max(0, self.overloaded - 1)
        self.overloaded = min(self.overloaded, math.ceil(burnout.sustained))
        return min(1.0, self.overloaded / burnout.sustained)

    def weekly(self) -> None:
        spec = self.spec
        start = self._start
        if start is None:  # the users are all known once the run is under way
            start = self._start = self.start
        now = self.model.env.now
        if now - self.model.start < start:  # self.model.now
            return  # not yet recruited and coordinated: nobody to drift away
        burnout = spec.burnout
        extra = 0.0
        if self.coordinated():
            rate = spec.recruitment_per_year / WEEKS_PER_YEAR
            if burnout is not None and burnout.recruitment_follows_size and spec.size > 0:
                rate *= min(1.0, self.size / spec.size)  # word of mouth
            recruits = int(self.rng.poisson(rate))
            hazard = spec.turnover_per_year
            if burnout is not None:
                strain = self.strain(burnout)
                if strain > 0:
                    extra = burnout.extra_turnover_per_year * strain
                    hazard += extra
        else:
            recruits, hazard = 0, spec.drift_after_stop_per_year
        leaving = int(self.rng.binomial(self.size, -math.expm1(-hazard / WEEKS_PER_YEAR)))
        if extra > 0 and hazard > 0:  # the burnout's part of those who left, in expectation
            self.burnout_left += leaving * extra / hazard
        if recruits or leaving:
            self._resize(recruits, leaving)
        else:  # most weeks: the users' capacity-weeks are brought up to now by the
            # model's weekly tick right after (the same sum, in the same pieces)
            self.level.set(now, self.size)

    def lose(self, share: float) -> None:
        """A share of the volunteers leaves at once (a change of provider)."""
        if share <= 0 or self.size <= 0:
            return
        leaving = int(
            self.model.streams.rng(f"volunteers.{self.name}.tender").binomial(self.size, share)
        )
        self._resize(0, leaving)

    def join(self, volunteers: int = 1) -> None:
        """New volunteers from elsewhere (participants who go on to support others)."""
        self._resize(volunteers, 0)

    def _resize(self, recruits: int, leaving: int) -> None:
        for iv in self.users:  # capacity-weeks up to now at the old size
            iv.places.capacity_area(self.model.env.now)
        self.size += recruits - leaving
        self.recruited += recruits
        self.left += leaving
        self.level.set(self.model.env.now, self.size)
        self._fit()

    def _fit(self) -> None:
        """Over capacity after volunteers left: the latest participations end early."""
        while self.used > self.size * THOUSANDTHS_PER_VOLUNTEER:
            if not any(iv.places.drop_latest() for iv in self.users):
                break

    def figures(self) -> dict[str, float]:
        now = self.model.env.now
        return {
            "volunteers": float(self.size),
            "volunteer_weeks": self.level.area(now),
            "recruited": float(self.recruited),
            "left": float(self.left),
            "left_burnout": float(self.burnout_left),
        }
