"""Reading scenario files: every problem at once, each as ``file:LINE: dotted.path: message``."""

from __future__ import annotations

import math
import re

import pytest

import wijksim
from helpers import BASELINE, SMALL_YAML, line_of, write
from wijksim.scenario import ScenarioError, load_scenario, parse_override
from wijksim.scenario.loading import deep_merge, validate
from wijksim.scenario.units import WEEKS_PER_MONTH

PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<path>[\w.]+): (?P<message>.+)$")


def problems_of(path, **kwargs) -> list[wijksim.Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, **kwargs)
    problems = info.value.problems
    assert problems, "a ScenarioError must list its problems"
    assert str(info.value) == "\n".join(str(p) for p in problems)
    return problems


def by_path(problems) -> dict[str, wijksim.Problem]:
    return {p.path: p for p in problems}


# -- a valid file ----------------------------------------------------------------------


def test_valid_file_loads_with_units_in_weeks(tmp_path):
    scenario = load_scenario(write(tmp_path / "s.yaml", SMALL_YAML))
    assert scenario.name == "test"
    assert scenario.horizon == 20.0
    assert scenario.warmup == 2.0
    assert scenario.team.intake_time == pytest.approx(1 / 168)
    assert scenario.severities == ("light", "heavy")
    assert scenario.themes == ("debts", "loneliness")
    heavy = scenario.duration("debts", "heavy")
    assert heavy.median == pytest.approx(3 * WEEKS_PER_MONTH)
    assert scenario.team.capacity == 30.0
    assert scenario.severity_mix("loneliness") == {"light": 0.6, "heavy": 0.4}


def test_shipped_baseline_is_valid():
    scenario = load_scenario(BASELINE)
    assert scenario.horizon > scenario.warmup > 0
    assert math.isclose(sum(scenario.neighbourhood.severity_mix.values()), 1.0)


# -- problems, all at once, with lines ------------------------------------------------


def test_misspelled_key_and_wrong_type_are_both_reported_with_lines(tmp_path):
    text = SMALL_YAML.replace("  fte: 2", "  fte: two").replace(
        "  caseload_ceiling_per_fte: 15", "  caseload_cieling_per_fte: 15"
    )
    path = write(tmp_path / "bad.yaml", text)
    problems = problems_of(path)
    found = by_path(problems)

    typo = found["team.caseload_cieling_per_fte"]
    assert typo.source == str(path)
    assert typo.line == line_of(text, "caseload_cieling_per_fte")
    assert "unknown key" in typo.message
    assert "did you mean 'caseload_ceiling_per_fte'?" in typo.message

    wrong = found["team.fte"]
    assert wrong.line == line_of(text, "fte: two")
    assert "number" in wrong.message

    for problem in (typo, wrong):
        match = PROBLEM.match(str(problem))
        assert match, str(problem)
        assert match["file"] == str(path)
        assert int(match["line"]) == problem.line
        assert match["path"] == problem.path
    # reported in file order
    lines = [p.line or 0 for p in problems]
    assert lines == sorted(lines)


def test_did_you_mean_inside_a_distribution(tmp_path):
    text = SMALL_YAML.replace("      p90: 9 months", "      p9: 9 months")
    path = write(tmp_path / "bad.yaml", text)
    found = by_path(problems_of(path))
    typo = found["neighbourhood.duration.heavy.p9"]
    assert typo.line == line_of(text, "p9: 9 months")
    assert "did you mean 'p90'?" in typo.message


def test_unknown_key_without_a_close_match_lists_known_keys(tmp_path):
    text = SMALL_YAML.replace("  intake_time: 1 hour", "  zzz: 1")
    found = by_path(problems_of(write(tmp_path / "bad.yaml", text)))
    problem = found["team.zzz"]
    assert "unknown key" in problem.message
    assert "fte" in problem.message and "case_weight" in problem.message
    assert problem.line == line_of(text, "zzz")


