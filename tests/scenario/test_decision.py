"""A decision stated as data: the ``decision:`` block, its checks (located at
their lines), its portfolios and the scenario each of them runs."""

from __future__ import annotations

import math
import re

import pytest

import wijksim
from helpers import REPO
from wijksim.analysis.advice import fixed_cost_floor, load_decision
from wijksim.analysis.headline import TOLERANCES
from wijksim.scenario import ScenarioError
from wijksim.scenario.decision import FIGURES, portfolio_scenario, portfolios

SHIPPED = REPO / "scenarios" / "besluit-preventiebudget.yaml"
ALL = REPO / "scenarios" / "alle-interventies.yaml"


def decision_file(tmp_path, body: str, base=ALL):
    path = tmp_path / "besluit.yaml"
    path.write_text(f"extends: {base}\n{body}", encoding="utf-8")
    return path


def problems_of(path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        wijksim.load_scenario(path)
    return [str(p) for p in caught.value.problems]


def test_the_shipped_decision_has_its_menu_and_its_reference_first():
    scenario = wijksim.load_scenario(SHIPPED)
    decision = scenario.decision
    found = portfolios(decision)
    assert len(found) == decision.size == 2 * 2 * 3 * 2 * 2 * 2
    assert found[0].label == decision.reference == "geen extra voorzieningen"
    assert found[-1].label.startswith("Bezoekdienst + Grip & Glans + SchuldHulpMaatje (24 maatjes)")
    assert len({p.label for p in found}) == len(found)  # every portfolio named apart
    base = scenario.to_dict()
    nothing = portfolio_scenario(base, decision, found[0])
    assert nothing.interventions == () and nothing.volunteers == {} and nothing.uncertain is None
    assert nothing.team.collective_hours_per_week == 0.0 and nothing.decision is None
    everything = portfolio_scenario(base, decision, found[-1])
    assert {s.name for s in everything.interventions} == {s.name for s in scenario.interventions}
    assert everything.volunteers["maatjes"].size == 24
    assert everything.team.disciplines is not None and everything.team.fte == 10
    assert everything.team.collective_hours_per_week == 10.0  # the provisions' own hours


def test_a_provision_left_out_takes_its_pool_its_uncertain_values_and_its_tenders(tmp_path):
    path = decision_file(
        tmp_path,
        "tenders:\n  - {at: 2 years, transition: 4 weeks, interventions: [Bezoekdienst]}\n"
        "  - {at: 3 years, transition: 2 weeks}\n"
        "decision:\n  choices:\n    - {name: BD, provision: Bezoekdienst, levels: [{name: aan}]}\n"
        "  objective: {minimise: mean_waiting_list}\n",
    )
    scenario = wijksim.load_scenario(path)
    off, on = portfolios(scenario.decision)
    left_out = portfolio_scenario(scenario.to_dict(), scenario.decision, off)
    assert "Bezoekdienst" not in [s.name for s in left_out.interventions]
    assert "bezoekers" not in left_out.volunteers and "maatjes" in left_out.volunteers
    assert not any(p.startswith("interventions.Bezoekdienst.") for p in left_out.uncertain)
    assert [t.interventions for t in left_out.tenders] == [()]  # the one of all provisions stays
    assert left_out.team.collective_hours_per_week == 8.0
    kept = portfolio_scenario(scenario.to_dict(), scenario.decision, on)
    assert len(kept.tenders) == 2 and kept.team.collective_hours_per_week == 10.0


def test_every_problem_of_a_decision_is_located(tmp_path):
    path = decision_file(
        tmp_path,
        "decision:\n"
        "  choices:\n"
        "    - name: A\n"
        "      provision: Bezoekdienstt\n"
        "      levels:\n"
        "        - name: x\n"
        "          set: {horizon: 3 years, team.ftee: 3}\n"
        "    - name: A\n"
        "      levels:\n"
        "        - {name: y, set: {interventions.Bezoekdienst.uptake: 0.3}}\n"
        "    - {name: B, provision: Bezoekdienst, levels: [{name: 'off'}]}\n"
        "    - {name: C, provision: Bezoekdienst, levels: [{name: z}]}\n"
        "  objective: {minimise: share_wait_over_6_weeks}\n",
    )
    found = problems_of(path)
    expected = [
        (5, "decision.choices.0.provision: unknown intervention 'Bezoekdienstt'; did you mean"),
        (8, "decision.choices.0.levels.0.set.horizon: horizon is the same for every portfolio"),
        (8, "decision.choices.0.levels.0.set.team.ftee: no such value: team has no key 'ftee'"),
        (9, "decision.choices.1.name: choice 'A' is named twice"),
        (11, "set.interventions.Bezoekdienst.uptake: 'Bezoekdienst' is left out of some"),
        (12, "decision.choices.2.levels.0.name: 'off' is the option that leaves the provision"),
        (13, "decision.choices.3.provision: 'Bezoekdienst' is already the provision of choice 2"),
    ]
    assert len(found) == len(expected), found
    for text, (line, start) in zip(found, expected, strict=True):
        assert re.match(rf"^{re.escape(str(path))}:{line}: ", text), text
        assert start in text, text


def test_objectives_and_constraints_name_known_figures_with_a_delta(tmp_path):
    path = decision_file(
        tmp_path,
        "decision:\n"
        "  choices: [{name: BD, provision: Bezoekdienst, levels: [{name: aan}]}]\n"
        "  objective: {minimise: share_wait_over_6_week}\n"
        "  constraints:\n"
        "    - {figure: reneged, at_least: 0}\n"
        "    - {figure: renegd, at_most: 3, tolerance: 1}\n"
        "  budget: {payer: gemeente}\n",
    )
    found = problems_of(path)
    assert any(
        ":4: decision.objective.minimise: unknown figure 'share_wait_over_6_week'; did you mean "
        "'share_wait_over_6_weeks'?" in p
        for p in found
    ), found
    assert any(":6: decision.constraints.0: 'reneged' has no default tolerance" in p for p in found)
    assert any(":7: decision.constraints.1.figure: unknown figure 'renegd'" in p for p in found)
    assert any(":8: decision.budget.payer:" in p for p in found)


def test_the_collective_hours_follow_the_provisions_unless_as_written(tmp_path):
    body = (
        "decision:\n"
        "  choices:\n"
        "    - name: team\n"
        "      levels: [{name: a}, {name: b, set: {team.collective_hours_per_week: 4}}]\n"
        "  objective: {minimise: mean_waiting_list}\n"
    )
    found = problems_of(decision_file(tmp_path, body))
    assert "collective hours follow the chosen provisions" in found[0]
    path = decision_file(tmp_path, body + "  collective_hours: as_written\n")
    scenario = wijksim.load_scenario(path)
    _, b = portfolios(scenario.decision)
    assert (
        portfolio_scenario(scenario.to_dict(), scenario.decision, b).team.collective_hours_per_week
        == 4
    )


def test_the_default_deltas_are_the_headline_tolerances():
    for name, figure in FIGURES.items():
        if name in TOLERANCES:
            assert figure.delta == TOLERANCES[name], name
        elif figure.delta is not None:
            pytest.fail(f"{name} has a default delta of its own")


def test_every_run_figure_is_a_figure_of_a_run():
    summary = wijksim.simulate(
        wijksim.load_scenario(
            REPO / "scenarios" / "baseline.yaml", {"horizon": "1 year", "warmup": "0 weeks"}
        ),
        seed=0,
    ).summary()
    assert {n for n, f in FIGURES.items() if f.source == "run"} <= set(summary.keys())


def test_the_fixed_cost_floor_counts_funded_years_after_the_warm_up(tmp_path):
    scenario = wijksim.load_scenario(REPO / "scenarios" / "schuldhulpmaatje.yaml")
    total, per_year = fixed_cost_floor(scenario)
    years = (scenario.horizon - scenario.warmup) / (365.25 / 7)
    assert per_year == pytest.approx(15_000) and total == pytest.approx(15_000 * years)
    paused = scenario.with_overrides(
        {"tenders": [{"at": "2 years", "transition": "1 year"}], "interventions.0.stop": "4 years"}
    )
    total, _ = fixed_cost_floor(paused)
    assert total == pytest.approx(15_000 * 2)  # funded from year 1 to 4, a year's pause
    assert fixed_cost_floor(scenario, "health_insurer") == (0.0, 0.0)


def test_a_budget_no_portfolio_fits_is_refused_at_its_line(tmp_path):
    path = decision_file(
        tmp_path,
        "decision:\n"
        "  choices:\n"
        "    - {name: SHM, provision: SchuldHulpMaatje, off: false, levels: [{name: aan}]}\n"
        "  objective: {minimise: mean_waiting_list}\n"
        "  budget:\n"
        "    per_year: 10000\n",
    )
    with pytest.raises(ScenarioError) as caught:
        wijksim.advise(path, workers=1)
    (problem,) = caught.value.problems
    assert str(problem) == (
        f"{path}:7: decision.budget.per_year: no portfolio fits the budget: the cheapest, "
        "'reference', costs at least EUR 30,000 a year in fixed costs alone"
    )


def test_load_decision_finds_the_line_of_every_key():
    scenario, locate = load_decision(SHIPPED)
    assert scenario.decision is not None
    source, line = locate(("decision", "budget", "per_year"))
    assert source == str(SHIPPED)
    assert "per_year: 250000" in SHIPPED.read_text().splitlines()[line - 1]
    assert not math.isnan(scenario.decision.objective.indifference)


HOSTILE = (
    "decision:\n"
    "  choices: [{{name: BD, provision: Bezoekdienst, levels: [{{name: aan}}]}}]\n"
    "  objective: {objective}\n"
    "  constraints: [{constraint}]\n"
    "  budget: {budget}\n"
    "  selection: {selection}\n"
)
FINE = {
    "objective": "{minimise: mean_waiting_list}",
    "constraint": "{figure: net, at_least: 0}",
    "budget": "{per_year: 100000}",
    "selection": "{alpha: 0.05}",
}


@pytest.mark.parametrize(
    ("part", "value", "path", "words"),
    [
        # a weighted score that ranks nothing, or whose sums overflow
        (
            "objective",
            "{minimise: {mean_wait_weeks: 0, net: 0}, delta: 1}",
            "decision.objective.minimise",
            "every weight is 0",
        ),
        (
            "objective",
            "{minimise: {mean_wait_weeks: 1.0e308}, delta: 1}",
            "decision.objective.minimise",
            "less than or equal to 1000000000000",
        ),
        (
            "objective",
            "{minimise: mean_waiting_list, delta: 1.0e308}",
            "decision.objective.delta",
            "less than or equal to 1000000000000",
        ),
        (
            "constraint",
            "{figure: net, at_least: 1.0e308}",
            "decision.constraints.0.at_least",
            "less than or equal",
        ),
        (
            "constraint",
            "{figure: net, at_most: -1.0e308}",
            "decision.constraints.0.at_most",
            "greater than or equal",
        ),
        (
            "constraint",
            "{figure: net, at_least: 0, tolerance: 1.0e308}",
            "decision.constraints.0.tolerance",
            "less than or equal",
        ),
        ("budget", "{per_year: 1.0e308}", "decision.budget.per_year", "less than or equal"),
        ("budget", "{total: 1.0e13}", "decision.budget.total", "less than or equal"),
        (
            "budget",
            "{per_year: 1, tolerance: 1.0e308}",
            "decision.budget.tolerance",
            "less than or equal",
        ),
        # alpha is a finite number, not a boolean
        ("selection", "{alpha: true}", "decision.selection.alpha", "expected a number, not true"),
        ("selection", "{alpha: .nan}", "decision.selection.alpha", "expected a finite number"),
        # a count below its least names that least, not 0
        (
            "selection",
            "{procedure: ocba, replications: -1}",
            "decision.selection.replications",
            "greater than or equal to 1",
        ),
        (
            "selection",
            "{first_stage: -5}",
            "decision.selection.first_stage",
            "greater than or equal to 3",
        ),
    ],
)
def test_absurd_numbers_of_a_decision_are_refused_at_their_line(tmp_path, part, value, path, words):
    path_ = decision_file(tmp_path, HOSTILE.format(**{**FINE, part: value}))
    found = problems_of(path_)
    line = 2 + ["objective", "constraint", "budget", "selection"].index(part) + 2
    assert any(p.startswith(f"{path_}:{line}: {path}") and words in p for p in found), found


@pytest.mark.parametrize(
    ("sets", "key", "words"),
    [
        ("{volunteers.bezoekers.size: -3}", "volunteers.bezoekers.size", "greater than or equal"),
        ("{volunteers.bezoekers.size: many}", "volunteers.bezoekers.size", "valid integer"),
        ("{interventions.-1.stop: 1 year}", "interventions.-1.stop", "no such list item"),
        (
            "{interventions.Bezoekdienst.uptake: 2}",
            "interventions.Bezoekdienst.uptake",
            "less than",
        ),
        ("{team.disciplines: {a: {fte: x}}}", "team.disciplines.a.fte", "valid number"),
    ],
)
def test_validate_refuses_a_wrong_value_an_option_sets_at_its_line(tmp_path, sets, key, words):
    """What advise would refuse in every portfolio that takes the option,
    validate finds first (it said 'in orde')."""
    path = decision_file(
        tmp_path,
        "decision:\n"
        "  choices:\n"
        "    - name: BD\n"
        "      provision: Bezoekdienst\n"
        f"      levels: [{{name: aan}}, {{name: meer, set: {sets}}}]\n"
        "  objective: {minimise: mean_waiting_list}\n",
    )
    found = problems_of(path)
    assert all(p.startswith(f"{path}:6: decision.choices.0.levels.1.set.") for p in found), found
    assert any(
        p.startswith(f"{path}:6: decision.choices.0.levels.1.set.{key}: ") and words in p
        for p in found
    ), found
