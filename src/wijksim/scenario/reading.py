"""One YAML file to plain data and the line of every key, within limits.

Only regular files of a sane size are read (:mod:`.files`); anchors, aliases
and merge keys (``<<: *defaults``) work, within :data:`MAX_VALUES` values and
:data:`MAX_DEPTH` levels; tags other than YAML's plain types are refused;
every problem names the file and line.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import yaml12
from .base import DUTCH_THOUSANDS, DottedNumber
from .files import UnreadableFile, read_text
from .positions import Key, Positions, located
from .problems import Problem, ScenarioError

if TYPE_CHECKING:  # PyYAML is imported when a file is read: a run from a Scenario needs none
    from yaml.nodes import MappingNode, Node, SequenceNode

#: Most values a scenario file may expand to (aliases included): far above any
#: real scenario, far below what an alias bomb would make.
MAX_VALUES = 100_000
#: Deepest nesting of mappings and lists in a scenario file.
MAX_DEPTH = 50

#: Keys whose string value names a file, resolved relative to the file that says it.
FILE_KEYS = {"csv"}

#: Tags of the plain YAML types, the only ones a scenario may use.
PLAIN = {
    f"{yaml12.YAML}{t}" for t in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
}
_KEY_TAGS = PLAIN - {yaml12.NULL}


def read_yaml(path: Path) -> tuple[dict, Positions]:
    """Plain data and the line of every key, from one YAML file."""
    source = str(path)
    try:
        text = read_text(path)
    except UnreadableFile as exc:
        raise ScenarioError([Problem(source, None, "", str(exc))]) from None
    node, version = compose_text(text, source)
    positions: Positions = {(): (source, 1)}
    if node is None:
        return {}, positions
    if node.id != "mapping":
        raise ScenarioError([Problem(source, 1, "", "a scenario file must be a mapping of keys")])
    data = _Plain(positions, source, path.parent, version).convert(node, ())
    return data, positions


def compose_text(text: str, source: str) -> tuple[Node | None, yaml12.Version]:
    """:func:`.composer.compose`, its failures as a located :class:`ScenarioError`."""
    from yaml.error import MarkedYAMLError, YAMLError
    from yaml.reader import ReaderError

    from .composer import compose

    try:
        return compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(str(m) for m in (exc.context, exc.problem) if m)
        raise ScenarioError([Problem(source, line, "", f"invalid YAML: {message}")]) from None
    except ReaderError as exc:  # a character YAML does not allow: a binary file?
        line = text.count("\n", 0, exc.position) + 1
        bad = chr(exc.character) if isinstance(exc.character, int) else exc.character
        message = f"invalid YAML: character {bad!r} is not allowed in YAML"
        raise ScenarioError([Problem(source, line, "", message)]) from None
    except YAMLError as exc:
        raise ScenarioError([Problem(source, None, "", f"invalid YAML: {exc}")]) from None
    except RecursionError:
        message = f"nested too deeply (at most {MAX_DEPTH} levels)"
        raise ScenarioError([Problem(source, None, "", message)]) from None


class _Plain:
    """YAML nodes to plain Python, recording each key's line, with limits on
    size and depth (an alias bomb, a self-referencing alias)."""

    def __init__(self, positions: Positions, source: str, folder: Path, version: yaml12.Version):
        self.positions, self.source, self.folder = positions, source, folder
        self.version = version
        self.values = 0
        self.open: set[int] = set()  # containers being converted (a cycle test)

    def refuse(self, key: Key, message: str) -> ScenarioError:
        return ScenarioError([located(self.positions, key, self.source, message)])

    def convert(self, node: Node, key: Key) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            raise self.refuse(key, f"more than {MAX_VALUES:,} values (aliases expanding?)")
        if len(key) > MAX_DEPTH:
            raise self.refuse(key, f"nested too deeply (at most {MAX_DEPTH} levels)")
        tag = node.tag
        if tag not in PLAIN:
            shown = str(tag).replace(yaml12.YAML, "!!")
            raise self.refuse(key, f"YAML tag {shown} is not supported: write a plain value")
        kind = node.id  # "scalar", "sequence" or "mapping"
        if kind == "scalar":
            return self._scalar(node, key)
        if id(node) in self.open:
            raise self.refuse(key, "an alias refers to itself")
        self.open.add(id(node))
        try:
            if kind == "mapping":
                return self._mapping(node, key)
            return self._list(node, key)
        finally:
            self.open.discard(id(node))

    def _scalar(self, node: Node, key: Key) -> Any:
        tag, text = node.tag, node.value
        if tag == yaml12.STR:
            return text
        try:
            value = yaml12.construct(tag, text, self.version)
        except (ValueError, OverflowError) as exc:
            raise self.refuse(key, f"not a value YAML can read: {exc}") from None
        if isinstance(value, datetime.date):  # an unquoted 2026-01-01
            return value.isoformat()
        if isinstance(value, float):
            return _float(value, text)
        return value  # bool, int, None (or an empty dict or list: !!map x)

    def _mapping(self, node: MappingNode, key: Key) -> dict:
        out: dict[str, Any] = {}
        lines: dict[str, int] = {}
        merged: list[tuple[Node, Node]] = []  # from <<: they take the mapping's line
        for k, value in node.value:
            if k.tag == yaml12.MERGE:
                for base in value.value if value.id == "sequence" else [value]:
                    if base.id != "mapping":
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
        if node.id != "scalar" or node.tag not in _KEY_TAGS:
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
