"""Streamed statistics: fixed memory whatever the horizon."""

from __future__ import annotations

import math

import numpy as np

#: Waits are binned by a tenth of a day: quantiles are exact to that resolution.
BIN_WEEKS = 1.0 / 70.0
SIX_WEEKS = 6.0
#: The model folds the buffered waits in once a week when at least this many wait.
WAIT_CHUNK = 4096


class WaitStats:
    """Count, mean, share waited, share over six weeks and quantiles of waits.

    ``add`` only appends to a buffer (the engine calls it once per intake, so it
    is a bare ``list.append``); :meth:`flush` -- called by the model at a
    weekly tick once :data:`WAIT_CHUNK` waits are buffered, and by every reading
    method -- folds the buffer into counts, an exactly rounded sum
    (``math.fsum`` per flush) and a histogram with bins of a tenth of a day,
    which gives the quantiles. Memory stays bounded by the chunk plus a week's
    intakes, and the longest wait.
    """

    __slots__ = ("add", "bins", "n", "over_six_weeks", "pending", "total", "waited")

    def __init__(self) -> None:
        self.n = 0
        self.total = 0.0
        self.waited = 0
        self.over_six_weeks = 0
        self.bins = np.zeros(0, dtype=np.int64)
        self.pending: list[float] = []
        self.add = self.pending.append

    def flush(self) -> None:
        """Fold the buffered waits into the statistics."""
        if not self.pending:
            return
        waits = np.asarray(self.pending, dtype=float)
        self.pending.clear()
        self.n += waits.size
        self.total += math.fsum(waits.tolist())
        self.waited += int(np.count_nonzero(waits > 0.0))
        self.over_six_weeks += int(np.count_nonzero(waits > SIX_WEEKS))
        counts = np.bincount((waits / BIN_WEEKS).astype(np.int64))
        if counts.size > self.bins.size:
            self.bins = np.concatenate([self.bins, np.zeros(counts.size - self.bins.size, int)])
        self.bins[: counts.size] += counts

    def mean(self) -> float:
        self.flush()
        return self.total / self.n if self.n else math.nan

    def quantile(self, q: float) -> float:
        """The q-quantile, interpolated within its bin (zero waits count as 0)."""
        self.flush()
        if not self.n:
            return math.nan
        target = q * self.n
        if self.n - self.waited >= target:
            return 0.0
        cumulative = np.cumsum(self.bins)
        index = int(np.searchsorted(cumulative, target))
        below = int(cumulative[index - 1]) if index else 0
        return (index + (target - below) / int(self.bins[index])) * BIN_WEEKS

    def share_waited(self) -> float:
        """Share of requests that waited at all."""
        self.flush()
        return self.waited / self.n if self.n else math.nan

    def share_over_six_weeks(self) -> float:
        self.flush()
        return self.over_six_weeks / self.n if self.n else math.nan
