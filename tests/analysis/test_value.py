"""Costs and benefits (wijksim.analysis.value): each effect counted once, outcomes
not outputs, transfers apart, residual value, certainty over assumptions, and
intervals that respect their bounds."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import wijksim
from helpers import REPO
from wijksim.analysis.value import CERTAINTY, ITEMS, Realised, accrual, value
from wijksim.experiment.intervals import bounded_interval, describe, wilson_interval
from wijksim.model.yearly import yearly
from wijksim.scenario.interventions import Costs
from wijksim.scenario.units import WEEKS_PER_YEAR

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


def per_replication(result, item_name: str, column: str = "euro"):
    rows = result.ledger[result.ledger["item"] == item_name]
    return rows.groupby("replication")[column].sum()


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
    load = team.loc[team["quantity"] == "load_slot_weeks", "value"].sum()
    ceiling = team.loc[team["quantity"] == "ceiling_slot_weeks", "value"].sum()
    assert load / ceiling == pytest.approx(summary["ceiling_occupancy"], rel=1e-9)


# -- outcomes, not outputs -------------------------------------------------------------


def test_debt_assistance_is_booked_on_the_outcome_share_not_on_every_buddy_client(buddies):
    """Each buddy client counts for the share its source says stays out of debt
    assistance (drawn per replication), not for a whole trajectory."""
    result = value(buddies)
    name = "outcome:schuldhulpverlening vermeden"
    booked = result.ledger[result.ledger["item"] == name]
    assert set(booked["payer"]) == {"debt_assistance"}
    alternative = buddies.experiments[buddies.alternatives[0]]
    realised = Realised(alternative)
    assert realised.uncertain
    runs = alternative.yearly_runs
    participants = (
        runs[(runs["source"] == "SchuldHulpMaatje") & (runs["quantity"] == "participants")]
        .groupby("replication")["value"]
        .sum()
    )
    for replication, euro in booked.groupby("replication")["euro"].sum().items():
        outcome = realised[replication].interventions[0].outcomes[0]
        assert 0.2 <= outcome.share <= 0.5  # drawn from its range
        expected = participants[replication] * outcome.share * outcome.value
        assert euro == pytest.approx(expected)
        # clients with the outcome are fewer than clients: the output is not the outcome
        assert (
            booked.loc[booked["replication"] == replication, "quantity"].sum()
            < (participants[replication])
        )


def test_the_outcome_share_moves_the_benefit_and_nothing_else():
    fixed = {"uncertain": None}
    base = short("schuldhulpmaatje.yaml", **fixed)
    half = base.with_overrides({"interventions.SchuldHulpMaatje.outcomes.0.share": 0.2})
    first, second = value(comparison(base)), value(comparison(half))
    name = "outcome:schuldhulpverlening vermeden"
    assert item(second, name) == pytest.approx(item(first, name) / 2)
    assert item(second, "team_hours") == pytest.approx(item(first, "team_hours"))


def test_costs_debt_assistance_is_refused_with_the_way_to_declare_the_outcome(tmp_path):
    path = tmp_path / "old.yaml"
    path.write_text(
        f"extends: {SCENARIOS / 'schuldhulpmaatje.yaml'}\ncosts:\n  debt_assistance: 2500\n",
        encoding="utf-8",
    )
    with pytest.raises(wijksim.ScenarioError) as caught:
        wijksim.load_scenario(path)
    message = str(caught.value)
    assert "costs" in message and "outcomes" in message and "share" in message


# -- each effect once ------------------------------------------------------------------


def team_hours_used(experiment) -> np.ndarray:
    """Paid hours the team used, per replication, recomputed from the yearly figures."""
    runs = experiment.yearly_runs
    team = runs[runs["source"] == "team"].pivot_table(
        index=["replication", "year"], columns="quantity", values="value"
    )
    scenario = experiment.scenario
    available = scenario.team.fte * scenario.team.hours_per_fte_per_week * team["weeks"]
    available = available - team["collective_hours"]
    used = available * team["load_slot_weeks"] / team["ceiling_slot_weeks"]
    return (used + team["collective_hours"]).groupby("replication").sum().to_numpy()


def test_no_quantity_is_valued_twice():
    """The social benefit is exactly: hours the team no longer uses, escalations
    avoided and declared outcomes -- each once; the wijkteam gains nothing but
    the hours."""
    pressed = {"team.fte": 9}
    result_of = comparison(
        short("alle-interventies.yaml", **pressed),
        baseline=short("baseline.yaml", **pressed),
    )
    result = value(result_of)
    ledger = result.ledger
    assert set(ledger["item"].str.split(":").str[0]) <= set(ITEMS)
    benefits = ledger[ledger["kind"] == "benefit"]
    allowed = {"team_hours", "heavier_care_avoided"}
    assert {i for i in benefits["item"] if not i.startswith("outcome:")} <= allowed
    # the team's benefit is the hours it no longer used, at the hourly cost
    base = team_hours_used(result_of.experiments[result_of.baseline])
    alt = team_hours_used(result_of.experiments[result_of.alternatives[0]])
    team = per_replication(result, "team_hours")
    rate = result_of.experiments[result_of.alternatives[0]].scenario.costs.team_hour
    np.testing.assert_allclose(team.to_numpy(), (base - alt) * rate, rtol=1e-9)
    wijkteam = benefits[benefits["payer"] == "wijkteam"]
    assert set(wijkteam["item"]) == {"team_hours"}


def test_hours_moved_to_collective_work_are_not_a_saving():
    """A team at its ceiling that gives 8 hours a week to collective work (and
    nothing else changes) uses as many hours as before: the hours moved are
    neither a cost nor a benefit; what changes is the wait (a PM post)."""
    full = {"team.fte": 8}
    base = short("baseline.yaml", **full)
    moved = base.with_overrides({"team.collective_hours_per_week": 8, "name": "moved"})
    result_of = comparison(moved, baseline=base, replications=4)
    result = value(result_of)
    hours = per_replication(result, "team_hours", "quantity").to_numpy()
    collective = 8 * 2 * WEEKS_PER_YEAR  # two years after the warm-up
    occupancy = result_of.experiments[result_of.baseline].values("ceiling_occupancy")
    assert occupancy.mean() > 0.99  # a full team
    # a ceiling cut to a fraction of a slot leaves that fraction idle, so a few
    # percent of the moved hours are idle time; counting the casework contact
    # hours no longer worked would call ~60% of them a saving
    assert np.all(np.abs(hours) < 0.1 * collective)
    totals = result.totals().iloc[0]
    assert totals["cost"] == 0
    effects = result.effects()
    wait = effects[effects["effect"] == "mean_wait_weeks"].iloc[0]
    assert wait["difference"] > 0 and wait["valued_as"] == ""


# -- transfers, residual value ---------------------------------------------------------


def test_a_transfer_shows_for_both_parties_and_cancels_out_of_the_social_balance():
    plain = short("schuldhulpmaatje.yaml", uncertain=None)
    contribution = {
        "name": "eigen bijdrage",
        "per": "participant",
        "value": 100,
        "payer": "municipality",
        "transfer_from": "participants",
    }
    outcomes = [o.model_dump(mode="json") for o in plain.interventions[0].outcomes]
    paid = plain.with_overrides(
        {"interventions.SchuldHulpMaatje.outcomes": [*outcomes, contribution]}
    )
    without, with_transfer = value(comparison(plain)), value(comparison(paid))
    a, b = without.totals().iloc[0], with_transfer.totals().iloc[0]
    for column in ("cost", "benefit", "net"):
        assert b[column] == pytest.approx(a[column])
    payers = with_transfer.by_payer().set_index("payer")
    assert payers.loc["participants", "transfer"] < 0
    assert payers.loc["municipality", "transfer"] == pytest.approx(
        -payers.loc["participants", "transfer"]
    )
    assert payers["net"].sum() == pytest.approx(b["net"])


@given(
    st.lists(st.floats(1.0, 60.0), min_size=1, max_size=6),
    st.floats(0.5, 400.0),
)
def test_accrual_shares_add_up_to_one_and_start_in_their_year(weeks, spread):
    shares = accrual(np.array(weeks), spread)
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, atol=1e-9)
    assert np.all(shares >= -1e-12)
    for year in range(len(weeks)):
        assert np.allclose(shares[year, :year], 0.0)  # nothing accrues before the unit


def test_value_after_the_horizon_is_a_stated_residual_counted_or_left_out():
    visits = short("bezoekdienst.yaml", uncertain=None)
    result = value(comparison(visits))
    totals = result.totals().iloc[0]
    assert totals["residual"] > 0 and totals["residual_counted"]
    left_out = visits.with_overrides({"costs.residual_value": False})
    other = value(comparison(left_out)).totals().iloc[0]
    assert not other["residual_counted"]
    assert other["residual"] == pytest.approx(totals["residual"])
    assert other["benefit"] == pytest.approx(totals["benefit"] - totals["residual"])
    years = result.by_year()
    assert list(years["year"]) == [1, 2]  # the run's years only, numbered as elsewhere


# -- unit values, certainty ------------------------------------------------------------


def test_every_cost_field_changes_the_result():
    """An unused cost key is impossible: each field of costs moves the totals."""
    pressed = {"team.fte": 8, "uncertain": None}
    base = short("baseline.yaml", **pressed)
    start = short("alle-interventies.yaml", **pressed)
    reference = value(comparison(start, baseline=base)).totals().iloc[0]
    give_ups = {
        "name": "afhaken voorkomen",
        "per": "give_up_avoided",
        "value": 1000,
        "payer": "residents",
        "source": "a test",
    }
    changed = {
        "team_hour": 150.0,
        "heavier_care": 20000.0,
        "outcomes": [give_ups],
        "residual_value": False,
        "discount_rate": 0.15,
    }
    assert set(changed) == set(Costs.model_fields)
    for field, new in changed.items():
        other = start.with_overrides({f"costs.{field}": new})
        # a comparison discounts at the baseline's rate: the rate is changed in both
        against = base.with_overrides({f"costs.{field}": new}) if field == "discount_rate" else base
        totals = value(comparison(other, baseline=against)).totals().iloc[0]
        assert totals["net"] != pytest.approx(reference["net"]), field


def test_a_comparison_discounts_at_the_baseline_s_rate():
    """An alternative that sets another rate is warned about and discounted at
    the baseline's: one rate per comparison, as the report's title says."""
    pressed = {"team.fte": 8, "uncertain": None}
    base = short("baseline.yaml", **pressed)
    start = short("schuldhulpmaatje.yaml", **pressed)
    reference = value(comparison(start, baseline=base)).totals().iloc[0]
    other = start.with_overrides({"costs.discount_rate": 0.0})
    with pytest.warns(wijksim.analysis.comparison.OneDiscountRate, match="baseline's"):
        totals = value(comparison(other, baseline=base)).totals().iloc[0]
    assert totals["net"] == reference["net"]
    undiscounted = value(
        comparison(other, baseline=base.with_overrides({"costs.discount_rate": 0.0}))
    )
    assert undiscounted.totals().iloc[0]["cost"] > reference["cost"]  # later years weigh more


def test_valued_waiting_weeks_are_not_also_a_pm_post():
    pressed = {"team.fte": 9, "uncertain": None}
    declared = {
        "name": "wachtweken",
        "per": "waiting_week_avoided",
        "value": 100,
        "payer": "residents",
        "source": "a test",
    }
    alt = short("schuldhulpmaatje.yaml", **pressed, **{"costs.outcomes": [declared]})
    effects = value(comparison(alt, baseline=short("baseline.yaml", **pressed))).effects()
    waits = effects[effects["effect"].isin(["mean_wait_weeks", "share_wait_over_6_weeks"])]
    assert len(waits) == 2 and (waits["valued_as"] == "team_outcome:wachtweken").all()
    plain = value(comparison(short("schuldhulpmaatje.yaml", **pressed))).effects()
    assert (plain[plain["effect"] == "mean_wait_weeks"]["valued_as"] == "").all()


def test_heavier_care_values_escalations_avoided_per_theme():
    pressed = {"team.fte": 8, "uncertain": None}
    per_theme = {"debts": 1000.0, "parenting": 3000.0}
    dear = comparison(
        short("schuldhulpmaatje.yaml", **pressed, **{"costs.heavier_care": per_theme}),
        baseline=short("baseline.yaml", **pressed),
    )
    rows = value(dear).ledger
    rows = rows[rows["item"] == "heavier_care_avoided"]
    assert rows["quantity"].abs().sum() > 0  # escalations did differ
    expected = 0.0
    for theme, price in per_theme.items():
        for label, sign in ((dear.baseline, 1), (dear.alternatives[0], -1)):
            runs = dear.experiments[label].yearly_runs
            mask = (runs["source"] == "team") & (runs["quantity"] == f"escalations.{theme}")
            expected += sign * price * runs.loc[mask, "value"].sum()
    assert rows["euro"].sum() == pytest.approx(expected)


def test_a_valued_team_outcome_is_counted_per_give_up_avoided():
    pressed = {"team.fte": 9, "uncertain": None}
    declared = {
        "name": "afhaken voorkomen",
        "per": "give_up_avoided",
        "value": 500,
        "payer": "residents",
        "source": "a test",
    }
    alt = short("schuldhulpmaatje.yaml", **pressed, **{"costs.outcomes": [declared]})
    result_of = comparison(alt, baseline=short("baseline.yaml", **pressed))
    rows = per_replication(value(result_of), "team_outcome:afhaken voorkomen", "euro")
    fewer = result_of.experiments[result_of.baseline].values("reneged") - (
        result_of.experiments[result_of.alternatives[0]].values("reneged")
    )
    np.testing.assert_allclose(rows.to_numpy(), fewer * 500)
    effects = value(result_of).effects()
    gave_up = effects[effects["effect"] == "reneged"].iloc[0]
    assert gave_up["valued_as"] == "team_outcome:afhaken voorkomen"


def test_certainty_says_whether_it_covers_the_assumptions(buddies):
    totals = value(buddies).totals().iloc[0]
    assert totals["certainty"] == CERTAINTY[True]
    assert totals["assumptions"] == 4
    fixed = value(comparison(short("schuldhulpmaatje.yaml", uncertain=None)))
    plain = fixed.totals().iloc[0]
    assert plain["certainty"] == CERTAINTY[False] and plain["assumptions"] == 0
    assert fixed.drivers().empty


def test_drivers_find_the_slope_of_an_assumption_the_balance_depends_on():
    """The outcome share only values what was simulated, so the balance rises
    with it by exactly the clients' discounted value per unit of share: the
    drivers' swing must find that slope within its interval."""
    share = "interventions.SchuldHulpMaatje.outcomes.0.share"
    scenario = short(
        "schuldhulpmaatje.yaml", uncertain={share: {"dist": "uniform", "min": 0, "max": 1}}
    )
    result = value(comparison(scenario, replications=12))
    row = result.drivers().set_index("parameter").loc[share]
    ledger = result.ledger[result.ledger["item"] == "outcome:schuldhulpverlening vermeden"]
    drawn = result.experiments[result.alternatives[0]].parameters.set_index("replication")["value"]
    per_share = ledger.groupby("replication")["discounted"].sum() / drawn  # euro per unit share
    expected = per_share.mean() * (row["high_value"] - row["low_value"])
    assert row["swing_low"] <= expected <= row["swing_high"]
    assert row["high_difference"] > 0 > row["low_difference"]


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
    expected = ledger["euro"] * (1 + rate) ** -ledger["year_index"].astype(float)
    np.testing.assert_allclose(ledger["discounted"], expected)
    assert set(ledger["year_index"]) == {0, 1}  # the count from 0: the exponent
    assert set(ledger["year"]) == {1, 2}  # the years as every table calls them


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
    result = value(comparison(short("bezoekdienst.yaml", uncertain=None)))
    rows = result.by_payer()
    insurer = rows[rows["payer"] == "health_insurer"]
    assert len(insurer) == 1 and insurer["benefit"].iloc[0] > 0
    booked = result.ledger[result.ledger["item"].str.startswith("outcome:")]
    outcome = short("bezoekdienst.yaml").interventions[0].outcomes[0]
    np.testing.assert_allclose(booked["euro"], booked["quantity"] * outcome.value)


