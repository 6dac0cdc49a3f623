"""``wijksim advise`` and :func:`wijksim.advise` on the real simulation: a small
decision (two provisions, a short horizon) end to end, the same advice on any
number of workers and when resumed, the command line's output, report and
refusals, and the shipped decision with a small replication budget.

The statistical guarantees are checked on a stand-in with a known answer
(``tests/analysis/advice/test_procedures.py``); here the simulation is small and the
replication counts low: what is checked is the plumbing, not the PCS.
"""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
from click.testing import CliRunner

import wijksim
from helpers import REPO
from wijksim.analysis.advice.sampling import _net, slice_experiment
from wijksim.analysis.value import Value
from wijksim.cli import main
from wijksim.experiment import run_scenarios

SMALL = """\
extends:
  - {buddies}
  - {handover}
name: Klein besluit
horizon: 2 years
warmup: 26 weeks
decision:
  question: Welke van twee voorzieningen?
  reference: niets
  choices:
    - name: SchuldHulpMaatje
      provision: SchuldHulpMaatje
      levels:
        - name: 12 maatjes
        - name: 24 maatjes
          set: {{volunteers.maatjes.size: 24}}
    - name: Warme overdracht
      provision: Warme overdracht
      levels: [{{name: aan}}]
  budget: {{per_year: 100000}}
  objective: {{minimise: mean_waiting_list, delta: 2}}
  constraints:
    - {{figure: net, at_least: -200000, tolerance: 50000}}
  selection: {{first_stage: 4, max_replications: 10}}
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("advice") / "klein.yaml"
    scenarios = REPO / "scenarios"
    path.write_text(
        SMALL.format(
            buddies=scenarios / "schuldhulpmaatje.yaml",
            handover=scenarios / "warme-overdracht.yaml",
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def advice(small):
    return wijksim.advise(small, seed=3, workers=1)


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_the_advice_of_a_small_decision(advice):
    table = advice.table
    assert list(table["key"]) == [f"p{i:04d}" for i in range(6)]
    assert table.loc[0, "label"] == "niets" and table.loc[0, "cost_per_year"] == 0.0
    assert table.loc[0, "net"] == 0.0  # the reference against itself
    chosen = advice.recommended
    assert chosen is not None and chosen["good"] and chosen["status"] == "selected"
    assert advice.spent == table["replications"].sum() == advice.selection.spent
    assert (table["replications"] >= 4).all() and (table["replications"] <= 10).all()
    # the frontier starts at the cheapest run and improves with every step
    front = advice.frontier
    assert front.iloc[0]["cost_per_year"] == table["cost_per_year"].min()
    assert np.all(np.diff(front["objective"]) < 0)
    assert np.all(np.diff(front["cost_per_year"]) > 0)
    # costs: the debt buddies' fixed costs and per-participant costs, per year
    buddies = table[table["label"] == "SchuldHulpMaatje (12 maatjes)"].iloc[0]
    assert buddies["cost_per_year"] > 15_000
    assert pickle.loads(pickle.dumps(advice)).to_dict() == advice.to_dict()


def test_the_same_advice_on_two_workers_and_when_resumed(small, advice, tmp_path):
    parallel = wijksim.advise(small, seed=3, workers=2, out=tmp_path / "run")
    assert parallel.to_dict() == advice.to_dict()
    resumed = wijksim.advise(small, seed=3, workers=2, out=tmp_path / "run")
    assert resumed.to_dict() == advice.to_dict()
    written = json.loads((tmp_path / "run" / "advice.json").read_text(encoding="utf-8"))
    assert written["recommended"]["key"] == advice.recommended["key"]
    assert (tmp_path / "run" / "frontier.csv").is_file()
    assert (tmp_path / "run" / "steps" / "000" / "manifest.json").is_file()


def test_the_balance_per_replication_is_that_of_value():
    """The seam into Value: the per-replication balance the sampler takes
    averages to what Value.totals reports for the same replications, and a
    slice of an experiment holds the replications it names."""
    short = {"horizon": "2 years", "warmup": "26 weeks"}
    scenarios = {
        name: wijksim.load_scenario(REPO / "scenarios" / f"{name}.yaml", short)
        for name in ("baseline", "schuldhulpmaatje")
    }
    runs = run_scenarios(scenarios, replications=3, seed=3, workers=1, timeseries=False)
    base, buddies = runs["baseline"], runs["schuldhulpmaatje"]
    per_replication = _net(buddies, base)
    totals = Value(runs, "baseline").totals()
    assert per_replication.mean() == pytest.approx(totals.loc[0, "net"])
    assert np.ptp(per_replication) > 0
    part = slice_experiment(buddies, 1, 3)
    assert part.replications == 2 and list(part.results["replication"].unique()) == [0, 1]
    waits = buddies.values("mean_waiting_list")
    assert np.array_equal(part.values("mean_waiting_list"), waits[1:])
    assert np.array_equal(_net(part, slice_experiment(base, 1, 3)), per_replication[1:])


def test_the_command_prints_the_advice_the_good_set_and_the_frontier(small, tmp_path):
    report, out = tmp_path / "advies.html", tmp_path / "run"
    result = invoke("advise", small, "--seed", 3, "--workers", 1, "--report", report, "--out", out)
    assert result.exit_code == 0, result.output
    text = result.stdout
    for heading in ("Aanbevolen:", "De goede set", "de efficiënte grens", "Methode", "KN++"):
        assert heading in text, heading
    html = report.read_text(encoding="utf-8")
    assert '<img src="data:image/png;base64,' in html and "Aanbevolen" in html
    # the same run again, resumed from its batches: in English, as JSON
    markdown = tmp_path / "advice.md"
    english = invoke(
        "advise",
        small,
        "--seed",
        3,
        "--workers",
        1,
        "--lang",
        "en",
        "--json",
        "--out",
        out,
        "--report",
        f"{markdown}:en",
    )
    data = json.loads(english.stdout)
    assert data["feasible"] and data["recommended"]["key"] in data["good_set"]
    assert data["method"]["procedure"] == "kn++" and data["method"]["replications"] > 0
    assert data == json.loads((out / "advice.json").read_text(encoding="utf-8"))
    text = markdown.read_text(encoding="utf-8")
    assert text.startswith("# Advice: what to fund") and "## The good set" in text
    assert (tmp_path / "advice_plots" / "frontier.png").is_file()


def test_a_constraint_no_portfolio_meets_is_said_with_the_cheapest(small):
    """Within the fixed costs, but no portfolio's balance reaches the bound: no
    recommendation, the cheapest portfolio run and its cost instead."""
    result = invoke(
        "advise",
        small,
        "--workers",
        1,
        "--first-stage",
        3,
        "--set",
        "decision.constraints.0.at_least=10000000",
        "--lang",
        "en",
    )
    assert result.exit_code == 0, result.output
    assert (
        "No portfolio meets the budget and the constraints. The cheapest that was run, "
        "niets, costs €0 a year." in " ".join(result.stdout.split())
    )
    assert "Recommended:" not in result.stdout
    assert "No portfolio that was run meets the constraints: there is no frontier." in " ".join(
        result.stdout.split()
    )


def test_ocba_spends_the_replications_it_is_given(small):
    advice = wijksim.advise(
        small, seed=3, workers=1, procedure="ocba", replications=40, max_replications=10
    )
    # 40 by OCBA's allocation, and the reference kept up with the others (the balance)
    assert 40 <= advice.spent == advice.selection.spent <= 60 and not advice.guaranteed
    reference = advice.table.loc[0, "replications"]
    assert reference == advice.table["replications"].max()
    assert advice.method()["notes"][0] == {"code": "ocba", "total": 40, "step": 1}
    assert 0.0 <= advice.method()["pcs_estimate"] <= 1.0


def test_the_same_advice_on_a_dask_cluster(small):
    distributed = pytest.importorskip("dask.distributed")
    settings = {"seed": 5, "first_stage": 3, "max_replications": 5}
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_cluster = wijksim.advise(small, executor=client.get_executor(pure=False), **settings)
    here = wijksim.advise(small, workers=1, **settings)
    assert json.dumps(on_cluster.to_dict()) == json.dumps(here.to_dict())


def test_the_command_refuses_bad_input_in_words(small, tmp_path):
    plain = invoke("advise", REPO / "scenarios" / "baseline.yaml", "--workers", 1)
    assert plain.exit_code == 2 and "decision: no decision: block" in plain.output
    assert "Traceback" not in plain.output
    broke = invoke("advise", small, "--set", "decision.objective.minimise=wachtlijst")
    assert broke.exit_code == 2 and "unknown figure 'wachtlijst'" in broke.output
    poor = invoke(
        "advise",
        small,
        "--set",
        "decision.budget.per_year=1000",
        "--set",
        "decision.choices.0.off=false",
        "--workers",
        1,
    )
    assert poor.exit_code == 2, poor.output
    assert "decision.budget.per_year: no portfolio fits the budget" in poor.output


def test_the_shipped_decision_runs_with_a_small_budget():
    """scenarios/besluit-preventiebudget.yaml end to end: every portfolio built
    and run (three replications each, a short horizon), the advice printed."""
    result = invoke(
        "advise",
        REPO / "scenarios" / "besluit-preventiebudget.yaml",
        "--first-stage",
        3,
        "--max-replications",
        3,
        "--set",
        "horizon=1 year",
        "--set",
        "warmup=13 weeks",
        "--workers",
        2,
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["method"]["portfolios"] == data["method"]["run"] == 96
    assert data["method"]["replications"] == 3 * 96
    assert not data["method"]["guaranteed"]  # three replications cannot give it
    assert data["good_set"] and data["frontier"][0]["label"] == "geen extra voorzieningen"
    # the objective is a share: its intervals stay within [0, 1] (a t interval
    # of three replications went to -110% and 177%)
    run = [p for p in data["portfolios"] if p["replications"]]
    assert all(0 <= p["objective_low"] <= p["objective"] <= p["objective_high"] <= 1 for p in run)
    # at the cap the best mean among those left whose means are within the
    # limits (a balance of at least 0 and the budget) is chosen: not the
    # reference merely because it is known to be within them
    left = [p for p in run if p["status"] in ("left", "selected")]
    looks_within = [p for p in left if p["net"] >= 0 and p["cost_per_year"] <= 250_000]
    assert data["recommended"]["objective"] == min(p["objective"] for p in looks_within)


def _variant(small, tmp_path, old: str, new: str):
    text = small.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "variant.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _line(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


@pytest.mark.parametrize(
    ("old", "new", "key", "words"),
    [
        (
            "{volunteers.maatjes.size: 24}",
            "{volunteers.maatjes.size: -24}",
            "decision.choices.0.levels.1.set.volunteers.maatjes.size",
            "greater than or equal to 0",
        ),
        (
            "{volunteers.maatjes.size: 24}",
            "{interventions.99.fixed_cost_per_year: 1}",
            "decision.choices.0.levels.1.set.interventions.99.fixed_cost_per_year",
            "no such list item",
        ),
        (
            "levels: [{name: aan}]",
            "levels: [{name: aan, set: {interventions.Warme overdracht.fixed_cost_per_year: x}}]",
            "decision.choices.1.levels.0.set.interventions.Warme overdracht.fixed_cost_per_year",
            "valid number",
        ),
    ],
)
def test_a_value_an_option_sets_wrong_is_refused_at_its_line_once(
    small, tmp_path, old, new, key, words
):
    """Every portfolio that takes the option fails alike: one problem, at the
    option's line in the file, before anything runs (not 'portfolio p0004' or
    '--set' without a line)."""
    path = _variant(small, tmp_path, old, new)
    with pytest.raises(wijksim.ScenarioError) as caught:
        wijksim.advise(path, workers=1)
    (problem,) = caught.value.problems
    assert (problem.source, problem.path) == (str(path), key), str(problem)
    assert problem.line == _line(path, new) and words in problem.message


@pytest.mark.parametrize(
    ("args", "where", "key"),
    [
        (("--max-replications", 10**8), "--max-replications", "max_replications"),
        (("--procedure", "ocba", "--replications", 10**12), "--replications", "replications"),
        (("--set", "decision.selection.max_replications=100000000"), "--set", "max_replications"),
    ],
)
def test_the_most_a_selection_may_run_is_judged_before_it_runs(small, args, where, key):
    """portfolios x max_replications (OCBA: its replications) above the work
    limit: refused before the first replication, naming the option given."""
    result = invoke("advise", small, "--workers", 1, *args)
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"{where}: decision.selection.{key}: 6 portfolios × ")
    assert "without --force" in result.output and "Traceback" not in result.output


def test_the_work_limit_is_located_in_the_file(small, tmp_path):
    path = _variant(small, tmp_path, "max_replications: 10}", "max_replications: 100000000}")
    with pytest.raises(wijksim.ScenarioError) as caught:
        wijksim.advise(path, workers=1)
    problem = caught.value.problems[0]  # the events; the rows kept next
    assert (problem.line, problem.path) == (
        _line(path, "max_replications: 100000000"),
        "decision.selection.max_replications",
    )
