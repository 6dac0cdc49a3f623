"""The scenario-key reference: every key of a scenario file is listed, typed
and described (add a ``description=`` to the pydantic field when this fails)."""

from __future__ import annotations

import pytest

from wijksim.scenario import Scenario
from wijksim.scenario.interventions import REGISTRY
from wijksim.scenario.reference import scenario_keys

KEYS = scenario_keys()


@pytest.mark.parametrize("key", KEYS, ids=lambda k: f"{k.section}:{k.path}")
def test_every_key_has_a_description_and_a_type(key):
    assert key.description.strip(), f"{key.path} ({key.section}) has no description"
    assert key.type and key.type != "any", f"{key.path}: no type"


def test_every_top_level_key_and_intervention_type_is_listed():
    top = {k.path for k in KEYS if k.section == "scenario" and "." not in k.path}
    assert set(Scenario.model_fields) | {"extends"} == top
    sections = {k.section for k in KEYS}
    assert {f"intervention: {kind}" for kind in REGISTRY} <= sections
    assert {"distribution: lognormal", "uncertain: beta"} <= sections


def test_durations_and_shares_carry_their_unit():
    by_path = {k.path: k for k in KEYS if k.section == "scenario"}
    assert "duration" in by_path["horizon"].type
    assert "unit" in by_path["horizon"].unit
    assert by_path["neighbourhood.settled_at_intake"].unit == "share (0-1)"
    assert by_path["neighbourhood.themes.<theme>.requests_per_1000"].unit.startswith("requests")
    assert by_path["team.fte"].default == ""  # required: no default shown
    assert by_path["team.queue"].default == '"fifo"'
