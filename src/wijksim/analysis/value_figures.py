"""What the value of a scenario is computed from: an experiment's figures per
replication and year, by source and quantity (:func:`quantities`), and the
scenario each replication ran with, its uncertain values as drawn
(:class:`Realised`); the team's paid hours (:func:`team_hours`), which both the
ledger and the effects read.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ..experiment.replications import Experiment
from ..model.yearly import TEAM
from ..scenario import Scenario
from ..scenario.interventions import InterventionSpec


def yearly(experiment: Experiment) -> pd.DataFrame:
    """The experiment's yearly figures (an error in words when it has none)."""
    runs = experiment.yearly_runs
    if runs is None:
        raise ValueError(
            f"{experiment.label}: no yearly figures (results stored by an older wijksim); "
            "run the comparison again into a fresh folder"
        )
    return runs


def quantities(experiment: Experiment) -> pd.DataFrame:
    """Yearly figures, wide: index (replication, year), columns (source, quantity)."""
    return yearly(experiment).pivot_table(
        index=["replication", "year"],
        columns=["source", "quantity"],
        values="value",
        aggfunc="sum",
    )


def column(table: pd.DataFrame, source: str, quantity: str) -> pd.Series:
    if (source, quantity) in table.columns:
        return table[(source, quantity)].fillna(0.0)
    return pd.Series(0.0, index=table.index)


def _summed(table: pd.DataFrame, source: str, prefix: str) -> pd.Series:
    """The sum of ``source``'s quantities ``<prefix>.<theme>`` (all themes)."""
    out = pd.Series(0.0, index=table.index)
    for src, quantity in table.columns:
        if src == source and quantity.startswith(f"{prefix}."):
            out = out + table[(src, quantity)].fillna(0.0)
    return out


def figure_of(table: pd.DataFrame, source: str, figure: str) -> pd.Series:
    """Figure ``figure`` of ``source`` (``<prefix>.*``: summed over the themes)."""
    if figure.endswith(".*"):
        return _summed(table, source, figure[:-2])
    return column(table, source, figure)


class Realised:
    """The scenario each replication of an experiment ran with: its uncertain
    values set to what was drawn (the scenario as written where it has none)."""

    def __init__(self, experiment: Experiment):
        self.scenario = experiment.scenario
        self._by_replication: dict[int, Scenario] = {}
        uncertain = self.scenario.uncertain or {}
        parameters = experiment.parameters
        if uncertain and not parameters.empty:
            for replication, rows in parameters.groupby("replication"):
                drawn = {
                    path: uncertain[path].written(float(number))
                    for path, number in zip(rows["parameter"], rows["value"], strict=True)
                    if path in uncertain
                }
                self._by_replication[int(replication)] = self.scenario.with_overrides(drawn)

    @property
    def uncertain(self) -> bool:
        """Whether any replication drew a value."""
        return bool(self._by_replication)

    def __getitem__(self, replication: int) -> Scenario:
        return self._by_replication.get(int(replication), self.scenario)

    def values(self, index: pd.Index, unit: Callable[[Scenario], float]) -> np.ndarray:
        """``unit(scenario)`` for each row of ``index`` (its level ``replication``)."""
        replications = index.get_level_values("replication")
        if not self._by_replication:
            return np.full(len(index), float(unit(self.scenario)))
        by_replication = {r: float(unit(self[r])) for r in set(replications)}
        return np.array([by_replication[r] for r in replications], dtype=float)


def own_spec(scenario: Scenario, name: str) -> InterventionSpec:
    """Intervention ``name`` of ``scenario`` (one a replication ran with)."""
    spec = named_spec(scenario, name)
    if spec is None:  # a drawn value cannot remove an intervention
        known = ", ".join(s.name for s in scenario.interventions) or "none"
        raise KeyError(f"no intervention {name!r} in {scenario.name!r} (known: {known})")
    return spec


def named_spec(scenario: Scenario, name: str) -> InterventionSpec | None:
    for spec in scenario.interventions:
        if spec.name == name:
            return spec
    return None


def team_hours(table: pd.DataFrame, realised: Realised) -> pd.Series:
    """Paid hours the team used: the occupied share of its caseload ceiling
    times the hours it had for casework, plus its collective work. The ceiling
    is in slots that stand for paid hours (contact, intake, reporting and
    consultation alike), and collective hours are taken from them, so hours
    moved from casework to collective work are the same hours. Without a
    ceiling, the casework hours measured (contact and intake)."""
    weeks = column(table, TEAM, "weeks")
    collective = column(table, TEAM, "collective_hours")
    per_week = realised.values(table.index, lambda s: s.team.fte * s.team.hours_per_fte_per_week)
    if (TEAM, "ceiling_slot_weeks") not in table.columns:  # stored by an older wijksim
        return column(table, TEAM, "professional_hours") + collective
    with np.errstate(divide="ignore", invalid="ignore"):
        occupancy = column(table, TEAM, "load_slot_weeks") / table[(TEAM, "ceiling_slot_weeks")]
    casework = (per_week * weeks - collective) * occupancy
    measured = column(table, TEAM, "professional_hours")
    return casework.where(np.isfinite(occupancy), measured) + collective
