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

What the warm-up is judged on. Its job is to let the team as it stands at
the start settle: the caseload, the waiting list and the returns on their way.
What a scenario changes afterwards (its provisions starting and growing,
trends, shocks, tenders, a subsidy that stops) is its subject, not a start-up
effect, and these methods, which look for the week from which a series is
level, would read it as one. So :func:`recommend_warmup` runs its pilots on
:func:`held_still` by default: the scenario without those changes. Seasonal
demand (a ``monthly_profile``) is taken out of the averaged series before
judging it (the mean by month of the year over the second half is
subtracted), so that a season is not mistaken for a trend.

Measured on ``baseline`` (issue 9, item 5; 40 replications of 12 years,
half-year means of the weekly waiting list): before the initial state carried
the returns on their way it went 26, 9.5, 8.8, 8.9, 14.8, ... and settled near
40 only after ~5 years, and the advice was 95-160 weeks. With the returns, and
the shipped counts set at the level the team settles at (then 195 in care, 36
waiting), it goes 36.5, 35.5, 40.6, 34.1, 37.3, 32.5, 37.0, ... (the caseload
199.5, 197.2, then 195 +- 1): level from the start, but for the seasons and
the slow wandering of a waiting list near the ceiling. (The counts were re-set
the same way when the case durations changed, issue 17; docs/sources.md,
#initial-state.) The advice for every
shipped scenario is now within its one-year warm-up (a test checks it), and
for a start far from the settled level (an empty team; no returns on their
way) it is still 1.5-2 years.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Unpack

import numpy as np
import pandas as pd
from scipy import stats

from ..experiment.executors import Execution
from ..experiment.replications import run_experiment
from ..scenario import Scenario, as_scenario
from ..scenario.units import WEEKS_PER_YEAR

#: Weekly series the warm-up is judged on by default.
WARMUP_METRICS = ("caseload", "waiting_list")
MSER_BATCH = 5
#: Start-up effect small enough to leave in, as a share of the settled level.
TOLERANCE = 0.05


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
    band: float | np.ndarray  # per week when judged against the replications' noise
    warmup: int

    @property
    def settled(self) -> bool:
        """False when the series only settles in its last quarter: run longer."""
        return self.warmup <= 0.75 * len(self.moving_average)


def welch(
    series: Sequence[float],
    window: int,
    tolerance: float = 0.05,
    excursions: float = 0.1,
    runs: np.ndarray | None = None,
) -> WelchResult:
    """Welch's method on a series averaged over replications.

    The level is the mean of the smoothed series over its second half; the
    band is ``tolerance`` times that level, or twice the smoothed series' own
    standard deviation there (noise, seasons), whichever is wider. With
    ``runs`` (the replications' series, one per row, that ``series`` is the
    mean of) the band at each week is also at least the 95% simultaneous
    margin of the smoothed mean there (its standard error times the normal
    quantile for the run's number of independent windows, Bonferroni): a
    deviation that cannot be told from noise is not a start-up effect (a
    waiting list near the ceiling wanders for years, also averaged over
    replications). The warm-up is the first week from which
    the smoothed series is inside the band and stays there, but for chance
    excursions: at most a share ``excursions`` of the weeks that follow.
    """
    ma = moving_average(series, window)
    tail = ma[len(ma) // 2 :]
    level = float(np.mean(tail))
    band: float | np.ndarray = max(
        tolerance * abs(level), 2.0 * float(np.std(tail, ddof=1)) if len(tail) > 1 else 0
    )
    if runs is not None and len(runs) > 1:
        smoothed = np.array([moving_average(run, window) for run in runs])
        error = np.std(smoothed, axis=0, ddof=1) / math.sqrt(len(runs))
        windows = max(1.0, len(ma) / (2 * window + 1))
        band = np.maximum(band, stats.norm.ppf(1 - 0.025 / windows) * error)
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
    warmup: int  # weeks to leave out: the relevant part of the d* batches
    detected: int  # weeks MSER would truncate: batch size times d*

    @property
    def settled(self) -> bool:
        """False when the minimum lies at the end of the range searched: run longer."""
        return self.batches < len(self.statistic) - 1


def mser(
    series: Sequence[float],
    batch: int = MSER_BATCH,
    tolerance: float | None = None,
    runs: np.ndarray | None = None,
) -> MserResult:
    """MSER-``batch`` truncation of ``series`` (MSER-5 by default).

    Only the first half of the batches may be truncated, as is usual: near the
    end the statistic rests on too few batches to mean anything.

    MSER finds the truncation that minimises the marginal standard error, so
    on a long or smooth series it cuts off start-up effects of any size, also
    ones far below what matters (on ``baseline`` a caseload 1% above its level
    for a year). With ``tolerance``, the warm-up is the shortest part of the
    truncation after which the kept batches (up to d*) stay, on average,
    within ``tolerance`` times the level after d* (or within the standard
    deviation of the batch means there, when that is wider: near a level of
    zero): the start-up effect that is left is then below that share. With
    ``runs`` (the replications' series that ``series`` is the mean of), an
    effect within twice its standard error (paired per replication) is also
    left in: it cannot be told from noise. ``detected`` is MSER's own truncation.
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
    relevant = d_star
    if tolerance is not None:
        level = z[d_star:].mean()
        # near a level of zero a share means nothing: the noise of a batch mean is the floor
        allowed = max(tolerance * abs(level), float(np.std(z[d_star:], ddof=1)))
        paired = runs is not None and len(runs) > 1
        if paired:  # each replication's batches and its own level after d*
            cut = np.asarray(runs, dtype=float)[:, : k * batch]
            each = cut.reshape(len(cut), k, batch).mean(axis=2)
            after = each[:, d_star:].mean(axis=1)

        def left_in(d: int) -> bool:
            effect = z[d:d_star].mean() - level
            if paired:  # the same effect per replication
                per_run = each[:, d:d_star].mean(axis=1) - after
                noise = 2.0 * float(np.std(per_run, ddof=1)) / math.sqrt(len(per_run))
                return abs(effect) <= max(allowed, noise)
            return abs(effect) <= allowed

        relevant = next(d for d in range(d_star + 1) if d == d_star or left_in(d))
    return MserResult(statistic, d_star, relevant * batch, d_star * batch)


@dataclass(frozen=True)
class WarmupReport:
    """Warm-up per figure and method, from pilot replications."""

    scenario: str
    replications: int
    window: int
    as_is: bool
    current_weeks: float
    #: metric, method, warmup_weeks (the start-up effect that matters), settled,
    #: detected_weeks (MSER's own truncation; Welch's warm-up)
    table: pd.DataFrame
    series: pd.DataFrame  # week, metric, mean, judged (seasons out), moving_average
    #: the start-up effect left in, as a share of the settled level
    tolerance: float = TOLERANCE

    @property
    def recommended_weeks(self) -> int:
        """The longest warm-up any method gives for any figure, in whole weeks."""
        return int(self.table["warmup_weeks"].max())

    def to_dict(self) -> dict:
        return {
            "scenario": self.scenario,
            "replications": self.replications,
            "window": self.window,
            "judged_on": "as is" if self.as_is else "held still",
            "current_warmup_weeks": self.current_weeks,
            "recommended_warmup_weeks": self.recommended_weeks,
            "methods": [
                {
                    "metric": r.metric,
                    "method": r.method,
                    "warmup_weeks": int(r.warmup_weeks),
                    "settled": bool(r.settled),
                    "detected_weeks": int(r.detected_weeks),
                }
                for r in self.table.itertuples()
            ],
        }


def held_still(scenario: Scenario) -> Scenario:
    """``scenario`` without what it changes over time: no provisions
    (interventions, volunteer pools, and the team hours for collective work,
    which come out of casework when they start), trends, shocks or tenders;
    the team, the demand with its seasons and the initial state as they are.
    What the warm-up has to let settle."""
    themes = scenario.neighbourhood.themes
    overrides: dict[str, object] = {
        "interventions": [],
        "volunteers": {},
        "shocks": [],
        "tenders": [],
        "team.collective_hours_per_week": 0.0,
        "uncertain": None,  # its paths may point into the provisions
        "sweep": None,
        "decision": None,  # its choices name the provisions left out here
    }
    overrides |= {
        f"neighbourhood.themes.{name}.trend_per_year": 0.0
        for name, theme in themes.items()
        if theme.trend_per_year
    }
    return scenario.with_overrides(overrides)


def seasonal(scenario: Scenario) -> bool:
    """Whether demand follows the months of the year."""
    return any(theme.monthly_profile for theme in scenario.neighbourhood.themes.values())


def seasons(series: Sequence[float], weeks: Sequence[float]) -> np.ndarray:
    """The seasonal effect in ``series`` at each of its ``weeks``: its mean by
    month of the run's year (counted from the start) less its overall mean,
    both over the second half, where the start is forgotten. Subtract it."""
    y = np.asarray(series, dtype=float)
    month = np.floor(np.asarray(weeks, dtype=float) * 12 / WEEKS_PER_YEAR).astype(int) % 12
    tail = slice(len(y) // 2, None)
    level = y[tail].mean()
    effect = np.zeros(12)
    for m in range(12):
        here = month[tail] == m
        if here.any():
            effect[m] = y[tail][here].mean() - level
    return effect[month]


def recommend_warmup(
    scenario: Scenario | str | Path,
    replications: int = 10,
    seed: int = 0,
    metrics: Sequence[str] = WARMUP_METRICS,
    window: int | None = None,
    *,
    as_is: bool = False,
    tolerance: float = TOLERANCE,
    **execution: Unpack[Execution],
) -> WarmupReport:
    """Run pilot replications and apply Welch's method and MSER-5 to the
    weekly ``metrics`` (totals over themes), averaged over replications.

    The pilots run :func:`held_still` (the team as it stands at the start),
    unless ``as_is``: then the scenario with its provisions and planned
    changes, which these methods read as part of the start-up. Seasonal demand
    is taken out of the series first (:func:`seasons`). Both
    methods leave in a start-up effect within ``tolerance`` of the settled
    level (Welch's band; MSER's truncation, see :func:`mser`).
    ``window``: half-width of Welch's moving average in weeks (default: a
    25th of the horizon).
    """
    if window is not None and (
        isinstance(window, bool) or not isinstance(window, numbers.Integral) or window < 1
    ):  # before the pilots, not after them
        raise ValueError(f"window is a whole number of weeks of at least 1, not {window!r:.80}")
    if isinstance(metrics, str):  # one name, not its letters
        metrics = (metrics,)
    scenario = as_scenario(scenario)
    pilot = scenario if as_is else held_still(scenario)
    experiment = run_experiment(pilot, replications, seed, **execution)
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
        table = chosen.pivot_table(index="replication", columns="week", values="value")
        mean = table.mean(axis=0)
        each = table.to_numpy()
        if seasonal(scenario):
            each = each - seasons(mean.to_numpy(), mean.index.to_numpy())
        judged = each.mean(axis=0)
        by_welch = welch(judged, window, tolerance, runs=each)
        by_mser = mser(judged, tolerance=tolerance, runs=each)
        rows.append((metric, "welch", by_welch.warmup, by_welch.settled, by_welch.warmup))
        rows.append((metric, "mser-5", by_mser.warmup, by_mser.settled, by_mser.detected))
        smoothed = np.full(len(mean), math.nan)
        smoothed[: len(by_welch.moving_average)] = by_welch.moving_average
        frames.append(
            pd.DataFrame(
                {
                    "week": mean.index.to_numpy(),
                    "metric": metric,
                    "mean": mean.to_numpy(),
                    "judged": judged,
                    "moving_average": smoothed,
                }
            )
        )
    columns = ["metric", "method", "warmup_weeks", "settled", "detected_weeks"]
    return WarmupReport(
        scenario=scenario.name,
        replications=replications,
        window=window,
        as_is=as_is,
        current_weeks=scenario.warmup,
        table=pd.DataFrame(rows, columns=columns),
        series=pd.concat(frames, ignore_index=True),
        tolerance=tolerance,
    )
