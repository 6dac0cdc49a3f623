"""What a ``decision:`` block must fit of the rest of its scenario: run with
the scenario's other rules across keys (:mod:`.rules`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from .decision_spec import FIXED, MAX_PORTFOLIOS, OFF, Choice, Decision, Level
from .located import lists_of, path_problem, validate_as
from .overrides import apply_overrides
from .problems import ScenarioError, unknown

Key = tuple[str | int, ...]
Found = list[tuple[Key, str]]


def decision_problems(scenario: Any) -> Found:
    """Problems of a scenario's ``decision:`` that need the rest of it (run with
    the scenario's other rules, :mod:`.rules`): choices and options with one
    name each, provisions that are interventions of the scenario (one choice
    each), option values that are values of the scenario and may be chosen,
    and an option of one provision that changes another a portfolio may leave out."""
    decision = scenario.decision
    if decision is None:
        return []
    out: Found = []
    at: Key = ("decision", "choices")
    interventions = [spec.name for spec in scenario.interventions]
    seen: dict[str, int] = {}
    provisions: dict[str, int] = {}
    for i, choice in enumerate(decision.choices):
        if choice.name in seen:
            out.append(((*at, i, "name"), f"choice {choice.name!r} is named twice"))
        seen.setdefault(choice.name, i)
        names = [level.name for level in choice.levels]
        if choice.can_be_off:
            names.insert(0, OFF)
        for j, level in enumerate(choice.levels):
            if names.count(level.name) > 1:
                message = f"option {level.name!r} is named twice in {choice.name!r}"
                if level.name == OFF and choice.can_be_off:
                    message = f"{OFF!r} is the option that leaves the provision out: rename it"
                out.append(((*at, i, "levels", j, "name"), message))
        if choice.provision is not None:
            if choice.provision not in interventions:
                message = unknown("intervention", choice.provision, interventions)
                out.append(((*at, i, "provision"), message))
            elif choice.provision in provisions:
                first = provisions[choice.provision]
                message = f"{choice.provision!r} is already the provision of choice {first}"
                out.append(((*at, i, "provision"), message))
            provisions.setdefault(choice.provision, i)
    may_be_off = {c.provision for c in decision.choices if c.can_be_off and c.provision}
    data = None
    for i, choice in enumerate(decision.choices):
        for j, level in enumerate(choice.levels):
            before = len(out)
            for path in level.overrides:
                key = (*at, i, "levels", j, "set", path)
                problem = _path_problem(scenario, decision, choice, path, may_be_off)
                if problem is None:
                    if data is None:
                        data = scenario.to_dict()
                    problem = _value_path(type(scenario), data, path)
                if problem is not None:
                    out.append((key, problem))
            if data is not None and len(out) == before and decision.size <= MAX_PORTFOLIOS:
                out += [
                    ((*at, i, "levels", j, "set", *k), m) for k, m in _values(scenario, data, level)
                ]
    if decision.size > MAX_PORTFOLIOS:
        sizes = " x ".join(str(len(c.options)) for c in decision.choices)
        out.append(
            (
                ("decision", "choices"),
                f"{sizes} = {decision.size:,} portfolios (at most {MAX_PORTFOLIOS:,}): "
                "give fewer options",
            )
        )
    return out


def _path_problem(
    scenario: Any, decision: Decision, choice: Choice, path: str, may_be_off: set[str]
) -> str | None:
    """What forbids ``path`` as a value an option of ``choice`` sets, or None."""
    root = path.split(".", 1)[0]
    if root in FIXED:
        return (
            f"{root} is the same for every portfolio, not a choice (an option may set team, "
            "volunteers, interventions or tenders values)"
        )
    if decision.collective_hours == "follow" and path == "team.collective_hours_per_week":
        return (
            "the collective hours follow the chosen provisions (collective_hours: follow); "
            "set each provision's team_hours_per_week, or collective_hours: as_written"
        )
    parts = path.split(".")
    if root == "interventions" and len(parts) > 1:
        name = parts[1]
        if name.isdigit() and int(name) < len(scenario.interventions):
            name = scenario.interventions[int(name)].name
        if name in may_be_off and name != choice.provision:
            return (
                f"{name!r} is left out of some portfolios by its own choice: set its values "
                "in that choice's options"
            )
    return None


def _values(scenario: Any, data: Mapping[str, Any], level: Level) -> list[tuple[Key, str]]:
    """What is wrong with the values ``level`` sets, on the scenario as written
    (each at the value it sets, ``(key, rest of the path...)``): what ``wijksim
    advise`` would refuse in every portfolio that takes the option. A problem
    outside the values set belongs to a portfolio's mix: advise says it."""
    copy = {k: _copy(v) for k, v in data.items() if k not in ("decision", "sweep")}
    model = type(scenario)
    owners: dict[str, str] = {}
    try:
        for key, value in level.overrides.items():
            try:
                where = apply_overrides(copy, {key: value}, lists_of(model))
            except ScenarioError as exc:
                return [((key,), p.message) for p in exc.problems]
            owners.update({".".join(map(str, w)): key for w in where})
        validate_as(model, copy)
    except ScenarioError as exc:
        found: list[tuple[Key, str]] = []
        for p in exc.problems:
            set_at = next((k for k in owners if p.path == k or p.path.startswith(k + ".")), None)
            if set_at is not None:
                rest = tuple(x for x in p.path[len(set_at) :].split(".") if x)
                found.append(((owners[set_at], *rest), p.message))
        return found
    return []


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_copy(v) for v in value]
    return value


def _value_path(root: type[BaseModel], data: Mapping[str, Any], path: str) -> str | None:
    """What is wrong with ``path`` as a value of the ``root`` model's ``data``."""
    problem = path_problem(root, data, path)
    return None if problem is None else f"no such value: {problem}"
