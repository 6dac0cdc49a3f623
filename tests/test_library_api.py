"""The library API says what is wrong, in words (issue 9, item 7)."""

from __future__ import annotations

import numpy as np
import pytest
import simpy

import wijksim
from helpers import REPO, SMALL_YAML, write
from wijksim.scenario import ScenarioError
from wijksim.scenario import size as scenario_size


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return wijksim.load_scenario(write(tmp_path_factory.mktemp("api") / "s.yaml", SMALL_YAML))


@pytest.mark.parametrize(
    ("seed", "error", "words"),
    [
        (1.5, TypeError, "a seed is a whole number"),
        ("7", TypeError, "a seed is a whole number"),
        (None, TypeError, "a seed is a whole number"),
        (True, TypeError, "a seed is a whole number"),
        ([1, 2.5], TypeError, "not 2.5"),
        (-1, ValueError, "cannot be negative"),
        ([3, -2], ValueError, "cannot be negative"),
        ([], ValueError, "at least one number"),
    ],
)
def test_a_bad_seed_is_refused_in_words(small, seed, error, words):
    with pytest.raises(error, match=words):
        wijksim.simulate(small, seed=seed)
    with pytest.raises(error, match=words):
        wijksim.WijkteamModel(simpy.Environment(), small, seed)


@pytest.mark.parametrize("seed", [3, np.int64(3), (3, 0), [3, 0], np.array([3, 0])])
def test_good_seeds_still_run(small, seed):
    assert wijksim.simulate(small, seed=seed).summary()["requests"] > 0


@pytest.mark.parametrize("moment", ["done", "intake"])
@pytest.mark.parametrize("request_", [None, "r1", 3])
def test_a_moment_of_something_that_is_not_a_request_is_refused(small, moment, request_):
    model = wijksim.WijkteamModel(simpy.Environment(), small, 1)
    with pytest.raises(TypeError, match="expected a Request"):
        getattr(model, moment)(request_)


def test_simulate_of_a_mapping_says_how(small):
    with pytest.raises(TypeError, match=r"Scenario\.model_validate"):
        wijksim.simulate(small.to_dict())


def test_simulate_checks_the_work_unless_forced(small, monkeypatch):
    monkeypatch.setattr(scenario_size, "MAX_EVENTS", 10)
    with pytest.raises(ScenarioError, match=r"force=True") as info:
        wijksim.simulate(small)
    assert "because of" in str(info.value)
    assert wijksim.simulate(small, force=True).summary()["requests"] > 0


def test_returns_on_their_way_count_in_the_work(small):
    """A recurrence delay of centuries means millions of returns drawn at the
    start: the estimate names it, and a forced run still draws them a chunk at a
    time and keeps only those within the horizon."""
    recurrence = {"probability": 0.5, "delay": {"dist": "fixed", "value": "1e9 weeks"}}
    far = small.with_overrides({"team.recurrence": recurrence, "initial_state.caseload": 50})
    work = scenario_size.estimate_work(far)
    assert work.returns > scenario_size.MAX_EVENTS
    with pytest.raises(ScenarioError, match=r"team\.recurrence\.delay"):
        wijksim.simulate(far)
    near = far.with_overrides({"team.recurrence.delay.value": "1e5 weeks"})
    assert scenario_size.estimate_work(near).returns == pytest.approx(work.returns / 1e4)
    # ~250,000 drawn; those due within the 20 weeks (a uniform share of 1e5) come in
    returns = scenario_size.estimate_work(near).returns
    assert 0 < wijksim.simulate(near).summary()["recurrences"] < returns * 20 / 1e5 * 2


