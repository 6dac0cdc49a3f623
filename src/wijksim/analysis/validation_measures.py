"""How the model's value of a cited figure is found: the :class:`Check` of one
figure and the measures the checks use (see :mod:`wijksim.analysis.validation`,
which runs them, and :mod:`wijksim.analysis.validation_checks`, which lists them).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from scipy import optimize

from ..scenario import Scenario
from ..scenario.steady import entry_rates
from ..scenario.units import WEEKS_PER_MONTH, WEEKS_PER_YEAR

#: "About x" is met within this share of x.
ABOUT = 0.15

#: What a simulated measure sees of one replication: the summary after the
#: warm-up and the figures per intervention (both as ``wijksim.simulate``
#: gives them).
Replication = tuple[Mapping[str, float], Mapping[str, Mapping[str, Any]]]


@dataclass(frozen=True)
class Check:
    """One cited figure and how the model's value is found.

    ``measure`` takes the scenario (``analytic``, ``parameter``) or the
    scenario and one replication (``simulated``). ``departure`` states why the
    scenario departs from the cited figure on purpose; empty, it must
    reproduce it.
    """

    id: str
    figure: str
    scenario: str
    anchor: str
    cited: str
    low: float
    high: float
    unit: str
    how: str
    measure: Callable[..., float]
    departure: str = ""


def about(value: float) -> tuple[float, float]:
    """The tolerance of a cited "about ``value``"."""
    return value * (1 - ABOUT), value * (1 + ABOUT)


# -- measures: analytic ---------------------------------------------------------


def _entry_mix(scenario: Scenario) -> list[tuple[float, Any, str]]:
    """(weight, duration distribution, severity) of the cases that enter care.

    New requests by theme and severity, less those settled at intake, and the
    returns they bring: a share ``p`` of closed cases comes back on the same
    theme with a fresh severity, never settled at intake, so each new case
    that enters brings ``p / (1 - p)`` returns in the long run. Those who give
    up waiting (and bring no returns) and escalation while waiting (a few
    percent moved one severity up) are left out.
    """
    cells, rates = entry_rates(scenario)
    recurrence = scenario.team.recurrence
    p = recurrence.probability if recurrence is not None else 0.0
    returns = [0.0] * len(scenario.themes)
    for (t, _), rate in zip(cells, rates, strict=True):
        returns[t] += rate * p / (1 - p) if p < 1 else math.inf
    themes, severities = scenario.themes, scenario.severities
    weights = [
        rate + returns[t] * scenario.severity_mix(themes[t])[severities[s]]
        for (t, s), rate in zip(cells, rates, strict=True)
    ]
    total = sum(weights)
    return [
        (weight / total, scenario.duration(themes[t], severities[s]), severities[s])
        for (t, s), weight in zip(cells, weights, strict=True)
        if weight > 0
    ]


def _cdf(dist: Any, weeks: float) -> float:
    """P(duration <= weeks) for a duration distribution (NaN for resampled ones)."""
    if dist.dist == "fixed":
        return float(weeks >= dist.value)
    if dist.dist == "exponential":
        return -math.expm1(-weeks / dist.mean())
    if dist.dist == "empirical":
        return math.nan
    return float(dist.frozen().cdf(weeks))


def duration_median_months(scenario: Scenario) -> float:
    """Median case duration of the mixture of cases entering care, months."""
    mix = [(w, d) for w, d, _ in _entry_mix(scenario)]

    def below(x: float) -> float:
        return sum(w * _cdf(d, x) for w, d in mix) - 0.5

    at_zero = below(0.0)
    if math.isnan(at_zero) or at_zero >= 0:
        return math.nan if math.isnan(at_zero) else 0.0
    return optimize.brentq(below, 0.0, 100 * WEEKS_PER_YEAR) / WEEKS_PER_MONTH


def duration_mean_months(scenario: Scenario) -> float:
    """Mean case duration of the mixture of cases entering care, months."""
    return sum(w * d.mean() for w, d, _ in _entry_mix(scenario)) / WEEKS_PER_MONTH


def duration_share_over_a_year(scenario: Scenario) -> float:
    """Share of the cases entering care that last longer than a year."""
    return sum(w * (1 - _cdf(d, WEEKS_PER_YEAR)) for w, d, _ in _entry_mix(scenario))


def trajectory_hours(severity: str) -> Callable[[Scenario], float]:
    """Professional hours of a case of ``severity``: its intake plus its weekly
    contact hours over its mean duration (over themes, as cases enter)."""

    def hours(scenario: Scenario) -> float:
        cells = [(w, d) for w, d, s in _entry_mix(scenario) if s == severity]
        weeks = sum(w * d.mean() for w, d in cells) / sum(w for w, _ in cells)
        team = scenario.team
        return intake_hours(scenario) + team.contact_hours_per_week[severity] * weeks

    return hours


def intake_hours(scenario: Scenario) -> float:
    """Professional hours of an intake (information and advice)."""
    return scenario.team.intake_time * 7 * 24


def team_hour(scenario: Scenario) -> float:
    """Euro per professional hour."""
    return scenario.costs.team_hour


def _intervention(scenario: Scenario, kind: str) -> Any:
    found = [iv for iv in scenario.interventions if iv.type == kind]
    if not found:
        raise LookupError(f"{scenario.name}: no {kind} intervention")
    return found[0]


def declared_outcome_share(kind: str, payer: str) -> Callable[[Scenario], float]:
    """The share of participants of the ``kind`` of provision that have the
    outcome gained by ``payer``, as declared (NaN when none is declared)."""

    def share(scenario: Scenario) -> float:
        outcomes = _intervention(scenario, kind).outcomes
        found = [o.share for o in outcomes if o.per == "participant" and o.payer == payer]
        return found[0] if found else math.nan

    return share


# -- measures: simulated (one replication) -------------------------------------------


def _years(summary: Mapping[str, float]) -> float:
    return summary["weeks"] / WEEKS_PER_YEAR


def requests_per_1000(scenario: Scenario, run: Replication) -> float:
    """Requests reaching the team (new and returning) per 1,000 residents a year."""
    summary, _ = run
    return summary["requests"] / _years(summary) / scenario.neighbourhood.residents * 1000


def summary_figure(key: str) -> Callable[[Scenario, Replication], float]:
    """A figure of the run's summary as it is (``mean_wait_weeks``, ...)."""
    return lambda scenario, run: run[0][key]