def test_problem_in_a_nested_theme_and_a_bad_duration(tmp_path):
    text = SMALL_YAML.replace("requests_per_1000: 10", "requests_per_1000: -10").replace(
        "horizon: 20 weeks", "horizon: 20"
    )
    found = by_path(problems_of(write(tmp_path / "bad.yaml", text)))
    assert found["neighbourhood.themes.loneliness.requests_per_1000"].line == line_of(
        text, "requests_per_1000: -10"
    )
    horizon = found["horizon"]
    assert horizon.line == 2
    assert "unit" in horizon.message


def test_unknown_distribution(tmp_path):
    text = SMALL_YAML.replace("{dist: exponential, mean: 4 weeks}", "{dist: normal, mean: 4 weeks}")
    found = by_path(problems_of(write(tmp_path / "bad.yaml", text)))
    problem = found["neighbourhood.duration.light"]
    assert "unknown distribution" in problem.message
    assert "lognormal" in problem.message  # names the known ones
    assert problem.line == line_of(text, "dist: normal")


def test_missing_required_key(tmp_path):
    text = SMALL_YAML.replace("  residents: 5000\n", "")
    found = by_path(problems_of(write(tmp_path / "bad.yaml", text)))
    problem = found["neighbourhood.residents"]
    assert problem.message == "required key is missing"
    assert problem.line == line_of(text, "neighbourhood:")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("name: x\nhorizon: 2 weeks\nwarmup: 1 week: bad\n", 3, "mapping values"),
        ("name: x\nteam:\n  fte: [1, 2\n  queue: fifo\n", 4, "flow sequence"),
        ("name: x\nname: y\n", 2, "duplicate key"),
        # a character YAML does not allow (a binary file, a control character)
        ("\x00\x01name: x\n", 1, "character '\\x00' is not allowed"),
        ("name: x\nhorizon: 2 years\n\x07oops: 1\n", 3, "character '\\x07' is not allowed"),
    ],
)
def test_bad_yaml_syntax_gives_the_line(tmp_path, text, line, words):
    path = write(tmp_path / "syntax.yaml", text)
    (problem,) = problems_of(path)
    assert problem.source == str(path)
    assert problem.line == line
    assert "invalid YAML" in problem.message and words in problem.message
    assert str(problem).startswith(f"{path}:{line}: invalid YAML")


def test_top_level_must_be_a_mapping(tmp_path):
    (problem,) = problems_of(write(tmp_path / "list.yaml", "- a\n- b\n"))
    assert "mapping" in problem.message


def test_missing_file(tmp_path):
    path = tmp_path / "nope.yaml"
    (problem,) = problems_of(path)
    assert problem.line is None
    assert str(problem) == f"{path}: file not found"


# -- consistency across keys ------------------------------------------------------------


def test_severity_names_must_match_case_weight(tmp_path):
    text = SMALL_YAML.replace("{light: 0.6, heavy: 0.4}", "{light: 0.6, hevy: 0.4}").replace(
        "contact_hours_per_week: {light: 0.5, heavy: 1.5}", "contact_hours_per_week: {light: 0.5}"
    )
    found = by_path(problems_of(write(tmp_path / "bad.yaml", text)))
    unknown = found["neighbourhood.severity_mix.hevy"]
    assert "unknown severity" in unknown.message and "light, heavy" in unknown.message
    assert unknown.line == line_of(text, "hevy")
    missing = found["team.contact_hours_per_week"]
    assert "missing severities: heavy" in missing.message
    assert missing.line == line_of(text, "contact_hours_per_week")


def test_duration_per_severity_must_be_complete(tmp_path):
    text = SMALL_YAML.replace(
        "    heavy:\n      dist: lognormal\n      median: 3 months\n      p90: 9 months\n", ""
    )
    found = by_path(problems_of(write(tmp_path / "bad.yaml", text)))
    assert "missing severities: heavy" in found["neighbourhood.duration"].message


