"""One validation path: the rules across keys run for every way of making a
scenario, and are reported together with the schema's own problems."""

from __future__ import annotations

import copy

import pytest
from pydantic import ValidationError
from ruamel.yaml import YAML

import wijksim
from helpers import REPO, SMALL_YAML, line_of, write
from wijksim.scenario import ScenarioError, load_scenario


def small() -> dict:
    return YAML(typ="safe").load(SMALL_YAML)


def unknown_severity(data: dict) -> dict:
    data = copy.deepcopy(data)
    data["neighbourhood"]["severity_mix"] = {"light": 0.6, "medium": 0.4}
    return data


def test_model_validate_runs_the_cross_field_rules():
    with pytest.raises(ValidationError) as info:
        wijksim.Scenario.model_validate(unknown_severity(small()))
    errors = {(e["type"], e["loc"]) for e in info.value.errors()}
    assert ("cross_field", ("neighbourhood", "severity_mix", "medium")) in errors


def test_the_constructor_runs_the_cross_field_rules():
    with pytest.raises(ValidationError, match="unknown severity"):
        wijksim.Scenario(**unknown_severity(small()))


def test_with_overrides_runs_the_cross_field_rules():
    scenario = wijksim.Scenario.model_validate(small())
    with pytest.raises(ScenarioError, match="warm-up must be shorter"):
        scenario.with_overrides({"warmup": "30 weeks"})


def test_schema_and_cross_field_problems_come_together_with_lines(tmp_path):
    text = (
        SMALL_YAML.replace("  fte: 2", "  fte: two")
        .replace("warmup: 2 weeks", "warmup: 40 weeks")
        .replace("{light: 0.6, heavy: 0.4}", "{light: 0.6, medium: 0.4}")
    )
    path = write(tmp_path / "s.yaml", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    found = {p.path: p for p in info.value.problems}
    assert found["team.fte"].line == line_of(text, "fte: two")
    assert found["warmup"].line == line_of(text, "warmup:")
    assert "shorter than the horizon" in found["warmup"].message
    medium = found["neighbourhood.severity_mix.medium"]
    assert medium.line == line_of(text, "medium: 0.4")
    assert "unknown severity" in medium.message


def test_a_rule_that_needs_a_broken_part_waits_for_it(tmp_path):
    """With team.case_weight broken the severity names cannot be checked: only the
    schema problem (and rules that do not need severities) are reported."""
    text = SMALL_YAML.replace("case_weight: {light: 0.5, heavy: 1.5}", "case_weight: 3").replace(
        "warmup: 2 weeks", "warmup: 40 weeks"
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(write(tmp_path / "s.yaml", text))
    assert {p.path for p in info.value.problems} == {"team.case_weight", "warmup"}


def test_a_broken_intervention_does_not_hide_another_ones_unknown_theme():
    data = small()
    data["interventions"] = [
        {
            "type": "buddy_programme",
            "name": "a",
            "themes": ["debts"],
            "diversion_share": 7,
            "trajectory": "3 months",
        },
        {
            "type": "buddy_programme",
            "name": "b",
            "themes": ["housing"],
            "diversion_share": 0.1,
            "trajectory": "3 months",
        },
    ]
    with pytest.raises(ValidationError) as info:
        wijksim.Scenario.model_validate(data)
    locs = {e["loc"][:3] for e in info.value.errors()}
    assert ("interventions", 1, "themes") in locs
    assert any(loc[:2] == ("interventions", 0) for loc in locs)


def test_a_case_heavier_than_the_whole_ceiling_and_an_uncountable_ceiling_are_refused():
    scenario = wijksim.Scenario.model_validate(small())
    capacity = scenario.team.capacity
    severity = next(iter(scenario.team.case_weight))
    with pytest.raises(ScenarioError, match="more than the team's whole ceiling"):
        scenario.with_overrides({f"team.case_weight.{severity}": capacity * 2})
    with pytest.raises(ScenarioError, match="no team's ceiling"):
        scenario.with_overrides({"team.fte": 1e304})
    # at the ceiling itself a case still fits, and a team with no slots is allowed
    scenario.with_overrides({f"team.case_weight.{severity}": capacity})
    scenario.with_overrides({"team.fte": 0})


SCENARIOS = REPO / "scenarios"


@pytest.mark.parametrize(
    ("base", "item", "key", "words"),
    [
        # a group of a million: below the event limit, gigabytes of memory
        (
            "grip-en-glans.yaml",
            "  - name: Grip & Glans\n    cohort_size: {min: 1000000, max: 1000000}\n",
            "interventions.0.cohort_size.max",
            "more than the wijk's",
        ),
    ],
)
def test_an_intervention_beyond_reason_is_refused_at_its_line(tmp_path, base, item, key, words):
    text = f"extends: {SCENARIOS / base}\ninterventions:\n{item}"
    path = write(tmp_path / "s.yaml", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    found = {p.path: p for p in info.value.problems}
    assert key in found, info.value.problems
    assert words in found[key].message and found[key].line is not None


def test_an_outcome_spread_over_more_than_a_lifetime_is_refused(tmp_path):
    from wijksim.scenario.costs import Outcome

    fine = {"name": "x", "per": "participant", "value": 100, "payer": "municipality"}
    fine["spread"] = "100 years"
    assert Outcome.model_validate(fine).spread > 0
    with pytest.raises(ValidationError, match="a spread of at most 100 years"):
        Outcome.model_validate({**fine, "spread": "1e300 years"})


def test_an_intervention_name_with_a_dot_is_refused_at_its_line(tmp_path):
    """A path names an intervention by its name (interventions.NAME.stop): a
    dot would cut it in two there."""
    text = (SCENARIOS / "bezoekdienst.yaml").read_text(encoding="utf-8")
    text = text.replace("extends: baseline.yaml", f"extends: {SCENARIOS / 'baseline.yaml'}")
    text = text.replace("    name: Bezoekdienst\n", "    name: St. Jozef\n")
    path = write(tmp_path / "s.yaml", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert problem.path == "interventions.0.name" and "a name without '.'" in problem.message
    assert problem.line == line_of(text, "name: St. Jozef")


@pytest.mark.parametrize("increase", [".inf", ".nan"])
def test_a_shock_of_no_finite_size_is_refused_at_its_line(tmp_path, increase):
    """An infinite shock validated, passed the work estimate (which came to
    finite work) and then ran for ever."""
    text = (
        f"extends: {SCENARIOS / 'groeiende-vraag.yaml'}\nshocks:\n"
        f"  - {{themes: [debts], start: 2028-01-01, increase: {increase}, duration: 1 year}}\n"
    )
    path = write(tmp_path / "s.yaml", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert problem.path == "shocks.0.increase" and problem.line == 3
    assert "expected a finite number" in problem.message
