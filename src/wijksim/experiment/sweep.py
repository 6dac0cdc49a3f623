"""Sweeps: a scenario run at several points of its parameters.

A point sets values by dotted path (``{"team.fte": 12}``). Points come from a
full factorial grid, a Latin hypercube over ranges, or a list. Every point
runs the same replications with the same seeds (common random numbers), so
differences between points are not blurred by chance differences in demand.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

import pandas as pd

from ..scenario import Problem, Scenario, ScenarioError, as_scenario
from ..scenario.designs import Range, Sweep
from ..scenario.loading import whole_ranges
from ..scenario.problems import check_flags
from ..scenario.size import check_experiment, estimate_work
from ..streams import Streams
from .executors import Execution
from .intervals import CONFIDENCE, describe
from .replications import Experiment, check_arguments, run_scenarios
from .storage import write_frame
from .uncertainty import numeric

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Point = dict[str, Any]


def grid_points(grid: Mapping[str, Sequence[Any]]) -> list[Point]:
    """Every combination of the values, the last path varying fastest."""
    paths = list(grid)
    return [dict(zip(paths, values, strict=True)) for values in itertools.product(*grid.values())]


def latin_hypercube_points(ranges: Mapping[str, Range], samples: int, seed: int = 0) -> list[Point]:
    """``samples`` points of a Latin hypercube: each range cut into ``samples``
    equal strata, each stratum used exactly once, a uniform draw within it.

    The design depends only on ``seed`` (stream ``sweep.latin_hypercube``).
    """
    rng = Streams(seed).rng("sweep.latin_hypercube")
    columns = {}
    for path, spec in ranges.items():
        fractions = (rng.permutation(samples) + rng.random(samples)) / samples
        columns[path] = [spec.value(float(f)) for f in fractions]
    return [{path: columns[path][i] for path in ranges} for i in range(samples)]


def sweep_points(sweep: Sweep, seed: int = 0) -> list[Point]:
    """The points of a scenario's ``sweep:`` block."""
    if sweep.grid is not None:
        return grid_points(sweep.grid)
    design = sweep.latin_hypercube
    assert design is not None  # a sweep has either a grid or a hypercube
    return latin_hypercube_points(design.ranges, design.samples, seed)


def design_size(sweep: Sweep) -> int:
    """How many points a ``sweep:`` block gives (without making them)."""
    if sweep.grid is not None:
        return math.prod(len(values) for values in sweep.grid.values())
    assert sweep.latin_hypercube is not None  # a sweep has either a grid or a hypercube
    return sweep.latin_hypercube.samples


def check_design(
    scenario: Scenario,
    points: int,
    replications: int,
    *,
    timeseries: bool = False,
    force: bool = False,
    fewer: str = "points",
    source: str | None = None,
) -> None:
    """Refuse a sweep of ``points`` points of ``scenario`` whose work is absurd,
    before the points and their scenarios are made (a hypercube of a hundred
    million points would fill memory first); ``fewer`` names what sets the
    number of points (``--lhs``)."""
    check_experiment(
        {scenario.name: estimate_work(scenario)},
        replications,
        points=points,
        timeseries=timeseries,
        force=force,
        runs="points",
        fewer=fewer,
        source=source or scenario.name,
    )


class SweepResult:
    """Replications at every point of a sweep.

    ``points``: one row per point (``point`` and a column per path, durations
    in their unit); ``results``: ``point, replication, metric, value``.
    """

    def __init__(self, points: list[Point], experiments: Mapping[str, Experiment]):
        self.experiments = dict(experiments)
        self.labels = list(self.experiments)
        self.points = pd.DataFrame(
            [{"point": i, **{k: _number(v) for k, v in p.items()}} for i, p in enumerate(points)]
        )

    @property
    def results(self) -> pd.DataFrame:
        frames = [
            e.results.drop(columns="scenario").assign(point=i)
            for i, e in enumerate(self.experiments.values())
        ]
        frame = pd.concat(frames, ignore_index=True)
        return frame[["point", "replication", "metric", "value"]]

    def summary(self, confidence: float = CONFIDENCE) -> pd.DataFrame:
        """Per point and figure: the point's values, then ``mean, sd, n, ci_low, ci_high``."""
        table = describe(self.results, ["point", "metric"], confidence=confidence)
        return self.points.merge(table, on="point", how="right")

    def to_dict(self, metrics: Sequence[str] | None = None) -> dict:
        table = self.summary()
        if metrics is not None:
            table = table[table["metric"].isin(metrics)]
        return {
            "points": self.points.to_dict(orient="records"),
            "summary": table.to_dict(orient="records"),
        }

    def plot(self, x: str | None = None, metric: str = "mean_wait_weeks", **kwargs) -> Figure:
        """Lines with bands against ``x`` (default: the first swept parameter);
        with ``y=`` a heatmap of two parameters (see :func:`wijksim.plots.sweep_lines`
        and :func:`wijksim.plots.sweep_heatmap`)."""
        from ..report.plots_summary import sweep_heatmap, sweep_lines  # the report sits above

        x = x or next(c for c in self.points.columns if c != "point")
        if "y" in kwargs:
            return sweep_heatmap(self, x, kwargs.pop("y"), metric, **kwargs)
        return sweep_lines(self, x, metric, **kwargs)

    def __repr__(self) -> str:
        n = next(iter(self.experiments.values())).replications
        return f"<SweepResult: {len(self.points)} points × {n} replications>"