def test_severity_mix_must_add_up_to_one(tmp_path):
    text = SMALL_YAML.replace("{light: 0.6, heavy: 0.4}", "{light: 0.6, heavy: 0.3}")
    found = by_path(problems_of(write(tmp_path / "bad.yaml", text)))
    problem = found["neighbourhood.severity_mix"]
    assert "add up to 1" in problem.message and "0.9" in problem.message
    assert problem.line == line_of(text, "severity_mix")


def test_theme_severity_mix_must_add_up_to_one(tmp_path):
    text = SMALL_YAML.replace(
        "      requests_per_1000: 10\n",
        "      requests_per_1000: 10\n      severity_mix: {light: 0.7, heavy: 0.7}\n",
    )
    found = by_path(problems_of(write(tmp_path / "bad.yaml", text)))
    problem = found["neighbourhood.themes.loneliness.severity_mix"]
    assert "add up to 1" in problem.message
    assert problem.line == line_of(text, "{light: 0.7, heavy: 0.7}")


def test_monthly_profile_needs_twelve_factors(tmp_path):
    text = SMALL_YAML.replace("[2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]", "[2, 1, 1]")
    found = by_path(problems_of(write(tmp_path / "bad.yaml", text)))
    assert "12 factors" in found["neighbourhood.themes.debts.monthly_profile"].message


@pytest.mark.parametrize("warmup", ["20 weeks", "1 year"])
def test_warmup_must_be_shorter_than_horizon(tmp_path, warmup):
    text = SMALL_YAML.replace("warmup: 2 weeks", f"warmup: {warmup}")
    (problem,) = problems_of(write(tmp_path / "bad.yaml", text))
    assert problem.path == "warmup"
    assert problem.line == 3
    assert "shorter than the horizon" in problem.message


def test_several_consistency_problems_are_reported_together(tmp_path):
    text = SMALL_YAML.replace("warmup: 2 weeks", "warmup: 30 weeks").replace(
        "{light: 0.6, heavy: 0.4}", "{light: 0.6, heavy: 0.6}"
    )
    problems = problems_of(write(tmp_path / "bad.yaml", text))
    assert {p.path for p in problems} >= {"warmup", "neighbourhood.severity_mix"}


# -- extends ------------------------------------------------------------------------------


def test_extends_relative_path_deep_merges(tmp_path):
    base = write(tmp_path / "bases" / "base.yaml", SMALL_YAML)
    child_text = """\
extends: ../bases/base.yaml
name: child
team:
  fte: 4
neighbourhood:
  themes:
    debts:
      requests_per_1000: 25
      monthly_profile: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3]
  duration:
    heavy:
      p90: 12 months
"""
    child = load_scenario(write(tmp_path / "variants" / "child.yaml", child_text))
    parent = load_scenario(base)
    assert child.name == "child"
    assert child.team.fte == 4
    # everything else in team comes from the base
    assert child.team.caseload_ceiling_per_fte == parent.team.caseload_ceiling_per_fte
    assert child.team.case_weight == parent.team.case_weight
    assert child.team.intake_time == parent.team.intake_time
    # a nested mapping merges key by key ...
    assert child.neighbourhood.themes["debts"].requests_per_1000 == 25
    assert child.neighbourhood.themes["loneliness"] == parent.neighbourhood.themes["loneliness"]
    # ... a list is replaced whole
    assert child.neighbourhood.themes["debts"].monthly_profile == (1,) * 11 + (3,)
    # the same kind of distribution merges: the median stays, p90 changes
    heavy = child.duration("debts", "heavy")
    assert heavy.median == pytest.approx(3 * WEEKS_PER_MONTH)
    assert heavy.p90 == pytest.approx(12 * WEEKS_PER_MONTH)
    assert child.horizon == parent.horizon


