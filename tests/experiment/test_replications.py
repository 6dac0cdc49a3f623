"""Replications, paired comparison, executors, uncertainty and sweeps."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wijksim
from wijksim.analysis.comparison import RELIEF_METRICS, Comparison
from wijksim.experiment import SerialExecutor, run_scenarios
from wijksim.experiment.replications import Experiment
from wijksim.experiment.sweep import grid_points, latin_hypercube_points, run_sweep
from wijksim.experiment.tasks import Task, run_task
from wijksim.experiment.uncertainty import draw_parameters
from wijksim.scenario.designs import Range

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"
SHORT = {"horizon": "2 years", "warmup": "26 weeks"}


@pytest.fixture(scope="module")
def base() -> wijksim.Scenario:
    return wijksim.load_scenario(BASELINE, SHORT)


@pytest.fixture(scope="module")
def more_staff(base) -> wijksim.Scenario:
    return base.with_overrides({"team.fte": 12, "name": "meer fte"})


# -- replications -----------------------------------------------------------------------


def test_replication_r_runs_with_seed_seed_r(base):
    experiment = wijksim.run_experiment(base, replications=3, seed=7, workers=1)
    for r in range(3):
        expected = wijksim.simulate(base, seed=(7, r)).summary()
        got = experiment.results[experiment.results["replication"] == r]
        assert dict(zip(got["metric"], got["value"], strict=True)) == expected.to_dict()


def test_results_are_tidy_and_summary_has_a_t_interval(base):
    experiment = wijksim.run_experiment(base, replications=5, workers=1)
    results = experiment.results
    assert list(results.columns) == ["scenario", "replication", "metric", "value"]
    assert sorted(results["replication"].unique()) == [0, 1, 2, 3, 4]
    assert set(results["scenario"]) == {base.name}
    table = experiment.summary()
    assert {"mean", "sd", "n", "ci_low", "ci_high"} <= set(table.columns)
    values = experiment.values("mean_caseload")
    interval = wijksim.experiment.intervals.t_interval(values)
    row = table.loc["mean_caseload"]
    assert row["n"] == 5
    assert row["mean"] == pytest.approx(values.mean())
    assert row["ci_low"] == pytest.approx(interval.low)
    assert row["ci_high"] == pytest.approx(interval.high)
    assert row["ci_low"] < row["mean"] < row["ci_high"]


def test_timeseries_has_mean_and_band_per_week(base):
    experiment = wijksim.run_experiment(base, replications=4, workers=1)
    series = experiment.timeseries
    assert {"week", "metric", "theme", "mean", "sd", "n", "ci_low", "ci_high"} <= set(series)
    caseload = series[(series["metric"] == "caseload") & (series["theme"] == "all")]
    assert len(caseload) == experiment.timeseries_runs["week"].nunique()
    assert (caseload["n"] == 4).all()
    assert (caseload["ci_low"] <= caseload["mean"]).all()
    runs = experiment.timeseries_runs
    week5 = runs[(runs["week"] == 5) & (runs["metric"] == "caseload") & (runs["theme"] == "all")]
    assert caseload.set_index("week").loc[5, "mean"] == pytest.approx(week5["value"].mean())


def test_experiment_pickles(base):
    import pickle

    experiment = wijksim.run_experiment(base, replications=2, workers=1, timeseries=False)
    again = pickle.loads(pickle.dumps(experiment))
    pd.testing.assert_frame_equal(again.results, experiment.results)


@pytest.mark.parametrize("bad", [{"replications": 0}, {"seed": -1}, {"batch_size": 0}])
def test_bad_arguments_are_refused(base, bad):
    arguments = {"replications": 2, "seed": 0, **bad}
    with pytest.raises(ValueError):
        wijksim.run_experiment(base, workers=1, **arguments)


# -- identical whatever the executor ------------------------------------------------------


def _frames(experiments: dict[str, Experiment]):
    return [(e.results, e.parameters, e.timeseries_runs) for e in experiments.values()]


def _assert_identical(a, b):
    for (ra, pa, ta), (rb, pb, tb) in zip(_frames(a), _frames(b), strict=True):
        pd.testing.assert_frame_equal(ra, rb, check_exact=True)
        pd.testing.assert_frame_equal(pa, pb, check_exact=True)
        pd.testing.assert_frame_equal(ta, tb, check_exact=True)


def test_identical_bit_for_bit_across_executors_and_batch_sizes(base, more_staff):
    scenarios = {"basis": base, "meer": more_staff}
    kwargs = {"replications": 5, "seed": 3}
    serial = run_scenarios(scenarios, workers=1, **kwargs)
    pool = run_scenarios(scenarios, workers=2, batch_size=2, **kwargs)
    with ThreadPoolExecutor(3) as threads:
        threaded = run_scenarios(scenarios, executor=threads, batch_size=1, **kwargs)
    _assert_identical(serial, pool)
    _assert_identical(serial, threaded)


def test_progress_reports_every_replication(base):
    calls = []
    wijksim.run_experiment(
        base, replications=5, workers=1, batch_size=2, progress=lambda d, t: calls.append((d, t))
    )
    assert calls[0] == (0, 5)
    assert calls[-1] == (5, 5)
    done = [d for d, _ in calls]
    assert done == sorted(done)


def test_a_failing_task_raises_and_cancels_the_rest(base):
    broken = base.model_copy(update={"horizon": -1.0})  # passes no validation: fails in the run
    with pytest.raises(Exception):  # noqa: B017 - whatever the engine raises
        wijksim.run_experiment(broken, replications=4, workers=1, batch_size=1)


# -- paired comparison ------------------------------------------------------------------------


def test_paired_interval_is_narrower_than_with_independent_seeds(base, more_staff):
    kwargs = {"replications": 12, "seed": 1, "workers": 1, "timeseries": False}
    paired = wijksim.compare([base, more_staff], **kwargs)
    independent = wijksim.compare([base, more_staff], common_random_numbers=False, **kwargs)
    # the baseline sees other seeds without common random numbers
    assert not np.array_equal(
        paired.experiments[base.name].values("requests"),
        independent.experiments[base.name].values("requests"),
    )
    # figures both scenarios feel the same demand in (not the caseload: the
    # baseline's is pinned at its ceiling whatever the demand, so pairing
    # cannot narrow its difference with a team below its ceiling)
    for metric in ("requests", "mean_waiting_list"):
        narrow = paired.difference("meer fte", metric)
        wide = independent.difference("meer fte", metric)
        assert narrow.half_width < wide.half_width, metric


def test_common_random_numbers_give_the_same_demand(base, more_staff):
    comparison = wijksim.compare([base, more_staff], replications=3, workers=1, timeseries=False)
    # more staff changes nothing about who asks for help and when (before recurrences)
    a = comparison.experiments[base.name].values("requests")
    b = comparison.experiments["meer fte"].values("requests")
    assert np.corrcoef(a, b)[0, 1] > 0.9 or np.array_equal(a, b)


def test_more_staff_shortens_the_wait(base, more_staff):
    comparison = wijksim.compare([base, more_staff], replications=8, workers=1, timeseries=False)
    # with common random numbers the dose effect shows replication by replication
    before = comparison.experiments[base.name].values("mean_waiting_list")
    after = comparison.experiments["meer fte"].values("mean_waiting_list")
    assert (after <= before).all() and (after < before).any()
    assert comparison.difference("meer fte", "mean_waiting_list").mean < 0


def test_relief_table_has_the_relief_figures_in_order(base, more_staff):
    comparison = wijksim.compare([base, more_staff], replications=3, workers=1, timeseries=False)
    relief = comparison.relief()
    present = [m for m in RELIEF_METRICS if m in comparison.experiments[base.name].metrics]
    assert list(relief["metric"]) == present
    row = relief.set_index("metric").loc["mean_caseload"]
    a = comparison.experiments[base.name].values("mean_caseload")
    b = comparison.experiments["meer fte"].values("mean_caseload")
    assert row["difference"] == pytest.approx(np.mean(b - a))
    assert row["baseline"] == pytest.approx(np.mean(a))


def _fake(label: str, figures: dict[str, list[float]]) -> Experiment:
    rows = [
        (label, r, metric, value)
        for metric, values in figures.items()
        for r, value in enumerate(values)
    ]
    results = pd.DataFrame(rows, columns=["scenario", "replication", "metric", "value"])
    results = results.sort_values("replication", kind="stable").reset_index(drop=True)
    return Experiment(
        None,
        label=label,
        seed=0,
        replications=len(next(iter(figures.values()))),
        results=results,
        parameters=pd.DataFrame(),
        timeseries_runs=None,
    )


def test_relief_skips_averted_when_no_scenario_reports_it():
    base = _fake("a", {"mean_caseload": [10.0, 11.0, 12.0]})
    alt = _fake("b", {"mean_caseload": [9.0, 10.5, 11.0]})
    relief = Comparison({"a": base, "b": alt}, "a").relief()
    assert list(relief["metric"]) == ["mean_caseload"]
    assert relief["difference"].iloc[0] == pytest.approx(-2.5 / 3)


def test_relief_leaves_out_a_figure_one_side_lacks():
    # every run reports averted and diverted (zero without interventions), so a
    # figure missing on one side is not silently taken as zero
    base = _fake("a", {"mean_caseload": [10.0, 11.0, 12.0]})
    alt = _fake("b", {"mean_caseload": [9.0, 10.5, 11.0], "averted": [3.0, 5.0, 4.0]})
    relief = Comparison({"a": base, "b": alt}, "a").relief().set_index("metric")
    assert list(relief.index) == ["mean_caseload"]
    assert relief.loc["mean_caseload", "difference"] == pytest.approx(-2.5 / 3)


def test_compare_needs_two_scenarios_and_a_known_baseline(base, more_staff):
    with pytest.raises(ValueError):
        wijksim.compare([base], replications=2, workers=1)
    with pytest.raises(ValueError):
        wijksim.compare([base, more_staff], baseline="nope", replications=2, workers=1)


def test_same_names_get_unique_labels(base):
    comparison = wijksim.compare([base, base], replications=2, workers=1, timeseries=False)
    assert list(comparison.experiments) == [base.name, f"{base.name} (2)"]
    # the same scenario with the same seeds: no difference at all
    assert comparison.difference(f"{base.name} (2)", "mean_wait_weeks").mean == 0


# -- parameter uncertainty ---------------------------------------------------------------------


def test_uncertain_values_are_drawn_per_replication(base):
    uncertain = base.with_overrides(
        {
            "uncertain": {
                "team.fte": {"dist": "uniform", "min": 8, "max": 12},
                "team.intake_time": {
                    "dist": "triangular",
                    "min": 1,
                    "mode": 1.5,
                    "max": 3,
                    "unit": "hours",
                },
            }
        }
    )
    experiment = wijksim.run_experiment(uncertain, replications=6, workers=1, timeseries=False)
    drawn = experiment.parameters.pivot(index="replication", columns="parameter", values="value")
    assert list(drawn.index) == list(range(6))
    assert drawn["team.fte"].between(8, 12).all()
    assert drawn["team.intake_time"].between(1, 3).all()
    assert drawn["team.fte"].nunique() == 6
    # the run really used the drawn value: per-FTE caseload = caseload / drawn FTE
    wide = experiment.wide()
    np.testing.assert_allclose(
        wide["mean_caseload_per_fte"], wide["mean_caseload"] / drawn["team.fte"]
    )
    # the same draw as the documented stream gives
    assert draw_parameters(uncertain, (0, 4))["team.fte"] == drawn.loc[4, "team.fte"]


def test_uncertain_draws_do_not_depend_on_other_uncertain_values(base):
    fte = {"dist": "uniform", "min": 8, "max": 12}
    ceiling = {"dist": "normal", "mean": 25, "sd": 2}
    one = base.with_overrides({"uncertain": {"team.fte": fte}})
    two = base.with_overrides(
        {"uncertain": {"team.caseload_ceiling_per_fte": ceiling, "team.fte": fte}}
    )
    assert draw_parameters(one, (0, 1))["team.fte"] == draw_parameters(two, (0, 1))["team.fte"]


def test_uncertain_beta_by_mean_and_sd_has_that_mean():
    from wijksim.scenario.designs import UncertainBeta

    spec = UncertainBeta(mean=0.3, sd=0.1)
    u = (np.arange(2000) + 0.5) / 2000
    values = np.array([spec.quantile(x) for x in u])
    assert values.mean() == pytest.approx(0.3, abs=1e-3)
    assert values.std() == pytest.approx(0.1, abs=2e-3)


def test_an_unknown_uncertain_path_is_a_scenario_error(base):
    """Refused when the scenario is made (issue 19, part 4), not once an
    experiment starts."""
    with pytest.raises(wijksim.ScenarioError, match=r"uncertain\.team\.ftee: no such value.*'fte'"):
        base.with_overrides({"uncertain": {"team.ftee": {"dist": "uniform", "min": 1, "max": 2}}})


# -- sweeps ------------------------------------------------------------------------------------


def test_grid_is_a_full_factorial():
    points = grid_points({"a": [1, 2, 3], "b": ["x", "y"]})
    assert len(points) == 6
    assert points[0] == {"a": 1, "b": "x"} and points[1] == {"a": 1, "b": "y"}
    assert {(p["a"], p["b"]) for p in points} == {(a, b) for a in (1, 2, 3) for b in "xy"}


def test_latin_hypercube_uses_every_stratum_once():
    ranges = {"a": Range(min=0, max=10), "b": Range(min=1, max=2, unit="hours")}
    points = latin_hypercube_points(ranges, 8, seed=5)
    a = np.array([p["a"] for p in points])
    assert sorted(np.floor(a / 10 * 8).astype(int)) == list(range(8))
    b = np.array([float(p["b"].split()[0]) for p in points])
    assert sorted(np.floor((b - 1) * 8).astype(int)) == list(range(8))
    assert latin_hypercube_points(ranges, 8, seed=5) == points
    assert latin_hypercube_points(ranges, 8, seed=6) != points


def test_sweep_from_the_scenario_block(base):
    scenario = base.with_overrides({"sweep": {"grid": {"team.fte": [8, 12]}}})
    result = run_sweep(scenario, replications=3, workers=1)
    assert list(result.points["team.fte"]) == [8, 12]
    summary = result.summary().set_index(["point", "metric"])
    assert (
        summary.loc[(0, "mean_waiting_list"), "mean"]
        > summary.loc[(1, "mean_waiting_list"), "mean"]
    )
    # each point is the scenario with that value, run with the same seeds
    alone = wijksim.run_experiment(
        base.with_overrides({"team.fte": 12}), replications=3, workers=1, timeseries=False
    )
    np.testing.assert_array_equal(
        result.experiments["p1"].values("mean_wait_weeks"), alone.values("mean_wait_weeks")
    )


def test_sweep_without_points_is_an_error(base):
    with pytest.raises(wijksim.ScenarioError):
        run_sweep(base, replications=2, workers=1)


def test_run_task_returns_plain_data(base):
    result = run_task(Task("k", base, 0, 2, 4, timeseries=True))
    assert sorted(result.summaries["replication"].unique()) == [2, 3]
    assert SerialExecutor().submit(run_task, Task("k", base, 0, 0, 1, False)).result().key == "k"
