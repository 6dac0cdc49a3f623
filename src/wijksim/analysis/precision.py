"""How many replications: the confidence-interval method.

Run a pilot of ``n`` replications and watch, for each figure, the half-width
of its confidence interval relative to its mean as replications are added
(Robinson, *Simulation: The Practice of Model Development and Use*, §9.6;
Hoad, Robinson & Davies 2010). The number needed is the first ``n`` from
which the relative precision stays within the target for the rest of the
pilot. When the pilot does not get there, the number is extrapolated from the
pilot's mean and standard deviation: the smallest ``n`` with ``t(n-1) * sd /
sqrt(n) <= target * |mean|``.

That is advice for the mean of one scenario (:func:`recommend_replications`).
A comparison reports paired differences, which under common random numbers
usually need far fewer: :func:`recommend_paired_replications` runs a pilot
comparison and estimates, per alternative and headline figure, what its
difference needs to reach a stated precision (relative, or within a tolerance;
:mod:`wijksim.analysis.headline`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Unpack

import numpy as np
import pandas as pd

from ..experiment.executors import Execution
from ..experiment.intervals import CONFIDENCE, replications_for_half_width, t_interval
from ..experiment.replications import run_experiment
from ..scenario import Scenario, as_scenario
from .comparison import RELIEF_METRICS, compare
from .headline import Target, summary

#: Precision: CI half-width / |mean|.
TARGET_PRECISION = 0.05
#: Never extrapolate beyond this many replications.
MAX_REPLICATIONS = 100_000


def precision_table(values: Sequence[float], confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Cumulative mean, sd, CI and relative precision after 1, 2, ... replications."""
    x = np.asarray(values, dtype=float)
    rows = []
    for n in range(1, len(x) + 1):
        i = t_interval(x[:n], confidence)
        rows.append((n, i.mean, i.sd, i.low, i.high, i.relative_precision))
    return pd.DataFrame(
        rows, columns=["n", "mean", "sd", "ci_low", "ci_high", "relative_precision"]
    )


@dataclass(frozen=True)
class Needed:
    """Replications needed for one figure: found in the pilot, or extrapolated."""

    replications: int | None  # None when it cannot be told (a mean of zero)
    in_pilot: bool
    precision_at_pilot: float


def replications_needed(
    values: Sequence[float] | np.ndarray,
    precision: float = TARGET_PRECISION,
    confidence: float = CONFIDENCE,
) -> Needed:
    """Replications needed to bring the relative precision of the mean of
    ``values`` (pilot results, in replication order) within ``precision``."""
    if not 0 < precision < 1:
        raise ValueError("the target precision is a fraction between 0 and 1, e.g. 0.05")
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if len(x) < 2:
        raise ValueError("a pilot needs at least 2 replications with a value")
    table = precision_table(x, confidence)
    relative = table["relative_precision"].to_numpy()
    last = float(relative[-1])
    if np.all(x == x[0]):  # no variation at all: one run tells everything
        return Needed(2 if x[0] != 0 else None, x[0] != 0, 0.0 if x[0] != 0 else math.nan)
    mean, sd = float(x.mean()), float(x.std(ddof=1))
    if mean == 0 or math.isnan(last):
        return Needed(None, False, last)
    ok = relative <= precision
    # the first n from which the pilot stays within the target
    failing = np.flatnonzero(~ok[1:])  # from n = 2 on
    first = int(failing[-1]) + 3 if len(failing) else 2
    if first <= len(x):
        return Needed(first, True, last)

    # the pilot ends outside the target, so the number found lies beyond it
    needed = replications_for_half_width(sd, precision * abs(mean), confidence, MAX_REPLICATIONS)
    return Needed(needed, False, last)


def _most_needed(table: pd.DataFrame) -> int | None:
    """The most replications any figure of ``table`` needs (``None`` when none can tell)."""
    needed = table["needed"]
    return None if needed.isna().all() else int(needed.max())


