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
*reproduces* (inside the tolerance; for a simulated figure its 95% interval
too), *inconclusive* (a simulated figure whose mean is inside but whose
interval reaches past a bound: more replications, or a scenario near the
edge), *departs, stated* (outside, with the reason written in the check) or
*departs* (outside, no reason: a shipped scenario has drifted). The test
suite fails on *departs* and *inconclusive*. The documentation's
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
import numbers
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from scipy import stats

from ..scenario import Scenario, load_scenario
from ..simulation import simulate
from .validation_checks import CHECKS
from .validation_measures import ABOUT, Check, Replication, about

#: Replications per simulated scenario and their base seed: replication ``r``
#: runs with seed ``(SEED, r)``. Twelve keep the documentation build and the
#: test to well under a minute, with intervals narrow enough to tell a figure
#: inside its tolerance from one at its edge.
REPLICATIONS = 12
SEED = 17


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
    checks = CHECKS if checks is None else tuple(checks)
    if (
        isinstance(replications, bool)
        or not isinstance(replications, numbers.Integral)
        or replications < 1
    ):
        raise ValueError(f"replications must be a whole number of at least 1, not {replications!r}")
    named = {check.scenario for check in checks}
    unknown = sorted(set(overrides or {}) - named)
    if unknown:
        raise ValueError(
            f"overrides for {', '.join(map(repr, unknown))}, which no check reads "
            f"(the checks read {', '.join(sorted(named)) or 'no scenario'})"
        )
    if not checks:
        return pd.DataFrame(columns=COLUMNS).set_index("id")
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
        rows.append(_row(check, value, half_width, within))
    return pd.DataFrame(rows).set_index("id")


#: The columns of :func:`validate`'s table (``id`` its index).
COLUMNS = [
    "id",
    "figure",
    "scenario",
    "anchor",
    "cited",
    "low",
    "high",
    "unit",
    "how",
    "model",
    "half_width",
    "within",
    "verdict",
    "departure",
]


def _verdict(check: Check, value: float, half_width: float, within: bool) -> str:
    if not math.isfinite(value):  # the scenario does not give the figure at all
        return "inconclusive"
    if not within:
        return "departs, stated" if check.departure else "departs"
    inside = check.low <= value - half_width and value + half_width <= check.high
    if check.how == "simulated" and not inside:  # also when one replication gave no interval
        return "inconclusive"  # the mean is inside, its interval reaches past a bound
    return "reproduces"


def _row(check: Check, value: float, half_width: float, within: bool) -> dict[str, Any]:
    return {
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
        "verdict": _verdict(check, value, half_width, within),
        "departure": check.departure,
    }


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
    return json.dumps(changes, sort_keys=True, default=str)


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
