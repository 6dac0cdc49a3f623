"""Replications of scenarios: :func:`run_experiment` and its :class:`Experiment`.

:func:`run_scenarios` is the one engine under experiments, comparisons, sweeps
and sensitivity analyses: it cuts the replications of several scenarios into
tasks, runs them on an executor, stores each finished task when asked to, and
assembles the results in replication order, so that they do not depend on
which worker finished first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from concurrent.futures import Executor
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Unpack

import numpy as np
import pandas as pd

from ..model.results import on_calendar
from ..scenario import Scenario, as_scenario
from ..scenario.problems import check_flags
from ..scenario.size import check_experiment, check_work
from .executors import (
    Execution,
    Progress,
    check_execution,
    default_batch_size,
    executor_for,
    parallelism,
    run_all,
)
from .intervals import CONFIDENCE, describe
from .storage import ResultStore, plan, write_frame
from .tasks import (
    PARAMETER_COLUMNS,
    SERIES_COLUMNS,
    SUMMARY_COLUMNS,
    YEARLY_COLUMNS,
    BatchResult,
    run_task,
)
from .uncertainty import check_uncertain

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: ``progress(done, total)``: replications finished so far and in all.


class Experiment:
    """Replications of one scenario: plain data, safe to pickle and keep.

    ``results`` holds one row per replication and figure (``scenario,
    replication, metric, value``); ``parameters`` the uncertain values drawn
    per replication (``scenario, replication, parameter, value``);
    ``timeseries_runs`` the weekly figures of every replication (``scenario,
    replication, week, metric, theme, value``), or ``None`` when not kept;
    ``yearly_runs`` the figures per year after the warm-up as they are stored
    (``scenario, replication, year, source, quantity, value``, ``year``
    counted from 0; see :func:`wijksim.model.yearly.yearly`), or ``None`` for
    results stored before it existed; :attr:`yearly` is the same with years
    called as every table calls them.
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        label: str,
        seed: int,
        replications: int,
        results: pd.DataFrame,
        parameters: pd.DataFrame,
        timeseries_runs: pd.DataFrame | None,
        yearly_runs: pd.DataFrame | None = None,
    ):
        self.scenario = scenario
        self.label = label
        self.seed = seed
        self.replications = replications
        self.results = results
        self.parameters = parameters
        self.timeseries_runs = timeseries_runs
        self.yearly_runs = yearly_runs

    @property
    def metrics(self) -> list[str]:
        """Figure names, in reporting order."""
        return list(dict.fromkeys(self.results["metric"]))

    def values(self, metric: str) -> np.ndarray:
        """One value of ``metric`` per replication, in replication order."""
        rows = self.results[self.results["metric"] == metric]
        if rows.empty:
            raise KeyError(f"no figure {metric!r} (known: {', '.join(self.metrics)})")
        return rows["value"].to_numpy(dtype=float)

    def wide(self) -> pd.DataFrame:
        """One row per replication, one column per figure."""
        table = self.results.pivot(index="replication", columns="metric", values="value")
        return table[self.metrics]

    def summary(self, confidence: float = CONFIDENCE) -> pd.DataFrame:
        """Per figure: ``mean, sd, n, ci_low, ci_high`` over replications (index: metric)."""
        return describe(self.results, ["metric"], confidence=confidence).set_index("metric")

    @cached_property
    def yearly(self) -> pd.DataFrame:
        """The figures per year of every replication (:attr:`yearly_runs`) with
        ``year`` called as in :meth:`wijksim.Comparison.by_year` and
        :meth:`wijksim.value.Value.by_year` -- calendar years with a start date,
        else 1, 2, ... after the warm-up -- and beside it ``year_index``, the
        count from 0 that the stored figures use."""
        from ..scenario.calendar import year_label

        if self.yearly_runs is None:
            raise ValueError("no yearly figures: results stored before wijksim kept them")
        frame = self.yearly_runs.copy()
        start, warmup = self.scenario.start_date, self.scenario.warmup
        names = {y: year_label(start, warmup, int(y)) for y in frame["year"].unique()}
        frame.insert(frame.columns.get_loc("year") + 1, "year_index", frame["year"])
        frame["year"] = frame["year_index"].map(names).astype(int)
        return frame

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        """Per week, figure and theme: ``mean, sd, n, ci_low, ci_high`` over replications."""
        if self.timeseries_runs is None:
            raise ValueError("time series were not kept: run with timeseries=True")
        table = describe(self.timeseries_runs, ["week", "metric", "theme"])
        return on_calendar(table, self.scenario.start_date)

    def to_dict(self, confidence: float = CONFIDENCE) -> dict:
        """The summary as plain data (for JSON)."""
        table = self.summary(confidence)
        return {
            "scenario": self.label,
            "seed": self.seed,
            "replications": self.replications,
            "summary": {m: _plain(row) for m, row in table.iterrows()},
        }

    def plot(self, metric: str = "waiting_list", **kwargs) -> Figure:
        """Plot a weekly figure with its 95% band (see :func:`wijksim.plots.timeseries`)."""
        from ..report.plots_time import timeseries  # the report sits above: imported on use

        return timeseries(self, metric, **kwargs)

    def __repr__(self) -> str:
        return f"<Experiment {self.label!r}: {self.replications} replications, seed {self.seed}>"


