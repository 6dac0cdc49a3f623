"""Break-even: the effect scale at which an intervention pays for itself."""

from __future__ import annotations

import math

import pytest

import wijksim
from helpers import REPO
from wijksim.analysis.breakeven import breakeven, crossing, scaled, without

SHORT = {"horizon": "3 years", "warmup": "1 year"}


def buddies() -> wijksim.Scenario:
    return wijksim.load_scenario(REPO / "scenarios" / "schuldhulpmaatje.yaml", SHORT)


def test_crossing_interpolates_the_first_rise_through_zero():
    assert crossing([0, 1, 2], [-10, 10, 30]) == pytest.approx(0.5)
    assert crossing([0, 1, 2], [5, 10, 30]) == 0.0  # pays at once
    assert math.isnan(crossing([0, 1, 2], [-5, -3, -1]))  # never
    assert crossing([0, 0.5, 1], [-4, -2, 2]) == pytest.approx(0.75)


def test_scaled_changes_only_the_effect_fields():
    scenario = buddies()
    double = scaled(scenario, "SchuldHulpMaatje", 2.0)
    assert double.interventions[0].diversion_share == pytest.approx(0.8)
    assert double.interventions[0].cost_per_participant == 850
    capped = scaled(scenario, "SchuldHulpMaatje", 5.0)
    assert capped.interventions[0].diversion_share == 1.0  # a share stays a share


def test_without_removes_the_intervention_and_its_team_hours():
    scenario = wijksim.load_scenario(REPO / "scenarios" / "grip-en-glans.yaml", SHORT)
    base = without(scenario, "Grip & Glans")
    assert base.interventions == ()
    assert base.team.collective_hours_per_week == 0
    with pytest.raises(ValueError, match="no intervention 'Nope'"):
        without(scenario, "Nope")


def test_net_value_grows_with_the_effect_and_crosses_zero():
    # the team's hours vary from run to run: enough replications for the
    # interval's ends to cross zero within the scales
    result = breakeven(
        buddies(), "SchuldHulpMaatje", scales=(0.0, 0.5, 1.0), replications=10, workers=1
    )
    net = result.table["net"].to_list()
    assert net[0] < 0 < net[1] < net[2]  # no effect: only costs
    assert 0 < result.scale < 0.5
    assert result.low <= result.scale <= result.high
