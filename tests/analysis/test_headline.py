"""The precision of a comparison's headline figures, and running to it."""

from __future__ import annotations

import json
import math
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wijksim
from wijksim.analysis.comparison import Comparison
from wijksim.analysis.headline import (
    HEADLINE_FIGURES,
    MIN_GROWTH,
    TOLERANCES,
    Target,
    estimated_needed,
    next_replications,
    precision_reached,
    summary,
)
from wijksim.analysis.value import Value
from wijksim.experiment import SerialExecutor
from wijksim.experiment.intervals import t_interval, t_quantile
from wijksim.experiment.replications import Experiment
from wijksim.experiment.storage import read_csv

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"
SHORT = {"horizon": "2 years", "warmup": "26 weeks"}


def experiment(label: str, values: dict[str, np.ndarray]) -> Experiment:
    """An experiment made by hand: ``values`` per figure, one per replication."""
    rows = [(label, r, m, float(v)) for m, vs in values.items() for r, v in enumerate(vs)]
    results = pd.DataFrame(rows, columns=["scenario", "replication", "metric", "value"])
    n = len(next(iter(values.values())))
    parameters = pd.DataFrame(columns=["scenario", "replication", "parameter", "value"])
    return Experiment(
        None,  # type: ignore[arg-type]  # not needed for the relief figures
        label=label,
        seed=0,
        replications=n,
        results=results,
        parameters=parameters,
        timeseries_runs=None,
    )


def by_hand(differences: dict[str, np.ndarray], target: Target) -> pd.DataFrame:
    """The precision table of a comparison whose paired differences are given."""
    rng = np.random.default_rng(5)
    n = len(next(iter(differences.values())))
    base = {m: 20 + rng.normal(0, 3, n) for m in differences}
    alt = {m: base[m] + d for m, d in differences.items()}
    comparison = Comparison(
        {"basis": experiment("basis", base), "alt": experiment("alt", alt)}, "basis"
    )
    return precision_reached(comparison, target).set_index("metric")


# -- what precision means -------------------------------------------------------------------


def test_a_large_difference_reaches_the_relative_criterion():
    rng = np.random.default_rng(1)
    target = Target(precision=0.10, figures=("mean_waiting_list",))
    table = by_hand({"mean_waiting_list": -10 + rng.normal(0, 0.5, 30)}, target)
    row = table.loc["mean_waiting_list"]
    assert row["reached"] and row["criterion"] == "relative"
    assert row["half_width"] <= 0.10 * abs(row["difference"])
    assert row["target"] == pytest.approx(0.10 * abs(row["difference"]))


def test_a_difference_near_zero_reaches_the_absolute_criterion():
    rng = np.random.default_rng(2)
    differences = rng.normal(0, 0.5, 30)
    table = by_hand({"mean_waiting_list": differences}, Target(figures=("mean_waiting_list",)))
    row = table.loc["mean_waiting_list"]
    interval = t_interval(differences)
    assert row["half_width"] == pytest.approx(interval.half_width)
    assert row["half_width"] > 0.10 * abs(row["difference"])  # never relative near zero
    assert row["half_width"] <= TOLERANCES["mean_waiting_list"]
    assert row["reached"] and row["criterion"] == "absolute"


def test_a_noisy_difference_has_not_reached_it_and_says_what_it_needs():
    rng = np.random.default_rng(3)
    differences = 2 + rng.normal(0, 4, 12)
    table = by_hand({"mean_wait_weeks": differences}, Target(figures=("mean_wait_weeks",)))
    row = table.loc["mean_wait_weeks"]
    assert not row["reached"] and row["criterion"] == ""
    wanted = max(0.10 * abs(row["difference"]), TOLERANCES["mean_wait_weeks"])
    assert row["target"] == pytest.approx(wanted)
    # the needed number: the smallest n at which the pilot's sd gives that half-width
    sd = np.std(differences, ddof=1)
    n = next(n for n in range(2, 100_000) if t_quantile(n) * sd / math.sqrt(n) <= wanted)
    assert row["needed"] == n > 12


def test_the_summary_is_plain_json_even_for_a_difference_of_zero():
    target = Target(figures=("mean_waiting_list",))
    table = by_hand({"mean_waiting_list": np.array([-1.0, 1.0, -1.0, 1.0])}, target)
    assert table.loc["mean_waiting_list", "relative_half_width"] == math.inf
    plain = summary(table.reset_index(), target)
    assert json.loads(json.dumps(plain, allow_nan=False)) == plain
    assert plain["per_figure"][0]["relative_half_width"] is None


