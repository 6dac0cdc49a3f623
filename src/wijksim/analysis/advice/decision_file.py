"""The decision as read: a decision file as a scenario with the line of each
of its keys (:func:`load_decision`), every portfolio's scenario, and their
problems at the line of the decision file that causes them."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ...scenario import Problem, Scenario, ScenarioError
from ...scenario.decision import Decision, Portfolio, portfolio_scenario

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


def nowhere(key: tuple[str | int, ...]) -> tuple[str, int | None]:
    return "<decision>", None


def portfolio_scenarios(
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
        raise ScenarioError(located(found, plan, everything, locate))
    return scenarios


def located(
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


__all__ = ["Locate", "load_decision", "located", "nowhere", "portfolio_scenarios"]
