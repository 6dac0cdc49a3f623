"""Streamed statistics: fixed memory whatever the horizon."""

from __future__ import annotations

import math

#: Waits are binned by a tenth of a day: quantiles are exact to that resolution.
BIN_WEEKS = 1.0 / 70.0
SIX_WEEKS = 6.0


class WaitStats:
    """Count, mean, share waited, share over six weeks and quantiles of waits.

    A histogram with bins of a tenth of a day (growing only as far as the longest
    wait seen) gives quantiles; the mean and shares are exact.
    """

    __slots__ = ("bins", "n", "over_six_weeks", "total", "waited")

    def __init__(self):
        self.n = 0
        self.total = 0.0
        self.waited = 0
        self.over_six_weeks = 0
        self.bins: list[int] = []

    def add(self, wait: float) -> None:
        self.n += 1
        if wait > 0.0:
            self.total += wait
            self.waited += 1
            if wait > SIX_WEEKS:
                self.over_six_weeks += 1
        index = int(wait / BIN_WEEKS)
        bins = self.bins
        if index >= len(bins):
            bins.extend([0] * (index + 1 - len(bins)))
        bins[index] += 1

    def mean(self) -> float:
        return self.total / self.n if self.n else math.nan

    def quantile(self, q: float) -> float:
        """The q-quantile, interpolated within its bin (zero waits count as 0)."""
        if not self.n:
            return math.nan
        target = q * self.n
        cumulative = 0
        for index, count in enumerate(self.bins):
            if count and cumulative + count >= target:
                if index == 0 and self.n - self.waited >= target:
                    return 0.0
                return (index + (target - cumulative) / count) * BIN_WEEKS
            cumulative += count
        return len(self.bins) * BIN_WEEKS  # pragma: no cover - q > 1

    def share(self, count: int) -> float:
        return count / self.n if self.n else math.nan
