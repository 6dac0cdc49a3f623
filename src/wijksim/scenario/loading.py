"""Reading scenario files, with every problem reported at once and by line.

A problem reads ``path/to/file.yaml:LINE: dotted.key.path: what is wrong``.
``extends: base.yaml`` (relative to the file; or a list of files, merged in
order) deep-merges a base: mappings merge key by key, lists of named mappings
(``interventions``) merge item by ``name``, anything else is replaced whole.
"""

from __future__ import annotations

import copy
import datetime
import difflib
import math
import os
import types
import typing
from collections.abc import Mapping
from io import StringIO
from pathlib import Path
from typing import Any, TypeGuard

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .problems import Problem, ScenarioError
from .schema import Scenario

Key = tuple[str | int, ...]
#: Where each key of the merged data came from: file (or ``--set``) and line.
Positions = dict[Key, tuple[str, int | None]]

#: Keys that say which kind of thing a mapping is; a mapping of another kind
#: replaces its base whole instead of merging into it.
TAGS = ("dist", "type")

#: Keys whose string value names a file, resolved relative to the file that says it.
FILE_KEYS = {"csv"}


# -- reading -------------------------------------------------------------------


def load_scenario(
    path: str | os.PathLike[str], overrides: Mapping[str, Any] | None = None
) -> Scenario:
    """Read, merge (``extends``), override and validate a scenario file."""
    data, positions = read_merged(Path(path))
    if overrides:
        positions.update(apply_overrides(data, overrides))
    return validate(data, positions, default_source=str(path))


def as_scenario(scenario: Scenario | str | os.PathLike[str]) -> Scenario:
    """``scenario`` itself, or the scenario file it names, loaded.

    What every function that takes "a scenario or a path" calls first.
    """
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, str | os.PathLike):
        return load_scenario(scenario)
    raise TypeError(
        f"expected a Scenario or the path of a scenario file, got {type(scenario).__name__}"
        + (" (use Scenario.model_validate for a mapping)" if isinstance(scenario, Mapping) else "")
    )


def read_merged(
    path: Path, _seen: tuple[Path, ...] = (), _read: dict | None = None
) -> tuple[dict, Positions]:
    """A scenario file's data with its ``extends`` chain merged in.

    Each file is parsed once per load, however often the chain names it
    (``alle-interventies`` reaches ``baseline.yaml`` through five provisions).
    """
    if _read is None:
        _read = {}
    data, positions = _read_once(path, _read)
    bases = data.pop("extends", None)
    if bases is None:
        return data, positions
    if isinstance(bases, str):
        bases = [bases]
    if not isinstance(bases, list) or not all(isinstance(b, str) for b in bases):
        raise ScenarioError([_at(positions, ("extends",), path, "expected a file name or list")])
    merged: dict = {}
    merged_positions: Positions = {}
    for base in bases:
        base_path = (path.parent / base).resolve()
        if base_path in _seen or base_path == path.resolve():
            chain = " -> ".join(p.name for p in (*_seen, path.resolve(), base_path))
            message = f"extends in a cycle: {chain}"
            raise ScenarioError([_at(positions, ("extends",), path, message)])
        if not base_path.is_file():
            problem = _at(positions, ("extends",), path, f"base file {base} not found")
            raise ScenarioError([problem])
        base_data, base_positions = read_merged(base_path, (*_seen, path.resolve()), _read)
        merged_positions = _merge_positions(merged, merged_positions, base_data, base_positions)
        merged = deep_merge(merged, base_data)
    positions = _merge_positions(merged, merged_positions, data, positions)
    return deep_merge(merged, data), positions


def _merge_positions(
    base: dict, base_positions: Positions, override: dict, override_positions: Positions
) -> Positions:
    """Positions after ``deep_merge(base, override)``: the base's lines survive only
    where the override merges into the base, not under a value it replaces whole."""
    kept = {k: v for k, v in base_positions.items() if not _replaced(k, base, override)}
    return {**kept, **override_positions}


def _replaced(key: Key, base: Any, override: Any) -> bool:
    """Whether ``override`` replaces (rather than merges into) ``base`` at or above ``key``."""
    for part in key:
        if not isinstance(override, dict) or part not in override:
            return False
        below = base.get(part) if isinstance(base, dict) else None
        over = override[part]
        if not (isinstance(over, dict) and isinstance(below, dict) and _same_kind(below, over)):
            return True
        base, override = below, over
    return False


