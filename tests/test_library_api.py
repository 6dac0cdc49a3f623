"""The library API says what is wrong, in words (issue 9, item 7)."""

from __future__ import annotations

import numpy as np
import pytest
import simpy

import wijksim
from helpers import SMALL_YAML, write
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
