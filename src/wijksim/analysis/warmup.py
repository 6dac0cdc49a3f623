"""Choosing a warm-up period from pilot runs: Welch's method and MSER-5.

A run starts from the scenario's initial state (today's caseload and waiting
list), which is rarely the state the team settles into. Figures over the
warm-up are left out of the summary; these methods estimate how long the
start-up effect lasts, from the weekly series of a few pilot replications.

- **Welch's moving average** (Welch 1983; Law, *Simulation Modeling and
  Analysis*, §9.5.1): average the series over replications, smooth it with a
  moving average, and take the week from which the smoothed series stays near
  its long-run level. The method is graphical; :func:`welch` also returns the
  smoothed series to plot.
- **MSER-5** (White 1997; Hoad, Robinson & Davies 2010): cut the averaged
  series into batches of 5 weeks and truncate where the marginal standard error
  of the remaining batch means is smallest.

What the shipped scenarios' warm-up of one year misses (issue 9, item 5).
``wijksim warmup`` advises ~95-160 weeks for them; the advice is right in
direction and the shipped 52 weeks is too short. Measured on the baseline
(40 replications, half-year means of the weekly totals, seed 0): the waiting
list goes 26, 9.5, 8.8, 8.9, 14.8, 15.7, 23.3, 24.4, 33.8, 34.5, 42.5, ...
and settles near 38-42 only after ~5 years (runs of 16 years, 16
replications, from today's state and from an empty team agree from year 5 on;
the caseload settles near 195 after ~2 years). The dip is not the counts of
the initial state: starting from 195 in care and 40 waiting gives the same
dip. It is the return pipeline: 20% of closed cases come back 1 month to 2
years later, and a run starting at time zero has none of the returns that
the cases closed in the two years before it would bring. Without recurrence
the team runs below its ceiling and settles in ~1.5 years (the length of
the longest initial cases); with it, demand is ~25% higher, the team is at
its ceiling, and the waiting list (a queue near saturation, held in check by
people who give up) relaxes over years. A one-year warm-up leaves the
baseline's mean waiting list over years 1-6 about 35-40% below its settled
level. The remedies are a longer warm-up (with horizons and intervention
dates moved with it) or an initial state that carries the pending returns;
neither is done yet. MSER-5 and Welch on five pilot replications are also
noisy here (the same scenario from a near-settled start gives 0-105 weeks
between seeds): judge the advice on more replications.
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
from ..experiment.replications import run_experiment
from ..scenario import Scenario, as_scenario

#: Weekly series the warm-up is judged on by default.
WARMUP_METRICS = ("caseload", "waiting_list")
MSER_BATCH = 5


def moving_average(series: Sequence[float], window: int) -> np.ndarray:
    """Welch's moving average of ``series`` with half-width ``window``.

    Element ``i`` (from 0) averages ``series[i - w : i + w + 1]``, with ``w =
    min(window, i)`` near the start; the result is ``window`` shorter.
    """
    y = np.asarray(series, dtype=float)
    m = len(y)
    if window < 1 or m <= 2 * window:
        raise ValueError(f"a window of {window} needs a series longer than {2 * window} weeks")
    cumulative = np.concatenate([[0.0], np.cumsum(y)])
    i = np.arange(m - window)
    w = np.minimum(i, window)
    return (cumulative[i + w + 1] - cumulative[i - w]) / (2 * w + 1)


@dataclass(frozen=True)
class WelchResult:
    """The smoothed series and the week from which it stays near its level."""

    moving_average: np.ndarray
    level: float
    band: float
    warmup: int

    @property
    def settled(self) -> bool:
        """False when the series only settles in its last quarter: run longer."""
        return self.warmup <= 0.75 * len(self.moving_average)


def welch(
    series: Sequence[float], window: int, tolerance: float = 0.05, excursions: float = 0.1
) -> WelchResult:
    """Welch's method on a series averaged over replications.

    The level is the mean of the smoothed series over its second half; the
    band is ``tolerance`` times that level, or twice the smoothed series' own
    standard deviation there (noise, seasons), whichever is wider. The warm-up
    is the first week from which the smoothed series is inside the band and
    stays there, but for chance excursions: at most a share ``excursions`` of
    the weeks that follow.
    """
    ma = moving_average(series, window)
    tail = ma[len(ma) // 2 :]
    level = float(np.mean(tail))
    band = max(tolerance * abs(level), 2.0 * float(np.std(tail, ddof=1)) if len(tail) > 1 else 0)
    outside = np.abs(ma - level) > band
    # share of weeks outside the band from week i to the end
    share = np.cumsum(outside[::-1])[::-1] / np.arange(len(ma), 0, -1)
    candidates = np.flatnonzero(~outside & (share <= excursions))
    warmup = int(candidates[0]) if len(candidates) else len(ma)
    return WelchResult(ma, level, band, warmup)


@dataclass(frozen=True)
class MserResult:
    statistic: np.ndarray  # MSER(d) per number of batches truncated
    batches: int  # batches truncated (d*)
    warmup: int  # weeks truncated: batch size times d*

    @property
    def settled(self) -> bool:
        """False when the minimum lies at the end of the range searched: run longer."""
        return self.batches < len(self.statistic) - 1


def mser(series: Sequence[float], batch: int = MSER_BATCH) -> MserResult:
    """MSER-``batch`` truncation of ``series`` (MSER-5 by default).

    Only the first half of the batches may be truncated, as is usual: near the
    end the statistic rests on too few batches to mean anything.
    """
    y = np.asarray(series, dtype=float)
    k = len(y) // batch
    if k < 4:
        raise ValueError(f"MSER-{batch} needs at least {4 * batch} weeks")
    z = y[: k * batch].reshape(k, batch).mean(axis=1)
    statistic = np.empty(k // 2 + 1)
    for d in range(len(statistic)):
        rest = z[d:]
        statistic[d] = np.sum((rest - rest.mean()) ** 2) / len(rest) ** 2
    d_star = int(np.argmin(statistic))
    return MserResult(statistic, d_star, d_star * batch)


@dataclass(frozen=True)
class WarmupReport:
    """Warm-up per figure and method, from pilot replications."""

    scenario: str
    replications: int
    window: int
    current_weeks: float
    table: pd.DataFrame  # metric, method, warmup_weeks, settled
    series: pd.DataFrame  # week, metric, mean, moving_average

    @property
    def recommended_weeks(self) -> int:
        """The longest warm-up any method gives for any figure, in whole weeks."""
        return int(self.table["warmup_weeks"].max())

    def to_dict(self) -> dict:
        return {
            "scenario": self.scenario,
            "replications": self.replications,
            "window": self.window,
            "current_warmup_weeks": self.current_weeks,
            "recommended_warmup_weeks": self.recommended_weeks,
            "methods": [
                {
                    "metric": r.metric,
                    "method": r.method,
                    "warmup_weeks": int(r.warmup_weeks),
                    "settled": bool(r.settled),
                }
                for r in self.table.itertuples()
            ],
        }


def recommend_warmup(
    scenario: Scenario | str | Path,
    replications: int = 5,
    seed: int = 0,
    metrics: Sequence[str] = WARMUP_METRICS,
    window: int | None = None,
    **execution: Unpack[Execution],
) -> WarmupReport:
    """Run pilot replications and apply Welch's method and MSER-5 to the
    weekly ``metrics`` (totals over themes), averaged over replications.

    ``window``: half-width of Welch's moving average in weeks (default: a
    25th of the horizon).
    """
    scenario = as_scenario(scenario)
    experiment = run_experiment(scenario, replications, seed, **execution)
    runs = experiment.timeseries_runs
    assert runs is not None  # run with time series kept
    runs = runs[runs["theme"] == "all"]
    weeks = int(runs["week"].max())
    window = window or max(1, round(weeks / 25))
    rows, frames = [], []
    for metric in metrics:
        chosen = runs[runs["metric"] == metric]
        if chosen.empty:
            known = ", ".join(sorted(set(runs["metric"])))
            raise ValueError(f"no weekly series {metric!r} (known: {known})")
        mean = chosen.groupby("week", sort=True)["value"].mean()
        by_welch = welch(mean.to_numpy(), window)
        by_mser = mser(mean.to_numpy())
        rows.append((metric, "welch", by_welch.warmup, by_welch.settled))
        rows.append((metric, "mser-5", by_mser.warmup, by_mser.settled))
        smoothed = np.full(len(mean), math.nan)
        smoothed[: len(by_welch.moving_average)] = by_welch.moving_average
        frames.append(
            pd.DataFrame(
                {
                    "week": mean.index.to_numpy(),
                    "metric": metric,
                    "mean": mean.to_numpy(),
                    "moving_average": smoothed,
                }
            )
        )
    table = pd.DataFrame(rows, columns=["metric", "method", "warmup_weeks", "settled"])
    return WarmupReport(
        scenario=scenario.name,
        replications=replications,
        window=window,
        current_weeks=scenario.warmup,
        table=table,
        series=pd.concat(frames, ignore_index=True),
    )