def _read_once(path: Path, read: dict) -> tuple[dict, Positions]:
    """``read_yaml(path)``, parsed on the first call of a load; later calls get a
    copy (merging pops and shares what it is given)."""
    key = path.resolve()
    if key not in read:
        read[key] = read_yaml(path)
    data, positions = read[key]
    return copy.deepcopy(data), dict(positions)


def read_yaml(path: Path) -> tuple[dict, Positions]:
    """Plain data and the line of every key, from one YAML file."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem(source, None, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(source, None, "", f"cannot read file: {exc}")]) from None
    try:
        node = YAML(typ="rt").load(StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(str(m) for m in (exc.context, exc.problem) if m)
        raise ScenarioError([Problem(source, line, "", f"invalid YAML: {message}")]) from None
    except YAMLError as exc:
        raise ScenarioError([Problem(source, None, "", f"invalid YAML: {exc}")]) from None
    if node is None:
        node = {}
    if not isinstance(node, Mapping):
        raise ScenarioError([Problem(source, 1, "", "a scenario file must be a mapping of keys")])
    positions: Positions = {(): (source, 1)}
    data = _plain(node, (), positions, source, path.parent)
    return data, positions


def _plain(node: Any, key: Key, positions: Positions, source: str, folder: Path) -> Any:
    """Round-trip YAML nodes to plain Python, recording each key's line."""
    if isinstance(node, Mapping):
        out = {}
        for k, value in node.items():
            child = (*key, str(k))
            line = node.lc.key(k)[0] + 1 if hasattr(node, "lc") else None
            positions[child] = (source, line)
            out[str(k)] = _plain(value, child, positions, source, folder)
            if str(k) in FILE_KEYS and isinstance(out[str(k)], str):
                out[str(k)] = str(folder / out[str(k)])
        return out
    if isinstance(node, list):
        out_list = []
        for i, value in enumerate(node):
            child = (*key, i)
            line = node.lc.item(i)[0] + 1 if hasattr(node, "lc") else None
            positions[child] = (source, line)
            out_list.append(_plain(value, child, positions, source, folder))
        return out_list
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, datetime.date):  # a YAML date: ISO text, as JSON would hold it
        return node.isoformat()
    return node


def deep_merge(base: dict, override: dict) -> dict:
    """``base`` updated by ``override``; nested mappings merge, the rest is replaced."""
    merged = dict(base)
    for key, value in override.items():
        below = merged.get(key)
        if isinstance(value, dict) and isinstance(below, dict) and _same_kind(below, value):
            merged[key] = deep_merge(below, value)
        elif _named_items(value) and _named_items(below):
            merged[key] = _merge_by_name(below, value)
        else:
            merged[key] = value
    return merged


def _named_items(value: Any) -> TypeGuard[list[dict]]:
    return isinstance(value, list) and all(isinstance(v, dict) and "name" in v for v in value)


def _merge_by_name(base: list[dict], override: list[dict]) -> list[dict]:
    """Items with a ``name`` already in ``base`` merge into it; new names append."""
    merged = list(base)
    index = {item["name"]: i for i, item in enumerate(merged)}
    for item in override:
        i = index.get(item["name"])
        if i is None:
            index[item["name"]] = len(merged)
            merged.append(item)
        elif _same_kind(merged[i], item):
            merged[i] = deep_merge(merged[i], item)
        else:
            merged[i] = item
    return merged


def _same_kind(base: dict, override: dict) -> bool:
    return all(override.get(tag, base.get(tag)) == base.get(tag) for tag in TAGS)


# -- overrides -------------------------------------------------------------------


