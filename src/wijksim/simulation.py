"""One run of a scenario: :func:`simulate` and its :class:`Run`."""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import pandas as pd
import simpy

from .model import results
from .model.wijkteam import WijkteamModel
from .scenario import Scenario, as_scenario
from .scenario.size import check_work
from .streams import Seed


class Run:
    """The outcome of one simulation run.

    Like :class:`~wijksim.Experiment`: ``summary()`` is a method that returns
    pandas (here a Series, there a frame with intervals), and the tables that
    need no options are properties (``timeseries``, ``interventions``,
    ``intervention_timeseries``, ``cases``). Names in, names out: themes,
    severities, figures and interventions are keyed by their names; times are
    in weeks.
    """

    def __init__(self, model: WijkteamModel):
        self.model = model
        self.scenario = model.scenario
        self.seed = model.streams.seed
        self._summary = results.summary(model)

    def summary(self) -> pd.Series:
        """Figures after the warm-up, indexed by metric (the keys of
        :data:`wijksim.SUMMARY_LABELS`); ``summary()["mean_wait_weeks"]``."""
        figures = pd.Series(self._summary, dtype=float, name=self.scenario.name)
        figures.index.name = "metric"
        return figures

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        """Weekly figures, tidy: ``week, metric, theme, value`` (and ``date, year``
        beside ``week`` with a ``start_date``)."""
        return results.timeseries(self.model)

    @cached_property
    def interventions(self) -> dict[str, dict]:
        """Per intervention, by name, after the warm-up: participants, occupancy,
        averted and diverted (in total and by theme), team hours, volunteers,
        cost in euro."""
        return results.interventions(self.model)

    @cached_property
    def intervention_timeseries(self) -> pd.DataFrame:
        """Weekly figures per intervention and volunteer pool, tidy."""
        return results.intervention_timeseries(self.model)

    @cached_property
    def cases(self) -> pd.DataFrame:
        """One row per request; only when run with ``record_cases=True``."""
        return results.cases(self.model)

    def __repr__(self) -> str:
        s = self._summary
        return (
            f"<Run {self.scenario.name!r} seed={self.seed}: {s['requests']:.0f} requests, "
            f"mean wait {s['mean_wait_weeks']:.2f} weeks>"
        )


def simulate(
    scenario: Scenario | str | Path,
    seed: Seed = 0,
    *,
    record_cases: bool = False,
    series: bool = True,
    progress: Callable[[int, int], None] | None = None,
    force: bool = False,
) -> Run:
    """Run ``scenario`` (a :class:`Scenario` or a YAML path) to its horizon.

    The same scenario and seed give the same results, bit for bit (with or
    without ``progress``, which is called as ``progress(weeks_done, weeks)``).
    ``series=False`` keeps no weekly figures (:attr:`Run.timeseries` and
    :attr:`Run.intervention_timeseries` are then unavailable): memory stays
    flat however long the horizon (one row a year is kept for the yearly
    figures), and the summary and yearly figures are the same.

    Python's cyclic garbage collector is paused while the model is built and
    runs: the engine makes no reference cycles, and the collector would
    otherwise spend a growing share of a large run walking the requests in
    care to find nothing. Garbage cycles that your own interventions make are
    collected after the run, with the collector's oldest generation (where
    everything made during the run is moved at its end).

    The work is estimated first (:mod:`wijksim.scenario.size`): a run that
    would take more than about 50 million events (a billion residents, a
    horizon of millennia) raises :class:`ScenarioError` naming the parameter,
    unless ``force=True``.
    """
    source = str(scenario) if isinstance(scenario, str | Path) else None
    scenario = as_scenario(scenario)
    check_work(scenario, force=force, source=source or scenario.name)
    env = simpy.Environment()
    with gc_paused():
        model = WijkteamModel(env, scenario, seed, record_cases=record_cases, series=series)
        if progress is None:
            env.run(until=scenario.horizon)
        else:
            weeks = math.ceil(scenario.horizon)
            step = max(1, weeks // 200)
            for week in range(step, weeks, step):
                env.run(until=float(week))
                progress(week, weeks)
            env.run(until=scenario.horizon)
            progress(weeks, weeks)
    return Run(model)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (if it runs) for the block."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        # what the block made goes straight to the oldest generation (freeze,
        # then unfreeze): otherwise the first collection after it walks every
        # object of the run at once (~3% of a replication) to find no garbage;
        # cycles in there are still collected with the oldest generation
        gc.freeze()
        gc.unfreeze()
        gc.enable()