def test_a_tolerance_given_replaces_the_default_and_others_stay():
    target = Target(tolerances={"net": 5_000})
    assert target.tolerance("net") == 5_000 != TOLERANCES["net"]
    assert target.tolerance("mean_waiting_list") == TOLERANCES["mean_waiting_list"]
    assert target.tolerance("p90_wait_weeks") == 0.0  # only the relative criterion
    assert hash(target) == hash(Target(tolerances={"net": 5_000.0}))
    assert target != Target()
    assert pickle.loads(pickle.dumps(target)) == target  # a comparison holds one


@pytest.mark.parametrize(
    "arguments",
    [
        {"precision": 0},
        {"precision": 1.5},
        {"precision": math.nan},
        {"precision": True},
        {"tolerances": {"net": -1}},
        {"tolerances": {"net": math.inf}},
        {"figures": ()},
        {"figures": ("net", "net")},
        {"confidence": 1.0},
    ],
)
def test_a_target_that_means_nothing_is_refused(arguments):
    with pytest.raises(ValueError):
        Target(**arguments)


def test_the_next_step_grows_by_a_quarter_at_least_and_doubles_at_most():
    def table(reached: list[bool], needed: list[int | None]) -> pd.DataFrame:
        return pd.DataFrame(
            {"reached": reached, "needed": pd.array(needed, dtype="Int64")},
        )

    assert next_replications(table([True, True], [3, 5]), 20, 1000) is None
    assert next_replications(table([True, False], [3, 500]), 20, 1000) == 40
    assert next_replications(table([False, False], [21, 22]), 20, 1000) == math.ceil(
        MIN_GROWTH * 20
    )
    assert next_replications(table([False, True], [33, 900]), 20, 1000) == 33  # the open one
    assert next_replications(table([False], [None]), 20, 1000) == 40
    assert next_replications(table([False], [900]), 20, 30) == 30
    assert next_replications(table([False], [900]), 30, 30) is None


def test_the_estimate_carries_the_spread_forward():
    # a half-width of 1 after 10 replications, wanted 0.5: about four times as many
    needed = estimated_needed(1.0, 0.5, 10)
    sd = 1.0 * math.sqrt(10) / t_quantile(10)
    assert needed is not None and 30 <= needed <= 40  # t falls with n too: under 4 x 10
    assert t_quantile(needed) * sd / math.sqrt(needed) <= 0.5
    assert t_quantile(needed - 1) * sd / math.sqrt(needed - 1) > 0.5
    assert estimated_needed(math.nan, 0.5, 10) is None


# -- real comparisons ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scenarios() -> list[wijksim.Scenario]:
    base = wijksim.load_scenario(BASELINE, SHORT)
    return [base, base.with_overrides({"team.fte": 12, "name": "meer fte"})]


def test_every_headline_figure_and_the_social_balance_are_judged(scenarios):
    comparison = wijksim.compare(scenarios, replications=4, workers=1, timeseries=False)
    table = comparison.precision()
    assert list(table["metric"]) == list(HEADLINE_FIGURES)
    assert set(table["scenario"]) == {"meer fte"}
    relief = comparison.relief().set_index("metric")
    row = table.set_index("metric").loc["mean_waiting_list"]
    assert row["difference"] == relief.loc["mean_waiting_list", "difference"]
    assert row["ci_low"] == relief.loc["mean_waiting_list", "ci_low"]
    net = Value(comparison.experiments, comparison.baseline).totals().iloc[0]
    balance = table.set_index("metric").loc["net"]
    assert (balance["difference"], balance["ci_low"]) == (net["net"], net["net_low"])
    assert (table["replications"] == 4).all()
    kept = pickle.loads(pickle.dumps(comparison))  # with its target and what it found
    pd.testing.assert_frame_equal(kept.precision(), table)
    with pytest.raises(KeyError, match="nonsense"):
        comparison.precision(Target(figures=("nonsense",)))


#: A target no short pilot reaches, so that a run to it takes several steps.
STRICT = Target(precision=0.02, tolerances=dict.fromkeys(HEADLINE_FIGURES, 0.0))


def frames(comparison: Comparison) -> dict[str, pd.DataFrame]:
    """Every result frame of a comparison."""
    out: dict[str, pd.DataFrame] = {}
    for label, e in comparison.experiments.items():
        out[f"{label} results"] = e.results
        out[f"{label} parameters"] = e.parameters
        out[f"{label} timeseries"] = e.timeseries_runs
        out[f"{label} yearly"] = e.yearly_runs
        out[f"{label} summary"] = e.summary()
    value = Value(comparison.experiments, comparison.baseline)
    out["relief"] = comparison.relief()
    out["differences"] = comparison.differences()
    out["by year"] = comparison.by_year()
    out["value"] = value.totals()
    out["precision"] = comparison.precision()
    return out