@pytest.mark.parametrize("run", ["experiment", "compare", "sweep"])
def test_experiments_check_the_work_unless_forced(small, monkeypatch, run):
    """Issue 9, item 6: the experiment functions estimate the work as the
    command line does, before any worker starts (workers run what they get)."""
    monkeypatch.setattr(scenario_size, "MAX_EVENTS", 10)
    more = small.with_overrides({"team.fte": 12, "name": "meer"})
    calls = {
        "experiment": lambda **kw: wijksim.run_experiment(small, 2, **kw),
        "compare": lambda **kw: wijksim.compare([small, more], replications=2, **kw),
        "sweep": lambda **kw: wijksim.run_sweep(
            small, [{"team.fte": 10}, {"team.fte": 12}], replications=2, **kw
        ),
    }
    with pytest.raises(ScenarioError, match=r"force=True"):
        calls[run](workers=1)
    assert calls[run](workers=1, force=True) is not None


def test_a_latin_hypercube_over_a_whole_number_rounds_its_points():
    from helpers import REPO
    from wijksim.experiment.sweep import latin_hypercube_points
    from wijksim.scenario.designs import Range
    from wijksim.scenario.loading import whole_ranges

    scenario = wijksim.load_scenario(REPO / "scenarios" / "bezoekdienst.yaml")
    ranges = {"volunteers.bezoekers.size": Range(min=4, max=9), "team.fte": Range(min=8, max=9)}
    points = latin_hypercube_points(whole_ranges(scenario, ranges), 6, seed=1)
    sizes = [p["volunteers.bezoekers.size"] for p in points]
    assert all(isinstance(s, int) and 4 <= s <= 9 for s in sizes)
    assert any(not float(p["team.fte"]).is_integer() for p in points)  # fte stays fractional
    for point in points:
        scenario.with_overrides(point)  # every point is a valid scenario


# -- hostile input to results, plots and the embedding API ----------------------------


@pytest.fixture(scope="module")
def compared(small):
    more = small.with_overrides({"name": "more", "team.fte": 3})
    return wijksim.compare([small, more], replications=3, workers=1)


# every result's interval: 95 for 0.95 gave a numpy error or an interval silently
INTERVALS = {
    "Experiment.summary": lambda c, conf: c.experiments[c.baseline].summary(conf),
    "Comparison.relief": lambda c, conf: c.relief(conf),
    "Comparison.by_year": lambda c, conf: c.by_year(confidence=conf),
    "Value.totals": lambda c, conf: wijksim.value.value(c).totals(conf),
    "Value.by_payer": lambda c, conf: wijksim.value.value(c).by_payer(conf),
    "Value.effects": lambda c, conf: wijksim.value.value(c).effects(conf),
}


@pytest.mark.parametrize("where", list(INTERVALS))
@pytest.mark.parametrize(
    ("confidence", "error"),
    [(95, ValueError), (1.5, ValueError), (0, ValueError), (-0.5, ValueError),
     (float("nan"), ValueError), ("0.9", TypeError), (None, TypeError)],
)  # fmt: skip
def test_a_confidence_that_is_not_a_fraction_is_refused_in_words(
    compared, where, confidence, error
):
    with pytest.raises(error, match=r"confidence is a fraction between 0 and 1 \(0\.95\)"):
        INTERVALS[where](compared, confidence)


def test_a_confidence_that_is_a_fraction_still_gives_intervals(compared):
    assert INTERVALS["Value.totals"](compared, np.float64(0.9)).notna().any(axis=None)


@pytest.mark.parametrize("model", [None, 3, "s.yaml", "scenario"])
def test_run_of_something_that_is_not_a_model_is_refused(small, model):
    with pytest.raises(TypeError, match="Run takes a WijkteamModel"):
        wijksim.Run(small if model == "scenario" else model)


PLOTS = {
    "Run": lambda c, **kw: wijksim.simulate(c.experiments[c.baseline].scenario, 1).plot(**kw),
    "Experiment": lambda c, **kw: c.experiments[c.baseline].plot(**kw),
    "Comparison": lambda c, **kw: c.plot("timeseries", **kw),
}


