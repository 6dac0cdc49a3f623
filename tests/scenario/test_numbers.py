"""Numbers that would run silently wrong are refused, with a line: non-finite
values, booleans, fractional counts, Dutch thousands, extreme distributions."""

from __future__ import annotations

import numpy as np
import pytest

import wijksim
from helpers import SMALL_YAML, line_of, write
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
