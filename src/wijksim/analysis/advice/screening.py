"""Screening (Nelson et al. 2001): the subset of a large menu that goes on to
the selection after the first stage (see :mod:`.procedures`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .constants import t_one_sided
from .paired_outputs import Data
from .selection import Status


def screen(
    data: Data,
    active: list[int],
    within: np.ndarray,
    n0: int,
    alpha: float,
    most: int,
    status: list[Status],
    at: list[int],
    notes: list[dict[str, Any]],
) -> tuple[list[int], bool]:
    """Subset selection after the first stage (see the module docstring); also
    whether the cut to ``most`` was needed."""
    k = data.k
    t = t_one_sided(1.0 - alpha / (k - 1), n0 - 1)
    feasible = [i for i in active if (within[i] > 0).all()]
    means = np.array([data.x(i, n0).mean() for i in active])
    kept = list(active)
    if feasible:
        fx = data.matrix(feasible, n0)
        fmeans = fx.mean(axis=1)
        kept = []
        chunk = 64
        for start in range(0, len(active), chunk):
            rows = active[start : start + chunk]
            x = data.matrix(rows, n0)
            diff = x[:, None, :] - fx[None, :, :]
            w = t * np.sqrt(diff.var(axis=2, ddof=1) / n0)
            gap = means[start : start + len(rows)][:, None] - fmeans[None, :]
            for j, i in enumerate(rows):
                if np.all(gap[j] >= -w[j]):
                    kept.append(i)
    for i in set(active) - set(kept):
        status[i], at[i] = "screened", n0
    notes.append({"code": "screened", "kept": len(kept), "of": len(active)})
    if len(kept) > most:
        order = sorted(kept, key=lambda i: -data.x(i, n0).mean())
        for i in order[most:]:
            status[i], at[i] = "screened", n0
        notes.append({"code": "cut", "most": most})
        return sorted(order[:most]), True
    return kept, False
