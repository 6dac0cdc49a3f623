"""What to fund: :func:`advise` runs the portfolios of a decision and selects
the best with a ranking-and-selection procedure; :class:`Advice` holds what it
found.

The steps, each in its own module:

1. the decision and its portfolios (:mod:`wijksim.scenario.decision`), read
   with the line of each key (:mod:`.decision_file`);
2. a cheap budget filter, before anything runs: a portfolio whose provisions'
   fixed costs alone exceed the budget is left out (:func:`fixed_cost_floor`,
   :mod:`.budget_filter`; fixed costs never exceed the cost
   :mod:`~wijksim.analysis.value` books, so no portfolio within the budget is
   lost);
3. the selection (:mod:`.procedures`) on replications of the portfolios
   (:mod:`.sampling`), one pool of workers for all;
4. the good set, the table of every portfolio (:mod:`.portfolio_table`) and the
   cost-relief frontier (:mod:`.frontier`), in an :class:`Advice`
   (:mod:`.result`).

This module holds :func:`advise` itself: its settings, the guard on the work a
selection may take, and the tables it writes beside the batches.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from ...experiment.executors import check_execution, executor_for
from ...experiment.replications import check_arguments
from ...scenario import Problem, Scenario, ScenarioError
from ...scenario.decision import Decision, portfolios
from ...scenario.overrides import check_overrides
from ...scenario.problems import check_flags
from .budget_filter import budget_floors, fixed_cost_floor, unfundable
from .decision_file import Locate, load_decision, located, nowhere, portfolio_scenarios
from .portfolio_table import portfolio_table
from .procedures import Bound, Settings, select
from .result import Advice
from .sampling import COST, AdviceProgress, PortfolioSampler

# -- advise -------------------------------------------------------------------------------


def advise(
    decision: Scenario | str | os.PathLike[str],
    seed: int = 0,
    *,
    overrides: Mapping[str, Any] | None = None,
    procedure: str | None = None,
    alpha: float | None = None,
    delta: float | None = None,
    first_stage: int | None = None,
    max_replications: int | None = None,
    replications: int | None = None,
    executor: Executor | None = None,
    workers: int | None = None,
    batch_size: int | None = None,
    progress: AdviceProgress | None = None,
    out: str | os.PathLike[str] | None = None,
    force: bool = False,
) -> Advice:
    """Which portfolio of a decision to fund: the best by its objective among
    those within the budget and constraints, selected with a guaranteed chance
    of being right (see ``docs/advice.md``).

    ``decision``: a scenario with a ``decision:`` block, or its file;
    ``overrides``: values to set first, by dotted path (as ``--set``). The
    settings of ``decision.selection`` hold unless given here: ``procedure``
    (``kn++``, ``kn`` or ``ocba``), ``alpha`` (the chance of a wrong selection
    allowed), ``delta`` (the indifference zone, in the objective's unit),
    ``first_stage``, ``max_replications`` and, for OCBA, ``replications`` (all
    portfolios together). Replication ``r`` of every portfolio has seed
    ``(seed, r)``: the same advice, bit for bit, on any executor and number of
    workers. How replications run (``executor``, ``workers``, ``batch_size``,
    ``out``, ``force``) as for :func:`wijksim.compare`; ``out`` keeps every
    batch, so a stopped run resumes. ``progress(spent, left)``: replications
    run so far and portfolios in the present step.

    Raises :class:`~wijksim.scenario.ScenarioError` (located in the file when
    given one) for a scenario without a decision, settings out of range, a
    portfolio that is not a valid scenario, and a budget that no portfolio's
    fixed costs fit.
    """
    check_arguments(1, seed, batch_size)
    check_execution(executor, workers, None, out)
    check_flags(force=force)
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be a function progress(spent, left), not {progress!r:.80}")
    chosen = {
        "procedure": procedure,
        "alpha": alpha,
        "first_stage": first_stage,
        "max_replications": max_replications,
        "replications": replications,
    }
    # each named as the command line gives it, not as --set
    given = {f"decision.selection.{k}": k for k, v in chosen.items() if v is not None}
    if delta is not None:
        given["decision.objective.delta"] = "delta"
    check_overrides(overrides, none=True)  # as load_scenario: not "'str' is not a mapping"
    overrides = {
        **(overrides or {}),
        **{f"decision.selection.{k}": v for k, v in chosen.items() if v is not None},
    }
    if delta is not None:
        overrides["decision.objective.delta"] = delta
    source: str | None = None
    locate: Locate = nowhere
    if isinstance(decision, Scenario):
        scenario = decision.with_overrides(overrides) if overrides else decision
    elif isinstance(decision, str | os.PathLike):
        source = str(decision)
        names = {key: f"--{name.replace('_', '-')}" for key, name in given.items()}
        scenario, locate = load_decision(decision, overrides, names)
    else:
        raise TypeError(
            f"expected a scenario with a decision: block or its file, not {type(decision).__name__}"
        )
    if scenario.decision is None:
        where, line = locate(())
        message = "no decision: block: wijksim advise needs the choices, budget and objective"
        raise ScenarioError([Problem(where, line, "decision", message)])
    plan = scenario.decision
    everything = portfolios(plan)
    scenarios = portfolio_scenarios(scenario, plan, everything, locate)
    floors = budget_floors(plan, scenarios)
    kept = [i for i, floor in enumerate(floors) if floor is None]
    if not kept:
        raise ScenarioError([unfundable(plan, everything, scenarios, locate)])
    if 0 not in kept and "net" in plan.figures():
        kept.insert(0, 0)  # the zero alternative of the balance runs, over budget or not
    settings = _settings(plan)
    runs = {everything[i].key: scenarios[i] for i in kept}
    _check_budget_of_work(plan, runs, force, locate)
    with executor_for(executor, workers) as pool:
        sampler = PortfolioSampler(
            [scenarios[i] for i in kept],
            [everything[i].key for i in kept],
            plan,
            reference=kept.index(0) if 0 in kept else -1,
            seed=int(seed),
            executor=pool,
            batch_size=batch_size,
            out=None if out is None else Path(out),
            force=force,
            progress=progress,
        )

        def cost(j: int) -> float:
            values = sampler.values(j, COST)
            return float(values.mean()) if len(values) else math.inf

        try:
            selection = select(sampler, settings, tiebreak=cost)
        except ScenarioError as exc:  # a portfolio's run refused (its uncertain: draws)
            raise ScenarioError(located(exc.problems, plan, everything, locate)) from None
    table = portfolio_table(plan, everything, kept, floors, sampler, selection, settings)
    advice = Advice(
        scenario=scenario,
        decision=plan,
        portfolios=everything,
        selection=selection,
        table=table,
        seed=int(seed),
        settings=settings,
        source=source,
    )
    if out is not None:
        _write(advice, Path(out))
    return advice


def _check_budget_of_work(
    plan: Decision, scenarios: Mapping[str, Scenario], force: bool, locate: Locate
) -> None:
    """Refuse, before anything runs, a selection whose most replications
    (``max_replications`` of every portfolio run, or OCBA's ``replications``)
    would take absurd work (:func:`~wijksim.scenario.size.check_experiment`):
    a sequential procedure may stop early, but it may also run to its cap."""
    from ...scenario.size import check_experiment, estimate_work

    s = plan.selection
    if s.procedure == "ocba":
        total = s.replications if s.replications is not None else 4 * s.first_stage * len(scenarios)
        most, key = (
            math.ceil(max(total, s.first_stage * len(scenarios)) / len(scenarios)),
            "replications",
        )
    else:
        most, key = s.max_replications, "max_replications"
    where, line = locate(("decision", "selection", key))
    try:
        check_experiment(
            {key: estimate_work(x) for key, x in scenarios.items()},
            most,
            timeseries=False,
            force=force,
            runs="portfolios",
            fewer=f"portfolios or decision.selection.{key}",
            source=where,
        )
    except ScenarioError as exc:
        raise ScenarioError(
            [Problem(where, line, f"decision.selection.{key}", p.message) for p in exc.problems]
        ) from None


def _settings(plan: Decision) -> Settings:
    s = plan.selection
    limits = tuple(Bound(x.bound, x.upper, x.epsilon) for x in plan.limits())
    return Settings(
        delta=plan.objective.indifference,
        maximise=plan.objective.goal == "maximise",
        procedure=s.procedure,
        alpha=s.alpha,
        first_stage=s.first_stage,
        max_replications=s.max_replications,
        limits=limits,
        screen_above=s.screen_above,
        total=s.replications,
    )


def _write(advice: Advice, folder: Path) -> None:
    """The advice's tables beside the batches: ``advice.json``, ``portfolios.csv``
    and ``frontier.csv``."""
    import json

    from ...experiment.outputs import write_text
    from ...experiment.storage import write_frame

    table = advice.table.copy()
    table["options"] = [json.dumps(o, ensure_ascii=False) for o in table["options"]]
    write_frame(table, folder, "portfolios")
    front = advice.frontier.copy()
    front["changes"] = ["; ".join(c) for c in front["changes"]]
    write_frame(front, folder, "frontier")
    text = json.dumps(advice.to_dict(), indent=2, ensure_ascii=False) + "\n"
    write_text(folder / "advice.json", text, within=folder)


__all__ = ["Advice", "advise", "fixed_cost_floor", "load_decision"]
