"""The outputs every procedure reads: oriented (larger is better, a limit met
at a mean of at most 0), paired replication by replication, with the
variances of their differences and the order that breaks ties."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .selection import Sampler, Settings


class Data:
    """The oriented outputs of every system, read from the sampler: ``X[i, j]``
    the objective of replication ``j`` of system ``i``, ``D[i, j, c]`` its limit
    ``c`` (arrays padded beyond each system's ``counts``)."""

    def __init__(self, sampler: Sampler, settings: Settings):
        self.sampler = sampler
        self.settings = settings
        self.k = sampler.systems
        self.limits = settings.limits
        self.counts = np.zeros(self.k, dtype=int)
        self.X = np.zeros((self.k, 0))
        self.D = np.zeros((self.k, 0, len(self.limits)))

    def extend(self, systems: Sequence[int], size: int) -> None:
        wanted = [int(i) for i in systems if self.counts[i] < size]
        if not wanted:
            return
        self.sampler.extend(wanted, size)
        # every system: a sampler may run others along (the simulation runs the
        # reference portfolio as far as any, for the social balance)
        for i in range(self.k):
            self._read(i)

    def _read(self, i: int) -> None:
        out = np.asarray(self.sampler.outputs(i), dtype=float)
        m = len(self.limits)
        if out.ndim != 2 or out.shape[1] != 1 + m:
            raise ValueError(f"system {i}: outputs of shape {out.shape}, not (n, {1 + m})")
        n = len(out)
        if n > self.X.shape[1]:
            grown = max(n, 2 * self.X.shape[1])
            self.X = np.pad(self.X, ((0, 0), (0, grown - self.X.shape[1])))
            self.D = np.pad(self.D, ((0, 0), (0, grown - self.D.shape[1]), (0, 0)))
        sign = 1.0 if self.settings.maximise else -1.0
        self.X[i, :n] = sign * out[:, 0]
        for c, b in enumerate(self.limits):
            self.D[i, :n, c] = (out[:, 1 + c] - b.bound) if b.upper else (b.bound - out[:, 1 + c])
        self.counts[i] = n

    def count(self, i: int) -> int:
        return int(self.counts[i])

    def x(self, i: int, r: int | None = None) -> np.ndarray:
        """The objective of system ``i``, its first ``r`` replications (default: all)."""
        return self.X[i, : self.counts[i] if r is None else r]

    def d(self, i: int, r: int | None = None) -> np.ndarray:
        """The limits of system ``i`` (replications × limits), its first ``r``."""
        return self.D[i, : self.counts[i] if r is None else r]

    def matrix(self, systems: Sequence[int], r: int) -> np.ndarray:
        """The objective of ``systems`` (rows) over replications ``0..r-1``."""
        return self.X[list(systems), :r]


def pair_variances(x: np.ndarray) -> np.ndarray:
    """``S²_il``: the variance of ``x_i - x_l`` over the columns (0 on the
    diagonal), from the centred cross products (memory of order rows²)."""
    n = x.shape[1]
    if n < 2:
        return np.full((len(x), len(x)), np.nan)
    y = x - x.mean(axis=1, keepdims=True)
    cross = y @ y.T
    diagonal = np.diag(cross)
    variances = (diagonal[:, None] + diagonal[None, :] - 2.0 * cross) / (n - 1)
    np.fill_diagonal(variances, 0.0)
    return np.maximum(variances, 0.0)


def tie_order(tiebreak: Callable[[int], float] | None) -> Callable[[int], tuple[float, int]]:
    """The key that orders tied systems: ``tiebreak(i)`` (the cheapest first), then ``i``."""

    def key(i: int) -> tuple[float, int]:
        return ((tiebreak(i) if tiebreak else 0.0), i)

    return key
