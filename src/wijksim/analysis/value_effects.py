"""The effects in their own units, what the euro of the ledger stand on: per
alternative against the baseline (paired), the waits, people who give up,
escalations, people taken on, the team's hours, each provision's participants,
and each provision's declared effects that are not valued in euro (PM posts).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..experiment.intervals import Interval, paired_interval
from ..experiment.replications import Experiment
from ..scenario.units import WEEKS_PER_YEAR
from .value_figures import Realised, column, named_spec, quantities, team_hours

#: The columns of :meth:`Value.effects <wijksim.analysis.value.Value.effects>`.
EFFECT_COLUMNS = [
    "scenario",
    "intervention",
    "effect",
    "unit",
    "baseline",
    "value",
    "difference",
    "ci_low",
    "ci_high",
    "valued_as",
]


def effect_rows(
    scenario: str,
    alt: Experiment,
    base: Experiment,
    realised: Mapping[str, Realised],
    confidence: float,
) -> list[dict]:
    """The rows of the effects of ``alt`` (called ``scenario``) against the
    baseline ``base`` (``realised``: their :class:`Realised` scenarios as ``alt``
    and ``base``), with ``confidence`` intervals of the paired differences."""
    costs_ = alt.scenario.costs
    declared = {o.per: f"team_outcome:{o.name}" for o in costs_.outcomes}
    priced = costs_.prices_heavier_care()
    waits = declared.get("waiting_week_avoided", "")  # the weeks valued hold the share too
    figures = (
        ("mean_wait_weeks", "weeks", False, waits),
        ("share_wait_over_6_weeks", "share", False, waits),
        ("reneged", "persons per year", True, declared.get("give_up_avoided", "")),
        ("escalations", "persons per year", True, "heavier_care_avoided" if priced else ""),
        ("intakes", "persons per year", True, ""),
        ("professional_hours", "hours per year", True, "team_hours"),
        ("collective_hours", "hours per year", True, "team_hours"),
    )
    out = []
    for metric, unit, per_year, valued in figures:
        if metric not in alt.metrics or metric not in base.metrics:
            continue
        a, b = alt.values(metric), base.values(metric)
        if per_year:
            a = a / (alt.values("weeks") / WEEKS_PER_YEAR)
            b = b / (base.values("weeks") / WEEKS_PER_YEAR)
        diff = paired_interval(a, b, confidence)
        out.append(_effect(scenario, "", metric, unit, b, a, diff, valued))
    used = [
        _per_year(team_hours(quantities(experiment), realised[side]), experiment)
        for side, experiment in (("alt", alt), ("base", base))
    ]
    diff = paired_interval(used[0], used[1], confidence)
    out.append(
        _effect(
            scenario,
            "",
            "team_hours_used",
            "hours per year",
            used[1],
            used[0],
            diff,
            "team_hours",
        )
    )
    for spec in alt.scenario.interventions:
        started = _per_year(column(quantities(alt), spec.name, "participants"), alt)
        before = np.zeros_like(started)
        if named_spec(base.scenario, spec.name) is not None:
            before = _per_year(column(quantities(base), spec.name, "participants"), base)
        if started.any() or before.any():  # resident initiatives have none
            diff = paired_interval(started, before, confidence)
            out.append(
                _effect(
                    scenario,
                    spec.name,
                    "participants",
                    "persons per year",
                    before,
                    started,
                    diff,
                    "",
                )
            )
        # the volunteers' time: its expenses are a cost, the time itself is not
        # valued (a PM post), so it is shown in its own unit beside the euros
        # (volunteer weeks per year / weeks per year: volunteers engaged, on average)
        active = _per_year(column(quantities(alt), spec.name, "volunteer_weeks"), alt)
        active = active / WEEKS_PER_YEAR
        before = np.zeros_like(active)
        if named_spec(base.scenario, spec.name) is not None:
            before = _per_year(column(quantities(base), spec.name, "volunteer_weeks"), base)
            before = before / WEEKS_PER_YEAR
        if active.any() or before.any():
            diff = paired_interval(active, before, confidence)
            out.append(
                _effect(scenario, spec.name, "volunteers", "persons", before, active, diff, "")
            )
        nan = math.nan
        out.extend(
            _effect(
                scenario, spec.name, text, "", [nan], [nan], Interval(nan, nan, 0, nan, nan), ""
            )
            for text in spec.unvalued
        )
    return out


def _per_year(values: pd.Series, experiment: Experiment) -> np.ndarray:
    """Values per (replication, year) summed per replication, per year of the run."""
    total = values.groupby(level="replication").sum()
    total = total.reindex(range(experiment.replications), fill_value=0.0).to_numpy()
    return total / _years(experiment)


def _years(experiment: Experiment) -> np.ndarray:
    """Years after the warm-up, per replication."""
    return experiment.values("weeks") / WEEKS_PER_YEAR


def _effect(scenario, intervention, effect, unit, before, after, diff: Interval, valued) -> dict:
    return {
        "scenario": scenario,
        "intervention": intervention,
        "effect": effect,
        "unit": unit,
        "baseline": _mean(before),
        "value": _mean(after),
        "difference": diff.mean,
        "ci_low": diff.low,
        "ci_high": diff.high,
        "valued_as": valued,
    }


def _mean(values) -> float:
    """The mean of the finite values (NaN when there are none)."""
    x = np.asarray(values, dtype=float)
    return float(x[np.isfinite(x)].mean()) if np.isfinite(x).any() else math.nan
