"""Do the shipped scenarios reproduce the figures they cite?

Each :class:`Check` names a figure that a scenario's comments or the sources
page (``docs/sources.md``) cite, the tolerance within which the model must
give it, and how the model's value is found:

``analytic``
    computed exactly from the scenario (the duration mixture over the cases
    that enter care, contact hours per trajectory);
``parameter``
    a value the scenario sets directly (the hourly cost, a declared outcome
    share), checked against its derivation;
``simulated``
    a model output, averaged over a few replications with fixed seeds (waits,
    people in care per FTE, uptake, group size), given with its 95% interval.

:func:`validate` returns the checks as a table with a verdict each:
*reproduces* (inside the tolerance), *departs, stated* (outside, with the
reason written in the check) or *departs* (outside, no reason: a shipped
scenario has drifted, and the test suite fails). The documentation's
validation page is generated from this table during the build, so it cannot
go stale.

Tolerances follow one rule: a cited range is the tolerance; a cited "about x"
is met within 15% of x (the precision the sources themselves carry: one
municipality, one year, rounded figures).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from scipy import optimize, stats

from ..scenario import Scenario, load_scenario
from ..scenario.steady import entry_rates
from ..scenario.units import WEEKS_PER_MONTH, WEEKS_PER_YEAR
from ..simulation import simulate

#: Replications per simulated scenario and their base seed: replication ``r``
#: runs with seed ``(SEED, r)``. Four keep the documentation build and the
#: test to about half a minute; the intervals show what that buys.
REPLICATIONS = 4
SEED = 17
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
    return (fig["mean_participants"] + started) / fig["mean_volunteers"]


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


# -- running the checks -------------------------------------------------------------


def validate(
    directory: str | Path,
    *,
    checks: tuple[Check, ...] | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    replications: int = REPLICATIONS,
    seed: int = SEED,
) -> pd.DataFrame:
    """The checks (default: :data:`wijksim.analysis.validation_checks.CHECKS`)
    on the scenario files in ``directory``, one row each: ``id, figure,
    scenario, anchor, cited, low, high, unit, how, model, half_width,
    within, verdict, departure``.

    ``overrides`` changes a scenario by file name (``{"baseline.yaml":
    {"team.fte": 7}}``), as ``--set`` would. Simulated figures are cached per
    content of the directory's files, so a documentation build and the
    checks that share a scenario simulate it once.
    """
    if checks is None:
        from .validation_checks import CHECKS

        checks = CHECKS
    directory = Path(directory)
    digest = _digest(directory)
    rows = []
    for check in checks:
        changes = _frozen((overrides or {}).get(check.scenario, {}))
        path = str(directory / check.scenario)
        scenario = _scenario(path, changes, digest)
        if check.how == "simulated":
            runs = _replications(path, changes, digest, replications, seed)
            values = [check.measure(scenario, run) for run in runs]
            value, half_width = _mean_and_half_width(values)
        else:
            value, half_width = float(check.measure(scenario)), 0.0
        within = check.low <= value <= check.high
        verdict = "reproduces" if within else "departs, stated" if check.departure else "departs"
        rows.append(
            {
                "id": check.id,
                "figure": check.figure,
                "scenario": check.scenario,
                "anchor": check.anchor,
                "cited": check.cited,
                "low": check.low,
                "high": check.high,
                "unit": check.unit,
                "how": check.how,
                "model": value,
                "half_width": half_width,
                "within": within,
                "verdict": verdict,
                "departure": check.departure,
            }
        )
    return pd.DataFrame(rows).set_index("id")


def _mean_and_half_width(values: list[float]) -> tuple[float, float]:
    n = len(values)
    mean = math.fsum(values) / n
    if n < 2:
        return mean, math.nan
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
    return mean, float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)


def _digest(directory: Path) -> str:
    """A fingerprint of every file a scenario there may read (``extends``, CSV)."""
    sha = hashlib.sha256()
    for path in sorted(directory.iterdir()):
        if path.is_file():
            sha.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()


def _frozen(changes: Mapping[str, Any]) -> str:
    """Overrides as a hashable cache key (JSON, keys sorted)."""
    return json.dumps(changes, sort_keys=True)


def _overrides(changes: str) -> dict[str, Any]:
    return json.loads(changes)


@lru_cache(maxsize=64)
def _scenario(path: str, changes: str, digest: str) -> Scenario:
    return load_scenario(path, _overrides(changes) or None)


@lru_cache(maxsize=64)
def _replications(
    path: str, changes: str, digest: str, replications: int, seed: int
) -> tuple[Replication, ...]:
    scenario = _scenario(path, changes, digest)
    runs = []
    for r in range(replications):
        run = simulate(scenario, seed=(seed, r), series=False)
        plain = run.to_dict()
        runs.append((plain["summary"], plain["interventions"]))
    return tuple(runs)


def formatted(value: float, unit: str) -> str:
    """``value`` in ``unit`` as the validation page shows it."""
    if math.isnan(value):
        return "not given"
    if unit == "share":  # a decimal where a few points matter
        return f"{value:.1%}" if 0 < abs(value) < 0.2 else f"{value:.0%}"
    if unit == "euro":
        return f"€{value:,.0f}"
    return f"{value:.1f} {unit}" if unit else f"{value:.1f}"


__all__ = [
    "ABOUT",
    "REPLICATIONS",
    "SEED",
    "Check",
    "about",
    "formatted",
    "validate",
]
