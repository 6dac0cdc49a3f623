"""Parameter uncertainty: values drawn once per replication.

Each uncertain value has its own random stream, named ``uncertain.<path>`` and
seeded from the replication's seed, apart from the streams of the model. So
replication ``r`` draws the same value in every scenario of a comparison that
declares the parameter alike (common random numbers for parameters too), and
declaring one more uncertain value changes no other draw.
"""

from __future__ import annotations

from typing import Any

from ..scenario import Scenario
from ..streams import Seed, Streams


def draw_parameters(scenario: Scenario, seed: Seed) -> dict[str, Any]:
    """The uncertain values of one replication, as written in a scenario file."""
    if not scenario.uncertain:
        return {}
    streams = Streams(seed)
    return {
        path: spec.value(float(streams.rng(f"uncertain.{path}").random()))
        for path, spec in scenario.uncertain.items()
    }


def realise(scenario: Scenario, seed: Seed) -> tuple[Scenario, dict[str, Any]]:
    """The scenario of one replication with its uncertain values drawn and set.

    Returns the scenario (with neither ``uncertain`` nor ``sweep`` left) and the
    values drawn.
    """
    values = draw_parameters(scenario, seed)
    if values:
        scenario = scenario.with_overrides(values)
    if scenario.uncertain is not None or scenario.sweep is not None:
        scenario = scenario.model_copy(update={"uncertain": None, "sweep": None})
    return scenario, values


def check_uncertain(scenario: Scenario) -> None:
    """Raise :class:`ScenarioError` if an uncertain path or value is not valid,
    by setting every uncertain value to its median once."""
    if scenario.uncertain:
        scenario.with_overrides({path: spec.central for path, spec in scenario.uncertain.items()})


def numeric(value: Any) -> float:
    """A drawn value as a number (durations in their own unit, e.g. ``"1.5 hours"`` -> 1.5)."""
    if isinstance(value, str):
        return float(value.split()[0])
    return float(value)
