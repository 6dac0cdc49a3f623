"""One run of a scenario: :func:`simulate` and its :class:`Run`."""

from __future__ import annotations

import copy
import gc
import math
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import simpy

from .model import results
from .model.wijkteam import WijkteamModel
from .scenario import Scenario, as_scenario
from .scenario.problems import check_flags
from .scenario.size import check_work
from .streams import Seed

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

#: The columns of :attr:`Run.interventions`.
INTERVENTION_COLUMNS = ["intervention", "type", "metric", "theme", "value"]


class Run:
    """The outcome of one simulation run.

    Like :class:`~wijksim.Experiment`: ``summary()`` is a method that returns
    pandas (here a Series, there a frame with intervals), and the tables that
    need no options are properties, tidy frames (``timeseries``,
    ``interventions``, ``intervention_timeseries``, ``cases``). Names in, names
    out: themes, severities, figures and interventions are keyed by their
    names; times are in weeks.

    Pandas holds numbers as NumPy's: ``run.summary()["mean_wait_weeks"]`` is a
    ``numpy.float64`` (a subclass of ``float``, shown as ``np.float64(2.5)``).
    :meth:`to_dict` gives the same figures as plain Python numbers, as
    ``Experiment.to_dict`` and ``Comparison.to_dict`` do, for JSON and for
    code that wants no NumPy types.
    """

    def __init__(self, model: WijkteamModel):
        if not isinstance(model, WijkteamModel):  # else an AttributeError of what it lacks
            hint = (
                ": simulate(scenario) runs one" if isinstance(model, Scenario | str | Path) else ""
            )
            raise TypeError(
                f"Run takes a WijkteamModel that has run, not {type(model).__name__}{hint}"
            )
        self.model = model
        self.scenario = model.scenario
        self.seed = model.streams.seed
        self._summary = results.summary(model)

    def summary(self) -> pd.Series:
        """Figures after the warm-up, indexed by metric (the keys of
        :data:`wijksim.SUMMARY_LABELS`); ``summary()["mean_wait_weeks"]``."""
        import pandas as pd  # on first use: a run itself needs no pandas

        figures = pd.Series(self._summary, dtype=float, name=self.scenario.name)
        figures.index.name = "metric"
        return figures

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        """Weekly figures, tidy: ``week, metric, theme, value`` (and ``date, year``
        beside ``week`` with a ``start_date``)."""
        return results.timeseries(self.model)

    @cached_property
    def interventions(self) -> pd.DataFrame:
        """Figures per intervention after the warm-up, tidy: ``intervention,
        type, metric, theme, value`` (floats). Each has participants,
        mean_participants, occupancy (NaN without a capacity), averted,
        diverted, professional_hours and cost in euro, with a pool
        volunteers_end and mean_volunteers, and its type's own counts, under
        theme ``all``; averted and diverted also per theme they happened in.
        One intervention's figures: ``run.interventions.query("intervention ==
        'X' and theme == 'all'").set_index("metric")["value"]``; the nested
        dict of wijksim 0.x is ``run.to_dict()["interventions"]``."""
        figures = self._intervention_figures
        rows: list[tuple[str, str, str, str, float]] = []
        for name, entry in figures.items():
            for key, value in entry.items():
                if key == "type":
                    continue
                if key.endswith("_by_theme"):
                    metric = key.removesuffix("_by_theme")
                    rows.extend((name, entry["type"], metric, t, v) for t, v in value.items())
                else:
                    rows.append((name, entry["type"], key, "all", value))
        frame = _intervention_frame()(rows, columns=INTERVENTION_COLUMNS)
        frame["value"] = frame["value"].astype(float)
        frame._figures = figures
        return frame

    @cached_property
    def _intervention_figures(self) -> dict[str, dict]:
        return results.interventions(self.model)

    @cached_property
    def intervention_timeseries(self) -> pd.DataFrame:
        """Weekly figures per intervention and volunteer pool, tidy."""
        return results.intervention_timeseries(self.model)

    @cached_property
    def cases(self) -> pd.DataFrame:
        """One row per request; only when run with ``record_cases=True``."""
        return results.cases(self.model)

    def to_dict(self) -> dict[str, Any]:
        """The run as plain data, Python numbers only (for JSON): ``scenario``,
        ``seed``, ``summary`` (figure -> float) and ``interventions`` (name ->
        its ``type`` and figures, ``averted_by_theme`` and ``diverted_by_theme``
        as theme -> float)."""
        seed = self.seed
        return {
            "scenario": self.scenario.name,
            "seed": list(seed) if isinstance(seed, tuple) else seed,
            "summary": {key: float(value) for key, value in self._summary.items()},
            "interventions": copy.deepcopy(self._intervention_figures),  # the caller's own
        }

    def plot(self, metric: str = "waiting_list", **kwargs) -> Figure:
        """Plot a weekly figure of this run (see :func:`wijksim.plots.timeseries`)."""
        from .report.plots_time import timeseries  # the report sits above: imported on use

        return timeseries(self, metric, **kwargs)

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
    check_flags(record_cases=record_cases, series=series, force=force)
    if progress is not None and not callable(progress):  # before the run, not in its first week
        raise TypeError(f"progress must be a function progress(done, total), not {progress!r:.80}")
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


@cache
def _intervention_frame() -> type[pd.DataFrame]:
    """The class of :attr:`Run.interventions`, made on first use (pandas is
    imported then); named ``wijksim.simulation._InterventionFrame`` (it pickles)."""
    import pandas as pd

    class _InterventionFrame(pd.DataFrame):
        """:attr:`Run.interventions` for one release: a tidy frame that also
        answers the look-up of wijksim 0.x, ``run.interventions["X"]`` (the
        intervention's dict of figures), with a :class:`DeprecationWarning`.
        What is made from it (a filter, a copy) is a plain DataFrame."""

        _metadata: ClassVar[list[str]] = ["_figures"]  # kept by pandas beside the data
        _figures: dict[str, dict]

        @property
        def _constructor(self):
            return pd.DataFrame

        def _named(self, key) -> bool:
            """Whether ``key`` names an intervention, not a column."""
            return (
                isinstance(key, str)
                and key not in self.columns
                and key in getattr(self, "_figures", {})
            )

        def __getitem__(self, key):
            if self._named(key):
                warnings.warn(
                    f"run.interventions[{key!r}]: Run.interventions is a tidy DataFrame now "
                    "(intervention, type, metric, theme, value); the dict of figures by name is "
                    f"run.to_dict()['interventions'][{key!r}]. The look-up by name goes in the "
                    "next release.",
                    DeprecationWarning,
                    stacklevel=2,
                )
                return self._figures[key]
            return super().__getitem__(key)

        def __contains__(self, key) -> bool:
            if self._named(key):
                warnings.warn(
                    f"{key!r} in run.interventions: Run.interventions is a tidy DataFrame now; "
                    "ask run.interventions['intervention'].unique() instead. This goes in the "
                    "next release.",
                    DeprecationWarning,
                    stacklevel=2,
                )
                return True
            return super().__contains__(key)

    _InterventionFrame.__qualname__ = "_InterventionFrame"
    globals()["_InterventionFrame"] = _InterventionFrame
    return _InterventionFrame


def __getattr__(name: str) -> Any:
    if name == "_InterventionFrame":  # unpickling a run's interventions frame
        return _intervention_frame()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
