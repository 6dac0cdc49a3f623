"""Properties that hold for any scenario and seed (hypothesis), and extreme values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

import wijksim
from helpers import SMALL_YAML, rich_scenario, same_numbers, write
from helpers.properties import check_state, seeds, variations
from wijksim.model import results


@settings(max_examples=25)
@given(overrides=variations, seed=seeds, data=st.data())
def test_conservation_and_ceiling_at_every_moment(overrides, seed, data):
    scenario = rich_scenario(overrides)
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, scenario, seed=seed, record_cases=True)
    times = sorted(
        data.draw(
            st.lists(st.floats(0, scenario.horizon), min_size=1, max_size=6), label="check times"
        )
    )
    # another process may feed the team too (a referral from outside)
    submissions = sorted(
        data.draw(
            st.lists(
                st.tuples(st.floats(0, scenario.horizon), st.sampled_from(model.themes)),
                max_size=5,
            ),
            label="submissions",
        )
    )

    made = []

    def referrer(env):
        for at, theme in submissions:
            yield env.timeout(max(0.0, at - env.now))  # equal times: now may be a hair past
            model.submit(theme)
            made.append(env.now)

    env.process(referrer(env))
    start_load = model.load
    check_state(model)
    below_ceiling = model.load <= model.capacity
    for t in [*times, scenario.horizon]:
        if t > env.now:
            env.run(until=t)
        check_state(model)
        # the ceiling holds, except for an initial caseload that was already above it
        assert model.load <= max(model.capacity, start_load)
        if below_ceiling:
            assert model.load <= model.capacity
        below_ceiling = below_ceiling or model.load <= model.capacity
        assert model.waiting >= 0 and model.in_care >= 0
    summary = wijksim.Run(model).summary()
    assert summary["waiting_list_end"] == model.waiting
    cases = results.cases(model)
    # those made before the end (now + delay may round onto the horizon itself)
    assert len(made) >= sum(at < scenario.horizon * (1 - 1e-12) for at, _ in submissions)
    assert (cases["origin"] == "submitted").sum() == len(made)


def test_initial_state_above_the_ceiling_drains_before_new_intakes():
    scenario = rich_scenario(
        {"team.fte": 1, "initial_state.caseload": 40, "initial_state.waiting_list": 0}
    )
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, scenario, seed=3, record_cases=True)
    assert model.load > model.capacity  # 40 cases against 12 slots
    steps_with_intakes = 0
    while env.peek() < scenario.horizon:
        before = model.counts["intakes"]
        env.step()
        if model.counts["intakes"] > before:
            steps_with_intakes += 1
            # a case is only taken on when it fits under the ceiling
            assert model.load <= model.capacity
    assert steps_with_intakes > 0


# -- determinism ------------------------------------------------------------------------------


def assert_identical(a: wijksim.Run, b: wijksim.Run) -> None:
    assert same_numbers(a.summary(), b.summary())
    pd.testing.assert_frame_equal(a.timeseries, b.timeseries, check_exact=True)


@settings(max_examples=15)
@given(overrides=variations, seed=seeds)
def test_same_seed_same_results_bit_for_bit(overrides, seed):
    scenario = rich_scenario(overrides)
    a = wijksim.simulate(scenario, seed=seed, record_cases=True)
    b = wijksim.simulate(scenario, seed=seed, record_cases=True)
    assert_identical(a, b)
    pd.testing.assert_frame_equal(a.cases, b.cases, check_exact=True)


def test_different_seeds_differ():
    scenario = rich_scenario()
    a, b = (wijksim.simulate(scenario, seed=s, record_cases=True) for s in (1, 2))
    assert not a.cases["arrival"].equals(b.cases["arrival"])


def small_in_python(fte: float, queue: str) -> dict:
    """The scenario of ``SMALL_YAML``, written out in Python (not parsed from it)."""
    return {
        "name": "test",
        "horizon": "20 weeks",
        "warmup": "2 weeks",
        "neighbourhood": {
            "residents": 5000,
            "settled_at_intake": 0.2,
            "severity_mix": {"light": 0.6, "heavy": 0.4},
            "duration": {
                "light": {"dist": "exponential", "mean": "4 weeks"},
                "heavy": {"dist": "lognormal", "median": "3 months", "p90": "9 months"},
            },
            "themes": {
                "debts": {
                    "requests_per_1000": 20,
                    "monthly_profile": [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
                },
                "loneliness": {"requests_per_1000": 10},
            },
        },
        "team": {
            "fte": fte,
            "caseload_ceiling_per_fte": 15,
            "case_weight": {"light": 0.5, "heavy": 1.5},
            "contact_hours_per_week": {"light": 0.5, "heavy": 1.5},
            "intake_time": "1 hour",
            "queue": queue,
        },
    }


@settings(max_examples=15)
@given(
    fte=st.sampled_from([0, 0.5, 1, 2, 3.5]),
    queue=st.sampled_from(["fifo", "priority"]),
    seed=seeds,
)
def test_yaml_and_python_scenarios_give_identical_results(tmp_path_factory, fte, queue, seed):
    text = SMALL_YAML.replace("  fte: 2\n", f"  fte: {fte}\n  queue: {queue}\n")
    path = write(tmp_path_factory.mktemp("yaml") / "s.yaml", text)
    from_yaml = wijksim.load_scenario(path)
    in_python = wijksim.Scenario.model_validate(small_in_python(fte, queue))
    assert from_yaml == in_python
    assert_identical(wijksim.simulate(from_yaml, seed=seed), wijksim.simulate(in_python, seed=seed))
    # and simulate() reads the path itself the same way
    assert same_numbers(
        wijksim.simulate(path, seed=seed).summary(),
        wijksim.simulate(in_python, seed=seed).summary(),
    )


# -- dose: more staff never lengthens the wait ----------------------------------------------


def test_more_fte_never_lengthens_the_expected_wait():
    base = rich_scenario(
        {"neighbourhood.residents": 10000, "horizon": "3 years", "warmup": "1 year"}
    )
    seeds_ = range(1, 13)  # common random numbers: the same seeds for every dose
    figures = {}
    for fte in (8, 10, 12):
        scenario = base.with_overrides({"team.fte": fte})
        runs = [wijksim.simulate(scenario, seed=s).summary() for s in seeds_]
        figures[fte] = {
            key: np.mean([r[key] for r in runs])
            for key in ("mean_wait_weeks", "mean_waiting_list", "reneged", "share_waited")
        }
    for key in ("mean_wait_weeks", "mean_waiting_list", "reneged", "share_waited"):
        values = [figures[fte][key] for fte in (8, 10, 12)]
        assert values[0] >= values[1] >= values[2], (key, values)
    # the scenario is loaded: the dose matters
    assert figures[8]["mean_wait_weeks"] > 2 * figures[12]["mean_wait_weeks"] > 0


@settings(max_examples=15)
@given(servers=st.integers(1, 5), load=st.floats(0.4, 1.2), seed=seeds)
def test_one_more_slot_never_lengthens_any_wait_in_a_fifo_queue(mmc_scenario, servers, load, seed):
    """With the same arrivals and durations (common random numbers), each
    request in a FIFO multi-server queue waits no longer with a server more."""
    mmc = mmc_scenario(servers, load, horizon="150 weeks", warmup="0 weeks")
    more = mmc.scenario.with_overrides({"team.fte": servers + 1})
    a = wijksim.simulate(mmc.scenario, seed=seed, record_cases=True).cases.set_index("id")
    b = wijksim.simulate(more, seed=seed, record_cases=True).cases.set_index("id")
    assert a["arrival"].equals(b["arrival"]) and a["duration"].equals(b["duration"])
    horizon = mmc.scenario.horizon
    wait_a = a["wait"].fillna(horizon - a["arrival"])  # still waiting: at least this long
    taken_on_b = b["wait"].notna()
    assert (b["wait"][taken_on_b] <= wait_a[taken_on_b] + 1e-9).all()
    assert a["wait"].notna().sum() <= taken_on_b.sum()


# -- extreme values -----------------------------------------------------------------------------


@settings(max_examples=15)
@given(
    seed=seeds,
    patience=st.sampled_from([None, {"dist": "exponential", "mean": "6 weeks"}]),
    caseload=st.integers(0, 20),
    waiting=st.integers(0, 10),
)
def test_zero_fte_takes_nobody_on(seed, patience, caseload, waiting):
    scenario = rich_scenario(
        {
            "team.fte": 0,
            "team.patience": patience,
            "initial_state.caseload": caseload,
            "initial_state.waiting_list": waiting,
        }
    )
    run = wijksim.simulate(scenario, seed=seed, record_cases=True)
    s = run.summary()
    assert s["intakes"] == 0
    cases = run.cases
    new = cases[cases["origin"] != "initial"]
    assert set(new["status"]) <= {"waiting", "reneged", "settled_at_intake"}
    assert new.loc[new["status"] != "settled_at_intake", "intake"].isna().all()
    initially_waiting = cases[(cases["origin"] == "initial") & cases["intake"].isna()]
    assert len(initially_waiting) == waiting
    assert set(initially_waiting["status"]) <= {"waiting", "reneged"}
    if patience is None:
        assert s["reneged"] == 0
    # everybody who is not settled is on the list or gave up
    not_settled = (new["status"] != "settled_at_intake").sum() + len(initially_waiting)
    assert not_settled == run.model.waiting + run.model.counts["reneged"]
    assert math.isnan(s["mean_wait_weeks"]) and math.isnan(s["mean_caseload_per_fte"])
    assert len(run.timeseries) > 0  # weekly figures exist without a ceiling to divide by


@settings(max_examples=15)
@given(seed=seeds, waiting=st.integers(0, 30), queue=st.sampled_from(["fifo", "priority"]))
def test_unlimited_capacity_nobody_waits(seed, waiting, queue):
    scenario = rich_scenario(
        {
            "team.caseload_ceiling_per_fte": "unlimited",
            "team.queue": queue,
            "initial_state.waiting_list": waiting,
        }
    )
    assert math.isinf(scenario.team.capacity)
    run = wijksim.simulate(scenario, seed=seed, record_cases=True)
    s = run.summary()
    assert s["share_waited"] == 0.0
    assert s["mean_wait_weeks"] == 0.0
    assert s["mean_waiting_list"] == 0.0
    assert s["reneged"] == s["escalations"] == 0
    assert s["waiting_list_end"] == 0
    assert math.isnan(s["ceiling_occupancy"])
    cases = run.cases
    assert cases["intake"].notna().all()
    assert (cases["wait"] == 0).all()
    assert (cases["status"] != "waiting").all()


def test_everything_settled_at_intake():
    scenario = rich_scenario(
        {
            "neighbourhood.settled_at_intake": 1.0,
            "neighbourhood.severity_mix": {"light": 1.0},
            "neighbourhood.themes.loneliness.severity_mix": {"light": 1.0},
            "initial_state.caseload": 0,
            "initial_state.waiting_list": 0,
            "team.recurrence": None,
        }
    )
    s = wijksim.simulate(scenario, seed=1).summary()
    assert s["requests"] == s["settled_at_intake"] > 0
    assert s["intakes"] == 0 and s["mean_waiting_list"] == 0


def test_weekly_series_covers_every_complete_week():
    scenario = rich_scenario({"horizon": "10.5 weeks", "warmup": "0 weeks"})
    series = wijksim.simulate(scenario, seed=2).timeseries
    assert sorted(series.week.unique()) == list(range(1, 11))


def test_weekly_series_adds_up_to_the_totals():
    """Without warm-up, the weekly counts add up to the summary's counts."""
    scenario = rich_scenario({"horizon": "10 weeks", "warmup": "0 weeks"})
    run = wijksim.simulate(scenario, seed=2)
    series = run.timeseries
    totals = series[series.theme == "all"].groupby("metric", observed=True)["value"].sum()
    s = run.summary()
    for key in ("requests", "intakes", "closures", "reneged", "settled_at_intake"):
        assert totals[key] == s[key], key
    assert sorted(series.week.unique()) == list(range(1, 11))
