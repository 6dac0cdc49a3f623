"""The good set: every system within the limits that no other beats by more
than ``delta`` beyond its one-sided interval (see :mod:`.procedures`)."""

from __future__ import annotations

import math

import numpy as np

from .constants import t_one_sided
from .paired_outputs import Data
from .selection import Selection, Settings


def candidates_of(selection: Selection, data: Data) -> list[int]:
    """The systems the good set is drawn from: those within every limit (where
    undecided, by their means), and not dropped by the screen."""
    found = []
    for i in range(selection.k):
        if selection.status[i] in ("outside", "screened") or data.count(i) == 0:
            continue
        row = selection.within[i] if selection.within.size else np.zeros(0)
        if (row < 0).any():
            continue
        undecided = row == 0
        if undecided.any() and (data.d(i).mean(axis=0)[undecided] > 0).any():
            continue
        found.append(i)
    return found


def good_set(data: Data, selection: Selection, s: Settings) -> list[int]:
    """Systems no candidate beats by more than ``delta`` beyond its one-sided
    interval (see the module docstring), in order of their means."""
    pool = candidates_of(selection, data)
    if len(pool) < 2:
        return pool
    p = 1.0 - s.alpha / (len(pool) - 1)
    selection.good_level = p
    good = []
    for i in pool:
        kept = True
        for j in pool:
            if i == j:
                continue
            n = min(data.count(i), data.count(j))
            if n < 2:
                continue  # cannot be told apart
            diff = data.x(i, n) - data.x(j, n)
            w = t_one_sided(p, n - 1) * diff.std(ddof=1) / math.sqrt(n)
            if diff.mean() < -(w + s.delta):
                kept = False
                break
        if kept:
            good.append(i)
    return sorted(good, key=lambda i: -data.x(i).mean())
