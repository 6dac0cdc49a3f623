"""The built-in interventions, each modelled on a real Dutch provision.

Each class here runs one built-in spec of :mod:`wijksim.scenario.interventions`,
where the pair is registered (by the same call as a user's own type, naming the
class by where it is: a scenario is validated without importing the engine).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable
from typing import cast

import simpy

from ...scenario.interventions import (
    BuddyProgramme,
    FrontDoor,
    GroupCourse,
    GroupTrajectory,
    ResidentInitiative,
    VisitingService,
    WarmHandover,
)
from ...scenario.units import WEEKS_PER_MONTH, WEEKS_PER_YEAR
from ..requests import Request
from .base import Intervention
from .team import Team


class Protecting(Intervention):
    """Participants who ask for help less on the targeted themes for a while.

    A potential request comes from a random resident; it is averted when that
    resident is protected and the effect applies: with probability
    ``protected * relative_risk * effect / residents``.
    """

    spec: VisitingService | GroupCourse

    def __init__(self, spec: VisitingService | GroupCourse, model: Team):
        super().__init__(spec, model)
        self.protected = 0
        residents = model.scenario.neighbourhood.residents
        self._per_protected = spec.relative_risk * spec.effect / residents if residents else 0.0
        if self._per_protected > 0:
            self.averts = self.themes

    def averting_probability(self, theme: str) -> float:
        return self.protected * self._per_protected

    def protect(self, period: float) -> None:
        self.protected += 1
        self.schedule(period, self._unprotect)

    def _unprotect(self, event: simpy.Event) -> None:
        self.protected -= 1


class VisitingServiceModel(Protecting):
    """Bezoekdienst: after a widowing, visits are offered within a window; a
    share takes them up if a volunteer is free; the high-risk share benefits."""

    spec: VisitingService

    def start(self) -> None:
        spec = self.spec
        residents = self.model.scenario.neighbourhood.residents
        self._events_per_week = residents / 1000 * spec.trigger_per_1000 / WEEKS_PER_YEAR
        self._gap = self.rng("events")
        self._offer = self.rng("offer")
        self._uptake = self.stream("uptake")
        self._risk = self.stream("high_risk")
        self.missed = 0
        if self._events_per_week > 0:
            self.schedule(self._gap.exponential(1 / self._events_per_week), self._event)

    def _event(self, event: simpy.Event) -> None:
        window = self.spec.eligibility_window
        self.schedule(self._offer.uniform(window.min, window.max), self._offer_visits)
        self.schedule(self._gap.exponential(1 / self._events_per_week), self._event)

    def _offer_visits(self, event: simpy.Event) -> None:
        if not self.funded() or self._uptake() >= self.spec.uptake:
            return
        if not self.places.has_room():
            self.missed += 1
            return
        self.places.enter(self.spec.visit_period)
        if self._risk() < self.spec.high_risk_share:
            self.protect(self.spec.effect_period)

    def figures(self) -> dict[str, float]:
        figures = super().figures()
        visits = figures["participant_weeks"] * self.spec.visits_per_month / WEEKS_PER_MONTH
        return {**figures, "missed": float(self.missed), "visits": visits}


class Cohorts(Intervention):
    """Groups that start at a steady rhythm while funded: the size is drawn, and
    smaller when the facilitator has fewer team hours; :meth:`_join` takes one
    participant in, :meth:`_formed` hears how many joined."""

    spec: GroupCourse | GroupTrajectory

    def _start_cohorts(self) -> None:
        spec = self.spec
        self._size = self.rng("cohort_size")
        self.cohorts = 0
        if spec.cohorts_per_year > 0:
            self._every = WEEKS_PER_YEAR / spec.cohorts_per_year
            self.schedule(max(spec.start, 0.0), self._cohort)

    def _cohort(self, event: simpy.Event) -> None:
        spec = self.spec
        if self.funded() and self.availability > 0:
            size = int(self._size.integers(spec.cohort_size.min, spec.cohort_size.max + 1))
            size = round(size * self.availability)  # fewer facilitator hours, smaller groups
            joined = 0
            while joined < size and self.places.has_room():
                self._join()
                joined += 1
            self._formed(joined)
            self.cohorts += joined > 0
        if spec.stop is None or self.now + self._every < spec.stop:
            self.schedule(self._every, self._cohort)

    def _join(self) -> None:  # pragma: no cover - every user overrides
        raise NotImplementedError

    def _formed(self, joined: int) -> None:
        return None


class GroupCourseModel(Cohorts, Protecting):
    """Grip & Glans: cohorts start at a steady rhythm while funded, filled first
    by referrals from the team, then by recruitment from the target group."""

    spec: GroupCourse

    def start(self) -> None:
        spec = self.spec
        self._refer = self.stream("referral")
        self._network = self.stream("network")
        self.referred = 0  # waiting for the next cohort
        self._length = spec.sessions * spec.session_interval + (spec.return_session_after or 0.0)
        self._start_cohorts()

    def _join(self) -> None:
        spec = self.spec
        self.places.enter(self._length)
        period = spec.effect_period
        if self._network() < spec.network_share:
            period = max(period, spec.network_effect_period)
        self.protect(period)

    def _formed(self, joined: int) -> None:
        self.referred = max(0, self.referred - joined)

    def on_closure(self, request: Request) -> float:
        if (
            request.theme_index in self.theme_indices
            and self.funded()
            and self._refer() < self.spec.referral_share
        ):
            self.referred += 1
        return 1.0

    def figures(self) -> dict[str, float]:
        return {**super().figures(), "cohorts": float(self.cohorts)}


class GroupTrajectoryModel(Cohorts):
    """Wijkacademie Opvoeden: cohorts that run for months with a facilitator.

    A participant's requests on the themes fall by ``effect`` while the
    trajectory runs; afterwards the effect lasts and fades with the half-life
    (``effect * 0.5 ** (weeks since / half_life)``). Participants not known to
    the team have their own relative risk. At the end a share goes on to support
    others: they join the ``network_pool``.
    """

    spec: GroupTrajectory

    def start(self) -> None:
        spec = self.spec
        residents = self.model.scenario.neighbourhood.residents
        self._per_risk = spec.effect / residents if residents else 0.0
        self._unknown = self.stream("unknown")
        self._network = self.stream("network")
        self.active_risk = 0.0  # summed relative risk of the participants now in a group
        self._after = 0.0  # summed relative risk of former participants, as of _after_at
        self._after_at = self.now
        self.reached_unknown = 0
        self.joined_volunteers = 0
        if self._per_risk > 0:
            self.averts = self.themes
        self._start_cohorts()

    def lasting(self) -> float:
        """Former participants' summed relative risk, weighted by their faded effect."""
        if not self._after:
            return 0.0
        return self._after * 0.5 ** ((self.now - self._after_at) / self.spec.half_life)

    def averting_probability(self, theme: str) -> float:
        return (self.active_risk + self.lasting()) * self._per_risk

    def _join(self) -> None:
        spec = self.spec
        risk = spec.relative_risk
        if self._unknown() < spec.unknown_share:
            risk = spec.unknown_relative_risk
            self.reached_unknown += 1
        self.places.enter(spec.length)
        self.active_risk += risk
        self.schedule(spec.length, self._finish, risk)  # the effect outlasts any place

    def _finish(self, event: simpy.Event) -> None:
        risk = cast(float, event.value)
        self._after = self.lasting() + risk
        self._after_at = self.now
        self.active_risk = max(0.0, self.active_risk - risk)
        if self._network() < self.spec.network_share and self.network is not None:
            self.network.join()
            self.joined_volunteers += 1

    def figures(self) -> dict[str, float]:
        return {
            **super().figures(),
            "cohorts": float(self.cohorts),
            "reached_unknown": float(self.reached_unknown),
            "joined_volunteers": float(self.joined_volunteers),
        }