@dataclass(frozen=True)
class ReplicationsReport:
    scenario: str
    pilot: int
    precision: float
    table: pd.DataFrame  # metric, mean, precision_at_pilot, needed, in_pilot

    @property
    def recommended(self) -> int | None:
        """The most any figure needs; figures that cannot tell (a mean of zero) are left out."""
        return _most_needed(self.table)

    def to_dict(self) -> dict:
        return {
            "kind": "absolute",
            "scenario": self.scenario,
            "pilot": self.pilot,
            "precision": self.precision,
            "recommended": self.recommended,
            "metrics": [
                {
                    "metric": r.metric,
                    "mean": float(r.mean),
                    "precision_at_pilot": float(r.precision_at_pilot),
                    "needed": None if pd.isna(r.needed) else int(r.needed),
                    "in_pilot": bool(r.in_pilot),
                }
                for r in self.table.itertuples()
            ],
        }


def recommend_replications(
    scenario: Scenario | str | Path,
    pilot: int = 20,
    seed: int = 0,
    precision: float = TARGET_PRECISION,
    metrics: Sequence[str] | None = None,
    *,
    confidence: float = CONFIDENCE,
    **execution: Unpack[Execution],
) -> ReplicationsReport:
    """Run ``pilot`` replications and apply the confidence-interval method to
    each figure (default: those of the relief table)."""
    scenario = as_scenario(scenario)
    if isinstance(metrics, str | bytes):  # a single name would be read letter by letter
        raise TypeError(f"metrics is a list of figure names, e.g. [{metrics!r}]")
    if not 0 < precision < 1:  # before the pilot runs, not after
        raise ValueError("the target precision is a fraction between 0 and 1, e.g. 0.05")
    experiment = run_experiment(scenario, pilot, seed, timeseries=False, **execution)
    names = list(metrics or []) or [m for m in RELIEF_METRICS if m in experiment.metrics]
    rows = []
    for metric in names:
        values = experiment.values(metric)
        if np.count_nonzero(~np.isnan(values)) < 2:
            # no value to judge (no wait without intakes: a team with no capacity)
            needed = Needed(None, False, math.nan)
        else:
            needed = replications_needed(values, precision, confidence)
        rows.append(
            (
                metric,
                float(np.nanmean(values)) if not np.isnan(values).all() else math.nan,
                needed.precision_at_pilot,
                needed.replications,
                needed.in_pilot,
            )
        )
    table = pd.DataFrame(
        rows, columns=["metric", "mean", "precision_at_pilot", "needed", "in_pilot"]
    )
    table["needed"] = table["needed"].astype("Int64")
    return ReplicationsReport(scenario.name, pilot, precision, table)


@dataclass(frozen=True)
class PairedReplicationsReport:
    """Replications a comparison needs for its headline figures to reach
    ``target``: ``table`` is the pilot's
    :func:`~wijksim.analysis.headline.precision_reached` frame, whose ``needed``
    column holds each figure's estimate."""

    baseline: str
    alternatives: tuple[str, ...]
    pilot: int
    target: Target
    table: pd.DataFrame

    @property
    def recommended(self) -> int | None:
        """The most any figure needs (``None`` when none can tell)."""
        return _most_needed(self.table)

    def to_dict(self) -> dict:
        return {
            "kind": "paired",
            "baseline": self.baseline,
            "alternatives": list(self.alternatives),
            "pilot": self.pilot,
            "recommended": self.recommended,
            **summary(self.table, self.target),
        }


def recommend_paired_replications(
    scenarios: Sequence[Scenario | str | Path],
    pilot: int = 20,
    seed: int = 0,
    precision: float | Target | None = None,
    *,
    baseline: str | int = 0,
    **execution: Unpack[Execution],
) -> PairedReplicationsReport:
    """Run a pilot comparison of ``scenarios`` (``pilot`` replications, the
    baseline first unless ``baseline`` says otherwise) and estimate, per
    alternative and headline figure, the replications its paired difference
    needs to reach ``precision`` (a number: the relative precision with the
    default tolerances; or a :class:`~wijksim.analysis.headline.Target`)."""
    comparison = compare(
        scenarios,
        baseline,
        pilot,
        seed,
        timeseries=False,
        precision=precision,
        **execution,
    )
    return PairedReplicationsReport(
        comparison.baseline,
        tuple(comparison.alternatives),
        pilot,
        comparison.target,
        comparison.precision(),
    )