def test_extends_with_another_dist_replaces_the_distribution(tmp_path):
    write(tmp_path / "base.yaml", SMALL_YAML)
    child_text = """\
extends: base.yaml
neighbourhood:
  duration:
    heavy: {dist: exponential, mean: 10 weeks}
    light: 2 weeks
"""
    child = load_scenario(write(tmp_path / "child.yaml", child_text))
    heavy = child.duration("debts", "heavy")
    assert heavy.dist == "exponential"
    assert heavy.mean() == 10.0
    light = child.duration("debts", "light")
    assert light.dist == "fixed" and light.value == 2.0


def test_extends_three_levels(tmp_path):
    write(tmp_path / "a.yaml", SMALL_YAML)
    write(tmp_path / "b.yaml", "extends: a.yaml\nteam:\n  fte: 3\n")
    c = load_scenario(write(tmp_path / "c.yaml", "extends: b.yaml\nname: c\nhorizon: 30 weeks\n"))
    assert (c.name, c.team.fte, c.horizon, c.team.caseload_ceiling_per_fte) == ("c", 3, 30, 15)


def test_extends_parses_each_file_once_and_keeps_its_lines(tmp_path, monkeypatch):
    """A diamond: two provisions extend one base; the base is read once, and a
    problem in it is still placed at its own line."""
    from wijksim.scenario import loading

    base_text = SMALL_YAML.replace("  fte: 2", "  fte: -2")
    write(tmp_path / "base.yaml", base_text)
    write(tmp_path / "left.yaml", "extends: base.yaml\nteam:\n  intake_time: 2 hours\n")
    write(tmp_path / "right.yaml", "extends: base.yaml\nname: right\n")
    top = write(tmp_path / "top.yaml", "extends: [left.yaml, right.yaml]\nname: top\n")
    read = []
    real = loading.read_yaml
    monkeypatch.setattr(loading, "read_yaml", lambda path: read.append(path.name) or real(path))
    found = by_path(problems_of(top))
    assert sorted(read) == ["base.yaml", "left.yaml", "right.yaml", "top.yaml"]
    fte = found["team.fte"]
    assert (fte.source, fte.line) == (str(tmp_path / "base.yaml"), line_of(base_text, "fte: -2"))
    write(tmp_path / "base.yaml", SMALL_YAML)
    scenario = load_scenario(top)
    assert (scenario.name, scenario.team.fte) == ("top", 2)


def test_problems_are_located_in_the_file_that_states_the_value(tmp_path):
    base_text = SMALL_YAML.replace("  fte: 2", "  fte: -2")
    base = write(tmp_path / "base.yaml", base_text)
    child_text = "extends: base.yaml\nteam:\n  caseload_ceiling_per_fte: lots\n"
    child = write(tmp_path / "child.yaml", child_text)
    found = by_path(problems_of(child))
    assert (found["team.fte"].source, found["team.fte"].line) == (
        str(base),
        line_of(base_text, "fte: -2"),
    )
    ceiling = found["team.caseload_ceiling_per_fte"]
    assert (ceiling.source, ceiling.line) == (str(child), 3)


def test_missing_key_of_a_replaced_distribution_is_located_in_the_child(tmp_path):
    base_text = SMALL_YAML.replace(
        "    light: {dist: exponential, mean: 4 weeks}",
        "    light:\n      dist: lognormal\n      mean: 4 weeks\n      sd: 2 weeks",
    )
    write(tmp_path / "base.yaml", base_text)
    child_text = (
        "extends: base.yaml\nneighbourhood:\n  duration:\n    light: {dist: gamma, mean: 4 weeks}\n"
    )
    child = write(tmp_path / "child.yaml", child_text)
    found = by_path(problems_of(child))
    problem = found["neighbourhood.duration.light.sd"]
    assert problem.message == "required key is missing"
    # the gamma (and its missing sd) is stated in the child, on line 4 -- not in the base
    assert (problem.source, problem.line) == (str(child), 4)


def test_extends_cycle(tmp_path):
    write(tmp_path / "a.yaml", "extends: b.yaml\nname: a\n")
    write(tmp_path / "b.yaml", "name: b\nextends: a.yaml\n")
    (problem,) = problems_of(tmp_path / "a.yaml")
    assert problem.path == "extends"
    assert problem.message == "extends in a cycle: a.yaml -> b.yaml -> a.yaml"
    assert (problem.source, problem.line) == (str(tmp_path / "b.yaml"), 2)


