"""Replications of portfolios for a selection procedure: the simulation as a
:class:`~wijksim.analysis.advice.procedures.Sampler`.

Each request for more replications (:meth:`PortfolioSampler.extend`) is one
call of :func:`~wijksim.experiment.replications.run_scenarios` for the
portfolios asked for, on one pool of workers, keeping what earlier calls ran
(``reuse``): replication ``r`` of every portfolio runs with seed ``(seed, r)``
(common random numbers), so the figures do not depend on the executor, the
number of workers or the steps. With a results folder each call stores its
batches in a folder of its own, ``steps/NNN`` (the calls come in the same
order when a run is started again, so a stopped run resumes).

Per replication the sampler keeps the figures the decision names: those of the
run (:attr:`Experiment.values`), the portfolio's own cost as
:func:`wijksim.analysis.value.costs` books it (``cost_per_year``,
``cost_total``: undiscounted, the years after the warm-up, the budget's
payer), and the social balance against the reference portfolio (``net``,
:class:`~wijksim.analysis.value.Value`), for which the reference runs as far
as any portfolio.

:func:`_net` takes the net present value per replication from
:meth:`Value.per_replication <wijksim.analysis.value.Value.per_replication>` (the
numbers :meth:`Value.totals` averages; a test checks that they agree).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ...experiment.executors import run_all
from ...experiment.replications import Experiment, run_scenarios
from ...scenario import Scenario
from ...scenario.decision import FIGURES, Decision
from ...scenario.units import WEEKS_PER_YEAR
from ..value import Value, costs

#: ``progress(spent, left)``: replications run so far (all portfolios together)
#: and the portfolios being run in the present step.
AdviceProgress = Callable[[int, int], None]

#: The figure every portfolio carries, whatever the decision: the frontier's axis.
COST = "cost_per_year"


class PortfolioSampler:
    """Replications of ``scenarios`` (by portfolio number) on demand.

    ``reference``: the number of the reference portfolio (the zero alternative
    of ``net``; -1 when it does not run, and ``net`` is not asked for);
    ``executor``: where replications run (one pool for the whole selection);
    ``out``: a folder for the batches, or ``None``. :meth:`outputs` gives the
    objective (its weighted figures) and each limit's figure.
    """

    def __init__(
        self,
        scenarios: Sequence[Scenario],
        keys: Sequence[str],
        decision: Decision,
        *,
        reference: int = 0,
        seed: int = 0,
        executor: Executor,
        batch_size: int | None = None,
        out: str | Path | None = None,
        force: bool = False,
        progress: AdviceProgress | None = None,
    ):
        self.scenarios = list(scenarios)
        self.keys = list(keys)
        self.decision = decision
        self.reference = reference
        self.seed = seed
        self.executor = executor
        self.batch_size = batch_size
        self.out = None if out is None else Path(out)
        self.force = force
        self.progress = progress
        self.weights = decision.objective.weights
        self.limits = decision.limits()
        self.names = list(dict.fromkeys([*self.weights, *(x.figure for x in self.limits), COST]))
        self.needs_net = "net" in self.names
        self.experiments: dict[int, Experiment] = {}
        self.figures: list[dict[str, np.ndarray]] = [
            {name: np.empty(0) for name in self.names} for _ in self.scenarios
        ]
        self.steps = 0
        self.spent = 0

    @property
    def systems(self) -> int:
        return len(self.scenarios)

    def count(self, system: int) -> int:
        return len(self.figures[system][COST])

    def extend(self, systems: Sequence[int], size: int) -> None:
        """Run ``systems`` (and the reference, when ``net`` needs it) up to
        ``size`` replications each."""
        wanted = {int(i) for i in systems if self.count(int(i)) < size}
        if not wanted:
            return
        if self.needs_net and self.reference < 0:  # pragma: no cover - advise runs it
            raise ValueError("the balance (net) needs the reference portfolio")
        if self.needs_net and self.count(self.reference) < size:
            wanted.add(self.reference)
        numbers = sorted(wanted)
        mapping = {self.keys[i]: self.scenarios[i] for i in numbers}
        reuse = {self.keys[i]: self.experiments[i] for i in numbers if i in self.experiments}
        before = self.spent
        left = len([i for i in numbers if i != self.reference or self.reference in systems])

        def report(done: int, total: int) -> None:
            if self.progress is not None:
                kept = sum(
                    self.experiments[i].replications for i in numbers if i in self.experiments
                )
                self.progress(before + done - kept, left)

        folder = None if self.out is None else self.out / "steps" / f"{self.steps:03d}"
        self.steps += 1
        experiments = run_scenarios(
            mapping,
            replications=int(size),
            seed=self.seed,
            executor=self.executor,
            batch_size=self.batch_size,
            progress=report,
            out=folder,
            timeseries=False,
            kind="advice",
            force=self.force,
            reuse=reuse,
            finish=False,
        )
        for i in numbers:
            self.experiments[i] = experiments[self.keys[i]]
        # the figures of the new replications, worked out on the same workers
        budget = self.decision.budget
        payer = budget.payer if budget is not None else "municipality"
        tasks = []
        for i in numbers:
            first = self.count(i)
            part = slice_experiment(self.experiments[i], first, int(size))
            base = None
            if self.needs_net and i != self.reference:
                base = slice_experiment(self.experiments[self.reference], first, int(size))
            tasks.append(FigureTask(i, part, base, payer, tuple(self.names)))
        found: dict[int, dict[str, np.ndarray]] = {}

        def keep(task: FigureTask, new: dict[str, np.ndarray]) -> None:
            found[task.system] = new

        run_all(figures_of, tasks, self.executor, keep)
        for i in numbers:
            for name in self.names:
                self.figures[i][name] = np.concatenate([self.figures[i][name], found[i][name]])
            self.spent += len(found[i][COST])
        if self.progress is not None:
            self.progress(self.spent, left)

    def outputs(self, system: int) -> np.ndarray:
        """Per replication: the objective (the weighted sum of its figures),
        then each limit's figure."""
        figures = self.figures[system]
        objective = sum(w * figures[name] for name, w in self.weights.items())
        columns = [np.asarray(objective, dtype=float)]
        columns += [figures[limit.figure] for limit in self.limits]
        return np.column_stack(columns)

    def values(self, system: int, name: str) -> np.ndarray:
        """One figure of ``system``, per replication."""
        return self.figures[system][name]


