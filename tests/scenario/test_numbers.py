"""Numbers that would run silently wrong are refused, with a line: non-finite
values, booleans, fractional counts, Dutch thousands, extreme distributions."""

from __future__ import annotations

import numpy as np
import pytest

import wijksim
from helpers import REPO, SMALL_YAML, line_of, write
from wijksim.scenario import ScenarioError, load_scenario
from wijksim.scenario.distributions import DrawError, Empirical, Exponential


def problem_at(tmp_path, old: str, new: str) -> wijksim.Problem:
    text = SMALL_YAML.replace(old, new)
    assert text != SMALL_YAML
    path = write(tmp_path / "s.yaml", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert problem.source == str(path)
    assert problem.line == line_of(text, new.strip().splitlines()[0])
    return problem


@pytest.mark.parametrize(
    ("old", "new", "path", "words"),
    [
        ("  fte: 2", "  fte: true", "team.fte", "not true"),
        ("  fte: 2", "  fte: .inf", "team.fte", "finite"),
        ("  fte: 2", "  fte: .nan", "team.fte", "finite"),
        ("requests_per_1000: 20", "requests_per_1000: .inf", "requests_per_1000", "finite"),
        ("settled_at_intake: 0.2", "settled_at_intake: .nan", "settled_at_intake", "finite"),
        ("case_weight: {light: 0.5", "case_weight: {light: .inf", "case_weight.light", "finite"),
        ("[2, 1, 1,", "[.inf, 1, 1,", "monthly_profile.0", "finite"),
        ("residents: 5000", "residents: .inf", "residents", "finite"),
        ("residents: 5000", "residents: 5000.5", "residents", "whole number"),
        ("residents: 5000", "residents: 1e400", "residents", "finite"),
        ("residents: 5000", "residents: 1" + "0" * 400, "residents", "too large"),
        ("residents: 5000", "residents: 12.000", "residents", "write 12000"),
        ("residents: 5000", "residents: 12.500", "residents", "write 12500"),
    ],
)
def test_absurd_numbers_are_refused_at_their_line(tmp_path, old, new, path, words):
    problem = problem_at(tmp_path, old, new)
    assert problem.path.endswith(path)
    assert words in problem.message


@pytest.mark.parametrize("written", ["1", "0", "'yes'", "1.0"])
def test_a_switch_is_true_or_false_not_a_number(tmp_path, written):
    """``pending_returns: 1`` is a slip (a count?), not a yes."""
    text = SMALL_YAML + f"initial_state:\n  pending_returns: {written}\n"
    path = write(tmp_path / "s.yaml", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert problem.path == "initial_state.pending_returns"
    assert problem.line == line_of(text, "  pending_returns:")
    assert "boolean" in problem.message
    ok = write(tmp_path / "ok.yaml", SMALL_YAML + "initial_state:\n  pending_returns: false\n")
    assert load_scenario(ok).initial_state.pending_returns is False


def test_a_fraction_with_three_decimals_is_fine_where_fractions_are(tmp_path):
    scenario = load_scenario(write(tmp_path / "s.yaml", SMALL_YAML.replace("fte: 2", "fte: 2.500")))
    assert scenario.team.fte == 2.5
    assert type(scenario.to_dict()["team"]["fte"]) is float


def test_no_ceiling_may_still_be_given_as_infinity_in_python():
    data = wijksim.Scenario.model_validate(
        {
            **_small_data(),
            "team": {**_small_data()["team"], "caseload_ceiling_per_fte": float("inf")},
        }
    )
    assert data.team.capacity == float("inf")


def _small_data() -> dict:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(SMALL_YAML)


@pytest.mark.parametrize(
    "duration",
    [
        "{dist: weibull, shape: 0.001, scale: 4 weeks}",
        "{dist: gamma, mean: 4 weeks, sd: 1e200 weeks}",
        "{dist: lognormal, mean: 4 weeks, sd: 1e300 weeks}",
        "{dist: lognormal, median: 4 weeks, p90: 1e300 weeks}",
    ],
)
def test_distributions_whose_draws_overflow_are_refused(tmp_path, duration):
    problem = problem_at(
        tmp_path, "light: {dist: exponential, mean: 4 weeks}", f"light: {duration}"
    )
    assert "too extreme" in problem.message


@pytest.mark.parametrize("bad", ["nan", "inf", "-3", "-inf"])
def test_an_empirical_csv_with_a_non_finite_or_negative_value_is_refused(tmp_path, bad):
    csv = write(tmp_path / "d.csv", f"weeks\n3\n{bad}\n4\n")
    with pytest.raises(ValueError, match=r"d\.csv:3: weeks: not a finite, non-negative"):
        Empirical(csv=str(csv), column="weeks")


def test_a_bad_draw_stops_the_run_instead_of_corrupting_it(monkeypatch):
    spec = Exponential(mean="1 week")
    monkeypatch.setattr(Exponential, "_fill", lambda self, rng, n: np.full(n, np.nan))
    draw = spec.draws(np.random.default_rng(0))
    with pytest.raises(DrawError, match="drew nan weeks"):
        draw()


_BUDDY = REPO / "scenarios" / "schuldhulpmaatje.yaml"
_OUTCOME = "{name: t, per: participant, value: 10, payer: municipality}"


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (
            "interventions:\n  - name: SchuldHulpMaatje\n    fixed_cost_per_year: 1e308\n",
            "interventions.0.fixed_cost_per_year",
        ),
        (
            "interventions:\n  - name: SchuldHulpMaatje\n    cost_per_participant: 1e300\n",
            "interventions.0.cost_per_participant",
        ),
        (
            "interventions:\n  - name: SchuldHulpMaatje\n    outcomes:\n"
            f"      - {_OUTCOME.replace('value: 10', 'value: 1e308')}\n",
            "interventions.0.outcomes.1.value",  # at "outcomes:": an item added by a merge
        ),
        ("volunteers:\n  maatjes:\n    expenses_per_volunteer_per_year: 1e308\n", "expenses"),
        ("costs:\n  team_hour: 1e308\n", "costs.team_hour"),
        ("costs:\n  heavier_care: 1e308\n", "costs.heavier_care"),
        ("costs:\n  heavier_care: {debts: 1e308}\n", "costs.heavier_care.debts"),
        (
            "costs:\n  outcomes:\n    - {name: a, per: waiting_week_avoided, value: 1e308, "
            "payer: residents, source: s}\n",
            "costs.outcomes.0.value",
        ),
    ],
)
def test_a_price_too_large_to_sum_is_refused_at_its_line(tmp_path, text, path):
    """Euro of 1e308 are finite, but a run's costs (times units, over years and
    replications) overflowed to an infinite cost and balance (€ −∞)."""
    text = f"extends: {_BUDDY}\n{text}"
    file = write(tmp_path / "s.yaml", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(file)
    (problem,) = info.value.problems
    assert path in problem.path
    assert "less than or equal to 1000000000000" in problem.message
    assert problem.line == line_of(text, "outcomes:" if "outcomes.1" in path else "e30")


@pytest.mark.parametrize(
    ("written", "path", "words"),
    [
        ("-5", "costs.heavier_care", "greater than or equal to 0"),
        ("[1]", "costs.heavier_care", "valid number"),
        ("{debts: -1}", "costs.heavier_care.debts", "greater than or equal to 0"),
        ("{debts: abc}", "costs.heavier_care.debts", "valid number"),
    ],
)
def test_heavier_care_wrong_is_one_problem_in_the_form_written(tmp_path, written, path, words):
    """A number or a mapping by theme: a wrong one was reported a second time as
    the other form, under pydantic's label of it (``costs.heavier_care.function-
    after[...]``)."""
    text = f"extends: {_BUDDY}\ncosts:\n  heavier_care: {written}\n"
    with pytest.raises(ScenarioError) as info:
        load_scenario(write(tmp_path / "s.yaml", text))
    (problem,) = info.value.problems
    assert (problem.path, problem.line) == (path, 3)
    assert words in problem.message
