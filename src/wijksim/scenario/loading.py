"""Reading scenario files, with every problem reported at once and by line.

A problem reads ``path/to/file.yaml:LINE: dotted.key.path: what is wrong``.
``extends: base.yaml`` (relative to the file; or a list of files, merged in
order) deep-merges a base: mappings merge key by key, lists of named mappings
(``interventions``) merge item by ``name``, anything else is replaced whole.
"""

from __future__ import annotations

import copy
import datetime
import os
import re
import types
import typing
from collections.abc import Mapping
from io import StringIO
from pathlib import Path
from typing import Any, TypeGuard

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .base import DUTCH_THOUSANDS, DottedNumber
from .designs import Range
from .files import MAX_SCENARIO_BYTES, UnreadableFile, checked_path, read_text
from .interventions import NAMES_IN_BASE, REGISTRY, InterventionSpec
from .problems import Problem, ScenarioError, did_you_mean
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
    if isinstance(path, bytes) or not isinstance(path, str | os.PathLike):
        raise TypeError(f"expected the path of a scenario file, not {type(path).__name__}")
    check_overrides(overrides, none=True)
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
        if "\0" in base:
            problem = _at(positions, ("extends",), path, "a file name cannot hold a NUL character")
            raise ScenarioError([problem])
        base_path = (path.parent / base).resolve()
        if base_path in _seen or base_path == path.resolve():
            chain = " -> ".join(p.name for p in (*_seen, path.resolve(), base_path))
            message = f"extends in a cycle: {chain}"
            raise ScenarioError([_at(positions, ("extends",), path, message)])
        try:
            checked_path(base_path, MAX_SCENARIO_BYTES)
        except UnreadableFile as exc:
            problem = _at(positions, ("extends",), path, f"base file {_shown(base)}: {exc}")
            raise ScenarioError([problem]) from None
        _check_scenario_file(base_path, base, positions, path)
        base_data, base_positions = read_merged(base_path, (*_seen, path.resolve()), _read)
        if base_data and not any(key in SCENARIO_KEYS for key in base_data):  # nothing of it shown
            problem = _at(positions, ("extends",), path, f"{_shown(base)}: {NOT_A_SCENARIO}")
            raise ScenarioError([problem])
        merged_positions = _merge_positions(merged, merged_positions, base_data, base_positions)
        merged = deep_merge(merged, base_data)
    positions = _merge_positions(merged, merged_positions, data, positions)
    return deep_merge(merged, data), positions


#: Keys that mark a file as a scenario (``name`` and ``description`` do not:
#: many YAML files have those).
SCENARIO_KEYS = {f.alias or name for name, f in Scenario.model_fields.items()} - {
    "name",
    "description",
} | {"extends"}
NOT_A_SCENARIO = "not a scenario file (a .yaml file with scenario keys such as horizon or team)"


def _check_scenario_file(base_path: Path, base: str, positions: Positions, path: Path) -> None:
    """Refuse a base that is not a YAML file before reading it: nothing of an
    arbitrary file (its lines, its keys) may reach a message."""
    if base_path.suffix.lower() not in (".yaml", ".yml"):
        problem = _at(positions, ("extends",), path, f"{_shown(base)}: {NOT_A_SCENARIO}")
        raise ScenarioError([problem])


def _shown(name: str) -> str:
    """A file name as a message may show it (control characters escaped)."""
    return repr(name)[1:-1] if not name.isprintable() else name


def _merge_positions(
    base: dict, base_positions: Positions, override: dict, override_positions: Positions
) -> Positions:
    """Positions after ``deep_merge(base, override)``: the base's lines survive only
    where the override merges into the base, not under a value it replaces whole."""
    kept = {k: v for k, v in base_positions.items() if not _replaced(k, base, override)}
    moved = _moved_items(base, override)
    return {**kept, **{_moved(k, moved): v for k, v in override_positions.items()}}


