"""Issue 17, part 3: every figure a shipped scenario cites is reproduced by the
model within its tolerance, or the departure is stated; each check responds
when its scenario is changed; the documentation shows the table."""

from __future__ import annotations

import dataclasses
import html
import math
from pathlib import Path

import pytest
from scipy import stats

from wijksim.analysis.validation import formatted, validate
from wijksim.analysis.validation_checks import CHECKS
from wijksim.analysis.validation_measures import (
    duration_mean_months,
    duration_median_months,
    duration_share_over_a_year,
    trajectory_hours,
)
from wijksim.scenario import load_scenario
from wijksim.scenario.units import WEEKS_PER_MONTH, WEEKS_PER_YEAR

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
IDS = [check.id for check in CHECKS]
BY_ID = {check.id: check for check in CHECKS}


@pytest.fixture(scope="module")
def table():
    return validate(SCENARIOS)


@pytest.mark.parametrize("check", IDS)
def test_the_shipped_scenarios_reproduce_what_they_cite(table, check):
    row = table.loc[check]
    assert row["verdict"] not in ("departs", "inconclusive"), (
        f"{row['scenario']}: {row['figure']} is {row['model']:.4g}, outside "
        f"{row['low']:.4g}-{row['high']:.4g} ({row['cited']}), ±{row['half_width']:.3g}; "
        "fix the scenario or the claim, or state the departure in "
        "wijksim.analysis.validation_checks"
    )


def test_a_stated_departure_still_departs(table):
    """A departure stated for a figure the scenario now reproduces is stale."""
    stale = [c.id for c in CHECKS if c.departure and table.loc[c.id, "within"]]
    assert not stale, f"{stale} reproduce now: drop their departures"


#: For each check, a change of its scenario that moves the model's value
#: across the tolerance (out of it, or into it for a stated departure).
CHANGES = {
    "request-rate": {"baseline.yaml": {"neighbourhood.themes.debts.requests_per_1000": 20}},
    "request-rate-high": {"hoge-druk.yaml": {"neighbourhood.themes.debts.requests_per_1000": 60}},
    "settled-at-intake": {"baseline.yaml": {"neighbourhood.settled_at_intake": 0.9}},
    "people-per-fte": {"baseline.yaml": {"team.fte": 20}},
    "mean-wait": {"baseline.yaml": {"team.fte": 7}},
    "wait-over-6-weeks": {"baseline.yaml": {"team.fte": 5}},
    "mean-wait-high": {"hoge-druk.yaml": {"team.fte": 17}},  # into Nijmegen's 6-8 weeks
    "p90-wait-high": {"hoge-druk.yaml": {"team.fte": 20}},
    "gave-up-high": {"hoge-druk.yaml": {"team.fte": 20}},
    "duration-median": {
        "baseline.yaml": {
            "neighbourhood.duration.regular": {
                "dist": "lognormal",
                "median": "18 months",
                "p90": "3 years",
            }
        }
    },
    "duration-mean": {
        "baseline.yaml": {
            "neighbourhood.duration.regular": {
                "dist": "lognormal",
                "median": "2 months",
                "p90": "4 months",
            }
        }
    },
    "duration-over-a-year": {
        "baseline.yaml": {
            "neighbourhood.duration.complex": {
                "dist": "lognormal",
                "median": "4 months",
                "p90": "8 months",
            }
        }
    },
    "hours-intake": {"baseline.yaml": {"team.intake_time": "4 hours"}},
    "hours-regular": {"baseline.yaml": {"team.contact_hours_per_week.regular": 2}},
    "hours-complex": {"baseline.yaml": {"team.contact_hours_per_week.complex": 2}},
    "team-hour": {"baseline.yaml": {"costs.team_hour": 75}},
    "buddy-households": {
        "schuldhulpmaatje.yaml": {"interventions.SchuldHulpMaatje.clients_per_volunteer": 3}
    },
    "venlo-outcome": {
        "schuldhulpmaatje.yaml": {"interventions.SchuldHulpMaatje.outcomes.0.share": 0.2}
    },
    "bezoekdienst-uptake": {"bezoekdienst.yaml": {"interventions.Bezoekdienst.uptake": 0.3}},
    "grip-en-glans-group": {
        "grip-en-glans.yaml": {"interventions.Grip & Glans.cohort_size": {"min": 16, "max": 20}}
    },
}


def test_every_check_has_a_change_that_moves_it():
    assert set(CHANGES) == set(IDS)


@pytest.mark.parametrize("check", IDS)
def test_each_check_can_fail(table, check):
    changed = validate(SCENARIOS, checks=(BY_ID[check],), overrides=CHANGES[check], replications=1)
    assert changed.loc[check, "within"] != table.loc[check, "within"], changed.loc[check].to_dict()


def test_a_mean_inside_with_an_interval_past_a_bound_is_inconclusive(table):
    """A simulated figure is reproduced only when its 95% interval is inside
    the tolerance too; a mean inside whose interval reaches past a bound cannot
    be told from one outside it."""
    row = table.loc["mean-wait"]
    near = dataclasses.replace(BY_ID["mean-wait"], low=row["model"] - row["half_width"] / 2)
    assert validate(SCENARIOS, checks=(near,)).loc["mean-wait", "verdict"] == "inconclusive"
    inside = dataclasses.replace(near, low=row["model"] - 2 * row["half_width"])
    assert validate(SCENARIOS, checks=(inside,)).loc["mean-wait", "verdict"] == "reproduces"


