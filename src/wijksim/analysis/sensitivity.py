"""Sensitivity analysis: one-way (the data behind a tornado plot), and Sobol
and Morris indices through SALib (``pip install wijksim[sensitivity]``).

Every point runs the same replications with the same seeds (common random
numbers), so the effect of a parameter is not drowned in chance differences.
Ranges are :class:`~wijksim.scenario.designs.Range` objects or plain
``(low, high)`` pairs, by dotted path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Unpack

import numpy as np
import pandas as pd

from ..experiment.executors import Execution
from ..experiment.intervals import CONFIDENCE
from ..experiment.replications import run_scenarios
from ..experiment.uncertainty import numeric
from ..scenario import Scenario, as_scenario
from ..scenario.designs import Range
from ..scenario.loading import whole_ranges
from .comparison import RELIEF_METRICS, Comparison

Ranges = Mapping[str, Range | tuple[float, float] | Mapping[str, Any]]


def as_ranges(ranges: Ranges, scenario: Scenario | None = None) -> dict[str, Range]:
    """Ranges by path, from ``Range`` objects, ``(low, high)`` pairs or mappings.

    With ``scenario``, a range over a whole-number parameter (a pool's ``size``,
    an intervention's ``capacity``) is rounded to whole numbers at every point.
    """
    out: dict[str, Range] = {}
    for path, spec in ranges.items():
        if isinstance(spec, Range):
            out[path] = spec
        elif isinstance(spec, Mapping):
            out[path] = Range.model_validate(spec)
        else:
            low, high = spec
            out[path] = Range(min=low, max=high)
    if not out:
        raise ValueError("give at least one parameter range")
    return out if scenario is None else whole_ranges(scenario, out)


def one_way(
    scenario: Scenario | str | Path,
    ranges: Ranges,
    replications: int = 10,
    seed: int = 0,
    metrics: Sequence[str] | None = None,
    *,
    confidence: float = CONFIDENCE,
    **execution: Unpack[Execution],
) -> pd.DataFrame:
    """One-way sensitivity: each parameter at its low and at its high value,
    the others as in ``scenario``.

    One row per parameter and figure: ``low_value, high_value`` (the
    parameter), ``base, low, high`` (mean figure), the paired differences
    ``low_difference, high_difference`` from the base with their intervals,
    and ``swing = |high - low|``. Sorted by swing within each figure, widest
    first: the bars of a tornado plot.
    """
    scenario = as_scenario(scenario)
    specs = as_ranges(ranges, scenario)
    scenarios = {"base": scenario}
    for path, spec in specs.items():
        for end, fraction in (("low", 0.0), ("high", 1.0)):
            scenarios[f"{path}={end}"] = scenario.with_overrides({path: spec.value(fraction)})
    experiments = run_scenarios(
        scenarios,
        replications=replications,
        seed=seed,
        timeseries=False,
        kind="one-way",
        **execution,
    )
    comparison = Comparison(experiments, "base")
    names = metrics or [m for m in RELIEF_METRICS if m in experiments["base"].metrics]
    rows = []
    for path, spec in specs.items():
        for metric in names:
            low = comparison.difference(f"{path}=low", metric, confidence)
            high = comparison.difference(f"{path}=high", metric, confidence)
            base = float(np.nanmean(experiments["base"].values(metric)))
            rows.append(
                {
                    "parameter": path,
                    "metric": metric,
                    "low_value": numeric(spec.value(0.0)),
                    "high_value": numeric(spec.value(1.0)),
                    "base": base,
                    "low": base + low.mean,
                    "high": base + high.mean,
                    "low_difference": low.mean,
                    "low_ci_low": low.low,
                    "low_ci_high": low.high,
                    "high_difference": high.mean,
                    "high_ci_low": high.low,
                    "high_ci_high": high.high,
                    "swing": abs(high.mean - low.mean),
                }
            )
    table = pd.DataFrame(rows)
    order = {m: i for i, m in enumerate(names)}
    table = table.sort_values(
        ["metric", "swing"], key=lambda c: c.map(order) if c.name == "metric" else -c
    )
    return table.reset_index(drop=True)


def _salib():
    try:
        import SALib  # noqa: F401
    except ImportError:
        raise ImportError(
            "Sobol and Morris indices need SALib: pip install 'wijksim[sensitivity]'"
        ) from None


def _run_design(
    scenario: Scenario,
    specs: dict[str, Range],
    design: np.ndarray,
    replications: int,
    seed: int,
    metrics: Sequence[str] | None,
    execution: Execution,
) -> tuple[list[str], np.ndarray]:
    """Mean figures at each row of ``design`` (one column per range): ``(metrics, Y)``."""
    scenarios = {}
    for i, row in enumerate(design):
        point = {
            path: spec.written(float(x)) for (path, spec), x in zip(specs.items(), row, strict=True)
        }
        scenarios[f"x{i}"] = scenario.with_overrides(point)
    experiments = run_scenarios(
        scenarios,
        replications=replications,
        seed=seed,
        timeseries=False,
        kind="sensitivity",
        **execution,
    )
    first = next(iter(experiments.values()))
    names = list(metrics or [m for m in RELIEF_METRICS if m in first.metrics])
    y = np.array([[np.nanmean(e.values(m)) for m in names] for e in experiments.values()])
    return names, y


def _problem(specs: dict[str, Range]) -> dict:
    return {
        "num_vars": len(specs),
        "names": list(specs),
        "bounds": [[s.min, s.max] for s in specs.values()],
    }


def sobol(
    scenario: Scenario | str | Path,
    ranges: Ranges,
    samples: int = 64,
    replications: int = 1,
    seed: int = 0,
    metrics: Sequence[str] | None = None,
    **execution: Unpack[Execution],
) -> pd.DataFrame:
    """Sobol first-order and total indices (Saltelli's scheme, SALib).

    Runs ``samples * (d + 2)`` points (``d`` parameters; ``samples`` a power
    of 2), each the mean of ``replications`` replications. One row per
    parameter and figure: ``S1, S1_conf, ST, ST_conf``.
    """
    _salib()
    from SALib.analyze import sobol as analyze

    try:
        from SALib.sample import sobol as sample
    except ImportError:  # SALib before 1.4.6
        from SALib.sample import saltelli as sample

    scenario = as_scenario(scenario)
    specs = as_ranges(ranges, scenario)
    problem = _problem(specs)
    design = sample.sample(problem, samples, calc_second_order=False, seed=seed)
    names, y = _run_design(scenario, specs, design, replications, seed, metrics, execution)
    rows = []
    for j, metric in enumerate(names):
        if np.isnan(y[:, j]).any() or np.ptp(y[:, j]) == 0:
            continue
        indices = analyze.analyze(problem, y[:, j], calc_second_order=False, seed=seed)
        for k, path in enumerate(specs):
            rows.append(
                {
                    "parameter": path,
                    "metric": metric,
                    "S1": float(indices["S1"][k]),
                    "S1_conf": float(indices["S1_conf"][k]),
                    "ST": float(indices["ST"][k]),
                    "ST_conf": float(indices["ST_conf"][k]),
                }
            )
    return pd.DataFrame(rows)


def morris(
    scenario: Scenario | str | Path,
    ranges: Ranges,
    trajectories: int = 10,
    levels: int = 4,
    replications: int = 1,
    seed: int = 0,
    metrics: Sequence[str] | None = None,
    **execution: Unpack[Execution],
) -> pd.DataFrame:
    """Morris elementary effects (SALib): ``trajectories * (d + 1)`` points.

    One row per parameter and figure: ``mu, mu_star, sigma, mu_star_conf``.
    """
    _salib()
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    scenario = as_scenario(scenario)
    specs = as_ranges(ranges, scenario)
    problem = _problem(specs)
    design = sample.sample(problem, trajectories, num_levels=levels, seed=seed)
    names, y = _run_design(scenario, specs, design, replications, seed, metrics, execution)
    rows = []
    for j, metric in enumerate(names):
        if np.isnan(y[:, j]).any():
            continue
        indices = analyze.analyze(problem, design, y[:, j], num_levels=levels, seed=seed)
        for k, path in enumerate(specs):
            rows.append(
                {
                    "parameter": path,
                    "metric": metric,
                    "mu": float(indices["mu"][k]),
                    "mu_star": float(indices["mu_star"][k]),
                    "sigma": float(indices["sigma"][k]),
                    "mu_star_conf": float(indices["mu_star_conf"][k]),
                }
            )
    return pd.DataFrame(rows)