def run_sweep(
    scenario: Scenario | str | Path,
    points: Sequence[Point] | None = None,
    replications: int = 10,
    seed: int = 0,
    *,
    timeseries: bool = False,
    **execution: Unpack[Execution],
) -> SweepResult:
    """Run ``scenario`` at each of ``points`` (default: its ``sweep:`` block).

    Other arguments as for :func:`wijksim.run_experiment`. With ``out``, an
    interrupted sweep resumes where it stopped when run again.
    """
    scenario = as_scenario(scenario)
    check_arguments(replications, seed, execution.get("batch_size"))
    check_flags(timeseries=timeseries, force=execution.get("force", False))
    force = bool(execution.get("force", False))
    if points is None:
        if scenario.sweep is None:
            raise ScenarioError(
                [Problem(scenario.name, None, "sweep", "no points: give a sweep: block or a grid")]
            )
        sweep = scenario.sweep
        check_design(
            scenario,
            design_size(sweep),
            replications,
            timeseries=timeseries,
            force=force,
            fewer="replications or points (sweep:)",
        )
        if sweep.latin_hypercube is not None:
            ranges = whole_ranges(scenario, sweep.latin_hypercube.ranges)
            sweep = sweep.model_copy(
                update={
                    "latin_hypercube": sweep.latin_hypercube.model_copy(update={"ranges": ranges})
                }
            )
        points = sweep_points(sweep, seed)
    points = _as_points(points)
    check_design(scenario, len(points), replications, timeseries=timeseries, force=force)
    base = scenario.model_copy(update={"sweep": None})
    width = len(str(len(points) - 1))
    scenarios = {}
    for i, point in enumerate(points):
        label = f"p{i:0{width}d}"
        scenarios[label] = base.with_overrides({**point, "name": f"{scenario.name} [{label}]"})
    experiments = run_scenarios(
        scenarios,
        replications=replications,
        seed=seed,
        timeseries=timeseries,
        kind="sweep",
        **execution,
    )
    result = SweepResult(list(points), experiments)
    out = execution.get("out")
    if out is not None:
        write_frame(result.points, Path(out), "points")
        write_frame(result.summary(), Path(out), "sweep")
    return result


def _as_points(points: Any) -> list[Point]:
    """``points`` as a list of mappings from dotted path to value, or a
    ``TypeError``/``ValueError`` that says what is wrong with them."""
    if isinstance(points, str | bytes | Mapping):
        kind = "a mapping" if isinstance(points, Mapping) else "a string"
        raise TypeError(
            f"points must be a list of mappings such as [{{'team.fte': 10}}], not {kind}"
        )
    try:
        listed = list(points)
    except TypeError:
        raise TypeError(
            f"points must be a list of mappings such as [{{'team.fte': 10}}], "
            f"not {type(points).__name__}"
        ) from None
    if not listed:
        raise ValueError("a sweep needs at least one point")
    for i, point in enumerate(listed):
        if not isinstance(point, Mapping) or not all(isinstance(k, str) for k in point):
            raise TypeError(
                f"point {i} must be a mapping from dotted path to value "
                f"(e.g. {{'team.fte': 10}}), not {point!r:.80}"
            )
    return [dict(point) for point in listed]


def _number(value: Any) -> Any:
    """Numbers and durations as numbers (in their unit); anything else as given."""
    try:
        return numeric(value)
    except (TypeError, ValueError):
        return value