def test_effects_list_what_is_not_valued_in_its_own_units(buddies):
    effects = value(buddies).effects()
    pm = effects[effects["valued_as"] == ""]
    assert {"mean_wait_weeks", "share_wait_over_6_weeks", "reneged"} <= set(pm["effect"])
    spec = buddies.experiments[buddies.alternatives[0]].scenario.interventions[0]
    assert set(spec.unvalued) <= set(pm["effect"])
    wait = effects[effects["effect"] == "mean_wait_weeks"].iloc[0]
    assert wait["ci_low"] <= wait["difference"] <= wait["ci_high"]


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


def test_value_of_something_else_is_refused_in_words(buddies):
    from wijksim.analysis.value import Value

    with pytest.raises(TypeError, match=r"wijksim.value\(comparison\)"):
        Value(buddies, buddies.baseline)  # the comparison, not its experiments
    with pytest.raises(ValueError, match=r"no experiment 'nope' .*known: "):
        Value(buddies.experiments, "nope")
    assert Value(buddies.experiments, buddies.baseline).baseline == buddies.baseline


@pytest.mark.parametrize("where", ["interventions.SchuldHulpMaatje.outcomes", "costs.outcomes"])
@pytest.mark.parametrize("alike", ["dubbel", "Dubbel", "dubbel ", "dub\u200bbel", "ｄubbel"])
def test_two_outcomes_of_one_name_are_refused(where, alike):
    """The ledger books an outcome under its name: two of one name would be
    added up under the first one's payer, and two that a reader cannot tell
    apart (case, spaces, invisible or full-width characters) read as one item
    counted twice."""
    one = {"name": "dubbel", "value": 100, "payer": "residents", "source": "a test"}
    if where.startswith("costs"):
        one["per"] = "give_up_avoided"
    else:
        one |= {"per": "participant", "share": 0.4}
    other = one | {"name": alike, "payer": "health_insurer"}
    with pytest.raises(wijksim.ScenarioError, match="two outcomes are named"):
        short("schuldhulpmaatje.yaml", **{where: [one, other]})
    apart = one | {"name": "ander", "payer": "health_insurer"}
    assert short("schuldhulpmaatje.yaml", **{where: [one, apart]})


