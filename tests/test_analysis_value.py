"""Costs and benefits (wijksim.analysis.value), relief per year, bounded intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import wijksim
from helpers import REPO
from wijksim.analysis.value import hours_per_request, value
from wijksim.experiment.intervals import bounded_interval, describe, wilson_interval
from wijksim.model.yearly import yearly
from wijksim.scenario.interventions import Costs

SCENARIOS = REPO / "scenarios"
SHORT = {"horizon": "3 years", "warmup": "1 year"}


def short(name: str, **overrides) -> wijksim.Scenario:
    return wijksim.load_scenario(SCENARIOS / name, {**SHORT, **overrides})


def comparison(*alternatives: wijksim.Scenario, baseline=None, replications=4):
    baseline = baseline or short("baseline.yaml")
    return wijksim.compare(
        [baseline, *alternatives], replications=replications, workers=1, timeseries=False
    )


@pytest.fixture(scope="module")
def buddies():
    return comparison(short("schuldhulpmaatje.yaml"))


def item(result, name: str) -> float:
    table = result.by_item()
    return float(table.loc[table["item"] == name, "euro"].sum())


def test_yearly_figures_add_up_to_the_summary():
    run = wijksim.simulate(short("alle-interventies.yaml"), seed=3)
    years = yearly(run.model)
    team = years[years["source"] == "team"]
    summary = run.summary()
    for key in ("requests", "escalations", "averted", "diverted"):
        assert team.loc[team["quantity"] == key, "value"].sum() == summary[key]
    hours = team.loc[team["quantity"] == "professional_hours", "value"].sum()
    assert hours == pytest.approx(summary["professional_hours"], rel=1e-12)
    weeks = team.loc[team["quantity"] == "weeks", "value"]
    assert weeks.sum() == pytest.approx(summary["weeks"])
    assert len(weeks) == 2  # two years after a one-year warm-up
    per_theme = team[team["quantity"].str.startswith("requests.")]["value"].sum()
    assert per_theme == summary["requests"]


def test_debt_assistance_changes_the_buddies_benefit(buddies):
    first = item(value(buddies), "debt_assistance_avoided")
    assert first > 0
    dearer = short("schuldhulpmaatje.yaml", **{"costs.debt_assistance": 5000})
    again = value(comparison(dearer))
    assert item(again, "debt_assistance_avoided") == pytest.approx(2 * first)
    # nothing else moves
    assert item(again, "capacity_freed") == pytest.approx(item(value(buddies), "capacity_freed"))


def test_heavier_care_values_escalations_avoided_per_theme():
    pressed = {"team.fte": 8}  # a waiting list, so escalations to avoid
    cheap = comparison(
        short("schuldhulpmaatje.yaml", **pressed, **{"costs.heavier_care": 0}),
        baseline=short("baseline.yaml", **pressed),
    )
    assert item(value(cheap), "heavier_care_avoided") == 0
    per_theme = {"debts": 1000.0, "parenting": 3000.0}
    dear = comparison(
        short("schuldhulpmaatje.yaml", **pressed, **{"costs.heavier_care": per_theme}),
        baseline=short("baseline.yaml", **pressed),
    )
    ledger = value(dear).ledger
    rows = ledger[ledger["item"] == "heavier_care_avoided"]
    assert rows["quantity"].abs().sum() > 0  # escalations did differ
    years = dear.experiments[dear.baseline].yearly_runs
    expected = 0.0
    for theme, price in per_theme.items():
        for label, sign in ((dear.baseline, 1), (dear.alternatives[0], -1)):
            runs = dear.experiments[label].yearly_runs
            mask = (runs["source"] == "team") & (runs["quantity"] == f"escalations.{theme}")
            expected += sign * price * runs.loc[mask, "value"].sum()
    assert rows["euro"].sum() == pytest.approx(expected)
    assert years is not None


def test_every_cost_field_changes_the_result(buddies):
    """An unused cost key is impossible: each field of costs moves the totals."""
    pressed = {"team.fte": 8}
    base = short("baseline.yaml", **pressed)
    start = short("alle-interventies.yaml", **pressed)
    reference = value(comparison(start, baseline=base)).totals()
    changed = {
        "team_hour": 150.0,
        "heavier_care": 20000.0,
        "debt_assistance": 9999.0,
        "discount_rate": 0.15,
    }
    assert set(changed) == set(Costs.model_fields)
    for field, new in changed.items():
        other = start.with_overrides({f"costs.{field}": new})
        totals = value(comparison(other, baseline=base)).totals()
        assert totals["net"][0] != pytest.approx(reference["net"][0]), field


def test_zero_effect_has_no_value():
    scenario = short("baseline.yaml")
    same = scenario.model_copy(update={"name": "same"})
    result = value(comparison(same, baseline=scenario))
    totals = result.totals()
    assert totals["cost"][0] == 0 and totals["benefit"][0] == 0 and totals["net"][0] == 0
    assert totals["p_positive"][0] == 0


def test_discounting_follows_the_rate(buddies):
    ledger = value(buddies).ledger
    rate = buddies.experiments[buddies.alternatives[0]].scenario.costs.discount_rate
    assert rate == 0.0225
    expected = ledger["euro"] * (1 + rate) ** -ledger["year"].astype(float)
    np.testing.assert_allclose(ledger["discounted"], expected)
    assert set(ledger["year"]) == {0, 1}


def test_totals_by_payer_add_up(buddies):
    result = value(buddies)
    totals = result.totals().iloc[0]
    payers = result.by_payer()
    assert payers["net"].sum() == pytest.approx(totals["net"])
    assert totals["cost_low"] <= totals["cost"] <= totals["cost_high"]
    assert 0 <= totals["p_positive_low"] <= totals["p_positive"] <= totals["p_positive_high"] <= 1
    assert totals["ratio_low"] <= totals["ratio"] <= totals["ratio_high"]
    assert set(payers["payer"]) == {"municipality", "wijkteam", "debt_assistance"}


def test_declared_outcome_is_booked_to_its_payer():
    result = value(comparison(short("bezoekdienst.yaml")))
    rows = result.by_payer()
    insurer = rows[rows["payer"] == "health_insurer"]
    assert len(insurer) == 1 and insurer["benefit"].iloc[0] > 0
    spec = short("bezoekdienst.yaml").interventions[0]
    ledger = result.ledger
    booked = ledger[ledger["item"].str.startswith("outcome:")]
    outcome = spec.outcomes[0]
    np.testing.assert_allclose(booked["euro"], booked["quantity"] * outcome.value)


def test_hours_per_request_follows_durations():
    scenario = short("baseline.yaml")
    hours = hours_per_request(scenario)
    longer = hours_per_request(scenario.with_overrides({"team.contact_hours_per_week.regular": 2}))
    assert all(longer[t] > hours[t] for t in hours)
    assert 10 < hours["debts"] < 100  # roughly the ~25 h of a regular trajectory


def test_relief_per_year_shows_the_fade():
    stops = short("alle-interventies.yaml", **{"horizon": "4 years"})
    stops = stops.with_overrides(
        {f"interventions.{i}.stop": "2 years" for i in range(len(stops.interventions))}
    )
    base = short("baseline.yaml", horizon="4 years")
    table = comparison(stops, baseline=base).by_year()
    cost = table[table["metric"] == "cost"].set_index("year")["value"]
    assert list(cost.index) == [1, 2, 3]
    assert cost[1] > 10 * cost[3]  # funded in year 1, stopped before year 3
    requests = table[table["metric"] == "requests"].set_index("year")["difference"]
    assert requests[1] < requests[3]  # fewer requests while funded


# -- intervals that respect bounds ---------------------------------------------------


@given(st.integers(0, 50), st.integers(1, 50))
def test_wilson_stays_within_zero_and_one(successes, n):
    successes = min(successes, n)
    interval = wilson_interval(successes, n)
    assert 0 <= interval.low <= interval.mean <= interval.high <= 1


@given(st.lists(st.floats(0, 1), min_size=2, max_size=30))
def test_bounded_interval_never_crosses_its_bounds(values):
    interval, method = bounded_interval(values, 0.0, 1.0)
    assert method in ("t", "bootstrap")
    if not math.isnan(interval.low):
        assert 0.0 <= interval.low <= interval.high <= 1.0


def test_describe_uses_the_bootstrap_where_t_crosses_zero():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "metric": ["averted"] * 6 + ["share_waited"] * 6,
            "value": [0, 0, 0, 0, 0, 7, 1, 1, 1, 1, 1, 0.4],
        }
    )
    table = describe(frame, ["metric"]).set_index("metric")
    assert table.loc["averted", "ci_method"] == "bootstrap"
    assert table.loc["averted", "ci_low"] >= 0
    assert table.loc["share_waited", "ci_high"] <= 1
