"""The cost-relief frontier of the portfolios a selection ran.

A portfolio is *efficient* when no portfolio that costs less (by its mean cost
per year) has a better objective (by its mean): walking from the cheapest
portfolio up, each efficient one buys an improvement the cheaper ones could
not. Between two neighbours on the frontier, the *relief per EUR 10,000* is the
improvement of the objective over the extra cost a year, times 10,000; the
*changes* say which options the more expensive one takes otherwise (a
provision that enters, grows or leaves). These are point estimates from the
replications each portfolio received: a portfolio eliminated early has few,
and its intervals (in the table) say how well it is known.

Only portfolios that meet the decision's constraints other than the budget (as
far as the run could tell) are on it; those over the budget are marked, not
left out, so that the frontier shows what more money would buy.
"""

from __future__ import annotations

import math
from collections.abc import Collection

import pandas as pd

#: Relief is shown per this many euro a year.
PER = 10_000.0

FRONTIER_COLUMNS = [
    "key",
    "label",
    "cost_per_year",
    "cost_low",
    "cost_high",
    "objective",
    "objective_low",
    "objective_high",
    "over_budget",
    "extra_cost",
    "improvement",
    "relief_per_10k",
    "changes",
]


def frontier(table: pd.DataFrame, goal: str, single: Collection[str] = ()) -> pd.DataFrame:
    """The efficient portfolios of ``table`` (one row per portfolio with
    ``key, label, cost_per_year, cost_low, cost_high, objective, objective_low,
    objective_high, over_budget, on_frontier_candidate, options``), cheapest
    first (columns :data:`FRONTIER_COLUMNS`); ``goal``: ``minimise`` or
    ``maximise`` the objective; ``single``: choices of one provision at one
    level (named without it in the changes)."""
    rows = table[table["on_frontier_candidate"]].copy()
    if rows.empty:
        return pd.DataFrame(columns=FRONTIER_COLUMNS)
    sign = -1.0 if goal == "minimise" else 1.0
    rows["score"] = sign * rows["objective"]
    rows = rows.sort_values(["cost_per_year", "score", "key"], ascending=[True, False, True])
    best = -math.inf
    kept = []
    for _, row in rows.iterrows():
        if row["score"] > best:
            kept.append(row)
            best = row["score"]
    out = []
    previous = None
    for row in kept:
        entry = {c: row[c] for c in FRONTIER_COLUMNS[:9]}
        if previous is None:
            entry.update(extra_cost=math.nan, improvement=math.nan, relief_per_10k=math.nan)
            entry["changes"] = []
        else:
            extra = float(row["cost_per_year"] - previous["cost_per_year"])
            better = float(row["score"] - previous["score"])
            entry["extra_cost"] = extra
            entry["improvement"] = better
            entry["relief_per_10k"] = better / extra * PER if extra > 0 else math.inf
            entry["changes"] = changes(previous["options"], row["options"], single)
        out.append(entry)
        previous = row
    return pd.DataFrame(out, columns=FRONTIER_COLUMNS)


def changes(
    before: dict[str, str | None], after: dict[str, str | None], single: Collection[str] = ()
) -> list[str]:
    """What ``after`` does otherwise than ``before``, per choice (option names;
    ``None`` for a provision left out): ``+ X (level)`` (``+ X`` for a choice
    in ``single``), ``- X``, ``X: a -> b``."""
    out = []
    for choice, option in after.items():
        was = before.get(choice)
        if option == was:
            continue
        if was is None:
            out.append(f"+ {choice}" if choice in single else f"+ {choice} ({option})")
        elif option is None:
            out.append(f"− {choice}")
        else:
            out.append(f"{choice}: {was} → {option}")
    return out


def entering(table: pd.DataFrame) -> list[str]:
    """The choices in the order they first change along a frontier (``+ X`` or
    ``X: a -> b``): which provision enters first as the budget grows."""
    seen: list[str] = []
    for listed in table["changes"]:
        for change in listed:
            name = change.lstrip("+− ").split(" (")[0].split(":")[0]
            if not change.startswith("−") and name not in seen:
                seen.append(name)
    return seen


__all__ = ["FRONTIER_COLUMNS", "PER", "changes", "entering", "frontier"]
