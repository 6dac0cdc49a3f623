"""The experiment commands: compare, sweep, warmup, replications."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from wijksim.cli import main

BASELINE = str(Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml")
STOPS = str(Path(__file__).resolve().parents[2] / "scenarios" / "subsidie-stopt.yaml")
SHORT = ["--set", 'horizon="2 years"', "--set", 'warmup="26 weeks"']


@pytest.fixture
def alternative(tmp_path) -> str:
    path = tmp_path / "meer-fte.yaml"
    path.write_text(f"extends: {BASELINE}\nname: meer fte\nteam:\n  fte: 12\n", encoding="utf-8")
    return str(path)


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def strict_json(text: str):
    """JSON as the standard has it: NaN and Infinity are refused."""

    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def test_compare_prints_the_relief_table(alternative):
    result = invoke("compare", BASELINE, alternative, "-n", "3", "--workers", "1", *SHORT)
    assert result.exit_code == 0, result.output
    assert "Ontlasting: meer fte t.o.v. Wijk Oost (basis)" in result.output
    assert "Gemiddelde wachttijd" in result.output
    assert "95%-BI" in result.output
    assert "[" in result.output and ";" in result.output


def test_compare_json_is_the_same_with_one_or_two_workers(alternative):
    outputs = [
        invoke("compare", BASELINE, alternative, "-n", "4", "--workers", w, "--json", *SHORT)
        for w in ("1", "2")
    ]
    assert all(o.exit_code == 0 for o in outputs)
    assert outputs[0].output == outputs[1].output
    data = strict_json(outputs[0].output)
    assert data["baseline"] == "Wijk Oost (basis)"
    assert data["replications"] == 4
    metrics = [row["metric"] for row in data["relief"]]
    assert metrics[:3] == ["mean_caseload", "mean_waiting_list", "mean_wait_weeks"]
    row = data["relief"][0]
    assert row["ci_low"] <= row["difference"] <= row["ci_high"]


def test_compare_writes_a_folder(alternative, tmp_path):
    out = tmp_path / "out"
    result = invoke(
        "compare", BASELINE, alternative, "-n", "2", "--workers", "1", "--out", str(out), *SHORT
    )
    assert result.exit_code == 0
    assert (out / "relief.csv").exists() and (out / "manifest.json").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["compare", BASELINE],  # no alternative
        ["compare", BASELINE, "missing.yaml"],
        ["compare", BASELINE, BASELINE, "-n", "1"],
        ["compare", BASELINE, BASELINE, "--set", "team.fte=lots"],
        ["sweep", BASELINE, "--grid", "team.fte"],
        ["sweep", BASELINE, "--grid", "team.fte=8,x"],
        ["sweep", BASELINE],  # no points
        ["sweep", BASELINE, "--lhs", "3"],  # no ranges
        ["sweep", BASELINE, "--lhs", "3", "--range", "team.fte=8"],
        ["warmup", BASELINE, "--metric", "nonsense", *SHORT],
        ["replications", BASELINE, "--precision", "2"],
        ["replications", BASELINE, "--tolerance", "net=5"],  # one scenario: no differences
        ["replications", BASELINE, BASELINE, "--metric", "nonsense", *SHORT],
        ["compare", BASELINE, BASELINE, "--precision", "0"],
        ["compare", BASELINE, BASELINE, "--precision", "1.5"],
        ["compare", BASELINE, BASELINE, "--tolerance", "net"],
        ["compare", BASELINE, BASELINE, "--tolerance", "nonsense=3"],
        ["compare", BASELINE, BASELINE, "--tolerance", "net=-1"],
        ["compare", BASELINE, BASELINE, "--tolerance", "net=lots"],
        ["compare", BASELINE, BASELINE, "-n", "30", "--until-precision", "--max-replications", "9"],
    ],
)
def test_bad_input_exits_2(args):
    result = CliRunner().invoke(main, [*args, "--workers", "1"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_sweep_grid_and_lhs(tmp_path):
    grid = invoke(
        "sweep", BASELINE, "--grid", "team.fte=8,12", "-n", "2", "--workers", "1", "--json", *SHORT
    )
    assert grid.exit_code == 0, grid.output
    data = strict_json(grid.output)
    assert [p["team.fte"] for p in data["points"]] == [8, 12]
    lhs = invoke(
        "sweep",
        BASELINE,
        "--lhs",
        "3",
        "--range",
        "team.intake_time=1:2:hours",
        "-n",
        "2",
        "--workers",
        "1",
        *SHORT,
    )
    assert lhs.exit_code == 0, lhs.output
    assert "team.intake_time" in lhs.output


def test_sweep_block_in_the_scenario(tmp_path):
    path = tmp_path / "sweep.yaml"
    path.write_text(
        f"extends: {BASELINE}\nsweep:\n  grid:\n    team.fte: [9, 11]\n", encoding="utf-8"
    )
    result = invoke("sweep", str(path), "-n", "2", "--workers", "1", "--json", *SHORT)
    assert result.exit_code == 0, result.output
    assert [p["team.fte"] for p in json.loads(result.output)["points"]] == [9, 11]


def test_warmup_command():
    result = invoke(
        "warmup", BASELINE, "-n", "3", "--workers", "1", "--json", "--set", 'horizon="3 years"'
    )
    assert result.exit_code == 0, result.output
    data = strict_json(result.output)
    methods = {(m["metric"], m["method"]) for m in data["methods"]}
    assert ("caseload", "welch") in methods and ("waiting_list", "mser-5") in methods
    assert data["recommended_warmup_weeks"] == max(m["warmup_weeks"] for m in data["methods"])
    assert data["judged_on"] == "held still"
    table = invoke("warmup", BASELINE, "-n", "3", "--workers", "1", "--set", 'horizon="3 years"')
    assert "Advies" in table.output and "zonder voorzieningen" in table.output


def test_warmup_as_is_judges_the_provisions_too():
    args = ["-n", "3", "--workers", "1", "--set", 'horizon="3 years"', "--json"]
    held = strict_json(invoke("warmup", STOPS, *args).output)
    as_is = strict_json(invoke("warmup", STOPS, "--as-is", *args).output)
    assert (held["judged_on"], as_is["judged_on"]) == ("held still", "as is")
    # with the same seeds, the provisions change the weekly series the advice is judged on
    assert held["methods"] != as_is["methods"]


def test_replications_command():
    result = invoke("replications", BASELINE, "--pilot", "5", "--workers", "1", "--json", *SHORT)
    assert result.exit_code == 0, result.output
    data = strict_json(result.output)
    assert data["pilot"] == 5
    caseload = next(m for m in data["metrics"] if m["metric"] == "mean_caseload")
    assert caseload["needed"] >= 2
    table = invoke("replications", BASELINE, "--pilot", "5", "--workers", "1", *SHORT)
    assert "Advies voor het gemiddelde: minstens" in table.output


# -- precision of the headline figures -----------------------------------------------------


def test_compare_says_whether_each_headline_figure_reached_the_precision(alternative):
    result = invoke("compare", BASELINE, alternative, "-n", "3", "--workers", "1", *SHORT)
    assert result.exit_code == 0, result.output
    assert "Precisie van de kerncijfers — 3 replicaties" in result.output
    assert "Maatschappelijk saldo (contante waarde)" in result.output
    assert "Gestelde precisie" in result.output and "±10%" in result.output
    data = strict_json(
        invoke(
            "compare",
            BASELINE,
            alternative,
            "-n",
            "3",
            "--workers",
            "1",
            "--json",
            "--precision",
            "0.2",
            "--tolerance",
            "net=1234",
            *SHORT,
        ).output
    )
    precision = data["precision"]
    assert precision["precision"] == 0.2
    assert precision["tolerances"]["net"] == 1234
    figures = [row["metric"] for row in precision["per_figure"]]
    assert figures == [
        "mean_caseload",
        "mean_waiting_list",
        "mean_wait_weeks",
        "share_wait_over_6_weeks",
        "net",
    ]
    for row in precision["per_figure"]:
        assert row["reached"] == (row["criterion"] in ("relative", "absolute"))
        assert row["target"] == max(0.2 * abs(row["difference"]), row["tolerance"])
    assert precision["reached"] == all(row["reached"] for row in precision["per_figure"])


def test_compare_until_precision_gives_what_a_fixed_run_of_its_size_gives(alternative, tmp_path):
    strict = ["--precision", "0.01", "--tolerance", "net=0", "--tolerance", "mean_caseload=0"]
    until = invoke(
        "compare",
        BASELINE,
        alternative,
        "-n",
        "2",
        "--until-precision",
        "--max-replications",
        "5",
        "--workers",
        "1",
        "--json",
        "--out",
        str(tmp_path / "until"),
        *strict,
        *SHORT,
    )
    assert until.exit_code == 0, until.output
    data = strict_json(until.output)
    assert data["replications"] == 5  # 2, 4, then the maximum
    assert data["precision"]["reached"] is False
    fixed = invoke(
        "compare",
        BASELINE,
        alternative,
        "-n",
        "5",
        "--workers",
        "2",
        "--json",
        "--out",
        str(tmp_path / "fixed"),
        *strict,
        *SHORT,
    )
    assert fixed.output == until.output
    for name in (
        "summary.csv",
        "statistics.csv",
        "timeseries.csv",
        "relief.csv",
        "differences.csv",
        "precision.csv",
    ):
        assert (tmp_path / "until" / name).read_bytes() == (tmp_path / "fixed" / name).read_bytes()


def test_replications_advises_for_the_differences_of_a_comparison(alternative):
    result = invoke(
        "replications", BASELINE, alternative, "--pilot", "4", "--workers", "1", "--json", *SHORT
    )
    assert result.exit_code == 0, result.output
    data = strict_json(result.output)
    assert data["kind"] == "paired"
    assert data["baseline"] == "Wijk Oost (basis)" and data["alternatives"] == ["meer fte"]
    needed = [row["needed"] for row in data["per_figure"]]
    assert data["recommended"] == max(n for n in needed if n is not None)
    table = invoke("replications", BASELINE, alternative, "--pilot", "4", "--workers", "1", *SHORT)
    assert "(gepaard)" in table.output and "Advies voor de vergelijking" in table.output
    one = invoke("replications", BASELINE, "--pilot", "4", "--workers", "1", "--json", *SHORT)
    assert strict_json(one.output)["kind"] == "absolute"
    words = invoke("replications", BASELINE, "--pilot", "4", "--workers", "1", *SHORT).output
    assert "gemiddelde van één scenario" in words and "absolute gemiddelde" in words
