"""The ``wijksim`` command: run, validate, schema; exit codes 0 and 2; no tracebacks."""

from __future__ import annotations

import csv
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import wijksim
from helpers import REPO, SMALL_YAML, line_of, write
from wijksim.cli import main
from wijksim.scenario.loading import read_merged, read_yaml

BAD_INPUT = 2


def strict_json(text: str):
    """Parse JSON as the standard has it: NaN and Infinity are not JSON."""

    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture
def small(tmp_path) -> Path:
    return write(tmp_path / "small.yaml", SMALL_YAML)


@pytest.fixture
def bad(tmp_path) -> tuple[Path, str]:
    text = SMALL_YAML.replace("  fte: 2", "  fte: two").replace(
        "  caseload_ceiling_per_fte: 15", "  caseload_cieling_per_fte: 15"
    )
    return write(tmp_path / "bad.yaml", text), text


def invoke(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_clean_failure(result, *, code: int = BAD_INPUT) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# -- help ----------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["run", "--help"], ["validate", "--help"]])
def test_help(args):
    result = invoke(*args)
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_help_lists_the_commands():
    result = invoke("--help")
    for command in ("run", "validate", "schema"):
        assert re.search(rf"^\s+{command}\b", result.output, re.MULTILINE), command


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert wijksim.__version__ in result.output


# -- run ------------------------------------------------------------------------------------


def test_run_prints_the_table(small):
    result = invoke("run", small, "--seed", "3")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "test — seed 3"
    for key, (label, unit) in wijksim.SUMMARY_LABELS.items():
        # the label, then its value (a number, or – for none), then its unit
        row = [line for line in lines if re.match(rf"{re.escape(label)} +[−–\d]", line)]
        assert len(row) == 1, key
        assert row[0].endswith(f" {unit}"), key


def test_run_json_has_the_summary(small):
    result = invoke("run", small, "--json", "--seed", "5")
    assert result.exit_code == 0, result.output
    payload = strict_json(result.stdout)
    assert payload["scenario"] == "test"
    assert payload["seed"] == 5
    summary = payload["summary"]
    assert set(wijksim.SUMMARY_LABELS) <= set(summary)
    # the same figures as the API gives
    expected = wijksim.simulate(wijksim.load_scenario(small), seed=5).summary()
    for key, value in expected.items():
        if math.isnan(value):
            assert summary[key] is None
        else:
            assert summary[key] == pytest.approx(value, rel=1e-12), key


def test_run_json_is_strict_json_when_figures_are_undefined(small):
    # an unlimited ceiling has no occupancy, and zero FTE no caseload per FTE: NaN figures
    for override in ("team.caseload_ceiling_per_fte=unlimited", "team.fte=0"):
        result = invoke("run", small, "--json", "--set", override)
        assert result.exit_code == 0, result.output
        summary = strict_json(result.stdout)["summary"]
        assert None in summary.values()


def test_run_set_overrides(small):
    result = invoke("run", small, "--json", "--set", "team.fte=0", "--set", "horizon=30 weeks")
    summary = strict_json(result.stdout)["summary"]
    assert summary["intakes"] == 0
    assert summary["weeks"] == pytest.approx(28.0)


def test_run_out_writes_csv_files(small, tmp_path):
    out = tmp_path / "out" / "nested"
    result = invoke("run", small, "--out", out, "--cases", "--json")
    assert result.exit_code == 0, result.output
    summary = strict_json(result.stdout)["summary"]
    names = sorted(p.name for p in out.iterdir())
    assert names == ["cases.csv", "summary.csv", "timeseries.csv"]  # no temporary files left

    with (out / "summary.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["metric"] for row in rows] == list(summary)
    assert {row["unit"] for row in rows} >= {"weken", "aandeel", "aantal"}
    for row in rows:
        value = summary[row["metric"]]
        if value is None:
            assert math.isnan(float(row["value"]))
        else:
            assert float(row["value"]) == value

    with (out / "timeseries.csv").open(newline="") as handle:
        series = list(csv.DictReader(handle))
    assert list(series[0]) == ["week", "metric", "label", "unit", "theme", "value"]
    assert series[0]["label"] and series[0]["unit"]  # a label and unit beside each key
    weeks = {int(row["week"]) for row in series}
    assert min(weeks) == 1 and max(weeks) >= 19
    requests = sum(
        float(r["value"]) for r in series if r["metric"] == "requests" and r["theme"] == "all"
    )
    assert requests > 0

    with (out / "cases.csv").open(newline="") as handle:
        cases = list(csv.DictReader(handle))
    assert {"id", "theme", "severity", "status", "arrival", "wait"} <= set(cases[0])


def test_run_out_with_zero_fte(small, tmp_path):
    result = invoke("run", small, "--set", "team.fte=0", "--out", tmp_path / "o")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "timeseries.csv").is_file()


@pytest.mark.parametrize("command", ["run", "validate"])
def test_missing_file_is_bad_input(tmp_path, command):
    missing = tmp_path / "nope.yaml"
    result = invoke(command, missing)
    assert_clean_failure(result)
    assert f"{missing}: file not found" in result.stderr


@pytest.mark.parametrize("command", ["run", "validate"])
def test_bad_yaml_is_bad_input_with_a_line(tmp_path, command):
    path = write(tmp_path / "syntax.yaml", "name: x\nhorizon: 2 weeks\nwarmup: 1 week: bad\n")
    result = invoke(command, path)
    assert_clean_failure(result)
    assert f"{path}:3: invalid YAML" in result.stderr


def test_run_invalid_scenario(bad):
    path, _ = bad
    result = invoke("run", path)
    assert_clean_failure(result)
    assert f"{path}:" in result.stderr


def test_run_bad_set(small):
    result = invoke("run", small, "--set", "team.fte")
    assert_clean_failure(result)
    assert "expected KEY=VALUE" in result.stderr
    result = invoke("run", small, "--set", "team.fte=-3")
    assert_clean_failure(result)
    assert "--set: team.fte:" in result.stderr


def test_run_usage_error_exits_2(small):
    result = invoke("run", small, "--seed", "-1")
    assert_clean_failure(result)
    result = invoke("run")
    assert_clean_failure(result)


# -- validate ---------------------------------------------------------------------------------


def test_validate_ok(small, tmp_path):
    other = write(tmp_path / "other.yaml", SMALL_YAML.replace("name: test", "name: other"))
    result = invoke("validate", small, other)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"{small}: in orde", f"{other}: in orde"]
    english = invoke("validate", "--lang", "en", small)
    assert english.stdout.splitlines() == [f"{small}: ok"]