class BuddyProgrammeModel(Intervention):
    """SchuldHulpMaatje: at the front door a share of requests on the themes is
    offered a volunteer buddy; with no buddy free, the team takes it. Buddies
    refer a share on to the team when their trajectory ends."""

    spec: BuddyProgramme

    def start(self) -> None:
        self._offer = self.stream("offer")
        self._refer = self.stream("referral")
        self._trajectory = self.spec.trajectory.draws(self.rng("trajectory"))
        self.referrals = 0
        if self.spec.diversion_share > 0:
            self.diverts = self.themes

    def divert(self, request: Request) -> bool:
        if not self.funded() or self._offer() >= self.spec.diversion_share:
            return False
        if not self.places.has_room():
            return False
        self.places.enter(self._trajectory(), self._ended(request), request.severity_index > 0)
        return True

    def _ended(self, request: Request) -> Callable[[int], None]:
        def refer(token: int) -> None:
            if self._refer() < self.spec.referral_share:
                self.referrals += 1
                self.model.refer(request.theme, request.severity)

        return refer

    def figures(self) -> dict[str, float]:
        return {**super().figures(), "referred_to_team": float(self.referrals)}


class FrontDoorModel(Intervention):
    """Volunteers as the front door: a request on the themes first comes to the
    platform and takes a place there for the time at the door. A share is
    resolved nearby (diverted); a share is referred up with a warm referral after
    its time at the door (a shorter intake, and a share one severity lighter: a
    clearer question); the rest goes to the team as before. A full door, or one
    not funded, sends requests straight to the team."""

    spec: FrontDoor

    def start(self) -> None:
        self._door = self.stream("door")
        self._lighter = self.stream("lighter")
        self.resolved = 0
        self.referred_up = 0
        self.full = 0
        self.diverts = self.themes

    def divert(self, request: Request) -> bool:
        if not self.funded():
            return False
        if not self.places.has_room():
            self.full += 1
            return False
        spec = self.spec
        u = self._door()
        resolved = u < spec.resolved_share  # a heavier one resolved stands in for the team
        self.places.enter(spec.time_at_door, substitute=resolved and request.severity_index > 0)
        if resolved:
            self.resolved += 1
            return True
        if u < spec.resolved_share + spec.referred_share:
            self.referred_up += 1
            # referred whatever happens to the volunteer's place meanwhile
            self.schedule(spec.time_at_door, self._refer_up, request)
            return True
        return False

    def _refer_up(self, event: simpy.Event) -> None:
        request = cast(Request, event.value)
        severities = self.model.scenario.severities
        severity = request.severity_index
        if severity > 0 and self._lighter() < self.spec.lighter_share:
            severity -= 1
        self.model.refer(request.theme, severities[severity], self.spec.intake_factor)

    def figures(self) -> dict[str, float]:
        return {
            **super().figures(),
            "resolved": float(self.resolved),
            "referred_up": float(self.referred_up),
            "door_full": float(self.full),
        }