def _moved_items(base: Any, override: Any, at: Key = ()) -> dict[Key, Key]:
    """Where ``deep_merge`` puts the override's items of lists merged by name:
    ``at + (key, index in the override)`` -> ``at + (key, index in the result)``."""
    moved: dict[Key, Key] = {}
    if not (isinstance(base, dict) and isinstance(override, dict)):
        return moved
    for key, value in override.items():
        below = base.get(key)
        if isinstance(value, dict) and isinstance(below, dict) and _same_kind(below, value):
            moved |= _moved_items(below, value, (*at, key))
        elif _named_items(value) and _named_items(below):
            for j, i in enumerate(_slots(below, value)):
                moved[(*at, key, j)] = (*at, key, i)
    return moved


def _moved(key: Key, moved: dict[Key, Key]) -> Key:
    for n in range(len(key), 0, -1):
        if key[:n] in moved:
            return moved[key[:n]] + key[n:]
    return key


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


#: Most values a scenario file may expand to (aliases included): far above any
#: real scenario, far below what an alias bomb would make.
MAX_VALUES = 100_000
#: Deepest nesting of mappings and lists in a scenario file.
MAX_DEPTH = 50


def read_yaml(path: Path) -> tuple[dict, Positions]:
    """Plain data and the line of every key, from one YAML file.

    Only regular files of a sane size are read; anchors, aliases and merge keys
    (``<<: *defaults``) work, within :data:`MAX_VALUES` values and
    :data:`MAX_DEPTH` levels; tags other than YAML's plain types are refused.
    """
    source = str(path)
    try:
        text = read_text(path)
    except UnreadableFile as exc:
        raise ScenarioError([Problem(source, None, "", str(exc))]) from None
    loader = YAML(typ="safe", pure=True)
    try:
        # composed, not constructed: nodes keep their lines, nothing is built from
        # a tag, and the round-trip loader's comment keeping is not paid for (it
        # took ~1.4x as long)
        node = loader.compose(StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(str(m) for m in (exc.context, exc.problem) if m)
        raise ScenarioError([Problem(source, line, "", f"invalid YAML: {message}")]) from None
    except YAMLError as exc:
        raise ScenarioError([Problem(source, None, "", f"invalid YAML: {exc}")]) from None
    except RecursionError:
        message = f"nested too deeply (at most {MAX_DEPTH} levels)"
        raise ScenarioError([Problem(source, None, "", message)]) from None
    positions: Positions = {(): (source, 1)}
    if node is None:
        return {}, positions
    if not isinstance(node, MappingNode):
        raise ScenarioError([Problem(source, 1, "", "a scenario file must be a mapping of keys")])
    data = _Plain(positions, source, path.parent, loader.constructor).convert(node, ())
    return data, positions


_YAML = "tag:yaml.org,2002:"
#: Tags of the plain YAML types, the only ones a scenario may use.
_PLAIN = {f"{_YAML}{t}" for t in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")}


class _Plain:
    """YAML nodes to plain Python, recording each key's line, with limits on
    size and depth (an alias bomb, a self-referencing alias)."""

    def __init__(self, positions: Positions, source: str, folder: Path, constructor: Any):
        self.positions, self.source, self.folder = positions, source, folder
        self.constructor = constructor  # for scalars of the plain types only
        self.values = 0
        self.open: set[int] = set()  # containers being converted (a cycle test)

    def refuse(self, key: Key, message: str) -> ScenarioError:
        return ScenarioError([_at(self.positions, key, self.source, message)])

    def convert(self, node: Node, key: Key) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            raise self.refuse(key, f"more than {MAX_VALUES:,} values (aliases expanding?)")
        if len(key) > MAX_DEPTH:
            raise self.refuse(key, f"nested too deeply (at most {MAX_DEPTH} levels)")
        if node.tag not in _PLAIN:
            tag = str(node.tag).replace(_YAML, "!!")
            raise self.refuse(key, f"YAML tag {tag} is not supported: write a plain value")
        if isinstance(node, MappingNode | SequenceNode):
            if id(node) in self.open:
                raise self.refuse(key, "an alias refers to itself")
            self.open.add(id(node))
            try:
                if isinstance(node, MappingNode):
                    return self._mapping(node, key)
                return self._list(node, key)
            finally:
                self.open.discard(id(node))
        return self._scalar(node, key)

    def _scalar(self, node: Node, key: Key) -> Any:
        if node.tag == f"{_YAML}str":
            return str(node.value)
        try:
            value = self.constructor.construct_object(node)
        except (YAMLError, ValueError, OverflowError) as exc:
            raise self.refuse(key, f"not a value YAML can read: {exc}") from None
        if isinstance(value, datetime.date):  # an unquoted 2026-01-01
            return value.isoformat()
        if isinstance(value, float):
            return _float(value, str(node.value))
        return value  # bool, int or None

    def _mapping(self, node: MappingNode, key: Key) -> dict:
        out: dict[str, Any] = {}
        lines: dict[str, int] = {}
        merged: list[tuple[Node, Node]] = []  # from <<: they take the mapping's line
        for k, value in node.value:
            if k.tag == f"{_YAML}merge":
                for base in value.value if isinstance(value, SequenceNode) else [value]:
                    if not isinstance(base, MappingNode):
                        raise self.refuse(key, "<< merges a mapping (or a list of them)")
                    merged.extend(base.value)
                continue
            name = self._key(k, key)
            if name in lines:
                line, first = k.start_mark.line + 1, lines[name]
                message = f"invalid YAML: duplicate key {name!r} (first at line {first})"
                raise ScenarioError([Problem(self.source, line, "", message)])
            lines[name] = k.start_mark.line + 1
            out[name] = self._child(value, key, name, lines[name])
        for k, value in merged:  # what the mapping does not say itself; the first merge wins
            name = self._key(k, key)
            if name not in out:
                line = self.positions.get(key, (self.source, None))[1]
                out[name] = self._child(value, key, name, line)
        return out

    def _key(self, node: Node, key: Key) -> str:
        if not isinstance(node, ScalarNode) or node.tag not in _PLAIN - {f"{_YAML}null"}:
            raise self.refuse(key, "a key must be a plain name")
        return str(self._scalar(node, key))

    def _child(self, value: Node, key: Key, name: str, line: int | None) -> Any:
        child = (*key, name)
        self.positions[child] = (self.source, line)
        converted = self.convert(value, child)
        if name in FILE_KEYS and isinstance(converted, str):
            converted = str(self.folder / converted)
        return converted

    def _list(self, node: SequenceNode, key: Key) -> list:
        out = []
        for i, value in enumerate(node.value):
            child = (*key, i)
            self.positions[child] = (self.source, value.start_mark.line + 1)
            out.append(self.convert(value, child))
        return out


def _float(value: float, text: str) -> float:
    """A YAML float; one written like Dutch thousands (``12.000``) keeps its text."""
    written = text.strip()
    if DUTCH_THOUSANDS.match(written):
        return DottedNumber(value, written.lstrip("+"))
    return value


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


def _slots(base: list[dict], override: list[dict]) -> list[int]:
    """Where each item of ``override`` goes when merged by name: the index of the
    base item of its name (the last, if several), or a new one after the rest."""
    index = {item["name"]: i for i, item in enumerate(base)}
    size, slots = len(base), []
    for item in override:
        if item["name"] not in index:
            index[item["name"]] = size
            size += 1
        slots.append(index[item["name"]])
    return slots


def _merge_by_name(base: list[dict], override: list[dict]) -> list[dict]:
    """Items with a ``name`` already in ``base`` merge into it; new names append."""
    merged = list(base)
    typed = any("type" in item for item in base)
    for item, i in zip(override, _slots(base, override), strict=True):
        if i == len(merged):
            if typed and "type" not in item:  # a misspelled name? (see interventions.py)
                item = {**item, NAMES_IN_BASE: [b["name"] for b in base]}
            merged.append(item)
        elif _same_kind(merged[i], item):
            merged[i] = deep_merge(merged[i], item)
        else:
            merged[i] = item
    return merged


_MOMENTS, _QUANTILES = {"mean", "sd"}, {"median", "p90"}


def _same_kind(base: dict, override: dict) -> bool:
    """Whether ``override`` merges into ``base`` rather than replacing it: of the
    same ``dist``/``type``, and not a lognormal given by mean and sd over one by
    median and p90 (or the other way round), which must not mix."""
    for own, other in ((_MOMENTS, _QUANTILES), (_QUANTILES, _MOMENTS)):
        if own & override.keys() and other & base.keys() and not other & override.keys():
            return False
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


def check_overrides(overrides: object, *, none: bool = False) -> None:
    """A ``TypeError`` in words unless ``overrides`` is a mapping from dotted
    path (text) to value (or, with ``none``, None)."""
    if overrides is None and none:
        return
    if not isinstance(overrides, Mapping):
        raise TypeError(
            "overrides must be a mapping from dotted path to value, e.g. {'team.fte': 12}, "
            f"not {type(overrides).__name__}"
        )
    for key in overrides:
        if not isinstance(key, str) or not key.strip():
            raise TypeError(
                f"an override's key is a dotted path such as 'team.fte', not {key!r:.80}"
            )
        if not all(part.strip() for part in key.split(".")):
            raise ValueError(f"an override's dotted path has an empty part: {key!r:.80}")


def apply_overrides(data: dict, overrides: Mapping[str, Any]) -> Positions:
    """Set values in ``data`` by dotted path; returns their positions (``--set``).

    A list of named items (``interventions``) is addressed by index or by name:
    ``interventions.SchuldHulpMaatje.stop``.
    """
    check_overrides(overrides)
    positions: Positions = {}
    for dotted, value in overrides.items():
        parts: list[str | int] = [int(p) if p.isdigit() else p for p in dotted.split(".")]
        node: Any = data
        for i, part in enumerate(parts):
            if isinstance(node, list):
                parts[i] = part = _list_index(node, part, dotted)
            if i == len(parts) - 1:
                break
            if isinstance(node, dict) and not isinstance(node.get(part), dict | list):
                if i == 0 and part in _LISTS and not isinstance(parts[1], int):
                    message = f"no item named {parts[1]!r}: the scenario has no {part}"
                    raise ScenarioError([Problem("--set", None, dotted, message)])
                node[part] = [] if isinstance(parts[i + 1], int) else {}
                positions[tuple(parts[: i + 1])] = ("--set", None)  # --set made it, not a file
            node = node[part]
        if not isinstance(node, dict | list):
            raise ScenarioError([Problem("--set", None, dotted, "no such key")])
        node[parts[-1]] = value  # type: ignore[index]  # an int where node is a list
        positions[tuple(parts)] = ("--set", None)
    return positions


#: The scenario's lists of items (addressed by index or by name in ``--set``).
_LISTS = {
    name for name, f in Scenario.model_fields.items() if typing.get_origin(f.annotation) is tuple
}


def _list_index(items: list, part: str | int, dotted: str) -> int:
    """The index of ``part`` in ``items``: an index, or the ``name`` of an item."""
    if isinstance(part, int) and part < len(items):
        return part
    names = [item.get("name") for item in items if isinstance(item, dict)]
    if part in names:
        return names.index(part)
    named = [str(n) for n in names if n is not None]
    known = f"{did_you_mean(part, named)} (names: {', '.join(named)})" if named else ""
    raise ScenarioError([Problem("--set", None, dotted, f"no such list item{known}")])


def whole_number_path(scenario: Scenario, dotted: str) -> bool:
    """Whether the value at ``dotted`` (``volunteers.bezoekers.size``,
    ``interventions.0.capacity``) must be a whole number, by the schema."""
    model: Any = Scenario
    node: Any = scenario.to_dict()
    for text in dotted.split("."):
        part: str | int = int(text) if text.isdigit() else text
        if isinstance(node, list) and isinstance(part, str):  # a named item
            names = [item.get("name") if isinstance(item, dict) else None for item in node]
            part = names.index(part) if part in names else part
        try:
            node = node[part] if isinstance(node, dict | list) else None  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            node = None
        model = _field_type(model, part, node)
        if model is None:
            return False
    return model is int


def path_problem(data: Mapping[str, Any], dotted: str) -> str | None:
    """What is wrong with ``dotted`` as the path of a value of the scenario
    ``data`` (an ``uncertain:`` value, a sweep's parameter), or None.

    A key the schema does not know (``team.ftee``) is wrong. A named item that
    is not there (a provision the scenario leaves out) is not: a scenario may
    drop a provision and keep the uncertain values of its effects (they are
    refused, by name, only if an experiment is run with them)."""
    model: Any = Scenario
    node: Any = data
    parts = dotted.split(".")
    for depth, text in enumerate(parts):
        part: str | int = int(text) if text.isdigit() else text
        where = ".".join(parts[:depth]) or "the scenario"
        if isinstance(node, list):
            names = [item.get("name") if isinstance(item, dict) else None for item in node]
            if part in names:
                part = names.index(part)
            elif not (isinstance(part, int) and part < len(node)):
                return None  # an item left out: its type, and so its keys, unknown
            found: Any = node[part]
        elif isinstance(node, dict):
            found = node.get(part)
        elif node is None:
            found = None
        else:
            return f"{where} is a single value: it has no {text!r}"
        own = _own_type(model, node if isinstance(node, dict) else None)
        if isinstance(own, type) and issubclass(own, BaseModel):
            fields = [f.alias or name for name, f in own.model_fields.items()]
            if part not in fields:
                return f"{where} has no key {text!r}{did_you_mean(text, fields)}"
        model = _field_type(model, part, found)
        if model is None:
            return None  # below a value whose type the data does not tell
        node = found
    return None


def whole_ranges(scenario: Scenario, ranges: Mapping[str, Range]) -> dict[str, Range]:
    """``ranges``, those over a whole-number parameter (a pool's ``size``, an
    intervention's ``capacity``) rounding every value they give to a whole number."""
    return {
        path: spec.model_copy(update={"integer": True})
        if not spec.integer and spec.unit is None and whole_number_path(scenario, path)
        else spec
        for path, spec in ranges.items()
    }


# -- validation --------------------------------------------------------------------


def validate(
    data: dict, positions: Positions | None = None, default_source: str = "<scenario>"
) -> Scenario:
    """Validate plain data as a :class:`Scenario`, reporting every problem at once:
    the schema's and those across keys (:mod:`.rules`), each at its line."""
    positions = positions or {}
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(err, data, positions, default_source) for err in exc.errors()]
        raise ScenarioError(_in_order(problems)) from None


def _in_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.source, p.line or 0, p.path))


