"""What to fund: :func:`advise` runs the portfolios of a decision and selects
the best with a ranking-and-selection procedure; :class:`Advice` holds what it
found.

The steps, each in its own module:

1. the decision and its portfolios (:mod:`wijksim.scenario.decision`);
2. a cheap budget filter, before anything runs: a portfolio whose provisions'
   fixed costs alone exceed the budget is left out (:func:`fixed_cost_floor`;
   fixed costs never exceed the cost :mod:`~wijksim.analysis.value` books, so
   no portfolio within the budget is lost);
3. the selection (:mod:`.procedures`) on replications of the portfolios
   (:mod:`.sampling`), one pool of workers for all;
4. the good set, the table of every portfolio and the cost-relief frontier
   (:mod:`.frontier`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...experiment.executors import check_execution, executor_for
from ...experiment.intervals import CONFIDENCE, paired_interval, t_interval
from ...experiment.replications import check_arguments
from ...scenario import Problem, Scenario, ScenarioError
from ...scenario.decision import (
    Decision,
    Limit,
    Portfolio,
    portfolio_scenario,
    portfolios,
)
from ...scenario.units import WEEKS_PER_YEAR
from .frontier import entering, frontier
from .procedures import Bound, Selection, Settings, select
from .sampling import COST, AdviceProgress, PortfolioSampler

#: Where a problem of the decision is reported: ``locate(key)`` gives the file
#: and line of a key path of the decision file (``None``: no file).
Locate = Callable[[tuple[str | int, ...]], tuple[str, int | None]]


def load_decision(
    path: str | os.PathLike[str],
    overrides: Mapping[str, Any] | None = None,
    given: Mapping[str, str] | None = None,
) -> tuple[Scenario, Locate]:
    """A decision file as a scenario (``extends`` merged, ``overrides`` set,
    validated) and a function that finds the line of any of its keys.
    ``given``: the override (by dotted path) an option made, and its name
    (``--alpha``), to name in a problem instead of ``--set``."""
    from ...scenario.loading import apply_overrides, read_merged, validate

    data, positions = read_merged(Path(path))
    if overrides:
        positions.update(apply_overrides(data, overrides))
    for dotted, name in (given or {}).items():
        positions[tuple(dotted.split("."))] = (name, None)
    scenario = validate(data, positions, default_source=str(path))

    def locate(key: tuple[str | int, ...]) -> tuple[str, int | None]:
        for n in range(len(key), -1, -1):
            if key[:n] in positions:
                return positions[key[:n]]
        return str(path), None

    return scenario, locate


def _nowhere(key: tuple[str | int, ...]) -> tuple[str, int | None]:
    return "<decision>", None


def fixed_cost_floor(scenario: Scenario, payer: str = "municipality") -> tuple[float, float]:
    """The least ``payer`` pays for ``scenario``'s provisions over the years
    after the warm-up, from fixed costs alone: ``(total, per_year)`` in euro.

    Each provision's ``fixed_cost_per_year`` for the weeks it is funded after
    the warm-up, less any tender's transition (a pause may stop its funding).
    Costs per participant and volunteer expenses come on top, so the real
    cost is never below it. Fixed costs are the municipality's; for another
    payer the floor is 0.
    """
    start, end = scenario.warmup, scenario.horizon
    years = (end - start) / WEEKS_PER_YEAR
    if payer != "municipality" or years <= 0:
        return 0.0, 0.0
    total = 0.0
    for spec in scenario.interventions:
        if spec.fixed_cost_per_year <= 0:
            continue
        stop = end if spec.stop is None else min(spec.stop, end)
        weeks = max(0.0, stop - max(spec.start, start))
        for tender in scenario.tenders:
            if tender.interventions and spec.name not in tender.interventions:
                continue
            overlap = min(tender.at + tender.transition, stop) - max(tender.at, spec.start, start)
            weeks -= max(0.0, overlap)
        total += spec.fixed_cost_per_year * max(0.0, weeks) / WEEKS_PER_YEAR
    return total, total / years


class Advice:
    """What :func:`advise` found: plain data, safe to pickle and keep.

    ``table``: one row per portfolio (see :meth:`portfolio_table`);
    ``selection``: the procedure's own record
    (:class:`~wijksim.analysis.advice.procedures.Selection`); ``frontier``:
    the cost-relief frontier (:func:`~wijksim.analysis.advice.frontier.frontier`).
    """

    def __init__(
        self,
        *,
        scenario: Scenario,
        decision: Decision,
        portfolios: Sequence[Portfolio],
        selection: Selection | None,
        table: pd.DataFrame,
        seed: int,
        settings: Settings,
        source: str | None = None,
    ):
        self.scenario = scenario
        self.decision = decision
        self.portfolios = list(portfolios)
        self.selection = selection
        self.table = table
        self.seed = seed
        self.settings = settings
        self.source = source
        single = {c.name for c in decision.choices if c.provision and len(c.levels) == 1}
        self.frontier = frontier(table, decision.objective.goal, single)

    # -- the answer ----------------------------------------------------------------------

    @property
    def recommended(self) -> dict[str, Any] | None:
        """The recommended portfolio's row of :attr:`table`, or ``None`` when
        none meets the budget and constraints."""
        rows = self.table[self.table["recommended"]]
        return None if rows.empty else rows.iloc[0].to_dict()

    @property
    def good(self) -> pd.DataFrame:
        """The good set: portfolios that cannot be told apart from the best at
        ``delta``; the recommended first, then by their paired difference from
        it (``versus``: this portfolio minus the recommended, over the
        replications they have in common, with the simultaneous interval the
        good set is judged at: each side at ``1 - alpha/(m - 1)``), best first. Their own means come
        from different numbers of replications and do not rank them."""
        rows = self.table[self.table["good"]]
        sign = 1.0 if self.decision.objective.goal == "minimise" else -1.0
        order = rows.assign(_first=~rows["recommended"], _versus=sign * rows["versus"])
        order = order.sort_values(["_first", "_versus", "key"], na_position="last")
        return order.drop(columns=["_first", "_versus"])

    @property
    def cheapest(self) -> dict[str, Any] | None:
        """The portfolio with the lowest mean cost a year among those run."""
        rows = self.table[self.table["replications"] > 0]
        if rows.empty:
            return None
        return rows.sort_values(["cost_per_year", "key"]).iloc[0].to_dict()

    @property
    def spent(self) -> int:
        """Replications run, of all portfolios together."""
        return int(self.table["replications"].sum())

    @property
    def guaranteed(self) -> bool:
        """Whether the procedure's guarantee applies to the recommendation."""
        return bool(self.selection is not None and self.selection.guaranteed)

    @property
    def entering(self) -> list[str]:
        """The choices in the order they enter along the frontier."""
        return entering(self.frontier) if not self.frontier.empty else []

    def method(self) -> dict[str, Any]:
        """The procedure and its settings, the constants it used, the
        replications spent and what was guaranteed, as plain data."""
        s, selection = self.settings, self.selection
        objective = self.decision.objective
        out: dict[str, Any] = {
            "procedure": s.procedure,
            "alpha": s.alpha,
            "delta": s.delta,
            "goal": objective.goal,
            "objective": objective.weights,
            "first_stage": s.first_stage,
            "max_replications": s.max_replications,
            "portfolios": len(self.portfolios),
            "run": int((self.table["replications"] > 0).sum()),
            "left_out_by_budget": int((self.table["status"] == "over budget").sum()),
            "replications": self.spent,
            "seed": self.seed,
            "limits": [
                {
                    "figure": b.figure,
                    "bound": b.bound,
                    "upper": b.upper,
                    "tolerance": b.epsilon,
                    "kind": b.kind,
                }
                for b in self.decision.limits()
            ],
            "guaranteed": self.guaranteed,
        }
        if selection is not None:
            out.update(
                alphas=dict(selection.alphas),
                constants={k: _plain(v) for k, v in selection.constants.items()},
                notes=list(selection.notes),
                pcs_estimate=_plain(selection.pcs_estimate),
                looks=len(selection.looks),
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        """The advice as plain data (for JSON): the recommendation, the good
        set, the frontier, every portfolio and the method."""

        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            return [
                {k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")
            ]

        recommended = self.recommended
        cheapest = self.cheapest
        return {
            "question": self.decision.question,
            "scenario": self.scenario.name,
            "recommended": None if recommended is None else _plain_row(recommended),
            "feasible": recommended is not None,
            "cheapest": None if cheapest is None else _plain_row(cheapest),
            "good_set": [str(k) for k in self.good["key"]],
            "frontier": records(self.frontier),
            "entering": self.entering,
            "portfolios": records(self.table),
            "method": self.method(),
        }

    def __repr__(self) -> str:
        chosen = self.recommended
        name = "none" if chosen is None else repr(chosen["label"])
        return (
            f"<Advice: {name} of {len(self.portfolios)} portfolios; "
            f"{len(self.good)} in the good set; {self.spent} replications>"
        )


def _plain(value: Any) -> Any:
    """JSON's values: no NaN or infinity (null), numpy numbers as Python's."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    return value


def _plain_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k): _plain(v) for k, v in row.items()}


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
    check_execution(executor, workers, None)
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
    overrides = {
        **(overrides or {}),
        **{f"decision.selection.{k}": v for k, v in chosen.items() if v is not None},
    }
    if delta is not None:
        overrides["decision.objective.delta"] = delta
    source: str | None = None
    locate: Locate = _nowhere
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
    scenarios = _portfolio_scenarios(scenario, plan, everything, locate)
    floors = _floors(plan, scenarios)
    kept = [i for i, floor in enumerate(floors) if floor is None]
    if not kept:
        raise ScenarioError([_unfundable(plan, everything, scenarios, locate)])
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
            raise ScenarioError(_located(exc.problems, plan, everything, locate)) from None
    table = _table(plan, everything, kept, floors, sampler, selection, settings)
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


def _portfolio_scenarios(
    scenario: Scenario, plan: Decision, everything: Sequence[Portfolio], locate: Locate
) -> list[Scenario]:
    """Every portfolio's scenario; the problems of all of them at once, each
    at the line of the option that sets the value (else of the choices),
    each problem once however many portfolios share it."""
    base = scenario.to_dict()
    scenarios: list[Scenario] = []
    found: list[Problem] = []
    for portfolio in everything:
        try:
            scenarios.append(portfolio_scenario(base, plan, portfolio))
        except ScenarioError as exc:
            found += exc.problems
    if found:
        raise ScenarioError(_located(found, plan, everything, locate))
    return scenarios


def _located(
    problems: Sequence[Problem], plan: Decision, everything: Sequence[Portfolio], locate: Locate
) -> list[Problem]:
    """Problems of portfolios at their line in the decision file: a value an
    option sets at that option's key (:func:`portfolio_scenario` names it), any
    other at the choices, naming the portfolio; each once, however many
    portfolios share it."""
    labels = {p.key: f"portfolio {p.key} ({p.label})" for p in everything}
    found: dict[str, Problem] = {}
    for problem in problems:
        parts = problem.path.split(".")
        if parts[:2] == ["decision", "choices"] and len(parts) > 6 and parts[2].isdigit():
            i, j = int(parts[2]), int(parts[4])
            rest = ".".join(parts[6:])
            sets = plan.choices[i].levels[j].overrides
            key = next((k for k in sets if rest == k or rest.startswith(k + ".")), rest)
            where, line = locate(("decision", "choices", i, "levels", j, "set", key))
            found.setdefault(problem.path, Problem(where, line, problem.path, problem.message))
            continue
        where, line = locate(("decision", "choices"))
        portfolio = labels.get(problem.source, problem.source)
        message = (
            f"{portfolio}: {problem.path}: {problem.message}"
            if problem.path
            else (f"{portfolio}: {problem.message}")
        )
        found.setdefault(
            f"{problem.path}: {problem.message}",
            Problem(where, line, "decision.choices", message),
        )
    return list(found.values())


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


def _floors(plan: Decision, scenarios: Sequence[Scenario]) -> list[tuple[str, float] | None]:
    """For each portfolio, the budget figure its fixed costs alone exceed
    (beyond the tolerance) with that floor, or ``None`` when they fit."""
    budget = plan.budget
    out: list[tuple[str, float] | None] = []
    for scenario in scenarios:
        found = None
        if budget is not None:
            total, per_year = fixed_cost_floor(scenario, budget.payer)
            for limit in plan.limits():
                if limit.kind != "budget":
                    continue
                floor = per_year if limit.figure == "cost_per_year" else total
                if floor > limit.bound + limit.epsilon:
                    found = (limit.figure, floor)
                    break
        out.append(found)
    return out


def _unfundable(plan: Decision, everything, scenarios, locate: Locate) -> Problem:
    """The problem of a budget that no portfolio's fixed costs fit: at the
    budget's line, with the cheapest portfolio and its floor."""
    budget = plan.budget
    assert budget is not None
    figure = "per_year" if budget.per_year is not None else "total"
    floors = [fixed_cost_floor(s, budget.payer) for s in scenarios]
    cheapest = min(range(len(scenarios)), key=lambda i: (floors[i][1], i))
    total, per_year = floors[cheapest]
    amount = per_year if figure == "per_year" else total
    where, line = locate(("decision", "budget", figure))
    unit = "a year " if figure == "per_year" else ""
    message = (
        f"no portfolio fits the budget: the cheapest, {everything[cheapest].label!r}, costs "
        f"at least EUR {amount:,.0f} {unit}in fixed costs alone"
    )
    return Problem(where, line, f"decision.budget.{figure}", message)


def _table(
    plan: Decision,
    everything: Sequence[Portfolio],
    kept: Sequence[int],
    floors: Sequence[tuple[str, float] | None],
    sampler: PortfolioSampler,
    selection: Selection,
    settings: Settings,
) -> pd.DataFrame:
    """One row per portfolio: its options, what the selection did with it, its
    figures' means with 95% intervals, and whether it is on the frontier's list."""
    limits = plan.limits()
    position = {i: j for j, i in enumerate(kept)}
    reference = position.get(0)
    good = set(selection.good)
    rows = []
    for i, portfolio in enumerate(everything):
        options = {
            choice.name: (None if option.off else option.name)
            for choice, option in portfolio.chosen(plan)
        }
        row: dict[str, Any] = {"key": portfolio.key, "label": portfolio.label, "options": options}
        j = position.get(i)
        if j is None:
            _, floor = floors[i] or ("", math.nan)
            row.update(status="over budget", replications=0, settled_at=0, eliminated_by=None)
            row.update(_empty(plan, limits))
            row["cost_floor"] = floor
            rows.append(row)
            continue
        n = sampler.count(j)
        by = selection.by[j]
        row.update(
            status=selection.status[j],
            replications=n,
            settled_at=selection.at[j],
            eliminated_by=None if by is None else everything[kept[by]].key,
        )
        objective = sampler.outputs(j)[:, 0]
        row.update(_interval("objective", objective))
        if reference is not None and sampler.count(reference) >= 2 and n >= 2:
            m = min(n, sampler.count(reference))
            base = sampler.outputs(reference)[:m, 0]
            diff = paired_interval(objective[:m], base)
            row.update(relief=diff.mean, relief_low=diff.low, relief_high=diff.high)
        else:
            row.update(relief=math.nan, relief_low=math.nan, relief_high=math.nan)
        chosen = selection.selected
        if chosen is not None and chosen != j and n >= 2 and sampler.count(chosen) >= 2:
            m = min(n, sampler.count(chosen))
            level = selection.good_level or 1.0 - settings.alpha / 2
            diff = paired_interval(objective[:m], sampler.outputs(chosen)[:m, 0], 2 * level - 1)
            row.update(versus=diff.mean, versus_low=diff.low, versus_high=diff.high)
        elif chosen == j:
            row.update(versus=0.0, versus_low=0.0, versus_high=0.0)
        else:
            row.update(versus=math.nan, versus_low=math.nan, versus_high=math.nan)
        row.update(_interval(COST, sampler.values(j, COST), "cost"))
        if "net" in sampler.names:
            row.update(_interval("net", sampler.values(j, "net")))
        for c, limit in enumerate(limits):
            values = sampler.values(j, limit.figure)
            row[f"limit_{c}"] = float(values.mean()) if len(values) else math.nan
            row[f"limit_{c}_within"] = int(selection.within[j, c]) if selection.within.size else 0
        row["cost_floor"] = math.nan
        row["good"] = j in good
        row["recommended"] = selection.selected == j
        rows.append(row)
    table = pd.DataFrame(rows)
    for column in ("good", "recommended"):
        table[column] = table[column].fillna(False).astype(bool)
    table["over_budget"] = _over_budget(table, limits)
    table["on_frontier_candidate"] = _meets_constraints(table, limits)
    return table


def _empty(plan: Decision, limits: Sequence[Limit]) -> dict[str, Any]:
    nan = math.nan
    out: dict[str, Any] = {
        "objective": nan,
        "objective_low": nan,
        "objective_high": nan,
        "relief": nan,
        "relief_low": nan,
        "relief_high": nan,
        "versus": nan,
        "versus_low": nan,
        "versus_high": nan,
        "cost_per_year": nan,
        "cost_low": nan,
        "cost_high": nan,
        "good": False,
        "recommended": False,
    }
    if "net" in plan.figures():
        out.update(net=nan, net_low=nan, net_high=nan)
    for c, _ in enumerate(limits):
        out[f"limit_{c}"] = nan
        out[f"limit_{c}_within"] = 0
    return out


def _interval(name: str, values: np.ndarray, prefix: str | None = None) -> dict[str, float]:
    interval = t_interval(values, CONFIDENCE)
    head = prefix or name
    return {name: interval.mean, f"{head}_low": interval.low, f"{head}_high": interval.high}


def _over_budget(table: pd.DataFrame, limits: Sequence[Limit]) -> pd.Series:
    over = table["status"] == "over budget"
    for c, limit in enumerate(limits):
        if limit.kind == "budget":
            over = over | (table[f"limit_{c}_within"] < 0) | (table[f"limit_{c}"] > limit.bound)
    return over.astype(bool)


def _meets_constraints(table: pd.DataFrame, limits: Sequence[Limit]) -> pd.Series:
    """Run, and within every constraint but the budget: as decided, else by the mean."""
    meets = table["replications"] > 0
    for c, limit in enumerate(limits):
        if limit.kind == "budget":
            continue
        within = table[f"limit_{c}_within"]
        mean = table[f"limit_{c}"]
        by_mean = mean <= limit.bound if limit.upper else mean >= limit.bound
        meets = meets & ((within > 0) | ((within == 0) & by_mean))
    return meets.astype(bool)


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