def parse_override(text: str) -> tuple[str, Any]:
    """``"team.fte=12"`` -> ``("team.fte", 12)``; the value is read as YAML."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ScenarioError([Problem("--set", None, text, "expected KEY=VALUE")])
    try:
        parsed = YAML(typ="safe").load(StringIO(value))
    except YAMLError:
        parsed = value
    return key.strip(), parsed if value.strip() else ""


def apply_overrides(data: dict, overrides: Mapping[str, Any]) -> Positions:
    """Set values in ``data`` by dotted path; returns their positions (``--set``)."""
    positions: Positions = {}
    for dotted, value in overrides.items():
        parts: list[str | int] = [int(p) if p.isdigit() else p for p in dotted.split(".")]
        node: Any = data
        for i, part in enumerate(parts[:-1]):
            nxt = parts[i + 1]
            if isinstance(node, list):
                if not isinstance(part, int) or part >= len(node):
                    raise ScenarioError([Problem("--set", None, dotted, "no such list item")])
            elif not isinstance(node.get(part), dict | list):
                node[part] = [] if isinstance(nxt, int) else {}
            node = node[part]
        last = parts[-1]
        if isinstance(node, list) and (not isinstance(last, int) or last >= len(node)):
            raise ScenarioError([Problem("--set", None, dotted, "no such list item")])
        node[last] = value
        positions[tuple(parts)] = ("--set", None)
    return positions


# -- validation --------------------------------------------------------------------


def validate(
    data: dict, positions: Positions | None = None, default_source: str = "<scenario>"
) -> Scenario:
    """Validate plain data as a :class:`Scenario`, reporting every problem at once."""
    positions = positions or {}
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(err, data, positions, default_source) for err in exc.errors()]
        raise ScenarioError(_in_order(problems)) from None
    problems = [
        _at(positions, key, default_source, message) for key, message in consistency(scenario)
    ]
    if problems:
        raise ScenarioError(_in_order(problems))
    return scenario


def _intervention_problems(s: Scenario) -> list[tuple[Key, str]]:
    out: list[tuple[Key, str]] = []
    themes = s.neighbourhood.themes
    seen: set[str] = set()
    for i, spec in enumerate(s.interventions):
        key: Key = ("interventions", i)
        if spec.name in seen:
            out.append(((*key, "name"), f"two interventions are called {spec.name!r}"))
        seen.add(spec.name)
        for theme in (*spec.themes, *getattr(spec, "prevention", {})):
            if theme not in themes:
                out.append(((*key, "themes"), f"unknown theme {theme!r}"))
        known = ", ".join(s.volunteers) or "none"
        for field in ("volunteers", "network_pool"):
            pool = getattr(spec, field, None)
            if pool is not None and pool not in s.volunteers:
                out.append(((*key, field), f"no volunteer pool {pool!r} ({known})"))
    for i, tender in enumerate(s.tenders):
        for name in tender.interventions:
            if name not in seen:
                out.append((("tenders", i, "interventions"), f"no intervention {name!r}"))
    for i, shock in enumerate(s.shocks):
        for theme in shock.themes:
            if theme not in themes:
                out.append((("shocks", i, "themes"), f"unknown theme {theme!r}"))
    if isinstance(s.costs.heavier_care, dict):
        for theme in s.costs.heavier_care:
            if theme not in themes:
                out.append((("costs", "heavier_care", theme), f"unknown theme {theme!r}"))
    team = s.team
    if team.disciplines is None:
        if team.collective_hours_per_week > team.fte * team.hours_per_fte_per_week:
            out.append((("team", "collective_hours_per_week"), "more than the team's hours"))
    else:
        out.extend(_discipline_problems(team, themes))
    if team.squeeze and team.squeeze.release_below > team.squeeze.waiting_list_above:
        out.append((("team", "squeeze"), "release_below must not exceed waiting_list_above"))
    return out


def _in_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.source, p.line or 0, p.path))


def consistency(s: Scenario) -> list[tuple[Key, str]]:
    """Problems that span several keys (severity names, shares that must add up)."""
    out: list[tuple[Key, str]] = []
    severities = list(s.severities)
    known = ", ".join(severities)
    if not severities:
        out.append((("team", "case_weight"), "name at least one severity"))

    def check_names(key: Key, names, *, complete: bool) -> None:
        for name in names:
            if name not in severities:
                out.append(((*key, name), f"unknown severity (team.case_weight has {known})"))
        missing = [x for x in severities if x not in names]
        if complete and missing:
            out.append((key, f"missing severities: {', '.join(missing)}"))

    def check_mix(key: Key, mix: Mapping[str, float]) -> None:
        check_names(key, mix, complete=False)
        if not math.isclose(sum(mix.values()), 1.0, abs_tol=1e-6):
            out.append((key, f"shares must add up to 1 (they add up to {sum(mix.values()):g})"))

    hood, team = s.neighbourhood, s.team
    if "all" in hood.themes:
        out.append((("neighbourhood", "themes", "all"), "'all' is reserved for totals"))
    check_names(("team", "contact_hours_per_week"), team.contact_hours_per_week, complete=True)
    check_mix(("neighbourhood", "severity_mix"), hood.severity_mix)
    check_names(("neighbourhood", "duration"), hood.duration, complete=True)
    if team.priority is not None:
        check_names(("team", "priority"), team.priority, complete=True)
    for name, theme in hood.themes.items():
        key = ("neighbourhood", "themes", name)
        if theme.severity_mix is not None:
            check_mix((*key, "severity_mix"), theme.severity_mix)
        if theme.duration is not None:
            check_names((*key, "duration"), theme.duration, complete=False)
        profile = theme.monthly_profile
        if profile is not None and (len(profile) != 12 or sum(profile) <= 0):
            out.append(((*key, "monthly_profile"), "give 12 factors, not all zero"))
    if s.warmup >= s.horizon:
        out.append((("warmup",), "the warm-up must be shorter than the horizon"))
    init = s.initial_state
    if init.csv is not None and (init.caseload or init.waiting_list):
        out.append((("initial_state",), "give counts or a CSV file, not both"))
    out.extend(_intervention_problems(s))
    for row in init.rows:
        if row.theme not in hood.themes:
            out.append(
                (("initial_state", "csv"), f"{init.csv}:{row.line}: unknown theme {row.theme!r}")
            )
        if row.severity not in severities:
            out.append(
                (
                    ("initial_state", "csv"),
                    f"{init.csv}:{row.line}: unknown severity {row.severity!r}",
                )
            )
    return out


def _discipline_problems(team, themes) -> list[tuple[Key, str]]:
    """Disciplines take known themes, fallback names disciplines, every theme is taken."""
    out: list[tuple[Key, str]] = []
    disciplines = team.disciplines
    for name, discipline in disciplines.items():
        for theme in discipline.themes:
            if theme not in themes:
                out.append((("team", "disciplines", name, "themes"), f"unknown theme {theme!r}"))
    for name in team.fallback:
        if name not in disciplines:
            known = ", ".join(disciplines)
            out.append((("team", "fallback"), f"no discipline {name!r} ({known})"))
    for theme in themes:
        takes = [n for n, d in disciplines.items() if not d.themes or theme in d.themes]
        if not takes and not team.fallback:
            out.append((("team", "disciplines"), f"no discipline takes theme {theme!r}"))
    return out


def _problem(
    err: Mapping[str, Any], data: Any, positions: Positions, default_source: str
) -> Problem:
    key = _data_key(err["loc"], data)
    kind, message = err["type"], err["msg"]
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "extra_forbidden":
        message = "unknown key"
        known = _known_keys(key[:-1], data)
        close = difflib.get_close_matches(str(key[-1]), known, n=1)
        if close:
            message += f"; did you mean '{close[0]}'?"
        elif known:
            message += f" (expected one of: {', '.join(known)})"
    elif kind == "missing":
        message = "required key is missing"
    elif kind == "union_tag_invalid":
        message = f"unknown distribution; {message.split(': ', 1)[-1]}"
    return _at(positions, key, default_source, message)


def _data_key(loc: tuple, data: Any) -> Key:
    """The path of ``loc`` in the data: drops union tags that pydantic inserts."""
    key: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        ):
            node = node[part]
            key.append(part)
        elif i == len(loc) - 1 and not _is_tag(node, part):
            key.append(part)
    return tuple(key)


def _is_tag(node: Any, part: object) -> bool:
    """Pydantic names the member of a tagged union in ``loc``; it is not a key."""
    return isinstance(node, dict) and any(node.get(tag) == part for tag in TAGS)


def _at(positions: Positions, key: Key, default_source: str | Path, message: str) -> Problem:
    """A problem located at the nearest known line of ``key`` or its parents."""
    for n in range(len(key), -1, -1):
        if key[:n] in positions:
            source, line = positions[key[:n]]
            break
    else:
        source, line = str(default_source), None
    return Problem(source, line, ".".join(str(k) for k in key), message)


def _known_keys(key: Key, data: Any) -> list[str]:
    """Field names of the model found at ``key`` (for 'did you mean')."""
    model: Any = Scenario
    node: Any = data
    for part in key:
        # a list is indexed by position, a mapping by name: the key's parts say which
        node = node[part] if isinstance(node, dict | list) else None  # type: ignore[index]
        model = _field_type(model, part, node)
        if model is None:
            return []
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or name for name, f in model.model_fields.items()]
    return []


def _field_type(model: Any, part: str | int, node: Any) -> Any:
    if isinstance(model, type) and issubclass(model, BaseModel):
        field = model.model_fields.get(str(part))
        return _unwrap(field.annotation, node) if field else None
    origin = typing.get_origin(model)
    args = typing.get_args(model)
    if origin is dict and len(args) == 2:
        return _unwrap(args[1], node)
    if origin is tuple and args:
        return _unwrap(args[0], node)
    return None


def _unwrap(tp: Any, node: Any) -> Any:
    """Strip Annotated/Optional and pick the union member that the data names."""
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    members = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        for member in members:
            inner = _unwrap(member, node)
            tag = getattr(inner, "model_fields", {}).get("dist")
            if tag is not None and isinstance(node, dict) and node.get("dist") == tag.default:
                return inner
        return _unwrap(members[0], node) if len(members) == 1 else None
    return tp