def _plain(row: pd.Series) -> dict[str, float | int | str]:
    """A summary row in Python numbers (the interval's method stays its name)."""
    return {
        k: (int(v) if k == "n" else v if isinstance(v, str) else float(v)) for k, v in row.items()
    }


def run_experiment(
    scenario: Scenario | str | Path,
    replications: int = 10,
    seed: int = 0,
    *,
    timeseries: bool = True,
    **execution: Unpack[Execution],
) -> Experiment:
    """Run ``replications`` replications of ``scenario``; replication ``r`` has seed ``(seed, r)``.

    ``timeseries=False`` keeps no weekly series. How the replications are run
    (``executor``, ``workers``, ``batch_size``, ``progress``, ``out``): see
    :class:`~wijksim.experiment.executors.Execution`. Results are the same, bit
    for bit, whatever the executor, number of workers or batch size.
    """
    scenario = as_scenario(scenario)
    experiments = run_scenarios(
        {scenario.name: scenario},
        replications=replications,
        seed=seed,
        timeseries=timeseries,
        kind="experiment",
        **execution,
    )
    return experiments[scenario.name]


def run_scenarios(
    scenarios: Mapping[str, Scenario],
    *,
    replications: int,
    seed: int = 0,
    executor: Executor | None = None,
    workers: int | None = None,
    batch_size: int | None = None,
    progress: Progress | None = None,
    out: str | Path | None = None,
    timeseries: bool = True,
    independent: bool = False,
    kind: str = "experiment",
    force: bool = False,
    reuse: Mapping[str, Experiment] | None = None,
    finish: bool = True,
) -> dict[str, Experiment]:
    """Replications of several scenarios (by label) in one pool of work.

    With common random numbers (the default) replication ``r`` of every
    scenario has seed ``(seed, r)``; ``independent=True`` gives scenario number
    ``k`` (from 0) seeds ``(seed, r, k + 1)`` instead.

    The work of one run of each scenario is estimated first: an absurd one is
    refused with a :class:`~wijksim.scenario.ScenarioError` naming its cause,
    unless ``force`` (workers then run what they are given).

    ``reuse``: experiments (by label) that this function returned for the same
    scenarios, seed and pairing; their replications are kept, not run again, so
    that a run can be extended to more replications in memory, as ``out`` does
    on disk. ``finish=False`` stores the batches in ``out`` but leaves the
    folder unfinished, without the combined tables (for a caller that goes on
    adding replications and writes them at the end, :func:`write_experiments`).
    """
    check_arguments(replications, seed, batch_size)
    check_execution(executor, workers, progress, out)
    check_flags(timeseries=timeseries, independent=independent, force=force, finish=finish)
    replications, seed = int(replications), int(seed)  # numpy integers too
    works = {}
    for label, scenario in scenarios.items():
        works[label] = check_work(scenario, force=force, source=label)
        check_uncertain(scenario, force=force, source=label)
    # the whole experiment too, before a task or a folder is made for it
    sweep = kind == "sweep"
    check_experiment(
        works,
        replications,
        timeseries=timeseries,
        force=force,
        runs="points" if sweep else "scenarios",
        fewer="replications or points" if sweep else "replications",
        source=kind,
    )
    reuse = dict(reuse or {})
    _check_reuse(reuse, scenarios, seed, timeseries)
    keys = {label: file_key(i, label) for i, label in enumerate(scenarios)}
    kept = {keys[label]: [as_batch(keys[label], e)] for label, e in reuse.items()}
    have = {keys[label]: set(range(e.replications)) for label, e in reuse.items()}
    by_key = {keys[label]: s for label, s in scenarios.items()}
    # numpy's SeedSequence pads entropy with zeros, so (s, r, 0) would equal (s, r):
    # salts start at 1
    salts = {keys[label]: (k + 1,) for k, label in enumerate(scenarios)} if independent else {}
    store = None
    if out is not None:
        store = ResultStore(out)
        store.open(by_key, kind=kind, seed=seed, replications=replications, salted=independent)

    with executor_for(executor, workers) as pool:
        size = batch_size or default_batch_size(replications, len(scenarios), parallelism(pool))
        tasks = plan(
            store,
            by_key,
            seed=seed,
            replications=replications,
            batch_size=size,
            timeseries=timeseries,
            salts=salts,
            have=have,
        )
        total = replications * len(scenarios)
        done = total - sum(t.size for t in tasks)
        fresh: dict[str, list[BatchResult]] = {key: [] for key in by_key}
        if progress:
            progress(done, total)

        def finished(task, result: BatchResult) -> None:
            nonlocal done
            if store is not None:
                store.write(result)
            fresh[result.key].append(result)
            done += task.size
            if progress:
                progress(done, total)

        run_all(run_task, tasks, pool, finished)

    experiments = {}
    for label, scenario in scenarios.items():
        key = keys[label]
        batches = fresh[key] + kept.get(key, [])
        if store is not None:
            ran = {(b.first, b.stop) for b in fresh[key]}
            wanted = [r for r in range(replications) if r not in have.get(key, ())]
            stored = store.read(key, wanted, timeseries, skip=ran)
            batches = batches + stored
        experiments[label] = assemble(label, scenario, seed, replications, batches, timeseries)
    if store is not None and finish:
        write_experiments(store.folder, experiments.values())
        store.finish()
    return experiments


