"""Values set by dotted path (``--set team.fte=12``, ``with_overrides``).

A list of named items (``interventions``) is addressed by index or by name:
``interventions.SchuldHulpMaatje.stop``. A value given as text is read as
YAML, as ruamel.yaml's safe loader read it (a date is a ``datetime.date``
here, a list a list); what is not YAML stays the text.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from . import yaml12
from .positions import Positions
from .problems import Problem, ScenarioError, did_you_mean

if TYPE_CHECKING:  # PyYAML is imported when a value is read (--set)
    from yaml.nodes import Node


def parse_override(text: str) -> tuple[str, Any]:
    """``"team.fte=12"`` -> ``("team.fte", 12)``; the value is read as YAML."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ScenarioError([Problem("--set", None, text, "expected KEY=VALUE")])
    return key.strip(), read_value(value) if value.strip() else ""


def read_value(text: str) -> Any:
    """``text`` read as one YAML value (``text`` itself if it is not YAML).

    Plain values (numbers, text, dates, lists and mappings of them) are read
    by :mod:`.yaml12`; anything else (tags, aliases, merge keys, duplicate
    keys, text PyYAML cannot parse) by ruamel.yaml's safe loader, which gave
    every value before.
    """
    from yaml.error import YAMLError

    from .composer import compose

    try:
        node, version = compose(text)
    except RecursionError:
        return text
    except YAMLError:  # ruamel may read it still (a lone ":" is a mapping to it)
        return _ruamel_load(text)
    if node is None:
        return None
    try:
        return _Value(version).build(node)
    except _NotPlain:
        return _ruamel_load(text)


class _NotPlain(Exception):
    """A value the plain reading does not cover."""


class _Value:
    def __init__(self, version: yaml12.Version):
        self.version = version
        self.seen: set[int] = set()

    def build(self, node: Node) -> Any:
        if id(node) in self.seen:  # an alias
            raise _NotPlain
        self.seen.add(id(node))
        tag, kind = node.tag, node.id
        if kind == "scalar":
            if tag not in _SCALARS:
                raise _NotPlain
            try:
                return yaml12.construct(tag, node.value, self.version)
            except (ValueError, OverflowError):
                raise _NotPlain from None
        if kind == "sequence" and tag == yaml12.SEQ:
            return [self.build(item) for item in node.value]
        if kind == "mapping" and tag == yaml12.MAP:
            out: dict[Any, Any] = {}
            for k, v in node.value:
                key = self.build(k)
                if k.id != "scalar" or k.tag == yaml12.MERGE or key in out:
                    raise _NotPlain
                out[key] = self.build(v)
            return out
        raise _NotPlain


_SCALARS = {yaml12.STR, yaml12.INT, yaml12.FLOAT, yaml12.BOOL, yaml12.NULL, yaml12.TIMESTAMP}


def _ruamel_load(text: str) -> Any:
    from io import StringIO

    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError as RuamelError

    try:
        return YAML(typ="safe").load(StringIO(text))
    except RuamelError:
        return text


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


def apply_overrides(
    data: dict, overrides: Mapping[str, Any], lists: Collection[str] = ()
) -> Positions:
    """Set values in ``data`` by dotted path; returns their positions (``--set``).

    ``lists`` names the keys whose value is a list of named items: a name under
    one the data does not have is refused in words.
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
                if i == 0 and part in lists and not isinstance(parts[1], int):
                    message = f"no item named {parts[1]!r}: the scenario has no {part}"
                    raise ScenarioError([Problem("--set", None, dotted, message)])
                _not_a_slip(node, part, parts[:i], dotted)
                node[part] = [] if isinstance(parts[i + 1], int) else {}
                positions[tuple(parts[: i + 1])] = ("--set", None)  # --set made it, not a file
            node = node[part]
        if not isinstance(node, dict | list):
            raise ScenarioError([Problem("--set", None, dotted, "no such key")])
        node[parts[-1]] = value  # type: ignore[index]  # an int where node is a list
        positions[tuple(parts)] = ("--set", None)
    return positions


def _not_a_slip(node: dict, part: str | int, above: list, dotted: str) -> None:
    """Refuse a new named item made by parts (``neighbourhood.themes.debtz.x``)
    whose name is close to one the scenario has: every name is valid in a map
    of named items (themes, pools, disciplines), so the schema would take the
    slip as a new item and leave the one meant unchanged."""
    if part in node or not node or not all(isinstance(v, dict) for v in node.values()):
        return
    hint = did_you_mean(part, node)
    if hint:
        where = ".".join(str(p) for p in above) or "the scenario"
        message = (
            f"{where} has no {part!r}{hint} (to add a new one, give it whole: "
            f"{'.'.join(str(p) for p in [*above, part])}={{...}})"
        )
        raise ScenarioError([Problem("--set", None, dotted, message)])


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
