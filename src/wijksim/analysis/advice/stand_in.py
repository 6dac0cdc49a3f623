"""A stand-in for the simulation with a known answer: normal outputs with
known means, correlated across systems as common random numbers make them.

Used to check that the selection procedures meet their guarantees (the
known-answer tests) and to count the replications they spend (the benchmark),
at a cost of microseconds a replication instead of a second. Replication ``r``
draws every system's output from its own seed ``(seed, r)``, so the outputs do
not depend on which systems were asked for first or in what steps: as with
the simulation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class NormalSampler:
    """``k`` systems whose objective in replication ``r`` is
    ``means[i] + sd[i] * (sqrt(rho) Z_r + sqrt(1 - rho) E_ir)``: normal with
    mean ``means[i]`` and standard deviation ``sd[i]``, correlation ``rho``
    between systems through the common ``Z_r``. ``limits``: per system, the
    mean of each limit's figure (normal too, standard deviation ``limit_sd``).
    """

    def __init__(
        self,
        means: Sequence[float],
        sd: float | Sequence[float] = 1.0,
        *,
        rho: float = 0.5,
        seed: int = 0,
        limits: Sequence[Sequence[float]] | None = None,
        limit_sd: float = 1.0,
    ):
        self.means = np.asarray(means, dtype=float)
        self.sd = np.broadcast_to(np.asarray(sd, dtype=float), self.means.shape).copy()
        if not 0 <= rho < 1:
            raise ValueError("rho must lie in [0, 1)")
        self.rho = rho
        self.seed = seed
        self.limit_means = np.zeros((len(self.means), 0))
        if limits is not None:
            self.limit_means = np.asarray(limits, dtype=float).reshape(len(self.means), -1)
        self.limit_sd = limit_sd
        # replication r of system i: self._data[i, r] (objective, then the limits)
        self._data = np.zeros((len(self.means), 0, 1 + self.limit_means.shape[1]))
        self._counts = np.zeros(len(self.means), dtype=int)

    @property
    def systems(self) -> int:
        return len(self.means)

    def _replications(self, size: int) -> None:
        """Draw replications up to ``size`` (each from its own seed)."""
        made = self._data.shape[1]
        if size <= made:
            return
        k, m = self.limit_means.shape
        rows = []
        for r in range(made, max(size, 2 * made)):
            rng = np.random.default_rng((self.seed, r))
            common = rng.standard_normal()
            own = rng.standard_normal(k)
            x = self.means + self.sd * (np.sqrt(self.rho) * common + np.sqrt(1 - self.rho) * own)
            limits = self.limit_means + self.limit_sd * rng.standard_normal((k, m))
            rows.append(np.column_stack([x, limits]))
        self._data = np.concatenate([self._data, np.stack(rows, axis=1)], axis=1)

    def extend(self, systems: Sequence[int], size: int) -> None:
        self._replications(size)
        for i in systems:
            self._counts[i] = max(self._counts[i], size)

    def outputs(self, system: int) -> np.ndarray:
        return self._data[system, : self._counts[system]]

    @property
    def spent(self) -> int:
        """Replications given out, of all systems together."""
        return int(self._counts.sum())


__all__ = ["NormalSampler"]
