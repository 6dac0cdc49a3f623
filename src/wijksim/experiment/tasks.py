"""The unit of work sent to a worker: a batch of replications of one scenario.

A worker returns plain data (numbers and a data frame), never a
:class:`~wijksim.Run`, which holds a simpy model and cannot be pickled.
Replication ``r`` of base seed ``s`` runs with seed ``(s, r)`` (plus ``salt``
when arms are to be independent), whatever batch or worker it lands in: that is
what makes results identical across executors and batch sizes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..model import yearly as yearly_figures
from ..scenario import Scenario
from ..simulation import simulate
from .uncertainty import numeric, realise


@dataclass(frozen=True)
class Task:
    """Replications ``first`` to ``stop - 1`` of the scenario known as ``key``."""

    key: str
    scenario: Scenario
    seed: int
    first: int
    stop: int
    timeseries: bool = True
    salt: tuple[int, ...] = ()

    @property
    def replications(self) -> range:
        return range(self.first, self.stop)

    @property
    def size(self) -> int:
        return self.stop - self.first


def replication_seed(seed: int, replication: int, salt: tuple[int, ...] = ()) -> tuple[int, ...]:
    """The seed of one replication: the same for every scenario of a comparison."""
    return (seed, replication, *salt)


@dataclass
class BatchResult:
    """What a finished task sends back: tidy frames, one row per figure."""

    key: str
    first: int
    stop: int
    summaries: pd.DataFrame  # replication, metric, value
    parameters: pd.DataFrame  # replication, parameter, value (durations in their unit)
    timeseries: pd.DataFrame | None = field(default=None)  # replication, week, metric, theme, value
    yearly: pd.DataFrame | None = field(default=None)  # replication, year, source, quantity, value


SUMMARY_COLUMNS = ["replication", "metric", "value"]
PARAMETER_COLUMNS = ["replication", "parameter", "value"]
SERIES_COLUMNS = ["replication", "week", "metric", "theme", "value"]
YEARLY_COLUMNS = ["replication", *yearly_figures.YEARLY_COLUMNS]


def run_task(task: Task) -> BatchResult:
    """Run the replications of ``task`` one after another (in a worker)."""
    summaries: list[tuple[int, str, float]] = []
    parameters: list[tuple[int, str, float]] = []
    series: list[pd.DataFrame] = []
    # the yearly rows of all replications make one frame at the end (a frame per
    # replication, assigned and concatenated, cost ~1 ms each)
    years: list[tuple[int, int, str, str, float]] = []
    for r in task.replications:
        seed = replication_seed(task.seed, r, task.salt)
        scenario, drawn = realise(task.scenario, seed)
        # the size of the work is for whoever starts an experiment to judge (the CLI
        # checks it, against --force); a worker runs what it is given
        run = simulate(scenario, seed=seed, series=task.timeseries, force=True)
        summaries.extend((r, metric, value) for metric, value in run.summary().items())
        parameters.extend((r, path, numeric(value)) for path, value in drawn.items())
        years.extend((r, *row) for row in yearly_figures.yearly_rows(run.model))
        if task.timeseries:
            frame = run.timeseries
            series.append(frame.assign(replication=r, metric=frame["metric"].astype(str)))
    timeseries = None
    if task.timeseries:
        timeseries = pd.concat(series, ignore_index=True)
        timeseries["theme"] = timeseries["theme"].astype(str)
        timeseries = timeseries[SERIES_COLUMNS]
    return BatchResult(
        key=task.key,
        first=task.first,
        stop=task.stop,
        summaries=pd.DataFrame(summaries, columns=SUMMARY_COLUMNS),
        parameters=pd.DataFrame(parameters, columns=PARAMETER_COLUMNS),
        timeseries=timeseries,
        yearly=pd.DataFrame(years, columns=YEARLY_COLUMNS),
    )
