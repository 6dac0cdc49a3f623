"""The cheap budget filter, before anything runs: the least a portfolio costs
from its provisions' fixed costs alone (:func:`fixed_cost_floor`), the
portfolios that floor puts over the budget, and the problem of a budget that
no portfolio fits."""

from __future__ import annotations

from collections.abc import Sequence

from ...scenario import Problem, Scenario
from ...scenario.decision import Decision
from ...scenario.units import WEEKS_PER_YEAR
from .decision_file import Locate


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


def budget_floors(plan: Decision, scenarios: Sequence[Scenario]) -> list[tuple[str, float] | None]:
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


def unfundable(plan: Decision, everything, scenarios, locate: Locate) -> Problem:
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


__all__ = ["budget_floors", "fixed_cost_floor", "unfundable"]
