"""OCBA (Chen et al. 2000): a fixed number of replications spread to make a
correct selection most likely, and the approximate chance that it is (see
:mod:`.procedures`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy.special import ndtr

from .good_set import good_set
from .paired_outputs import Data, tie_order
from .selection import Sampler, Selection, Settings, Status


def ocba(sampler: Sampler, s: Settings, tiebreak: Callable[[int], float] | None) -> Selection:
    data = Data(sampler, s)
    k, n0, m = data.k, s.first_stage, len(s.limits)
    asked = s.total if s.total is not None else 4 * n0 * k
    total = max(asked, n0 * k)  # the first stage is the least OCBA can spend
    everyone = list(range(k))
    data.extend(everyone, n0)
    rounds = 20
    step = max(1, math.ceil((total - n0 * k) / rounds))
    notes: list[dict[str, Any]] = [{"code": "ocba", "total": total, "step": step}]
    if total > asked:  # said, not done silently
        notes.append({"code": "raised", "asked": asked, "total": total, "first_stage": n0})
    while True:
        spent = sum(data.count(i) for i in everyone)
        if spent >= total:
            break
        pool = [i for i in everyone if _plausible(data, i)]
        if not pool:
            break
        add = _allocate(data, pool, min(step, total - spent), s.delta)
        if not add:
            break
        for size in sorted(set(add.values())):
            data.extend([i for i, n in add.items() if n == size], size)
    within = np.zeros((k, m), dtype=int)
    for i in everyone:
        if m:
            within[i] = np.where(data.d(i).mean(axis=0) <= 0, 1, -1)
    status: list[Status] = ["stopped"] * k
    at = [data.count(i) for i in everyone]
    candidates = [i for i in everyone if (within[i] > 0).all()]
    selected = None
    order = tie_order(tiebreak)
    if candidates:
        selected = max(candidates, key=lambda i: (data.x(i).mean(), tuple(-v for v in order(i))))
        status[selected] = "selected"
    for i in everyone:
        if m and (within[i] < 0).any():
            status[i] = "outside"
    selection = Selection(
        procedure="ocba",
        k=k,
        selected=selected,
        status=status,
        at=at,
        by=[None] * k,
        within=within,
        replications=[data.count(i) for i in everyone],
        alphas={"good set": s.alpha},
        constants={"total": float(total)},
        guaranteed=False,
        notes=notes,
    )
    if selected is not None:
        selection.pcs_estimate = approximate_pcs(data, selected, candidates)
    selection.good = good_set(data, selection, s)
    return selection


def _plausible(data: Data, i: int) -> bool:
    """Within every limit or less than two standard errors outside it."""
    d = data.d(i)
    if d.shape[1] == 0:
        return True
    n = len(d)
    se = d.std(axis=0, ddof=1) / math.sqrt(n) if n > 1 else np.zeros(d.shape[1])
    return bool(np.all(d.mean(axis=0) - 2.0 * se <= 0))


def _allocate(data: Data, pool: list[int], budget: int, delta: float) -> dict[int, int]:
    """Chen et al. (2000): the replications each of ``pool`` should have after
    ``budget`` more, as new sizes (only those that grow)."""
    means = np.array([data.x(i).mean() for i in pool])
    sds = np.array([data.x(i).std(ddof=1) for i in pool])
    counts = np.array([data.count(i) for i in pool], dtype=float)
    b = int(np.argmax(means))
    gaps = np.maximum(means[b] - means, 1e-3 * delta)
    ratio = np.where(sds > 0, (sds / gaps) ** 2, 0.0)
    ratio[b] = 0.0
    others = np.arange(len(pool)) != b
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(sds[others] > 0, ratio[others] ** 2 / sds[others] ** 2, 0.0)
    ratio[b] = sds[b] * math.sqrt(terms.sum())
    if ratio.sum() <= 0:
        return {}
    target = (counts.sum() + budget) * ratio / ratio.sum()
    need = np.maximum(0.0, target - counts)
    if need.sum() <= 0:
        return {}
    extra = np.floor(need * budget / need.sum()).astype(int)
    left = budget - int(extra.sum())
    for j in np.argsort(-(need * budget / need.sum() - extra), kind="stable")[:left]:
        extra[j] += 1
    return {pool[j]: int(counts[j] + extra[j]) for j in range(len(pool)) if extra[j] > 0}


def approximate_pcs(data: Data, best: int, candidates: Sequence[int]) -> float:
    """The Bonferroni approximation of the chance that ``best`` is the best:
    ``1 - sum_i P(x_i > x_best)``, each normal with the paired variance of the
    replications in common (not below 0)."""
    total = 0.0
    for i in candidates:
        if i == best:
            continue
        n = min(data.count(i), data.count(best))
        if n < 2:
            return math.nan
        diff = data.x(best, n) - data.x(i, n)
        sd = diff.std(ddof=1)
        if sd == 0:
            total += 0.0 if diff.mean() > 0 else 0.5
            continue
        total += float(ndtr(-diff.mean() / (sd / math.sqrt(n))))
    return max(0.0, 1.0 - total)