@pytest.mark.parametrize("what", list(PLOTS))
@pytest.mark.parametrize(
    ("given", "error", "words"),
    [
        ({"metric": "nonsense"}, ValueError, "no weekly series 'nonsense' \\(known: "),
        ({"metric": None}, ValueError, "no weekly series None"),
        ({"metric": ["caseload"]}, ValueError, r"no weekly series \['caseload'\]"),
        ({"theme": "nonsense"}, ValueError, "no theme 'nonsense' \\(known: all, "),
        ({"ax": 3}, TypeError, "ax must be matplotlib Axes"),
    ],
)
def test_a_plot_of_an_unknown_series_is_refused_not_drawn_empty(
    compared, what, given, error, words
):
    pytest.importorskip("matplotlib")
    with pytest.raises(error, match=words):
        PLOTS[what](compared, **given)


@pytest.mark.parametrize(
    ("metrics", "error", "words"),
    [
        (["nonsense"], ValueError, "no yearly figure 'nonsense' \\(known: "),
        ("requests", TypeError, r"a list of figure names, e\.g\. \['requests'\]"),
    ],
)
def test_relief_per_year_of_unknown_figures_is_refused_in_words(compared, metrics, error, words):
    with pytest.raises(error, match=words):
        compared.by_year(metrics)


def test_a_sweep_plot_of_an_unknown_figure_is_refused_in_words(small):
    pytest.importorskip("matplotlib")
    result = wijksim.run_sweep(small, [{"team.fte": 2}, {"team.fte": 3}], 2, workers=1)
    with pytest.raises(ValueError, match="no figure 'nonsense' \\(known: "):
        result.plot(metric="nonsense")


@pytest.mark.parametrize("out", [3, 2.5, ["out"]])
def test_an_out_that_is_not_a_path_is_refused_in_words(small, out):
    with pytest.raises(TypeError, match="out must be the path of a folder"):
        wijksim.run_experiment(small, 2, workers=1, out=out)


@pytest.mark.parametrize("progress", [3, "bar"])
def test_simulate_refuses_a_progress_that_is_not_a_function_before_it_runs(small, progress):
    with pytest.raises(TypeError, match=r"progress must be a function progress\(done, total\)"):
        wijksim.simulate(small, progress=progress)


@pytest.mark.parametrize("overrides", ["team.fte=3", ["team.fte=3"], 3])
def test_advise_refuses_overrides_that_are_not_a_mapping_as_load_scenario_does(overrides):
    decision = REPO / "scenarios" / "besluit-preventiebudget.yaml"
    with pytest.raises(TypeError, match="overrides must be a mapping from dotted path"):
        wijksim.advise(decision, overrides=overrides, workers=1)


def _small(tmp_path):
    return wijksim.load_scenario(write(tmp_path / "s.yaml", SMALL_YAML))


#: Each call with one true-or-false argument given as something else: a
#: string such as "no" would be taken as true.
FLAGS = {
    "simulate record_cases": lambda s, v: wijksim.simulate(s, record_cases=v),
    "simulate series": lambda s, v: wijksim.simulate(s, series=v),
    "simulate force": lambda s, v: wijksim.simulate(s, force=v),
    "compare common_random_numbers": lambda s, v: wijksim.compare(
        [s, s], replications=2, workers=1, common_random_numbers=v
    ),
    "compare timeseries": lambda s, v: wijksim.compare([s, s], replications=2, timeseries=v),
    "run_experiment force": lambda s, v: wijksim.run_experiment(s, 2, workers=1, force=v),
    "model series": lambda s, v: wijksim.WijkteamModel(simpy.Environment(), s, series=v),
    "submit provisions": lambda s, v: wijksim.WijkteamModel(simpy.Environment(), s).submit(
        "debts", provisions=v
    ),
}


@pytest.mark.parametrize("value", ["no", 0, None])
@pytest.mark.parametrize("call", FLAGS, ids=list(FLAGS))
def test_a_true_or_false_argument_is_refused_unless_it_is_one(tmp_path, call, value):
    name = call.split()[1]
    with pytest.raises(TypeError, match=f"{name} is True or False, not {value!r}"):
        FLAGS[call](_small(tmp_path), value)


def test_numpy_booleans_are_true_or_false(tmp_path):
    run = wijksim.simulate(_small(tmp_path), record_cases=np.bool_(True), series=np.False_)
    assert run.cases is not None