def test_extends_itself(tmp_path):
    (problem,) = problems_of(write(tmp_path / "a.yaml", "name: a\nextends: ./a.yaml\n"))
    assert problem.path == "extends" and problem.line == 2


def test_a_theme_cannot_be_called_all(tmp_path):
    data = wijksim.load_scenario(BASELINE).to_dict()
    data["neighbourhood"]["themes"]["all"] = {"requests_per_1000": 1}
    with pytest.raises(wijksim.ScenarioError, match="'all' is reserved"):
        wijksim.scenario.validate(data)


def test_extends_missing_base(tmp_path):
    (problem,) = problems_of(write(tmp_path / "a.yaml", "extends: nothere.yaml\n"))
    assert "nothere.yaml: file not found" in problem.message
    assert problem.line == 1


def test_deep_merge_rules():
    base = {"a": {"x": 1, "y": [1, 2]}, "d": {"dist": "gamma", "mean": 1, "sd": 2}, "k": 1}
    over = {"a": {"y": [3]}, "d": {"dist": "exponential", "mean": 5}, "n": 2}
    merged = deep_merge(base, over)
    assert merged == {
        "a": {"x": 1, "y": [3]},
        "d": {"dist": "exponential", "mean": 5},
        "k": 1,
        "n": 2,
    }
    assert base["a"] == {"x": 1, "y": [1, 2]}  # inputs untouched
    same_kind = deep_merge(base, {"d": {"dist": "gamma", "sd": 3}})
    assert same_kind["d"] == {"dist": "gamma", "mean": 1, "sd": 3}


# -- overrides -------------------------------------------------------------------------------


def test_with_overrides(tmp_path):
    scenario = load_scenario(write(tmp_path / "s.yaml", SMALL_YAML))
    changed = scenario.with_overrides(
        {
            "team.fte": 12,
            "warmup": "3 weeks",
            "neighbourhood.themes.debts.requests_per_1000": 7.5,
            "team.escalation.hazard_per_week": 0.02,
        }
    )
    assert changed.team.fte == 12
    assert changed.warmup == 3.0
    assert changed.neighbourhood.themes["debts"].requests_per_1000 == 7.5
    assert changed.team.escalation.hazard_per_week == 0.02
    # the rest is unchanged, and so is the original (scenarios are immutable)
    assert changed.team.case_weight == scenario.team.case_weight
    assert changed.duration("debts", "heavy") == scenario.duration("debts", "heavy")
    assert scenario.team.fte == 2
    with pytest.raises(Exception, match="frozen"):
        scenario.team.fte = 3
    # no overrides: an equal scenario
    assert scenario.with_overrides({}) == scenario


@pytest.mark.parametrize(
    ("overrides", "path", "words"),
    [
        ({"team.fte": -1}, "team.fte", "greater than or equal to 0"),
        ({"team.fte": "many"}, "team.fte", "number"),
        ({"team.ftee": 3}, "team.ftee", "did you mean 'fte'?"),
        ({"horizon": 52}, "horizon", "unit"),
        ({"warmup": "1000 weeks"}, "warmup", "shorter than the horizon"),
        # a slip in a name of a map of named items would add an item, not
        # change the one meant
        (
            {"neighbourhood.themes.debtz.requests_per_1000": 5},
            "neighbourhood.themes.debtz.requests_per_1000",
            "neighbourhood.themes has no 'debtz'; did you mean 'debts'?",
        ),
    ],
)
def test_bad_override_raises_scenario_error(tmp_path, overrides, path, words):
    scenario = load_scenario(write(tmp_path / "s.yaml", SMALL_YAML))
    with pytest.raises(ScenarioError) as info:
        scenario.with_overrides(overrides)
    found = by_path(info.value.problems)
    assert path in found, info.value.problems
    assert words in found[path].message
    if path != "warmup":  # a consistency problem keeps the line of the stated key
        assert str(found[path]).startswith(f"--set: {path}: ")


