"""Break-even: the effect scale at which an intervention pays for itself."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import wijksim
from helpers import REPO
from wijksim.analysis.breakeven import BreakEven, breakeven, capped, crossing, scaled, without

SHORT = {"horizon": "3 years", "warmup": "1 year"}


def buddies() -> wijksim.Scenario:
    return wijksim.load_scenario(REPO / "scenarios" / "schuldhulpmaatje.yaml", SHORT)


def test_crossing_interpolates_the_first_rise_through_zero():
    assert crossing([0, 1, 2], [-10, 10, 30]) == pytest.approx(0.5)
    assert crossing([0, 1, 2], [5, 10, 30]) == 0.0  # pays with no effect at all
    # pays already at the smallest scale run, above 0: the crossing is below it
    assert math.isnan(crossing([1e308], [5.0]))
    assert math.isnan(crossing([0.5, 1, 2], [5, 10, 30]))
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


def _result(scales, nets, capped=None):
    table = pd.DataFrame({"scale": scales, "capped": capped or [False] * len(scales), "net": nets})
    return BreakEven("X", table, crossing(scales, nets), math.nan, math.nan)


def test_the_verdict_says_what_the_scales_run_can_tell():
    assert _result([0.0, 1.0], [-5.0, 5.0]).status == "crosses"
    assert _result([0.0, 1.0], [1.0, 5.0]).status == "crosses"  # at 0
    assert _result([0.5, 1.0], [1.0, 5.0]).status == "at_or_below"
    assert _result([0.0, 1.0], [-5.0, -1.0]).status == "none"
    assert _result([0.5, 1.0], [1.0, 5.0]).to_dict()["breakeven_status"] == "at_or_below"


def test_scales_that_cap_a_share_are_named():
    spec = buddies().interventions[0]  # diversion_share 0.4
    flags = [capped(spec, f) for f in (0.0, 1.0, 2.5, 2.6, 1e308)]
    assert flags == [False, False, False, True, True]
    result = _result([1.0, 3.0, 5.0], [1.0, 2.0, 3.0], capped=[False, True, True])
    assert result.capped_from == 3.0
    assert math.isnan(_result([1.0], [1.0]).capped_from)
