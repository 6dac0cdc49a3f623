"""Hostile and absurd scenario files: every one gets a located message and exit 2,
never a traceback, a hang or unbounded memory."""

from __future__ import annotations

import os
import re

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

import wijksim
from helpers import BASELINE, SMALL_YAML, write
from wijksim.cli import main
from wijksim.scenario import ScenarioError, load_scenario
from wijksim.scenario.problems import Problem
from wijksim.scenario.size import check_work, estimate_work
from wijksim.scenario.units import WEEKS_PER_YEAR

LOCATED = re.compile(r"^\S+?(:\d+)?: ")


def validate(path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def bomb() -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


HOSTILE = {
    "alias bomb": (bomb(), "more than 100,000 values"),
    "deep nesting": ("a: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    "deep mappings": ("a: " + "{b: " * 60 + "1" + "}" * 60 + "\n", "nested too deeply"),
    "python tag": ("name: !!python/object:os.system {}\n", "YAML tag !!python/object"),
    "omap tag": ("name: !!omap [a: 1]\n", "YAML tag !!omap"),
    "set tag": ("name: !!set {a, b}\n", "YAML tag !!set"),
    "custom tag": ("name: !custom x\n", "YAML tag !custom"),
    "binary": ("name: !!binary aGVsbG8=\n", "!!binary"),
    "NUL in extends": ('extends: "a\\0b"\n', "NUL"),
    "device": ("extends: /dev/zero\n", "not a regular file"),
    "folder": ("extends: /\n", "is a folder"),
    "number too large": (f"extends: {BASELINE}\nteam: {{fte: 1{'0' * 400}}}\n", "too large"),
    "huge float": (f"extends: {BASELINE}\nteam: {{fte: 1e999}}\n", "finite"),
    "type as list": (
        f"extends: {BASELINE}\ninterventions:\n  - {{type: [1], name: x}}\n",
        "unknown intervention type not a name",
    ),
    "no type": (f"extends: {BASELINE}\ninterventions:\n  - {{name: x}}\n", "needs a 'type'"),
    "name as number": (
        f"extends: {BASELINE}\ninterventions:\n"
        "  - {type: buddy_programme, name: 5, themes: [schulden], diversion_share: 0.1,"
        " trajectory: 3 months}\n",
        "valid string",
    ),
    "not a mapping": ("- a\n- b\n", "must be a mapping"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_yaml_gets_a_located_message_and_exit_2(tmp_path, case):
    text, words = HOSTILE[case]
    path = write(tmp_path / "s.yaml", text)
    code, output = validate(path)
    assert code == 2, output
    assert words in output
    for line in output.splitlines():
        assert LOCATED.match(line), line
    assert "Traceback" not in output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert validate(fifo) == (2, f"{fifo}: is not a regular file (a device or a pipe?)\n")
    code, output = validate(write(tmp_path / "s.yaml", "extends: pipe.yaml\n"))
    assert code == 2 and "not a regular file" in output


def test_a_huge_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(2 << 20)
    code, output = validate(path)
    assert code == 2 and "too large" in output


@pytest.mark.parametrize("target", ["/dev/zero", "folder", "pipe"])
def test_a_csv_that_is_not_a_file_is_refused(tmp_path, target):
    (tmp_path / "folder").mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe")
    text = SMALL_YAML + f"initial_state: {{csv: {target}}}\n"
    with pytest.raises(ScenarioError) as info:
        load_scenario(write(tmp_path / "s.yaml", text))
    (problem,) = info.value.problems
    assert problem.path == "initial_state" and problem.line
    assert "cannot read" in problem.message


def with_loneliness_light(tmp_path, block: str) -> wijksim.Scenario:
    """SMALL_YAML with an anchor on the default light duration and ``block``
    (lines under ``light:``) as loneliness's own light duration."""
    text = SMALL_YAML.replace(
        "    light: {dist: exponential, mean: 4 weeks}",
        "    light: &light {dist: exponential, mean: 4 weeks}",
    ).replace(
        "    loneliness:\n      requests_per_1000: 10",
        "    loneliness:\n      requests_per_1000: 10\n      duration:\n        light:\n" + block,
    )
    return load_scenario(write(tmp_path / "s.yaml", text))


def test_merge_keys_share_a_block(tmp_path):
    scenario = with_loneliness_light(tmp_path, "          <<: *light\n          mean: 6 weeks\n")
    assert scenario.duration("loneliness", "light").mean() == 6.0
    assert scenario.duration("debts", "light").mean() == 4.0


def test_merge_keys_follow_yaml_precedence(tmp_path):
    """Keys written in the mapping win over merged ones, wherever they stand;
    of several merged mappings the first wins."""
    block = "          mean: 7 weeks\n          <<: [*light, {dist: gamma}]\n"
    light = with_loneliness_light(tmp_path, block).duration("loneliness", "light")
    assert light.mean() == 7.0 and type(light).__name__ == "Exponential"


def test_control_characters_never_reach_the_terminal():
    problem = Problem("s.yaml", 3, "team.fte", "bad value '\x1b[31mred\x07'")
    assert str(problem) == "s.yaml:3: team.fte: bad value '\\x1b[31mred\\x07'"


# -- random damage: always a located error or a valid scenario ---------------------------

SMALL = YAML(typ="safe").load(SMALL_YAML)
BAD_VALUES = st.one_of(
    st.sampled_from(
        [
            *[".inf", "-.inf", ".nan", "true", "null", "1e999", "1" + "0" * 400, "12.000"],
            *["-1", "6 fortnights", "6", "'6 weeks'", "[1, 2]", "{a: 1}", "!!python/none ''"],
            *["!custom x", "&a [*a]", "'\\x00'", "0x1F", "~", "''", "{dist: gamma}"],
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


def _paths(data, key=()):
    yield key
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, (*key, k))


PATHS = [p for p in _paths(SMALL) if p]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.sampled_from(PATHS), value=BAD_VALUES)
def test_random_damage_gets_a_located_error_or_a_valid_scenario(tmp_path, path, value):
    lines = [f"{'  ' * i}{k}:" for i, k in enumerate(path[:-1])]
    lines.append(f"{'  ' * (len(path) - 1)}{path[-1]}: {value}")
    text = "extends: base.yaml\n" + "\n".join(lines) + "\n"
    write(tmp_path / "base.yaml", SMALL_YAML)
    try:
        scenario = load_scenario(write(tmp_path / "s.yaml", text))
    except ScenarioError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.source.endswith(("s.yaml", "base.yaml")), problem
            assert problem.line is not None or problem.path == "", problem
            assert str(problem).isprintable(), problem
        return
    assert isinstance(scenario, wijksim.Scenario)
    short = scenario.with_overrides({"horizon": "3 weeks", "warmup": "0 weeks"})
    if estimate_work(short).events > 1e5:  # absurd but valid: refused before running
        with pytest.raises(ScenarioError, match="without --force"):
            check_work(short.with_overrides({"horizon": "1000 years"}))
        return
    wijksim.simulate(short)


def test_set_addresses_a_named_list_item_by_name():
    path = BASELINE.parent / "alle-interventies.yaml"
    scenario = load_scenario(path, {"interventions.SchuldHulpMaatje.stop": "3 years"})
    (buddy,) = [i for i in scenario.interventions if i.name == "SchuldHulpMaatje"]
    assert buddy.stop == pytest.approx(3 * WEEKS_PER_YEAR)
    with pytest.raises(ScenarioError, match=r"no such list item \(names: .*SchuldHulpMaatje"):
        load_scenario(path, {"interventions.Nope.stop": "3 years"})
    # a scenario without any: said so, not "Input should be a valid tuple"
    with pytest.raises(ScenarioError, match=r"the scenario has no interventions"):
        load_scenario(BASELINE, {"interventions.SchuldHulpMaatje.stop": "3 years"})


def test_set_below_a_number_blames_the_set_not_the_file():
    with pytest.raises(ScenarioError) as info:
        load_scenario(BASELINE, {"team.fte.x": 1})
    (problem,) = info.value.problems
    assert (problem.source, problem.path) == ("--set", "team.fte")


def test_a_distribution_in_an_extending_file_replaces_the_base_one(tmp_path):
    write(tmp_path / "base.yaml", SMALL_YAML)
    text = (
        "extends: base.yaml\nneighbourhood:\n  duration:\n"
        "    heavy: {dist: lognormal, mean: 4 months, sd: 2 months}\n"
    )
    scenario = load_scenario(write(tmp_path / "s.yaml", text))
    heavy = scenario.duration("debts", "heavy")
    assert heavy.median is None
    assert heavy.mean() == pytest.approx(4 * WEEKS_PER_YEAR / 12)
