"""The value commands: wijksim breakeven, compare --json with costs and benefits,
reports in another language than the tables."""

from __future__ import annotations

import json

from click.testing import CliRunner

from helpers import REPO
from wijksim.cli import main

BUDDIES = str(REPO / "scenarios" / "schuldhulpmaatje.yaml")
BASELINE = str(REPO / "scenarios" / "baseline.yaml")
SHORT = ["--set", "horizon=2 years", "--workers", "1"]


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def breakeven(*extra):
    """``wijksim breakeven`` of the debt buddies at two scales, two replications."""
    return invoke(
        "breakeven", BUDDIES, "--intervention", "SchuldHulpMaatje", "-n", "2", *SHORT, *extra
    )


def test_breakeven_prints_the_scale_where_it_pays():
    result = breakeven("--scales", "0,1")
    assert result.exit_code == 0, result.output
    assert "Break-even bij" in result.output and "het aangenomen effect" in result.output


def test_breakeven_json_and_bad_input():
    data = json.loads(breakeven("--scales", "0,1", "--json").output)
    assert [p["scale"] for p in data["points"]] == [0.0, 1.0]
    assert 0 <= data["breakeven_scale"] <= 1
    unknown = invoke("breakeven", BUDDIES, "--intervention", "Nope", *SHORT)
    assert unknown.exit_code == 2 and "(interventions: SchuldHulpMaatje)" in unknown.output
    backwards = breakeven("--scales", "1,0")
    assert backwards.exit_code == 2 and "increasing" in backwards.output


def test_compare_json_has_the_social_balance_the_payers_and_the_pm_posts(tmp_path):
    def net(extra):
        result = invoke("compare", BASELINE, BUDDIES, "-n", "2", "--json", *SHORT, *extra)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    plain = net([])

    def buddies_with_share(share: float) -> str:
        path = tmp_path / f"share-{share}.yaml"
        path.write_text(
            f"extends: {BUDDIES}\nuncertain: null\ninterventions:\n"
            f"  - name: SchuldHulpMaatje\n    outcomes:\n"
            f"      - {{name: schuldhulpverlening vermeden, per: participant, share: {share},"
            " value: 2500, payer: debt_assistance}\n",
            encoding="utf-8",
        )
        return str(path)

    def fixed(share: float) -> dict:
        result = invoke("compare", BASELINE, buddies_with_share(share), "-n", "2", "--json", *SHORT)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    low, high = fixed(0.2), fixed(0.5)
    assert high["value"][0]["benefit"] > low["value"][0]["benefit"]
    assert plain["value"][0]["certainty"] == "replications and assumptions"
    assert low["value"][0]["certainty"] == "replications"
    payers = {row["payer"] for row in plain["value_by_payer"]}
    assert {"municipality", "debt_assistance"} <= payers
    effects = {row["effect"] for row in plain["value_effects"] if row["valued_as"] == ""}
    assert {"mean_wait_weeks", "reneged"} <= effects


def test_compare_prints_what_the_certainty_covers_and_the_pm_posts():
    result = invoke("compare", BASELINE, BUDDIES, "-n", "2", *SHORT)
    assert result.exit_code == 0, result.output
    assert "zekerheid over replicaties én aannames" in result.output
    assert "PM (niet in euro)" in result.output and "Gemiddelde wachttijd" in result.output
    fixed = invoke("compare", BASELINE, BUDDIES, "-n", "2", *SHORT, "--set", "uncertain=null")
    assert "de aannames zijn als gegeven genomen" in fixed.output


def test_report_in_another_language_than_the_tables(tmp_path):
    out = tmp_path / "report.html"
    result = invoke("compare", BASELINE, BUDDIES, "-n", "2", *SHORT, "--report", f"{out}:en")
    assert result.exit_code == 0, result.output
    assert "Ontlasting:" in result.output  # the tables in Dutch
    assert f"Report: {out.resolve()}" in result.output
    assert 'lang="en"' in out.read_text(encoding="utf-8")


def test_compare_with_breakeven_and_report_runs_again_into_its_own_folder(tmp_path):
    """The folder holds what the command itself wrote beside the results (the
    break-even's folder, the Markdown report's plots): running the same command
    again resumes instead of refusing them as someone else's files."""
    out = tmp_path / "demo"
    args = [
        "compare", BASELINE, BUDDIES, "-n", "2", *SHORT, "--out", out,
        "--breakeven", "SchuldHulpMaatje", "--report", out / "report.md",
    ]  # fmt: skip
    first = invoke(*args)
    assert first.exit_code == 0, first.output
    assert (out / "report_plots").is_dir() and any(out.glob("breakeven-*"))
    again = invoke(*args)
    assert again.exit_code == 0, again.output
    (out / "notes.txt").write_text("mine")
    assert invoke(*args).exit_code == 2  # a file of the user's still stops it


def test_validate_warns_about_an_effect_that_counts_nothing(tmp_path):
    """A unit value of 0 is allowed (it can be meant) but never silent."""
    path = tmp_path / "zero.yaml"
    path.write_text(
        f"extends: {BUDDIES}\ncosts: {{heavier_care: 0}}\ninterventions:\n"
        "  - name: SchuldHulpMaatje\n    outcomes:\n"
        "      - {name: schuldhulpverlening vermeden, per: participant, share: 0.4,"
        " value: 0, payer: debt_assistance}\n",
        encoding="utf-8",
    )
    result = invoke("validate", str(path))
    assert result.exit_code == 0, result.output
    assert "costs.heavier_care: warning: is 0" in result.output
    assert "outcomes.0.value: warning: is 0" in result.output
    shipped = invoke("validate", BUDDIES)
    assert "warning" not in shipped.output


def test_breakeven_at_a_scale_beyond_reason_says_what_it_can_tell():
    """At 1e308x the buddies pay: the break-even lies at or below it, and the
    share was capped at 1 -- neither a break-even 'at 1e308x' nor a line of
    300 digits."""
    result = breakeven("--scales", "1e308")
    assert result.exit_code == 0, result.output
    assert "of lager" in result.output and "afgekapt op 100%" in result.output
    assert "1,00e+308" in result.output and "000.000" not in result.output
    data = json.loads(breakeven("--scales", "1e308", "--json").output)
    assert data["breakeven_status"] == "at_or_below" and data["breakeven_scale"] is None


def test_a_report_s_breakeven_discounts_at_the_comparison_s_rate(monkeypatch):
    """compare --breakeven runs the break-even at the baseline's rate, the one
    the report's balance and title use, not the alternative's own."""
    import warnings

    import wijksim
    from wijksim.analysis import breakeven as module
    from wijksim.cli.value import breakeven_for

    short = {"horizon": "2 years", "warmup": "1 year", "uncertain": None}
    base = wijksim.load_scenario(REPO / "scenarios" / "baseline.yaml", short)
    alt = wijksim.load_scenario(
        REPO / "scenarios" / "schuldhulpmaatje.yaml", {**short, "costs.discount_rate": 0.05}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        comparison = wijksim.compare([base, alt], replications=2, workers=1, timeseries=False)
    seen = []
    monkeypatch.setattr(module, "breakeven", lambda scenario, *a, **k: seen.append(scenario))
    breakeven_for(comparison, "SchuldHulpMaatje", replications=2, seed=0, workers=1)
    assert [s.costs.discount_rate for s in seen] == [base.costs.discount_rate]
