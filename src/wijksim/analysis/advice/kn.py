"""KN (Kim & Nelson 2001) and KN++ (Kim & Nelson 2006): the fully sequential
procedures, with the limits checked alongside (Andradóttir & Kim 2010) and
the best among those left chosen (see :mod:`.procedures`)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .constants import alpha_parts, h_squared, per_test
from .good_set import good_set
from .paired_outputs import Data, pair_variances, tie_order
from .screening import screen
from .selection import Sampler, Selection, Settings, Status


def kn(sampler: Sampler, s: Settings, tiebreak: Callable[[int], float] | None) -> Selection:
    data = Data(sampler, s)
    k, n0, m = data.k, s.first_stage, len(s.limits)
    screening = k > s.screen_above
    alphas = alpha_parts(s, screening)
    a_select = per_test(alphas["selection"], k - 1, s.procedure)
    a_limits = per_test(alphas["limits"], k * m, s.procedure) if m else 0.0
    status: list[Status] = ["left"] * k
    at = [0] * k
    by: list[int | None] = [None] * k
    within = np.zeros((k, m), dtype=int)
    notes: list[dict[str, Any]] = []
    looks: list[tuple[int, int]] = []
    active = list(range(k))
    data.extend(active, n0)
    constants = {"h2": h_squared(a_select, n0 - 1)}
    if m:
        constants["h2_limits"] = h_squared(a_limits, n0 - 1)
    if s.procedure == "kn":  # KN keeps its first-stage variances
        pair_first = pair_variances(data.matrix(active, n0))
        limit_first = data.D[:, :n0, :].var(axis=1, ddof=1)
    else:  # KN++: h² falls towards this as r grows
        constants["h2_large_r"] = -2.0 * math.log(2.0 * a_select)
    r = available = n0
    capped = cut = False
    while True:
        h2, h2_limits = constants["h2"], constants.get("h2_limits", math.nan)
        if s.procedure == "kn++":
            h2 = h_squared(a_select, r - 1)
            h2_limits = h_squared(a_limits, r - 1) if m else math.nan
        if m:
            rows = np.array(active)
            d = data.D[rows, :r, :]
            sums = d.sum(axis=1)
            variances = d.var(axis=1, ddof=1) if s.procedure == "kn++" else limit_first[rows]
            eps = np.array([limit.epsilon for limit in s.limits])
            halves = np.maximum(0.0, h2_limits * variances / (2.0 * eps) - eps * r / 2.0)
            open_ = within[rows] == 0
            within[rows] = np.where(
                open_, np.where(sums <= -halves, 1, np.where(sums >= halves, -1, 0)), within[rows]
            )
            for i in active:
                if (within[i] < 0).any():
                    status[i], at[i] = "outside", r
            active = [i for i in active if status[i] == "left"]
        if screening and r == n0:
            active, cut = screen(
                data, active, within, n0, alphas["screening"], s.screen_above, status, at, notes
            )
        x = data.matrix(active, r)
        if s.procedure == "kn++":
            variances = pair_variances(x)
        else:
            variances = pair_first[np.ix_(active, active)]
        halves = np.maximum(0.0, h2 * variances / (2.0 * s.delta) - s.delta * r / 2.0)
        sums = x.sum(axis=1)
        # only systems known to be within every limit eliminate others (all at once)
        eliminators = [j for j, i in enumerate(active) if (within[i] > 0).all()]
        if eliminators:
            threshold = sums[eliminators][None, :] - halves[:, eliminators]
            beaten = sums[:, None] < threshold
            for j, i in enumerate(active):
                for column in np.nonzero(beaten[j])[0]:
                    if eliminators[column] != j:
                        status[i], at[i], by[i] = "eliminated", r, active[eliminators[column]]
                        break
        kept = [j for j, i in enumerate(active) if status[i] == "left"]
        active = [active[j] for j in kept]
        looks.append((r, len(active)))
        if not active:
            break
        decided = all((within[i] > 0).all() for i in active)
        if decided and len(active) == 1:
            break
        if decided and not halves[np.ix_(kept, kept)].any():
            break  # every triangle has closed: the largest mean wins
        if r >= s.max_replications:
            capped = True
            break
        r += 1
        if r > available:
            available = min(s.max_replications, max(r, math.ceil(available * (1.0 + s.growth))))
            data.extend(active, available)
    selected = _final(data, active, within, r, tiebreak, status, at)
    if capped:
        notes.append({"code": "capped", "max": s.max_replications, "left": len(active)})
    selection = Selection(
        procedure=s.procedure,
        k=k,
        selected=selected,
        status=status,
        at=at,
        by=by,
        within=within,
        replications=[data.count(i) for i in range(k)],
        alphas=alphas,
        constants=constants,
        guaranteed=selected is not None and not capped and not cut,
        notes=notes,
        looks=looks,
    )
    selection.good = good_set(data, selection, s)
    return selection


def _final(
    data: Data,
    active: list[int],
    within: np.ndarray,
    r: int,
    tiebreak: Callable[[int], float] | None,
    status: list[Status],
    at: list[int],
) -> int | None:
    """The largest mean among those left that are within the limits: known to
    be, or, for a limit not yet decided (only when stopped at the cap), by its
    mean. (A portfolio decided within every limit, such as the reference at
    no cost, does not push aside a better one still undecided at the cap.)"""
    candidates = [
        i
        for i in active
        if ((within[i] > 0) | ((within[i] == 0) & (data.d(i, r).mean(axis=0) <= 0))).all()
    ]
    if not candidates:
        return None
    order = tie_order(tiebreak)
    best = max(candidates, key=lambda i: (data.x(i, r).mean(), tuple(-v for v in order(i))))
    status[best], at[best] = "selected", r
    return best
