"""How much work a scenario asks for, estimated before running it.

A valid scenario can still be absurd (a billion residents, a horizon of ten
thousand years): such a run would never end or would fill memory. The estimate
counts scheduled events; above :data:`MAX_EVENTS` a run is refused in words,
naming the parameter that makes it so, unless the caller insists (``--force``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .problems import Problem, ScenarioError
from .schema import Scenario
from .steady import closure_rates
from .units import WEEKS_PER_YEAR

#: Events one run may schedule without ``--force`` (about a minute's work, or more).
MAX_EVENTS = 50_000_000
#: Events per request: arrival, closure, and a share for patience and recurrence.
EVENTS_PER_REQUEST = 3.0


@dataclass(frozen=True)
class Work:
    """The estimated work of one run: events by cause, and the largest cause."""

    requests: float
    initial: float
    weeks: float
    returns: float = 0.0  # returns on their way at the start, drawn one by one

    @property
    def events(self) -> float:
        return EVENTS_PER_REQUEST * (self.requests + self.initial) + self.weeks + self.returns

    @property
    def cause(self) -> str:
        """The parameter(s) behind the largest share of the work."""
        parts = {
            "neighbourhood.residents and themes.*.requests_per_1000 over the horizon": (
                EVENTS_PER_REQUEST * self.requests
            ),
            "initial_state.caseload and initial_state.waiting_list": (
                EVENTS_PER_REQUEST * self.initial
            ),
            "horizon": self.weeks,
            "team.recurrence.delay (returns on their way at the start)": self.returns,
        }
        return max(parts, key=parts.__getitem__)


def estimate_work(scenario: Scenario) -> Work:
    """Requests, initial cases and weekly snapshots of one run of ``scenario``."""
    hood = scenario.neighbourhood
    per_year = 0.0
    for theme in hood.themes.values():
        profile = theme.monthly_profile
        peak = max(profile) / (sum(profile) / len(profile)) if profile and sum(profile) else 1.0
        per_year += hood.residents / 1000.0 * theme.requests_per_1000 * peak
    init = scenario.initial_state
    initial = init.caseload + init.waiting_list + len(init.rows)
    requests = per_year * scenario.horizon / WEEKS_PER_YEAR
    return Work(requests, initial, scenario.horizon, _returns(scenario))


def _returns(scenario: Scenario) -> float:
    """Returns on their way at the start (all of them are drawn, as
    ``model/initial.py`` does): cases closing per week before the run, times
    probability and mean delay."""
    recurrence, init = scenario.team.recurrence, scenario.initial_state
    if recurrence is None or not init.pending_returns:
        return 0.0
    return sum(closure_rates(scenario)) * recurrence.probability * recurrence.delay.mean()


def check_work(scenario: Scenario, *, force: bool = False, source: str = "<scenario>") -> Work:
    """The work estimate; a :class:`ScenarioError` above :data:`MAX_EVENTS` unless ``force``."""
    work = estimate_work(scenario)
    if work.events > MAX_EVENTS and not force:
        message = (
            f"a run would take about {work.events:.2g} events (at most {MAX_EVENTS:.0e} "
            f"without --force, or force=True in Python), because of {work.cause}"
        )
        raise ScenarioError([Problem(source, None, "", message)])
    return work