def test_a_drifted_scenario_is_a_bare_departure():
    """Outside its tolerance with no reason stated, the verdict is the one the
    test above fails on."""
    drifted = validate(SCENARIOS, checks=(BY_ID["team-hour"],), overrides=CHANGES["team-hour"])
    assert drifted.loc["team-hour", "verdict"] == "departs"


# -- the analytic measures against their formulas ---------------------------------


def _one_duration(dist: dict) -> dict:
    return {f"neighbourhood.duration.{s}": dist for s in ("light", "regular", "complex")}


def test_the_mixture_of_one_lognormal_is_that_lognormal():
    scenario = load_scenario(
        SCENARIOS / "baseline.yaml",
        _one_duration({"dist": "lognormal", "median": "4 months", "p90": "1 year"}),
    )
    sigma = math.log(3) / stats.norm.ppf(0.9)
    law = stats.lognorm(sigma, scale=4 * WEEKS_PER_MONTH)
    assert duration_median_months(scenario) == pytest.approx(4, rel=1e-9)
    assert duration_mean_months(scenario) == pytest.approx(law.mean() / WEEKS_PER_MONTH)
    assert duration_share_over_a_year(scenario) == pytest.approx(0.1)  # p90 is a year


def test_the_mixture_weighs_severities_as_cases_enter_care():
    """Light cases of 1 week, the rest of 1 year: the share over half a year is
    the share of cases that enter care and are not light. New light requests
    are settled at intake in part; returns never are."""
    changes = _one_duration({"dist": "fixed", "value": "1 year"})
    changes["neighbourhood.duration.light"] = {"dist": "fixed", "value": "1 week"}
    changes["neighbourhood.duration.complex"] = {"dist": "fixed", "value": "2 years"}
    scenario = load_scenario(SCENARIOS / "baseline.yaml", changes)
    hood, p = scenario.neighbourhood, scenario.team.recurrence.probability
    mix = hood.severity_mix
    new = {s: mix[s] * (1 - hood.settled_at_intake if s == "light" else 1) for s in mix}
    returns = sum(new.values()) * p / (1 - p)
    entering = {s: new[s] + returns * mix[s] for s in mix}
    complex_share = entering["complex"] / sum(entering.values())
    light_share = entering["light"] / sum(entering.values())
    assert duration_share_over_a_year(scenario) == pytest.approx(complex_share)
    mean = light_share / WEEKS_PER_YEAR + (1 - light_share - complex_share) + 2 * complex_share
    assert duration_mean_months(scenario) == pytest.approx(mean * 12)


def test_hours_of_a_trajectory_are_the_intake_and_the_weeks_in_care():
    changes = _one_duration({"dist": "fixed", "value": "10 weeks"})
    changes |= {"team.contact_hours_per_week.regular": 2.0, "team.intake_time": "1.5 hours"}
    scenario = load_scenario(SCENARIOS / "baseline.yaml", changes)
    assert trajectory_hours("regular")(scenario) == pytest.approx(1.5 + 2.0 * 10)


def test_figures_are_shown_in_their_units():
    assert formatted(0.155, "share") == "15.5%"
    assert formatted(0.35, "share") == "35%"
    assert formatted(0.084, "share") == "8.4%"
    assert formatted(64, "euro") == "€64"
    assert formatted(2.88, "weeks") == "2.9 weeks"
    assert formatted(math.nan, "weeks") == "not given"


# -- the documentation ------------------------------------------------------------------


def test_the_validation_page_shows_every_check(docs_site, table):
    page = (docs_site / "validation" / "index.html").read_text(encoding="utf-8")
    assert "<!-- validation -->" not in page
    shown = [html.escape(figure, quote=False) for figure in table["figure"]]
    missing = [figure for figure in shown if figure not in page]
    assert not missing


def test_the_model_description_states_what_the_model_gives(docs_site, table):
    page = (docs_site / "model" / "index.html").read_text(encoding="utf-8")
    assert "validated:" not in page
    wait = table.loc["mean-wait"]
    assert formatted(wait["model"], wait["unit"]) in page


@pytest.mark.parametrize("replications", [0, -1, 2.5, "3", True])
def test_replications_not_a_whole_number_of_at_least_one_are_refused(replications):
    with pytest.raises(ValueError, match="replications must be a whole number"):
        validate(SCENARIOS, replications=replications)


def test_overrides_of_a_file_no_check_reads_are_refused():
    """A typo in a file name would otherwise give the verdicts of the scenario
    unchanged, as if the change had been tried."""
    with pytest.raises(ValueError, match=r"'basline\.yaml', which no check reads"):
        validate(SCENARIOS, overrides={"basline.yaml": {"team.fte": 1}})


def test_no_checks_give_an_empty_table():
    table = validate(SCENARIOS, checks=())
    assert table.empty and "verdict" in table.columns


def test_a_figure_the_scenario_does_not_give_is_inconclusive_not_a_departure():
    without = {"schuldhulpmaatje.yaml": {"interventions.SchuldHulpMaatje.outcomes": []}}
    row = validate(SCENARIOS, checks=(BY_ID["venlo-outcome"],), overrides=without)
    assert math.isnan(row.loc["venlo-outcome", "model"])
    assert row.loc["venlo-outcome", "verdict"] == "inconclusive"