@pytest.mark.parametrize("listed", ["outcomes", "interventions"])
def test_a_name_given_twice_in_a_file_that_extends_a_base_is_refused(tmp_path, listed):
    """Merging by name must not fold the file's own two items of one name into
    one unseen: they reach the schema, which refuses them at their line."""
    (tmp_path / "base.yaml").write_text(
        (SCENARIOS / "schuldhulpmaatje.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    for name in ("baseline.yaml",):
        (tmp_path / name).write_text((SCENARIOS / name).read_text(encoding="utf-8"), "utf-8")
    if listed == "outcomes":
        item = "{name: a, per: participant, share: 0.4, value: 2500, payer: debt_assistance}"
        body = "interventions:\n  - name: SchuldHulpMaatje\n    outcomes:\n"
        body += f"      - {item}\n      - {item}\n"
        message = "two outcomes are named 'a'"
    else:
        item = "{type: resident_initiative, name: B, themes: [loneliness]}"
        body = f"interventions:\n  - {item}\n  - {item}\n"
        message = "two interventions are called 'B'"
    (tmp_path / "dup.yaml").write_text(f"extends: base.yaml\nname: dup\n{body}", "utf-8")
    with pytest.raises(wijksim.ScenarioError, match=message) as caught:
        wijksim.load_scenario(tmp_path / "dup.yaml")
    assert "dup.yaml:" in str(caught.value)


def test_funding_that_stops_within_the_warm_up_is_warned_about():
    """Nothing in the warm-up is counted: a provision funded only there shows
    effects after it and no costs. (Engine tests and embedding models may
    stop funding anywhere, so validate warns rather than refuses.)"""
    from wijksim.scenario.valuation import double_counts

    early = {"interventions.SchuldHulpMaatje.stop": "1 year"}
    warned = double_counts(short("schuldhulpmaatje.yaml", warmup="1 year", **early))
    assert [key for key, _ in warned] == ["interventions.SchuldHulpMaatje.stop"]
    later = {"interventions.SchuldHulpMaatje.stop": "2 years"}
    assert double_counts(short("schuldhulpmaatje.yaml", warmup="1 year", **later)) == []


def test_validate_warns_of_values_that_may_count_twice():
    from wijksim.scenario.valuation import double_counts

    weeks = {"name": "wachten", "per": "waiting_week_avoided", "value": 10}
    weeks |= {"payer": "residents", "source": "a test"}
    priced = short("schuldhulpmaatje.yaml", **{"costs.outcomes": [weeks]})
    assert priced.costs.heavier_care  # the baseline prices escalations
    assert [key for key, _ in double_counts(priced)] == ["costs.outcomes.0.per"]
    unpriced = priced.with_overrides({"costs.heavier_care": 0})
    assert double_counts(unpriced) == []
    team = short(
        "schuldhulpmaatje.yaml", **{"interventions.SchuldHulpMaatje.outcomes.0.payer": "wijkteam"}
    )
    assert [key for key, _ in double_counts(team)] == [
        "interventions.SchuldHulpMaatje.outcomes.0.payer"
    ]
    shipped = [wijksim.load_scenario(p) for p in sorted(SCENARIOS.glob("*.yaml"))]
    assert [double_counts(s) for s in shipped] == [[] for _ in shipped]


def test_the_balance_without_freed_hours_leaves_out_exactly_the_team_hours(buddies):
    result = value(buddies)
    total = result.totals().iloc[0]
    hours = per_replication(result, "team_hours", "discounted")
    assert hours.abs().sum() > 0  # the team's hours did change
    net = result.per_replication(buddies.alternatives[0])["net"]
    expected = (net - hours.reindex(net.index, fill_value=0.0)).mean()
    assert total["net_without_freed_hours"] == pytest.approx(expected)
    assert total["net_without_freed_hours"] != pytest.approx(total["net"])


def test_volunteers_time_is_a_pm_post_in_persons(buddies):
    """Volunteers' expenses are a cost; their time is not valued, so it stands
    among the PM posts in its own unit (volunteers engaged, on average)."""
    effects = value(buddies).effects()
    rows = effects[effects["effect"] == "volunteers"]
    assert list(rows["intervention"]) == ["SchuldHulpMaatje"]
    row = rows.iloc[0]
    assert row["valued_as"] == "" and row["unit"] == "persons" and row["baseline"] == 0
    assert 0 < row["ci_low"] <= row["difference"] <= row["ci_high"]
    pool = buddies.experiments[buddies.alternatives[0]].scenario.volunteers["maatjes"]
    assert row["difference"] <= 2 * pool.size  # engaged volunteers, not volunteer weeks
