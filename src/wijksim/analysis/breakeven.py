"""Break-even: how strong must an intervention's effect be to pay for itself?

The intervention's effect (its diversion share, averting strength, ... -- the
fields its type names in ``effect_fields``) is scaled from 0 to 2 times the
scenario's value; every scale runs the same replications with the same seeds
as a baseline without the intervention (common random numbers), and the net
present value of :mod:`wijksim.analysis.value` is taken at each. The
break-even scale is where the mean net value crosses zero, interpolated
linearly between neighbouring scales; where the interval's ends cross zero
gives its 95% range.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Unpack

import numpy as np
import pandas as pd

from ..experiment.executors import Execution
from ..experiment.replications import run_scenarios
from ..scenario import Scenario, as_scenario
from ..scenario.interventions import InterventionSpec
from .value import Value

#: Default effect scales: 0 to 2 times the scenario's effect.
SCALES = (0.0, 0.5, 1.0, 1.5, 2.0)


@dataclass
class BreakEven:
    """The net present value per effect scale, and where it crosses zero."""

    intervention: str
    table: pd.DataFrame  # scale, capped, cost, benefit, net (+ _low, _high), ratio
    scale: float  # break-even scale (NaN: no crossing seen within the scales)
    low: float  # the scale where the upper end of the interval crosses zero
    high: float  # ... and the lower end

    @property
    def status(self) -> str:
        """``"crosses"`` (at :attr:`scale`); ``"at_or_below"``: the net value is
        at least zero already at the smallest scale run, above 0, so the
        break-even lies somewhere at or below it (run smaller scales to find
        it); ``"none"``: not within the scales run."""
        if not math.isnan(self.scale):
            return "crosses"
        net = self.table["net"].to_numpy(dtype=float)
        return "at_or_below" if len(net) and net[0] >= 0 else "none"

    @property
    def capped_from(self) -> float:
        """The smallest scale at which an effect share was capped at 1 (NaN:
        none was): from there on a larger scale is not a stronger effect."""
        capped = self.table.loc[self.table["capped"], "scale"]
        return float(capped.iloc[0]) if len(capped) else math.nan

    def to_dict(self) -> dict:
        return {
            "intervention": self.intervention,
            "breakeven_status": self.status,
            "breakeven_scale": self.scale,
            "breakeven_low": self.low,
            "breakeven_high": self.high,
            "points": self.table.to_dict(orient="records"),
        }


def without(scenario: Scenario, name: str) -> Scenario:
    """``scenario`` without intervention ``name``, and without the collective
    team hours it took: the baseline it is measured against."""
    keep = [spec for spec in scenario.interventions if spec.name != name]
    if len(keep) == len(scenario.interventions):
        known = ", ".join(s.name for s in scenario.interventions) or "none"
        raise ValueError(f"no intervention {name!r} in {scenario.name!r} (known: {known})")
    spec = next(s for s in scenario.interventions if s.name == name)
    team = scenario.team.model_copy(
        update={
            "collective_hours_per_week": max(
                0.0, scenario.team.collective_hours_per_week - spec.team_hours_per_week
            )
        }
    )
    return scenario.model_copy(
        update={"interventions": tuple(keep), "team": team, "name": f"{scenario.name} (zonder)"}
    )


def scaled(scenario: Scenario, name: str, factor: float) -> Scenario:
    """``scenario`` with the effect of intervention ``name`` scaled by ``factor``."""
    index = next(i for i, s in enumerate(scenario.interventions) if s.name == name)
    spec = scenario.interventions[index]
    if not spec.effect_fields:
        raise ValueError(f"{name!r} ({spec.type}) names no effect fields to scale")
    updates = {f"interventions.{index}.{k}": v for k, v in spec.scaled(factor).items()}
    return scenario.with_overrides({**updates, "name": f"{scenario.name} ×{factor:g}"})


def breakeven(
    scenario: Scenario | str,
    intervention: str,
    scales: tuple[float, ...] = SCALES,
    replications: int = 10,
    seed: int = 0,
    **execution: Unpack[Execution],
) -> BreakEven:
    """Net present value of ``intervention`` at each effect scale (a paired
    sweep against the scenario without it), and the break-even scale. With
    ``out`` (see :class:`~wijksim.experiment.executors.Execution`) a second
    run resumes from the runs kept there.

    Every other assumption is taken as written: the scenario's ``uncertain:``
    values are not drawn (a drawn effect would undo the scaling), so the
    break-even answers how strong the effect must be, all else as assumed."""
    scenario = as_scenario(scenario)
    scales = check_scales(scales)
    if scenario.uncertain:
        scenario = scenario.model_copy(update={"uncertain": None})
    base = without(scenario, intervention)
    scenarios = {"base": base}
    for factor in scales:
        scenarios[f"×{factor:g}"] = scaled(scenario, intervention, factor)
    experiments = run_scenarios(
        scenarios,
        replications=replications,
        seed=seed,
        timeseries=False,
        kind="breakeven",
        **execution,
    )
    totals = Value(experiments, "base").totals()
    totals.insert(0, "scale", list(scales))
    spec = next(s for s in scenario.interventions if s.name == intervention)
    totals.insert(1, "capped", [capped(spec, factor) for factor in scales])
    scale, low, high = (
        crossing(totals["scale"], totals[column]) for column in ("net", "net_high", "net_low")
    )
    return BreakEven(intervention, totals.drop(columns="scenario"), scale, low, high)


def capped(spec: InterventionSpec, factor: float) -> bool:
    """Whether scaling ``spec``'s effect by ``factor`` caps a share at 1."""
    for name in spec.effect_fields:
        value = getattr(spec, name)
        values = value.values() if isinstance(value, dict) else (value,)
        if any(v * factor > 1.0 for v in values):
            return True
    return False


def check_scales(scales: object) -> tuple[float, ...]:
    """``scales`` as a tuple of effect scales: finite numbers of at least 0, in
    increasing order, each once (a repeated scale would be one run under two
    labels, and the table would not line up with the scales asked for)."""
    if isinstance(scales, str | bytes) or not isinstance(scales, Iterable):
        raise TypeError(f"scales must be a list of numbers such as (0, 0.5, 1), not {scales!r:.80}")
    out = []
    for value in scales:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"scales must be numbers, not {value!r:.80}")
        out.append(float(value))
    if not out:
        raise ValueError("give at least one effect scale")
    if not all(math.isfinite(x) and x >= 0 for x in out):
        raise ValueError(f"scales must be finite numbers of at least 0, not {out}")
    if any(b <= a for a, b in itertools.pairwise(out)):
        raise ValueError(f"scales must be increasing, each given once, not {out}")
    return tuple(out)


def crossing(x, y) -> float:
    """The smallest ``x`` where ``y`` rises through zero, linearly interpolated;
    0 when ``y`` is at or above zero already at ``x = 0``. NaN if no crossing
    is seen: ``y`` never reaches zero, or is at or above it from the first
    ``x`` on while that is above 0 (the crossing lies somewhere below it)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if not len(y) or np.isnan(y).all():
        return math.nan
    if y[0] >= 0:
        return float(x[0]) if x[0] == 0 else math.nan
    for i in range(1, len(y)):
        if y[i] >= 0 > y[i - 1]:
            share = -y[i - 1] / (y[i] - y[i - 1])  # in [0, 1]: no overflow for far scales
            return float(x[i - 1] + (x[i] - x[i - 1]) * share)
    return math.nan


__all__ = [
    "SCALES",
    "BreakEven",
    "breakeven",
    "capped",
    "check_scales",
    "crossing",
    "scaled",
    "without",
]