@dataclass(frozen=True)
class FigureTask:
    """The figures of some replications of one portfolio, to be worked out
    (on a worker): ``part`` its replications, ``base`` the reference's same
    replications (for ``net``; ``None`` for the reference itself or without it)."""

    system: int
    part: Experiment
    base: Experiment | None
    payer: str
    names: tuple[str, ...]


def figures_of(task: FigureTask) -> dict[str, np.ndarray]:
    """Per replication of ``task.part``, each figure of ``task.names``."""
    part = task.part
    n = part.replications
    total = own_cost(part, task.payer)
    years = part.values("weeks") / WEEKS_PER_YEAR
    new: dict[str, np.ndarray] = {
        "cost_total": total,
        "cost_per_year": np.divide(total, years, out=np.zeros_like(total), where=years > 0),
    }
    if "net" in task.names:
        new["net"] = np.zeros(n) if task.base is None else _net(part, task.base)
    for name in task.names:
        if name not in new:
            if FIGURES[name].source != "run":  # pragma: no cover - every value figure is above
                raise KeyError(name)
            new[name] = part.values(name)
    return {name: np.asarray(new[name], dtype=float) for name in task.names}


def slice_experiment(experiment: Experiment, first: int, stop: int) -> Experiment:
    """Replications ``first`` to ``stop - 1`` of ``experiment``, renumbered from 0."""

    def part(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        if frame is None:
            return None
        rows = frame[(frame["replication"] >= first) & (frame["replication"] < stop)].copy()
        rows["replication"] = rows["replication"] - first
        return rows.reset_index(drop=True)

    results = part(experiment.results)
    parameters = part(experiment.parameters)
    assert results is not None and parameters is not None
    return Experiment(
        experiment.scenario,
        label=experiment.label,
        seed=experiment.seed,
        replications=stop - first,
        results=results,
        parameters=parameters,
        timeseries_runs=None,
        yearly_runs=part(experiment.yearly_runs),
    )


def own_cost(experiment: Experiment, payer: str) -> np.ndarray:
    """The cost ``payer`` bears for ``experiment``'s provisions, per replication
    (euro, undiscounted, the years after the warm-up; :func:`costs`)."""
    ledger = costs(experiment)
    rows = ledger[ledger["payer"] == payer] if not ledger.empty else ledger
    sums = rows.groupby("replication")["euro"].sum() if not rows.empty else pd.Series(dtype=float)
    return sums.reindex(range(experiment.replications), fill_value=0.0).to_numpy(dtype=float)


def _net(alternative: Experiment, baseline: Experiment) -> np.ndarray:
    """The social balance (net present value, euro) of ``alternative`` against
    ``baseline``, per replication (:meth:`Value.per_replication`)."""
    label, base = "alternative", "baseline"
    value = Value({base: _relabelled(baseline, base), label: _relabelled(alternative, label)}, base)
    table = value.per_replication(label)
    return table["net"].reindex(range(alternative.replications), fill_value=0.0).to_numpy(float)


def _relabelled(experiment: Experiment, label: str) -> Experiment:
    return Experiment(
        experiment.scenario,
        label=label,
        seed=experiment.seed,
        replications=experiment.replications,
        results=experiment.results,
        parameters=experiment.parameters,
        timeseries_runs=experiment.timeseries_runs,
        yearly_runs=experiment.yearly_runs,
    )


__all__ = [
    "COST",
    "AdviceProgress",
    "FigureTask",
    "PortfolioSampler",
    "figures_of",
    "own_cost",
    "slice_experiment",
]