def share_of_requests(key: str) -> Callable[[Scenario, Replication], float]:
    """A count of the run's summary as a share of the requests reaching the team."""
    return lambda scenario, run: run[0][key] / run[0]["requests"]


def households_per_volunteer(scenario: Scenario, run: Replication) -> float:
    """Households a buddy supports in a year: those in support as the year
    starts and those who start in it (a year's count of households
    supported), per volunteer in the pool."""
    summary, figures = run
    name = _intervention(scenario, "buddy_programme").name
    fig = figures[name]
    started = fig["participants"] / _years(summary)
    volunteers = fig["mean_volunteers"]
    return (fig["mean_participants"] + started) / volunteers if volunteers else math.nan


def uptake_among_eligible(scenario: Scenario, run: Replication) -> float:
    """Share of the recently widowed who take up the visits: the share willing
    (``uptake``) times the share of those who found a volunteer free. (Taken
    from the run's participants and missed offers rather than over all
    widowings, it carries no noise of who happened to be willing.)"""
    spec = _intervention(scenario, "visiting_service")
    fig = run[1][spec.name]
    willing = fig["participants"] + fig["missed"]
    return spec.uptake * fig["participants"] / willing if willing else math.nan


def group_size(scenario: Scenario, run: Replication) -> float:
    """Participants per group of the group course."""
    fig = run[1][_intervention(scenario, "group_course").name]
    return fig["participants"] / fig["cohorts"]
