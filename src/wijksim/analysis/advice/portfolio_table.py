"""The table of every portfolio: its options, what the selection did with
it, its figures' means with their intervals (paired with the reference and
with the recommended), and whether it is over the budget or meets the
constraints."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ...experiment.intervals import (
    CONFIDENCE,
    SHARES,
    paired_interval,
    share_interval,
    t_interval,
)
from ...scenario.decision import Decision, Limit, Portfolio
from .sampling import COST, PortfolioSampler
from .selection import Selection, Settings


def portfolio_table(
    plan: Decision,
    everything: Sequence[Portfolio],
    kept: Sequence[int],
    floors: Sequence[tuple[str, float] | None],
    sampler: PortfolioSampler,
    selection: Selection,
    settings: Settings,
) -> pd.DataFrame:
    """One row per portfolio: its options, what the selection did with it, its
    figures' means with 95% intervals, and whether it is on the frontier's list."""
    limits = plan.limits()
    position = {i: j for j, i in enumerate(kept)}
    reference = position.get(0)
    good = set(selection.good)
    share = plan.objective.figure in SHARES  # its interval stays within [0, 1]
    rows = []
    for i, portfolio in enumerate(everything):
        options = {
            choice.name: (None if option.off else option.name)
            for choice, option in portfolio.chosen(plan)
        }
        row: dict[str, Any] = {"key": portfolio.key, "label": portfolio.label, "options": options}
        j = position.get(i)
        if j is None:
            _, floor = floors[i] or ("", math.nan)
            row.update(status="over budget", replications=0, settled_at=0, eliminated_by=None)
            row.update(_empty(plan, limits))
            row["cost_floor"] = floor
            rows.append(row)
            continue
        n = sampler.count(j)
        by = selection.by[j]
        row.update(
            status=selection.status[j],
            replications=n,
            settled_at=selection.at[j],
            eliminated_by=None if by is None else everything[kept[by]].key,
        )
        objective = sampler.outputs(j)[:, 0]
        row.update(_interval("objective", objective, share=share))
        if reference is not None and sampler.count(reference) >= 2 and n >= 2:
            m = min(n, sampler.count(reference))
            base = sampler.outputs(reference)[:m, 0]
            diff = paired_interval(objective[:m], base)
            row.update(relief=diff.mean, relief_low=diff.low, relief_high=diff.high)
        else:
            row.update(relief=math.nan, relief_low=math.nan, relief_high=math.nan)
        chosen = selection.selected
        if chosen is not None and chosen != j and n >= 2 and sampler.count(chosen) >= 2:
            m = min(n, sampler.count(chosen))
            level = selection.good_level or 1.0 - settings.alpha / 2
            diff = paired_interval(objective[:m], sampler.outputs(chosen)[:m, 0], 2 * level - 1)
            row.update(versus=diff.mean, versus_low=diff.low, versus_high=diff.high)
        elif chosen == j:
            row.update(versus=0.0, versus_low=0.0, versus_high=0.0)
        else:
            row.update(versus=math.nan, versus_low=math.nan, versus_high=math.nan)
        row.update(_interval(COST, sampler.values(j, COST), "cost"))
        if "net" in sampler.names:
            row.update(_interval("net", sampler.values(j, "net")))
        for c, limit in enumerate(limits):
            values = sampler.values(j, limit.figure)
            row[f"limit_{c}"] = float(values.mean()) if len(values) else math.nan
            row[f"limit_{c}_within"] = int(selection.within[j, c]) if selection.within.size else 0
        row["cost_floor"] = math.nan
        row["good"] = j in good
        row["recommended"] = selection.selected == j
        rows.append(row)
    table = pd.DataFrame(rows)
    for column in ("good", "recommended"):
        table[column] = table[column].fillna(False).astype(bool)
    table["over_budget"] = _over_budget(table, limits)
    table["on_frontier_candidate"] = _meets_constraints(table, limits)
    return table


def _empty(plan: Decision, limits: Sequence[Limit]) -> dict[str, Any]:
    nan = math.nan
    out: dict[str, Any] = {
        "objective": nan,
        "objective_low": nan,
        "objective_high": nan,
        "relief": nan,
        "relief_low": nan,
        "relief_high": nan,
        "versus": nan,
        "versus_low": nan,
        "versus_high": nan,
        "cost_per_year": nan,
        "cost_low": nan,
        "cost_high": nan,
        "good": False,
        "recommended": False,
    }
    if "net" in plan.figures():
        out.update(net=nan, net_low=nan, net_high=nan)
    for c, _ in enumerate(limits):
        out[f"limit_{c}"] = nan
        out[f"limit_{c}_within"] = 0
    return out


def _interval(
    name: str, values: np.ndarray, prefix: str | None = None, share: bool = False
) -> dict[str, float]:
    interval = (share_interval if share else t_interval)(values, CONFIDENCE)
    head = prefix or name
    return {name: interval.mean, f"{head}_low": interval.low, f"{head}_high": interval.high}


def _over_budget(table: pd.DataFrame, limits: Sequence[Limit]) -> pd.Series:
    over = table["status"] == "over budget"
    for c, limit in enumerate(limits):
        if limit.kind == "budget":
            over = over | (table[f"limit_{c}_within"] < 0) | (table[f"limit_{c}"] > limit.bound)
    return over.astype(bool)


def _meets_constraints(table: pd.DataFrame, limits: Sequence[Limit]) -> pd.Series:
    """Run, and within every constraint but the budget: as decided, else by the mean."""
    meets = table["replications"] > 0
    for c, limit in enumerate(limits):
        if limit.kind == "budget":
            continue
        within = table[f"limit_{c}_within"]
        mean = table[f"limit_{c}"]
        by_mean = mean <= limit.bound if limit.upper else mean >= limit.bound
        meets = meets & ((within > 0) | ((within == 0) & by_mean))
    return meets.astype(bool)


__all__ = ["portfolio_table"]
