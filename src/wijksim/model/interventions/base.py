"""What every intervention shares, and the contract for writing your own.

An intervention type is a spec (its parameters, a
:class:`~wijksim.InterventionSpec`) paired with a subclass of
:class:`Intervention` by :func:`~wijksim.register_intervention`. The model
builds one ``Intervention(spec, model)`` per intervention in the scenario when
it starts, and acts through hooks it calls. Override only what it does:

``averting_probability(theme)``
    Chance that a potential request of ``theme`` (a name) is averted now
    (prevention thins the baseline's own potential requests).
``divert(request)``
    Take the request on instead of the team; return True if it did.
``reshape(request)``
    Change a request that reaches the team (e.g. lighter, shorter).
``on_closure(request)``
    Called when the team closes a case; returns a factor on the chance that
    the resident comes back (1.0: no change).
``weekly(week)``
    Called at the end of every week, before the week's figures are taken.
``figures()``
    Cumulative figures and areas (see :class:`Level`) for the reports.

Of the model, an intervention uses only what :class:`Team` states; it changes
the team's inflow through its methods (``refer``, ``hidden_need``), its own
participants through :attr:`Intervention.places`, and never writes the
model's fields. Draw random numbers only from ``self.stream(purpose)`` or
``self.rng(purpose)``: streams of the intervention's own, so adding it never
shifts the baseline's draws.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import simpy

from ...scenario.interventions import InterventionSpec
from ..scheduling import Callback
from .level import Level
from .team import Team
from .volunteers import THOUSANDTHS_PER_VOLUNTEER, Pool

if TYPE_CHECKING:
    from ..requests import Request


class Intervention:
    """Base class of interventions: funding dates, streams, places, counts."""

    def __init__(self, spec: InterventionSpec, model: Team):
        self.spec = spec
        self.model = model
        self.name = spec.name
        self.env = model.env
        self.themes = frozenset(spec.themes)  # the targeted themes
        # the same, as indices (Request.theme_index): asked per request, without
        # the name's property call
        self.theme_indices = frozenset(i for i, t in enumerate(model.themes) if t in self.themes)
        self.pool: Pool | None = None  # set by the model when the spec names one
        self.network: Pool | None = None  # the pool participants may join (network_pool)
        self.pauses: list[tuple[float, float]] = []  # after a tender (weeks); add with pause()
        # funded() is asked several times per request: its answer and the weeks
        # (since the model's start) in which it holds, [since, until)
        self._funded = (math.inf, -math.inf, False)
        self.availability = 1.0  # share of its team hours it gets (squeeze)
        n = len(model.themes)
        self.averted = [0] * n
        self.diverted = [0] * n
        self.started = 0  # participants who started
        self.team_hours = Level(model.env.now, spec.team_hours_per_week)
        self.places = Places(self)

    # -- hooks (override what the intervention does) -----------------------------

    averts: frozenset[str] = frozenset()  # themes it may avert
    diverts: frozenset[str] = frozenset()  # themes it may divert
    reshapes: frozenset[str] = frozenset()  # themes whose requests it may change

    _theme_keys: tuple[list[str], list[str]] | None = None

    def averting_probability(self, theme: str) -> float:
        return 0.0

    def divert(self, request: Request) -> bool:
        return False

    def reshape(self, request: Request) -> None:
        return None

    def on_closure(self, request: Request) -> float:
        return 1.0

    def weekly(self, week: int) -> None:
        return None

    def figures(self) -> dict[str, float]:
        """Cumulative figures now; the model differences them over the period."""
        now = self.env.now
        out = {
            "participants": float(self.started),
            "participant_weeks": self.places.active.area(now),
            "capacity_weeks": self.places.capacity_area(now),
            "team_hours": self.team_hours.area(now),
            "funded_weeks": self.funded_area(now),
        }
        keys = self._theme_keys
        if keys is None:  # made once: it adds up, every week of every run
            themes = self.model.themes
            keys = self._theme_keys = (
                [f"averted.{t}" for t in themes],
                [f"diverted.{t}" for t in themes],
            )
        out.update(zip(keys[0], map(float, self.averted), strict=True))
        out.update(zip(keys[1], map(float, self.diverted), strict=True))
        return out

    # -- helpers ----------------------------------------------------------------

    def start(self) -> None:
        """Called once by the model after every intervention is built and linked."""
        return None

    def stream(self, purpose: str) -> Callable[[], float]:
        """Uniform draws from this intervention's own stream for ``purpose``."""
        return self.model.streams.uniforms(f"intervention.{self.name}.{purpose}")

    def rng(self, purpose: str) -> np.random.Generator:
        """A numpy generator of this intervention's own for ``purpose``."""
        return self.model.streams.rng(f"intervention.{self.name}.{purpose}")

    @property
    def now(self) -> float:
        """Weeks since the model started."""
        return self.env.now - self.model.start

    def funded(self) -> bool:
        """Within its funding dates and not paused by a change of provider (and
        so coordinated)."""
        # self.now inlined (one property call fewer): asked several times per
        # request; simpy's clock is read through its public property (its
        # private field only in the engine's seam, scheduling.py)
        now = self.env.now - self.model.start
        since, until, funded = self._funded
        if since <= now < until:
            return funded
        return self._funded_at(now)

    def _funded_at(self, now: float) -> bool:
        """Whether funded at ``now`` (weeks since the model's start), kept with the
        weeks around it in which the answer holds: it changes only at a funding
        date or a pause's ends, and each test is ``now >= date``."""
        spec = self.spec
        funded = not (now < spec.start or (spec.stop is not None and now >= spec.stop))
        funded = funded and all(not begin <= now < end for begin, end in self.pauses)
        dates = [spec.start, *[date for pause in self.pauses for date in pause]]
        if spec.stop is not None:
            dates.append(spec.stop)
        since = max((date for date in dates if date <= now), default=-math.inf)
        until = min((date for date in dates if date > now), default=math.inf)
        self._funded = (since, until, funded)
        return funded

    def pause(self, begin: float, end: float) -> None:
        """Not coordinated from ``begin`` to ``end`` (weeks since the model's
        start): the transition after a change of provider."""
        self.pauses.append((begin, end))
        self._funded = (math.inf, -math.inf, False)  # ask again

    def funded_area(self, now: float) -> float:
        """Funded weeks from the model's start until ``now``."""
        t = now - self.model.start
        stop = t if self.spec.stop is None else min(t, self.spec.stop)
        weeks = max(0.0, stop - self.spec.start)
        for begin, end in self.pauses:
            weeks -= max(0.0, min(end, stop) - max(begin, self.spec.start))
        return weeks

    def set_availability(self, share: float) -> None:
        now = self.env.now
        self.places.capacity_area(now)  # capacity-weeks so far at the old share
        self.availability = share
        self.team_hours.set(now, self.spec.team_hours_per_week * share)

    def schedule(
        self, delay: float, callback: Callable[[simpy.Event], None], value: Any = None
    ) -> None:
        """Call ``callback(event)`` in ``delay`` weeks; ``event.value`` is ``value``.

        The event is a light timer (``value`` and ``callbacks``, as a
        ``simpy.Timeout`` has) that fires exactly where a timeout would.
        """
        if delay < 0:
            raise ValueError(f"negative delay {delay}")
        self.model.timer(delay, cast("Callback[Any]", callback), value)


