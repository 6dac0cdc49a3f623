"""Messages that say what is wrong, where, and nothing they should not (issue 9, item 4)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from helpers import REPO, write
from wijksim.cli import main
from wijksim.scenario import ScenarioError, load_scenario

BEZOEKDIENST = REPO / "scenarios" / "bezoekdienst.yaml"
BASELINE = REPO / "scenarios" / "baseline.yaml"


def cli(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def problems(path) -> list:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value.problems


def test_a_missing_colon_is_named(tmp_path):
    path = write(tmp_path / "s.yaml", f"extends: {BASELINE}\nteam:\n  fte 7\n")
    result = cli("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:2: team: expected a mapping of keys" in result.output
    assert "write 'fte: 7'" in result.output


def test_expected_keys_of_an_intervention_are_those_of_its_type(tmp_path):
    text = f"extends: {BEZOEKDIENST}\ninterventions:\n  - name: Bezoekdienst\n    zzzqqq: 1\n"
    (problem,) = problems(write(tmp_path / "s.yaml", text))
    assert (problem.line, problem.path) == (4, "interventions.0.zzzqqq")
    # visiting_service's own keys, not the base class's only
    assert "visit_period" in problem.message and "trigger_per_1000" in problem.message
    assert "diversion_share" not in problem.message  # a buddy programme's key


SECRET = "name: compose\npassword_of_the_user: hunter2\ntoken: s3cr3t\n"


@pytest.mark.parametrize("name", ["secret.txt", "secret.yaml", "notes"])
def test_extends_of_a_file_that_is_not_a_scenario_echoes_nothing_of_it(tmp_path, name):
    write(tmp_path / name, SECRET)
    path = write(tmp_path / "s.yaml", f"extends: {name}\n")
    result = cli("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:1: extends: {name}: not a scenario file" in result.output
    for word in ("password", "hunter2", "token", "s3cr3t"):
        assert word not in result.output


def test_csv_that_is_not_a_csv_echoes_nothing_of_it(tmp_path):
    write(tmp_path / "notes", "password,token\nhunter2,s3cr3t\n")
    text = (
        f"extends: {BASELINE}\nneighbourhood:\n  duration:\n"
        "    light: {dist: empirical, csv: notes, column: weeks}\n"
    )
    result = cli("validate", str(write(tmp_path / "s.yaml", text)))
    assert result.exit_code == 2
    assert "no column 'weeks'" in result.output
    for word in ("password", "hunter2", "token", "s3cr3t"):
        assert word not in result.output


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("9:8", "MIN must be below MAX"),
        ("8:8", "MIN must be below MAX"),
        ("a:8", "MIN and MAX must be numbers"),
        ("1:nan", "MIN and MAX must be finite"),
        ("1:2:parsecs", "unknown unit 'parsecs'"),
    ],
)
def test_a_bad_sweep_range_gets_a_clean_message(spec, words):
    result = cli("sweep", str(BASELINE), "--lhs", "3", "--range", f"team.fte={spec}")
    assert result.exit_code == 2
    assert words in result.output
    assert "pydantic" not in result.output and "validation error" not in result.output


# -- an uncertain: block in one compared scenario only ----------------------------------


UNCERTAIN = "uncertain:\n  team.fte: {dist: uniform, min: 1.5, max: 2.5}\n"


@pytest.fixture
def unpaired(tmp_path):
    from helpers import SMALL_YAML

    plain = write(tmp_path / "plain.yaml", SMALL_YAML)
    uncertain = write(
        tmp_path / "uncertain.yaml", SMALL_YAML.replace("name: test", "name: u") + UNCERTAIN
    )
    return plain, uncertain


def test_compare_reports_an_uncertain_block_in_one_scenario_only(unpaired):
    import wijksim

    plain, uncertain = unpaired
    with pytest.warns(UserWarning, match="only the alternative: team.fte") as caught:
        wijksim.compare([plain, uncertain], replications=2, workers=1, timeseries=False)
    assert "not shared" in str(caught[0].message)
    with pytest.warns(UserWarning, match="only the baseline: team.fte"):
        wijksim.compare([uncertain, plain], replications=2, workers=1, timeseries=False)


def test_compare_of_alike_uncertain_blocks_is_silent(unpaired):
    import warnings

    import wijksim

    _, uncertain = unpaired
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wijksim.compare([uncertain, uncertain], replications=2, workers=1, timeseries=False)


def test_a_provision_s_own_uncertain_values_pair_with_nothing_and_are_silent():
    """The shipped provisions draw their effects; the baseline has no provision to
    draw them for, so nothing is left unpaired and nothing is said."""
    import warnings

    import wijksim
    from wijksim.analysis.comparison import unpaired_uncertainty

    base = wijksim.load_scenario(REPO / "scenarios" / "baseline.yaml")
    buddies = wijksim.load_scenario(REPO / "scenarios" / "schuldhulpmaatje.yaml")
    assert buddies.uncertain and unpaired_uncertainty(base, buddies) == []
    data = buddies.to_dict()
    data["uncertain"]["team.fte"] = {"dist": "uniform", "min": 9, "max": 11}
    drawn_fte = wijksim.Scenario.model_validate(data)  # the team both have: unpaired
    assert unpaired_uncertainty(base, drawn_fte) == ["only the alternative: team.fte"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        short = {"horizon": "1 year", "warmup": "0 weeks"}
        wijksim.compare(
            [base.with_overrides(short), buddies.with_overrides(short)],
            replications=2,
            workers=1,
            timeseries=False,
        )


def test_cli_compare_reports_an_uncertain_block_in_one_scenario_only(unpaired):
    plain, uncertain = unpaired
    result = cli("compare", str(plain), str(uncertain), "-n", "2", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "only the alternative: team.fte" in result.output


def test_unknown_themes_and_pools_are_listed_with_the_valid_names(tmp_path):
    shocks = REPO / "scenarios" / "groeiende-vraag.yaml"
    text = (
        f"extends: {shocks}\n"
        "shocks:\n  - name: prijzencrisis\n    themes: [debt]\n"
        "costs:\n  heavier_care: {lonelyness: 100}\n"
    )
    found = {p.path: p for p in problems(write(tmp_path / "s.yaml", text))}
    themes = "(themes: debts, psychosocial, parenting, self_reliance, loneliness, housing)"
    shock = found["shocks.0.themes"].message
    assert shock == f"unknown theme 'debt'; did you mean 'debts'? {themes}"
    cost = found["costs.heavier_care.lonelyness"].message
    assert cost == f"unknown theme 'lonelyness'; did you mean 'loneliness'? {themes}"
    pool = f"extends: {BEZOEKDIENST}\ninterventions:\n  - name: Bezoekdienst\n    volunteers: x\n"
    (problem,) = problems(write(tmp_path / "p.yaml", pool))
    assert problem.message == "unknown volunteer pool 'x' (volunteer pools: bezoekers)"


ALL = REPO / "scenarios" / "alle-interventies.yaml"


def test_a_misspelled_name_in_a_merge_by_name_says_so_at_the_users_line(tmp_path):
    text = f"extends: {ALL}\ninterventions:\n  - {{name: SchuldHulpMaatj, stop: 3 years}}\n"
    (problem,) = problems(write(tmp_path / "s.yaml", text))
    assert problem.source.endswith("s.yaml") and problem.line == 3
    assert "no intervention named 'SchuldHulpMaatj'" in problem.message
    assert "SchuldHulpMaatje" in problem.message and "buddy_programme" in problem.message


def test_a_problem_in_an_item_merged_by_name_points_at_the_users_line(tmp_path):
    text = (
        f"extends: {ALL}\ninterventions:\n  - name: Warme overdracht\n    stop: 3 years\n"
        "  - name: SchuldHulpMaatje\n    diversion_share: 1.5\n"
    )
    (problem,) = problems(write(tmp_path / "s.yaml", text))
    assert problem.source.endswith("s.yaml") and problem.line == 6
    assert problem.path.endswith("diversion_share")


def test_a_file_with_an_unknown_intervention_type_reports_every_problem(tmp_path):
    """Issue 18: an unknown type hid the other problems of its intervention (and a
    missing key those of a known type's); now every one is reported, at its line,
    with the closest name."""
    text = (
        f"extends: {BASELINE}\n"
        "team:\n  intake_time: 3\n"
        "interventions:\n"
        "  - type: buddy_programm\n"  # line 5
        "    name: Maatjes\n"
        "    themes: [schuld]\n"
        "    volunteers: maatjes\n"
        "    start: 3\n"
        "  - type: visiting_service\n"  # line 10: its own keys missing
        "    name: Bezoek\n"
        "    themes: [lonelyness]\n"
        "shocks:\n  - {name: crisis, themes: [debt], start: 1 year, duration: 1 year, "
        "increase: 0.2}\n"
        "tenders:\n  - {at: 2 years, interventions: [Maatjes, Bezoekdienst]}\n"
    )
    found = {(p.line, p.path): p.message for p in problems(write(tmp_path / "s.yaml", text))}
    themes = "(themes: debts, psychosocial, parenting, self_reliance, loneliness, housing)"
    types = "(intervention types: visiting_service, group_course, buddy_programme, "
    assert found[(5, "interventions.0.type")].startswith(
        f"unknown intervention type 'buddy_programm'; did you mean 'buddy_programme'? {types}"
    )
    assert found[(7, "interventions.0.themes")] == f"unknown theme 'schuld' {themes}"
    pools = "unknown volunteer pool 'maatjes' (volunteer pools: none declared)"
    assert found[(8, "interventions.0.volunteers")] == pools
    assert "needs a unit" in found[(9, "interventions.0.start")]
    assert "needs a unit" in found[(3, "team.intake_time")]
    assert found[(10, "interventions.1.uptake")] == "required key is missing"
    lonely = f"unknown theme 'lonelyness'; did you mean 'loneliness'? {themes}"
    assert found[(12, "interventions.1.themes")] == lonely
    assert found[(14, "shocks.0.themes")] == f"unknown theme 'debt'; did you mean 'debts'? {themes}"
    tender = "unknown intervention 'Bezoekdienst'; did you mean 'Bezoek'? (interventions: "
    assert found[(16, "tenders.0.interventions")] == tender + "Maatjes, Bezoek)"


def test_a_tender_is_not_checked_against_a_name_that_did_not_validate(tmp_path):
    text = (
        f"extends: {BASELINE}\ninterventions:\n  - {{type: nope, name: 5}}\n"
        "tenders:\n  - {at: 2 years, interventions: [X]}\n"
    )
    paths = [p.path for p in problems(write(tmp_path / "s.yaml", text))]
    assert "interventions.0.type" in paths and "interventions.0.name" in paths
    assert "tenders.0.interventions" not in paths  # X may be the name that is wrong


def test_a_misspelled_name_in_a_merge_by_name_suggests_the_closest(tmp_path):
    text = f"extends: {ALL}\ninterventions:\n  - {{name: SchuldHulpMaatj, stop: 3 years}}\n"
    (problem,) = problems(write(tmp_path / "s.yaml", text))
    assert "no intervention named 'SchuldHulpMaatj' in the base file to change; " in problem.message
    assert "did you mean 'SchuldHulpMaatje'? (there: " in problem.message


def test_an_unknown_breakeven_name_lists_the_known_ones():
    buddies = REPO / "scenarios" / "schuldhulpmaatje.yaml"
    short = ("--set", "horizon=1 year", "--set", "warmup=10 weeks", "-n", "2", "--workers", "1")
    result = cli("compare", str(BASELINE), str(buddies), *short, "--breakeven", "SchuldhulpMaatje")
    assert result.exit_code == 2, result.output
    words = "unknown intervention 'SchuldhulpMaatje'; did you mean 'SchuldHulpMaatje'?"
    assert words in result.output and "(interventions: SchuldHulpMaatje)" in result.output
    result = cli("breakeven", str(buddies), "--intervention", "Maatjes", "-n", "2")
    assert result.exit_code == 2, result.output
    assert "unknown intervention 'Maatjes' (interventions: SchuldHulpMaatje)" in result.output


def test_an_unknown_sweep_figure_lists_the_known_ones(tmp_path):
    text = f"extends: {BASELINE}\nhorizon: 1 year\nwarmup: 10 weeks\n"
    text += "sweep:\n  grid: {team.fte: [9]}\n"
    path = write(tmp_path / "s.yaml", text)
    result = cli("sweep", str(path), "-n", "2", "--workers", "1", "--metric", "wachtlijst")
    assert result.exit_code == 2, result.output
    assert "unknown figure 'wachtlijst' (figures: weeks, " in result.output
    assert "mean_waiting_list" in result.output


def test_set_of_a_misspelled_item_name_suggests_the_closest():
    wrong = r"no such list item; did you mean 'SchuldHulpMaatje'\? \(names: Bezoekdienst, "
    with pytest.raises(ScenarioError, match=wrong):
        load_scenario(ALL, {"interventions.SchuldhulpMaatje.stop": "3 years"})