def as_batch(key: str, experiment: Experiment) -> BatchResult:
    """The replications of a finished experiment as one batch (to be reused)."""

    def own(frame: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame | None:
        return None if frame is None else frame[columns]

    return BatchResult(
        key=key,
        first=0,
        stop=experiment.replications,
        summaries=experiment.results[SUMMARY_COLUMNS],
        parameters=experiment.parameters[PARAMETER_COLUMNS],
        timeseries=own(experiment.timeseries_runs, SERIES_COLUMNS),
        yearly=own(experiment.yearly_runs, YEARLY_COLUMNS),
    )


def _check_reuse(
    reuse: Mapping[str, Experiment],
    scenarios: Mapping[str, Scenario],
    seed: int,
    timeseries: bool,
) -> None:
    """Experiments to reuse must be of these scenarios and seed (and hold
    weekly series when they are asked for)."""
    for label, experiment in reuse.items():
        scenario = scenarios.get(label)
        if scenario is None:
            raise ValueError(f"reuse: no scenario {label!r} in this run")
        if experiment.scenario is not scenario and experiment.scenario != scenario:
            raise ValueError(f"reuse: {label!r} was run from another scenario")
        if experiment.seed != seed:
            raise ValueError(f"reuse: {label!r} was run with seed {experiment.seed}, not {seed}")
        if timeseries and experiment.timeseries_runs is None:
            raise ValueError(f"reuse: {label!r} was run without weekly series")


def assemble(
    label: str,
    scenario: Scenario,
    seed: int,
    replications: int,
    batches: list[BatchResult],
    timeseries: bool,
) -> Experiment:
    """An :class:`Experiment` from its batches, in replication order whatever
    order they came in (a replication found twice is taken once)."""
    batches = sorted(batches, key=lambda b: (b.first, b.stop))

    def combine(frames: list[pd.DataFrame], columns: list[str], unique: list[str]):
        frame = pd.concat([f[columns] for f in frames], ignore_index=True) if frames else None
        if frame is None or frame.empty:
            frame = pd.DataFrame({c: pd.Series(dtype=float) for c in columns})
        frame = frame[frame["replication"] < replications]
        frame = frame.drop_duplicates(unique).sort_values("replication", kind="stable")
        frame["replication"] = frame["replication"].astype(int)
        frame.insert(0, "scenario", label)
        return frame.reset_index(drop=True)

    results = combine([b.summaries for b in batches], SUMMARY_COLUMNS, ["replication", "metric"])
    got = results["replication"].nunique()
    if got != replications:
        raise RuntimeError(f"{label}: {got} of {replications} replications came back")
    parameters = combine(
        [b.parameters for b in batches], PARAMETER_COLUMNS, ["replication", "parameter"]
    )
    series = None
    if timeseries:
        series = combine(
            [b.timeseries for b in batches if b.timeseries is not None],
            SERIES_COLUMNS,
            ["replication", "week", "metric", "theme"],
        )
    yearly = None
    if all(b.yearly is not None for b in batches):
        yearly = combine(
            [b.yearly for b in batches],
            YEARLY_COLUMNS,
            ["replication", "year", "source", "quantity"],
        )
    return Experiment(
        scenario,
        label=label,
        seed=seed,
        replications=replications,
        results=results,
        parameters=parameters,
        timeseries_runs=series,
        yearly_runs=yearly,
    )


def write_experiments(folder: Path, experiments) -> None:
    """The combined results of finished experiments, as CSV (and Parquet)."""
    experiments = list(experiments)
    write_frame(pd.concat([e.results for e in experiments]), folder, "summary")
    stats = [e.summary().reset_index().assign(scenario=e.label) for e in experiments]
    stats = pd.concat(stats, ignore_index=True)
    write_frame(stats[["scenario", *stats.columns[:-1]]], folder, "statistics")
    parameters = pd.concat([e.parameters for e in experiments])
    if not parameters.empty:
        write_frame(parameters, folder, "parameters")
    if all(e.timeseries_runs is not None for e in experiments):
        series = [e.timeseries.assign(scenario=e.label) for e in experiments]
        series = pd.concat(series, ignore_index=True)
        write_frame(series[["scenario", *series.columns[:-1]]], folder, "timeseries")


def file_key(index: int, label: str) -> str:
    """A folder name for scenario number ``index``: ``s000-wijk-oost-basis``."""
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40]
    return f"s{index:03d}-{slug}" if slug else f"s{index:03d}"


def check_arguments(replications: int, seed: int, batch_size: int | None) -> None:
    """A ``TypeError`` for replications, a seed or a batch size that is not a
    whole number (a float, a string, a boolean, NaN), a ``ValueError`` for one
    out of range: in words, before anything runs."""
    for name, value, least in (
        ("replications", replications, 1),
        ("seed", seed, 0),
        ("batch_size", batch_size, 1),
    ):
        if value is None and name == "batch_size":
            continue
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise TypeError(f"{name} must be a whole number (an int), not {value!r:.80}")
        if value < least:
            raise ValueError(f"{name} must be a whole number of at least {least}, not {value!r}")


__all__ = ["Experiment", "Progress", "run_experiment", "run_scenarios"]