def test_validate_reports_every_problem_with_file_and_line(small, bad):
    path, text = bad
    result = invoke("validate", "--lang", "en", small, path)
    assert_clean_failure(result)
    assert f"{small}: ok" in result.stdout
    problems = result.stderr.splitlines()
    expected = {
        f"{path}:{line_of(text, 'fte: two')}: team.fte: ",
        f"{path}:{line_of(text, 'caseload_cieling')}: team.caseload_cieling_per_fte: unknown key",
    }
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)
    for problem in problems:
        assert re.match(rf"^{re.escape(str(path))}:\d+: ", problem), problem


def test_validate_with_set(small):
    result = invoke("validate", small, "--set", "warmup=1 year")
    assert_clean_failure(result)
    assert "warmup" in result.stderr


def test_validate_shipped_scenarios():
    files = sorted((Path(__file__).parents[2] / "scenarios").glob("*.yaml"))
    assert files
    result = invoke("validate", *files)
    assert result.exit_code == 0, result.output


# -- schema ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema() -> dict:
    result = invoke("schema")
    assert result.exit_code == 0
    return json.loads(result.stdout)


def test_schema_is_strict_json():
    """No NaN or Infinity (e.g. as a default): JSON has no such numbers."""
    result = invoke("schema")
    assert result.exit_code == 0
    strict_json(result.stdout)


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_schema_is_a_json_schema(schema):
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["type"] == "object"
    whole = schema["$defs"]["Scenario"]  # a file without extends
    assert schema["else"] == {"$ref": "#/$defs/Scenario"}
    assert {"horizon", "neighbourhood", "team"} <= set(whole["required"])
    for key in ("name", "horizon", "warmup", "neighbourhood", "team", "initial_state", "extends"):
        assert key in whole["properties"], key
    assert whole["additionalProperties"] is False
    # every reference resolves
    defs = schema["$defs"]
    refs = [n["$ref"] for n in _walk(schema) if "$ref" in n]
    assert refs
    for ref in refs:
        assert ref.startswith("#/$defs/") and ref.removeprefix("#/$defs/") in defs, ref
    for name in ("Exponential", "Lognormal", "Gamma", "Team", "Neighbourhood"):
        assert name in defs


def test_schema_duration_pattern_matches_what_the_loader_accepts(schema):
    pattern = schema["$defs"]["Scenario"]["properties"]["horizon"]["pattern"]
    for good in ("6 weeks", "1.5 years", "3 dagen", ".5 w"):
        assert re.match(pattern, good), good
    for bad in ("6", "weeks", "six weeks"):
        assert not re.match(pattern, bad), bad