def _problem(
    err: Mapping[str, Any], data: Any, positions: Positions, default_source: str
) -> Problem:
    key = _data_key(err["loc"], data)
    kind, message = err["type"], err["msg"]
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "extra_forbidden":
        known = _known_keys(key[:-1], data)
        message = "unknown key" + did_you_mean(key[-1], known)
        if known and message == "unknown key":
            message += f" (expected one of: {', '.join(known)})"
    elif kind == "missing":
        message = "required key is missing"
    elif kind == "union_tag_invalid":
        message = f"unknown distribution; {message.split(': ', 1)[-1]}"
    elif kind in ("model_type", "dict_type"):
        message = "expected a mapping of keys"
        if isinstance(err.get("input"), str):
            message += _missing_colon(err["input"])
    return _at(positions, key, default_source, message)


_KEY_VALUE = re.compile(r"\s*([A-Za-z_][\w.]*)\s+(\S.*)")


def _missing_colon(text: str) -> str:
    """A hint when a mapping was expected and ``text`` reads like ``key value``
    (a line such as ``fte 7`` lacks the colon that makes it a key)."""
    found = _KEY_VALUE.fullmatch(text)
    if found is None:
        return ""
    key, value = found.groups()
    value = value.split()[0]
    return f"; a colon missing? write '{key}: {value}', not '{key} {value}'"


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
    model = _own_type(model, node)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or name for name, f in model.model_fields.items()]
    return []


def _own_type(model: Any, node: Any) -> Any:
    """The class registered for the ``type`` an intervention names (its own keys),
    else ``model``."""
    if isinstance(model, type) and issubclass(model, InterventionSpec) and isinstance(node, dict):
        kind = node.get("type")
        return REGISTRY.get(kind, model) if isinstance(kind, str) else model
    return model


def _field_type(model: Any, part: str | int, node: Any) -> Any:
    model = _own_type(model, node)
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
