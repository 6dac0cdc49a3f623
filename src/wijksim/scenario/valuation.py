"""What a scenario counts at EUR 0 without saying so, or may count twice: the
warnings of ``wijksim validate``.

Read from the scenario alone, so validating imports nothing of the analysis
(pandas, scipy) that values a comparison.
"""

from __future__ import annotations

from .schema import Scenario


def valuation_gaps(scenario: Scenario) -> list[tuple[str, str]]:
    """Effects a scenario produces whose unit value is 0, so they count EUR 0
    in the balance without anyone saying so: ``(key, message)`` pairs for
    ``wijksim validate`` to warn about (a 0 can be meant; silence cannot)."""
    gaps = []
    costs = scenario.costs
    if costs.team_hour == 0:
        gaps.append(("costs.team_hour", "is 0: the team's hours count EUR 0"))
    priced = costs.prices_heavier_care()
    if _escalates(scenario) and not priced:
        gaps.append(("costs.heavier_care", "is 0: escalations avoided count EUR 0"))
    for spec in scenario.interventions:
        for at, outcome in enumerate(spec.outcomes):
            key = f"interventions.{spec.name}.outcomes.{at}"
            for field in ("value", "share"):
                if getattr(outcome, field) == 0:
                    gaps.append((f"{key}.{field}", f"is 0: outcome {outcome.name!r} counts EUR 0"))
    for at, declared in enumerate(costs.outcomes):
        if declared.value == 0:
            gaps.append((f"costs.outcomes.{at}.value", f"is 0: {declared.name!r} counts EUR 0"))
    return gaps + double_counts(scenario)


def _escalates(scenario: Scenario) -> bool:
    escalation = scenario.team.escalation
    return escalation is not None and escalation.hazard_per_week > 0


def double_counts(scenario: Scenario) -> list[tuple[str, str]]:
    """Declared values that may count an effect a second time or without its
    cost: an outcome the wijkteam gains (its hours are valued as team_hours
    already), waiting weeks valued beside heavier care (escalations happen
    while waiting), funding that stops within the warm-up (its costs fall
    where nothing is counted, its effects after)."""
    out = []
    for spec in scenario.interventions:
        for at, outcome in enumerate(spec.outcomes):
            if outcome.payer == "wijkteam":
                out.append(
                    (
                        f"interventions.{spec.name}.outcomes.{at}.payer",
                        f"is wijkteam: the team's hours are valued already (team_hours); "
                        f"{outcome.name!r} counts them twice unless it is something else",
                    )
                )
        if spec.stop is not None and spec.stop <= scenario.warmup:
            out.append(
                (
                    f"interventions.{spec.name}.stop",
                    "funding stops within the warm-up, where nothing is counted: the "
                    "balance leaves its costs out but counts the effects it leaves behind",
                )
            )
    costs = scenario.costs
    priced = costs.prices_heavier_care()
    for at, declared in enumerate(costs.outcomes):
        if declared.payer == "wijkteam":
            out.append(
                (
                    f"costs.outcomes.{at}.payer",
                    "is wijkteam: the team's hours are valued already (team_hours)",
                )
            )
        if declared.per == "waiting_week_avoided" and priced and _escalates(scenario):
            out.append(
                (
                    f"costs.outcomes.{at}.per",
                    "values waiting weeks beside costs.heavier_care: escalations happen "
                    "while waiting, so a unit value per week must leave out heavier care",
                )
            )
    return out