class ResidentInitiativeModel(Intervention):
    """Coffee mornings and neighbours who notice: a share of requests comes in
    earlier and lighter, a small share is averted, and hidden need may surface
    as extra requests at first. Its strength follows its volunteers."""

    spec: ResidentInitiative

    def start(self) -> None:
        spec = self.spec
        model = self.model
        self._lighter = self.stream("lighter")
        self._prevent = {t: p for t, p in spec.prevention.items() if p > 0}
        self.averts = frozenset(self._prevent)
        if spec.lighter_share > 0:
            self.reshapes = self.themes
        self.made_lighter = 0
        self.hidden = 0
        need = spec.hidden_need
        if need is not None and need.extra_share > 0 and self.themes:
            hood = model.scenario.neighbourhood
            rates = [
                hood.residents / 1000 * hood.themes[t].requests_per_1000 / WEEKS_PER_YEAR
                for t in spec.themes
            ]
            self._hidden_cumulative = list(itertools.accumulate(rates))
            self._hidden_max = need.extra_share * sum(rates)
            self._hidden_gap = self.rng("hidden_need")
            self._hidden_u = self.stream("hidden_need.accept")
            if self._hidden_max > 0:
                self.schedule(spec.start + self._next_hidden(), self._hidden_need)

    def strength(self) -> float:
        """1 when funded with the volunteers it needs; less with fewer."""
        if not self.funded():
            return 0.0
        needed = self.spec.volunteers_needed
        if self.pool is None or needed <= 0:
            return self.availability
        return self.availability * min(1.0, self.pool.size / needed)

    def averting_probability(self, theme: str) -> float:
        return self._prevent.get(theme, 0.0) * self.strength()

    def reshape(self, request: Request) -> None:
        if self._lighter() < self.spec.lighter_share * self.strength():
            request.make_lighter(self.spec.duration_factor)
            self.made_lighter += 1

    def _next_hidden(self) -> float:
        return self._hidden_gap.exponential(1 / self._hidden_max)

    def _hidden_need(self, event: simpy.Event) -> None:
        """Extra requests, fading with the half-life (thinning of a Poisson stream)."""
        need = self.spec.hidden_need
        if need is None or not self.funded():
            return
        fading = 0.5 ** ((self.now - self.spec.start) / need.half_life)
        if self._hidden_u() < fading * self.strength():
            u = self._hidden_gap.random() * self._hidden_cumulative[-1]
            name = self.spec.themes[bisect.bisect_right(self._hidden_cumulative, u)]
            self.hidden += 1
            self.model.hidden_need(name)
        self.schedule(self._next_hidden(), self._hidden_need)

    def figures(self) -> dict[str, float]:
        return {
            **super().figures(),
            "made_lighter": float(self.made_lighter),
            "hidden_need": float(self.hidden),
        }


class WarmHandoverModel(Intervention):
    """Step-down: a share of closed cases is handed to a volunteer (if one is
    free), which lowers the chance that the resident comes back."""

    spec: WarmHandover

    def start(self) -> None:
        self._handover = self.stream("handover")
        self._factor = 1.0 - self.spec.recurrence_reduction

    def on_closure(self, request: Request) -> float:
        if self.themes and request.theme_index not in self.theme_indices:
            return 1.0
        if not self.funded() or self._handover() >= self.spec.handover_share:
            return 1.0
        if not self.places.has_room():
            return 1.0
        self.places.enter(self.spec.support_period)
        return self._factor