def _types(node, defs) -> set[str]:
    """JSON types a sub-schema admits (following $ref, anyOf, oneOf)."""
    if "$ref" in node:
        return _types(defs[node["$ref"].removeprefix("#/$defs/")], defs)
    out = set()
    kind = node.get("type")
    if isinstance(kind, str):
        out.add(kind)
    elif isinstance(kind, list):
        out.update(kind)
    if "const" in node or "enum" in node:
        values = node.get("enum", [node.get("const")])
        out.update("string" for v in values if isinstance(v, str))
    for branch in node.get("anyOf", []) + node.get("oneOf", []):
        out |= _types(branch, defs)
    return out


def test_schema_admits_unlimited_ceiling(schema):
    ceiling = schema["$defs"]["Team"]["properties"]["caseload_ceiling_per_fte"]
    assert "string" in _types(ceiling, schema["$defs"])


def test_schema_admits_distribution_shorthand(schema):
    duration = schema["$defs"]["Neighbourhood"]["properties"]["duration"]["additionalProperties"]
    assert "string" in _types(duration, schema["$defs"])


def test_schema_agrees_with_the_loader_on_the_shipped_scenarios(schema):
    """Editors using the schema accept what wijksim accepts, and flag what it flags."""
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(schema)
    shipped = sorted((REPO / "scenarios").glob("*.yaml"))
    assert len(shipped) >= 9
    for path in shipped:
        data, _ = read_merged(path)
        assert not list(validator.iter_errors(data)), path.name
    data, _ = read_merged(REPO / "scenarios" / "alle-interventies.yaml")
    data["interventions"][0]["uptak"] = 0.1  # a misspelled key inside an intervention
    assert list(validator.iter_errors(data))
    whole = schema["$defs"]["Scenario"]
    kinds = {
        schema["$defs"][ref["$ref"].removeprefix("#/$defs/")]["properties"]["type"]["const"]
        for ref in whole["properties"]["interventions"]["items"]["oneOf"]
    }
    assert {"visiting_service", "group_course", "buddy_programme"} <= kinds
    assert {"resident_initiative", "warm_handover"} <= kinds


def test_schema_checks_files_that_extend_as_an_editor_sees_them(schema):
    """A file with extends only overrides: nothing is required, typos are still flagged."""
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    shipped = sorted((REPO / "scenarios").glob("*.yaml"))
    extending = [path for path in shipped if "extends" in read_yaml(path)[0]]
    assert len(extending) >= 5
    for path in shipped:
        data, _ = read_yaml(path)  # the file alone, not merged
        assert not list(validator.iter_errors(data)), path.name
    assert not list(validator.iter_errors({"extends": "baseline.yaml", "team": {"fte": 9}}))
    flagged = [
        {"extends": "baseline.yaml", "team": {"ftee": 9}},
        {"extends": "baseline.yaml", "interventions": [{"name": "x", "uptak": 0.1}]},
        {"extends": "baseline.yaml", "horizon": "ten years"},
        {"team": {"fte": 9}},  # no extends: a whole scenario is required
    ]
    for data in flagged:
        assert list(validator.iter_errors(data)), data


# -- the real executable -------------------------------------------------------------------


def _executable() -> list[str]:
    script = Path(sys.executable).parent / "wijksim"
    return [str(script)] if script.exists() else [sys.executable, "-m", "wijksim"]


def test_subprocess_run_json(small):
    done = subprocess.run(
        [*_executable(), "run", str(small), "--json", "--seed", "2"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    payload = strict_json(done.stdout)
    assert payload["seed"] == 2 and "mean_wait_weeks" in payload["summary"]


def test_subprocess_validate_and_module_entry(bad, tmp_path):
    path, text = bad
    done = subprocess.run(
        [*_executable(), "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == BAD_INPUT
    assert "Traceback" not in done.stderr
    assert f"{path}:{line_of(text, 'fte: two')}: team.fte:" in done.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "wijksim", "run", str(tmp_path / "absent.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert missing.returncode == BAD_INPUT
    assert "Traceback" not in missing.stderr and "file not found" in missing.stderr


@pytest.mark.parametrize(
    ("rate", "code", "words"),
    [
        ("1.0e308", 2, "no computer could finish it"),  # not valid: it could never run
        ("100000000", 0, "without --force"),  # valid, runs only with --force: said
    ],
)
def test_validate_judges_the_work_of_a_run(tmp_path, rate, code, words):
    base = REPO / "scenarios" / "bezoekdienst.yaml"
    text = f"extends: {base}\ninterventions:\n  - name: Bezoekdienst\n"
    text += f"    trigger_per_1000: {rate}\n"
    result = invoke("validate", write(tmp_path / "s.yaml", text))
    assert result.exit_code == code, result.output
    assert words in result.stderr and "interventions.Bezoekdienst.trigger_per_1000" in result.stderr