def test_a_new_named_item_is_added_whole_or_by_a_name_unlike_the_others(tmp_path):
    scenario = load_scenario(write(tmp_path / "s.yaml", SMALL_YAML))
    whole = dict(scenario.to_dict()["neighbourhood"]["themes"]["debts"])
    added = scenario.with_overrides({"neighbourhood.themes.debtz": whole})
    assert added.themes == ("debts", "loneliness", "debtz")
    parts = scenario.with_overrides({"neighbourhood.themes.housing.requests_per_1000": 5})
    assert parts.themes == ("debts", "loneliness", "housing")


def test_override_while_loading(tmp_path):
    path = write(tmp_path / "s.yaml", SMALL_YAML)
    scenario = load_scenario(path, {"team.fte": 7, "team.queue": "priority"})
    assert scenario.team.fte == 7 and scenario.team.queue == "priority"
    (problem,) = problems_of(path, overrides={"team.queue": "random"})
    assert str(problem).startswith("--set: team.queue: ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("team.fte=12", ("team.fte", 12)),
        (" team.fte = 12 ", ("team.fte", 12)),
        ("team.fte=12.5", ("team.fte", 12.5)),
        ("horizon=2 years", ("horizon", "2 years")),
        ("team.queue=priority", ("team.queue", "priority")),
        ("team.priority=[heavy, light]", ("team.priority", ["heavy", "light"])),
        (
            "team.patience={dist: exponential, mean: 8 weeks}",
            ("team.patience", {"dist": "exponential", "mean": "8 weeks"}),
        ),
        ("name=a=b", ("name", "a=b")),
        ("team.patience=null", ("team.patience", None)),
        ("neighbourhood.settled_at_intake=0", ("neighbourhood.settled_at_intake", 0)),
    ],
)
def test_parse_override(text, expected):
    assert parse_override(text) == expected


@pytest.mark.parametrize("text", ["team.fte", "=12", "  =12", ""])
def test_parse_override_needs_key_and_value(text):
    with pytest.raises(ScenarioError, match="expected KEY=VALUE"):
        parse_override(text)


def test_parse_override_null_unsets(tmp_path):
    data = SMALL_YAML + "  patience: {dist: exponential, mean: 8 weeks}\n"
    path = write(tmp_path / "s.yaml", data)
    assert load_scenario(path).team.patience is not None
    key, value = parse_override("team.patience=null")
    assert load_scenario(path, {key: value}).team.patience is None


def test_validate_plain_data_without_positions():
    with pytest.raises(ScenarioError) as info:
        validate({"horizon": "2 weeks"}, default_source="<mine>")
    assert {p.path for p in info.value.problems} == {"neighbourhood", "team"}
    assert all(p.source == "<mine>" for p in info.value.problems)


# -- initial state from a registration CSV ---------------------------------------------------

CSV_OK = """\
status,theme,severity,weeks
in_care,debts,light,3
in_care,loneliness,heavy,"10,5"
waiting,debts,heavy,2
waiting,loneliness,light,0
"""


def with_csv(tmp_path, csv_text: str, name: str = "registration.csv"):
    write(tmp_path / "data" / name, csv_text)
    text = SMALL_YAML + f"initial_state:\n  csv: data/{name}\n"
    return write(tmp_path / "s.yaml", text), text


def test_initial_state_csv_relative_to_the_scenario_file(tmp_path, monkeypatch):
    path, _ = with_csv(tmp_path, CSV_OK)
    monkeypatch.chdir(tmp_path / "data")  # not where the scenario is
    scenario = load_scenario(path)
    rows = scenario.initial_state.rows
    assert [(r.status, r.theme, r.severity, r.weeks) for r in rows] == [
        ("in_care", "debts", "light", 3.0),
        ("in_care", "loneliness", "heavy", 10.5),
        ("waiting", "debts", "heavy", 2.0),
        ("waiting", "loneliness", "light", 0.0),
    ]
    assert [r.line for r in rows] == [2, 3, 4, 5]


