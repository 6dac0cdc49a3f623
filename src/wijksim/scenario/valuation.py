"""What a scenario counts at EUR 0 without saying so: the warnings of ``wijksim validate``.

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
    cares = costs.heavier_care
    priced = any(v > 0 for v in cares.values()) if isinstance(cares, dict) else cares > 0
    escalation = scenario.team.escalation
    if escalation is not None and escalation.hazard_per_week > 0 and not priced:
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
    return gaps
