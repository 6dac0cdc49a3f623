"""The collective side of a scenario: interventions, volunteer pools and the
team's hours for collective work (and the squeeze that takes them back)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import simpy

from ...scenario.interventions import Tender
from ..requests import Request
from .base import Intervention
from .level import Level
from .registry import model_class
from .volunteers import Pool

if TYPE_CHECKING:
    from ..host import Host as WijkteamModel  # what it uses of the model (no import circle)


class Collective:
    """Runs the interventions and pools of one model and is its front door.

    Prevention thins the baseline's own potential requests: per theme one
    uniform draw from ``prevention.<theme>`` is compared with the interventions'
    averting probabilities stacked in scenario order. Zero effect means a zero
    probability, so nothing changes: the run equals the baseline bit for bit.
    """

    def __init__(self, model: WijkteamModel):
        self.model = model
        scenario = model.scenario
        now = model.env.now
        self.pools = {name: Pool(name, spec, model) for name, spec in scenario.volunteers.items()}
        self.interventions = [model_class(spec)(spec, model) for spec in scenario.interventions]
        for iv in self.interventions:
            if iv.spec.volunteers is not None:
                iv.pool = self.pools[iv.spec.volunteers]
                iv.pool.users.append(iv)
            network = getattr(iv.spec, "network_pool", None)
            if network is not None:
                iv.network = self.pools[network]
        self._plan_tenders(scenario.tenders)
        for iv in self.interventions:
            iv.places.link()
            iv.start()
        # per theme index, the interventions acting on it, in scenario order
        themes = self._themes = model.themes
        self._preventers = [[iv for iv in self.interventions if t in iv.averts] for t in themes]
        self._diverters = [[iv for iv in self.interventions if t in iv.diverts] for t in themes]
        self._reshapers = [[iv for iv in self.interventions if t in iv.reshapes] for t in themes]
        self._closers = [
            iv for iv in self.interventions if type(iv).on_closure is not Intervention.on_closure
        ]
        self._prevent_u = [model.streams.uniforms(f"prevention.{name}") for name in model.themes]
        # a team can give only the hours of the disciplines that do collective work
        planned = scenario.team.collective_hours_per_week
        self.planned = min(planned, model.collective_hours_available)
        self.squeezed = False
        self.hours = Level(now, self.planned)
        self.squeezed_weeks = Level(now, 0.0)
        self._apply_hours()

    # -- the front door ------------------------------------------------------------

    def front_door(self, request: Request, prevention: bool = True) -> bool:
        """Avert or divert a potential request (True), or let it through (False).

        Without ``prevention`` (a request that has already arisen, fed in from
        outside) it only meets the provisions that divert or reshape requests.
        """
        t = request.theme_index
        preventers = self._preventers[t] if prevention else None
        if preventers:
            u = self._prevent_u[t]()
            theme = self._themes[t]
            stacked = 0.0
            for iv in preventers:
                stacked += iv.averting_probability(theme)
                if u < stacked:
                    iv.averted[t] += 1
                    self.model.avert(request)
                    return True
        for iv in self._diverters[t]:
            if iv.divert(request):
                iv.diverted[t] += 1
                self.model.divert(request)
                return True
        for iv in self._reshapers[t]:
            iv.reshape(request)
        return False

    def on_closure(self, request: Request) -> float:
        """Factor on the chance of coming back, from every intervention."""
        factor = 1.0
        for iv in self._closers:
            factor *= iv.on_closure(request)
        return factor

    # -- tenders ------------------------------------------------------------------------

    def _plan_tenders(self, tenders: tuple[Tender, ...]) -> None:
        """At a change of provider the provisions pause for the transition and their
        volunteer pools lose a share at once."""
        for tender in tenders:
            chosen = [
                iv
                for iv in self.interventions
                if not tender.interventions or iv.name in tender.interventions
            ]
            for iv in chosen:
                if tender.transition > 0:
                    iv.pause(tender.at, tender.at + tender.transition)
            pools = list({id(iv.pool): iv.pool for iv in chosen if iv.pool is not None}.values())
            if pools and tender.volunteers_lost > 0:
                delay = max(0.0, tender.at - self.model.now)
                event = self.model.env.timeout(delay, (pools, tender.volunteers_lost))
                event.callbacks.append(self._change_provider)

    def _change_provider(self, event: simpy.Event) -> None:
        pools, share = cast("tuple[list[Pool], float]", event.value)
        for pool in pools:
            pool.lose(share)

    # -- weekly: volunteers and the squeeze --------------------------------------------

    def weekly(self, week: int) -> None:
        for pool in self.pools.values():
            pool.weekly()
        squeeze = self.model.scenario.team.squeeze
        if squeeze is not None:
            waiting = self.model.waiting
            if not self.squeezed and waiting > squeeze.waiting_list_above:
                self.squeezed = True
            elif self.squeezed and waiting < squeeze.release_below:
                self.squeezed = False
        self._apply_hours()  # the squeeze, or funding, may have started or stopped
        for iv in self.interventions:
            iv.weekly(week)

    def _apply_hours(self) -> None:
        """Share the collective hours among the funded interventions that need them;
        hours that no funded intervention needs go back to casework."""
        # (every week: each intervention's funding asked once)
        hours = [iv.spec.team_hours_per_week if iv.funded() else 0.0 for iv in self.interventions]
        needed = sum(h for h in hours if h)  # the funded ones' hours, in scenario order
        in_use = 0.0 if self.squeezed else self.planned
        if self.interventions:
            in_use = min(in_use, needed)
        share = min(1.0, in_use / needed) if needed > 0 else 0.0
        for iv, funded_hours in zip(self.interventions, hours, strict=True):
            if iv.spec.team_hours_per_week > 0:
                new = share if funded_hours else 0.0
                if new != iv.availability:
                    iv.set_availability(new)
        now = self.model.env.now
        self.hours.set(now, in_use)
        self.squeezed_weeks.set(now, 1.0 if self.squeezed else 0.0)
        if in_use != self.model.collective_hours:
            self.model.set_collective_hours(in_use)

    # -- figures ---------------------------------------------------------------------------

    def accrue(self, now: float) -> None:
        """Bring the areas that move with the capacity up to ``now`` (as
        :meth:`figures` does), without building the figures."""
        for iv in self.interventions:
            iv.places.capacity_area(now)

    def figures(self) -> dict:
        now = self.model.env.now
        return {
            "collective_hours": self.hours.area(now),
            "squeezed_weeks": self.squeezed_weeks.area(now),
            "interventions": {iv.name: iv.figures() for iv in self.interventions},
            "pools": {name: pool.figures() for name, pool in self.pools.items()},
        }