class Places:
    """Participants of an intervention at the same time, within its capacity.

    The capacity is the intervention's own ``capacity`` (scaled by its share of
    team hours) and, when it has volunteers, their client slots. Volunteer
    capacity is shared: when volunteers leave and the pool is over capacity,
    the most recent participants end early, so capacity is never exceeded.
    """

    def __init__(self, intervention: Intervention):
        self.intervention = intervention
        self.active = Level(intervention.env.now)
        self._members: dict[int, int] = {}  # token -> volunteer use (thousandths)
        self._substitutes: set[int] = set()  # tokens that substitute for professional work
        self._next = 0
        self._capacity: Level | None = None  # made by link(), once the pool is known
        # client slots a participant takes of a volunteer (thousandths)
        self._use = round(THOUSANDTHS_PER_VOLUNTEER / intervention.spec.clients_per_volunteer)

    def link(self) -> None:
        """Start tracking capacity over time (when it is bounded at all)."""
        iv = self.intervention
        if iv.spec.capacity is not None or iv.pool is not None:
            self._capacity = Level(iv.env.now, self.capacity())

    def capacity(self) -> float:
        """How many participants it can have now."""
        iv = self.intervention
        limit = float("inf") if iv.spec.capacity is None else iv.spec.capacity * iv.availability
        if iv.pool is not None:
            limit = min(limit, iv.pool.size * iv.spec.clients_per_volunteer)
        return limit

    def capacity_area(self, now: float) -> float:
        """Capacity-weeks so far (nan when the capacity is unbounded)."""
        if self._capacity is None:
            return math.nan
        self._capacity.set(now, self.capacity())
        return self._capacity.area(now)

    def has_room(self) -> bool:
        iv = self.intervention
        spec = iv.spec
        if spec.capacity is not None and len(self._members) + 1 > spec.capacity * iv.availability:
            return False
        return iv.pool is None or iv.pool.has_room(self._use)

    def enter(
        self,
        duration: float,
        on_end: Callable[[int], None] | None = None,
        substitute: bool = False,
    ) -> int:
        """A participant starts for ``duration`` weeks; returns its token.

        ``substitute``: the volunteer carries what would have been professional
        casework (a heavier request), which wears volunteers out faster.
        """
        iv = self.intervention
        token = self._next
        self._next += 1
        use = self._use if iv.pool is not None else 0
        self._members[token] = use
        if iv.pool is not None:
            iv.pool.take(use, substitute)
            if substitute:
                self._substitutes.add(token)
        iv.started += 1
        self.active.set(iv.env.now, len(self._members))

        def end(event: simpy.Event) -> None:
            if self.leave(token) and on_end is not None:
                on_end(token)

        iv.schedule(duration, end)
        return token

    def leave(self, token: int) -> bool:
        """End a participation; False if it had already ended."""
        use = self._members.pop(token, None)
        if use is None:
            return False
        iv = self.intervention
        if iv.pool is not None:
            substitute = token in self._substitutes
            self._substitutes.discard(token)
            iv.pool.release(use, substitute)
        self.active.set(iv.env.now, len(self._members))
        return True

    def drop_latest(self) -> bool:
        """End the most recent participation early (volunteers left)."""
        if not self._members:
            return False
        return self.leave(max(self._members))