def assert_same(one: Comparison, other: Comparison) -> None:
    a, b = frames(one), frames(other)
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=name)


def test_a_run_to_precision_is_a_fixed_run_of_the_size_it_ends_at(scenarios):
    steps = []

    def progress(done: int, total: int) -> None:
        steps.append(total // 2)

    ran = wijksim.compare(
        scenarios,
        replications=3,
        precision=STRICT,
        until_precision=True,
        max_replications=9,
        workers=1,
        batch_size=2,
        progress=progress,
    )
    assert ran.replications == 9  # 3, then 6 (doubled), then 9 (the maximum)
    assert sorted(set(steps)) == [3, 6, 9]
    assert not ran.precision()["reached"].all()
    fixed = wijksim.compare(scenarios, replications=9, precision=STRICT, workers=2)
    assert_same(ran, fixed)


def test_a_run_to_precision_stops_when_every_figure_has_reached_it(scenarios):
    loose = Target(precision=0.5, tolerances=dict.fromkeys(HEADLINE_FIGURES, 1e9))
    ran = wijksim.compare(
        scenarios, replications=3, precision=loose, until_precision=True, workers=1
    )
    assert ran.replications == 3
    assert ran.precision()["reached"].all()
    assert set(ran.precision()["criterion"]) <= {"relative", "absolute"}


def strict_json(text: str):
    """JSON as the standard has it: NaN and Infinity are refused."""

    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


class Killed(Exception):
    pass


class Dying(SerialExecutor):
    """Runs ``lives`` tasks, then dies as a killed process would."""

    def __init__(self, lives: int):
        self.lives = lives

    def submit(self, fn, /, *args, **kwargs):
        if self.lives == 0:
            raise Killed
        self.lives -= 1
        return super().submit(fn, *args, **kwargs)


def test_a_stopped_run_to_precision_resumes_where_it_was(scenarios, tmp_path):
    out = tmp_path / "out"
    kwargs = {
        "replications": 3,
        "precision": STRICT,
        "until_precision": True,
        "max_replications": 9,
        "batch_size": 1,
        "out": out,
    }
    with pytest.raises(Killed):  # 2 x 3 tasks for the first step, 2 x 3 for the second
        wijksim.compare(scenarios, executor=Dying(9), **kwargs)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["finished"] is False and manifest["replications"] == 6
    stored = len(list((out / "batches").rglob("*.checksums.json")))
    assert 6 <= stored < 12  # the first step, and part of the second (the task in flight lost)
    ran = []

    class Counting(SerialExecutor):
        def submit(self, fn, /, *args, **kwargs):
            ran.append(args[0])
            return super().submit(fn, *args, **kwargs)

    resumed = wijksim.compare(scenarios, executor=Counting(), **kwargs)
    # only what the killed run had not stored: the rest of step two, and step three
    assert len(ran) == 2 * 9 - stored
    assert resumed.replications == 9
    assert_same(resumed, wijksim.compare(scenarios, replications=9, precision=STRICT, workers=1))
    manifest = strict_json((out / "manifest.json").read_text())
    assert manifest["finished"] is True and manifest["replications"] == 9
    assert manifest["precision"]["precision"] == 0.02
    assert manifest["precision"]["reached"] is False
    on_disk = read_csv(out / "precision.csv")
    assert list(on_disk["metric"]) == list(HEADLINE_FIGURES)
    summary = read_csv(out / "summary.csv")
    assert summary["replication"].nunique() == 9


def test_a_stored_fixed_run_is_extended_not_run_again(scenarios, tmp_path):
    wijksim.compare(scenarios, replications=3, workers=1, out=tmp_path, timeseries=False)
    ran = []

    class Counting(SerialExecutor):
        def submit(self, fn, /, *args, **kwargs):
            ran.append(args[0])
            return super().submit(fn, *args, **kwargs)

    more = wijksim.compare(
        scenarios,
        replications=3,
        precision=STRICT,
        until_precision=True,
        max_replications=6,
        executor=Counting(),
        out=tmp_path,
        timeseries=False,
    )
    assert sorted({r for task in ran for r in task.replications}) == [3, 4, 5]
    fixed = wijksim.compare(scenarios, replications=6, workers=1, timeseries=False)
    pd.testing.assert_frame_equal(
        more.experiments["meer fte"].results, fixed.experiments["meer fte"].results
    )
    with pytest.raises(wijksim.ScenarioError, match="seed"):  # never mixed with other seeds
        wijksim.compare(scenarios, replications=6, seed=1, workers=1, out=tmp_path)


def test_a_maximum_below_the_first_step_is_refused(scenarios):
    with pytest.raises(ValueError, match="max_replications"):
        wijksim.compare(scenarios, replications=10, until_precision=True, max_replications=5)
