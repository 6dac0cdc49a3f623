"""When value falls: units that occur within each year of a run and whose value
accrues evenly over some weeks after each, shared out over the years of the
run and the whole years after it (those make the residual value).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from ..scenario.units import WEEKS_PER_YEAR


def accrual(weeks: np.ndarray, spread: float) -> np.ndarray:
    """How the value of units that occur evenly within each year, and accrue
    evenly over ``spread`` weeks after each, falls into years.

    ``weeks``: the length of each year of the run (the last may be shorter).
    Returns ``shares``: ``shares[y, k]`` is the share of a unit of year ``y``
    that accrues in year ``k``, for the run's years and the whole years after
    it (``k >= len(weeks)``, each :data:`WEEKS_PER_YEAR` long); each row adds
    up to 1.
    """
    n = len(weeks)
    if spread <= 0:
        return np.eye(n)
    extra = math.ceil(spread / WEEKS_PER_YEAR) + 1
    starts = np.concatenate([[0.0], np.cumsum(weeks)])
    end = starts[-1]
    edges = np.concatenate([starts, end + WEEKS_PER_YEAR * np.arange(1, extra + 1)])
    shares = np.zeros((n, n + extra))
    for y in range(n):
        a, b = starts[y], starts[y + 1]
        for k in range(n + extra):
            shares[y, k] = _accrued(a, b, spread, edges[k], edges[k + 1])
    return shares


def _accrued(a: float, b: float, spread: float, c: float, d: float) -> float:
    """Share of a unit's value that accrues within [c, d], for a unit at a
    uniform moment in [a, b] whose value accrues evenly over the next
    ``spread`` weeks (exact: the overlap is piecewise linear in time)."""
    if b - a <= 1e-12:  # a year of no length: the unit at its start
        return max(0.0, min(a + spread, d) - max(a, c)) / spread

    def overlap(s: float) -> float:  # how many of the moments in [a, b] accrue at s
        return max(0.0, min(b, s) - max(a, s - spread))

    points = sorted({c, d, *(p for p in (a, b, a + spread, b + spread) if c < p < d)})
    total = sum(
        (right - left) * (overlap(left) + overlap(right)) / 2
        for left, right in itertools.pairwise(points)
    )
    return total / ((b - a) * spread)


def spread_over_years(amounts: pd.Series, weeks: pd.Series, spread: float) -> pd.Series:
    """``amounts`` per (replication, year) accrued over ``spread`` weeks after
    each unit: per (replication, year), years after the run included."""
    if spread <= 0:
        return amounts
    parts = []
    for replication, values in amounts.groupby(level="replication"):
        years = values.index.get_level_values("year")
        lengths = weeks.loc[replication].reindex(years).to_numpy()
        shares = accrual(lengths, spread)
        spread_out = values.to_numpy() @ shares
        index = pd.MultiIndex.from_product(
            [[replication], range(len(spread_out))], names=["replication", "year"]
        )
        parts.append(pd.Series(spread_out, index=index))
    return pd.concat(parts)