def test_initial_state_csv_enters_the_model(tmp_path):
    import simpy

    path, _ = with_csv(tmp_path, CSV_OK)
    scenario = load_scenario(path, {"team.fte": 0})  # nobody is taken on
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, scenario, seed=1, record_cases=True)
    state = model.state()
    assert state["initial"] == 4
    assert state["in_care"] == 2 and state["waiting"] == 2
    cases = wijksim.simulate(scenario, seed=1, record_cases=True).cases
    initial = cases[cases.origin == "initial"].sort_values("id")
    assert list(initial.arrival) == pytest.approx([-3.0, -10.5, -2.0, 0.0])
    # a case in care for 10.5 weeks already gets a remaining duration, it is not closed
    assert (initial.duration > 0).all()


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("busy,debts,light,3", "3: status must be in_care or waiting"),
        ("in_care,debts,light,three", "3: weeks: not a number"),
        ("in_care,debts,light,-1", "3: weeks cannot be negative"),
    ],
)
def test_initial_state_csv_bad_row(tmp_path, row, words):
    csv_text = "status,theme,severity,weeks\nwaiting,debts,light,1\n" + row + "\n"
    path, text = with_csv(tmp_path, csv_text)
    (problem,) = problems_of(path)
    assert f"registration.csv:{words}" in problem.message
    assert problem.source == str(path)
    assert problem.line == line_of(text, "initial_state:")


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("in_care,housing,light,3", "registration.csv:3: unknown theme (themes: debts,"),
        ("in_care,debts,medium,3", "registration.csv:3: unknown severity (light, heavy)"),
    ],
)
def test_initial_state_csv_unknown_names(tmp_path, row, words):
    csv_text = "status,theme,severity,weeks\nwaiting,debts,light,1\n" + row + "\n"
    path, text = with_csv(tmp_path, csv_text)
    (problem,) = problems_of(path)
    assert words in problem.message
    assert problem.path == "initial_state.csv"
    assert problem.line == line_of(text, "csv: data/")


def test_initial_state_csv_missing_columns_and_file(tmp_path):
    path, _ = with_csv(tmp_path, "status,theme\nwaiting,debts\n")
    (problem,) = problems_of(path)
    assert "missing columns: severity, weeks" in problem.message
    text = SMALL_YAML + "initial_state:\n  csv: data/absent.csv\n"
    (problem,) = problems_of(write(tmp_path / "t.yaml", text))
    assert "cannot read" in problem.message and "absent.csv" in problem.message


def test_initial_state_counts_or_csv_not_both(tmp_path):
    write(tmp_path / "data" / "r.csv", CSV_OK)
    text = SMALL_YAML + "initial_state:\n  csv: data/r.csv\n  caseload: 3\n"
    (problem,) = problems_of(write(tmp_path / "s.yaml", text))
    assert problem.path == "initial_state"
    assert "not both" in problem.message


def test_initial_state_csv_short_row_is_a_problem_not_a_crash(tmp_path):
    path, _ = with_csv(tmp_path, "weeks,status,theme,severity\n3,in_care\n")
    problems = problems_of(path)
    assert any("registration.csv:2" in p.message for p in problems), problems


def test_empirical_csv_relative_to_the_scenario_file(tmp_path, monkeypatch):
    write(tmp_path / "data" / "durations.csv", "weeks\n2\n4\n")
    text = SMALL_YAML.replace(
        "{dist: exponential, mean: 4 weeks}",
        "{dist: empirical, csv: data/durations.csv, column: weeks}",
    )
    path = write(tmp_path / "s.yaml", text)
    monkeypatch.chdir(tmp_path / "data")
    assert load_scenario(path).duration("debts", "light").mean() == 3.0
