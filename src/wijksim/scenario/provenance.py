"""Where each value of a scenario file comes from, and what its comment says.

A report shows every parameter that differs from the baseline together with
the source its scenario file cites beside it (``# ... (CBS 2023; H)``), so
:func:`provenance` returns, for each value written in a file (or its
``extends`` bases, or a ``--set``), the file, the line and that comment.
Items of named lists (``interventions``) are keyed by their ``name``, so a
key reads ``interventions.SchuldHulpMaatje.diversion_share``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .loading import apply_overrides, read_merged, read_yaml


@dataclass(frozen=True)
class Provenance:
    """A value as written, where it was written, and the comment beside or above it."""

    key: str
    value: Any
    source: str
    line: int | None
    comment: str


def provenance(
    path: str | Path, overrides: Mapping[str, Any] | None = None
) -> dict[str, Provenance]:
    """Every value written for the scenario file ``path``, by dotted key."""
    path = Path(path)
    data, _ = read_merged(path)
    if overrides:
        apply_overrides(data, overrides)
    files = _chain(path)  # the file itself first, then its bases, nearest first
    texts: dict[str, list[str]] = {}
    out = {}
    for key, value in leaves(data):
        dotted = ".".join(str(k) for k in key)
        found: tuple[str, int | None] | None = None
        if overrides and _overridden(dotted, overrides):
            found = ("--set", None)
        if found is None:
            for source, own, positions in files:
                position = _position(own, positions, key)
                if position is not None:
                    found = (source, position)
                    break
        source, line = found or ("", None)
        comment = ""
        if line is not None:
            lines = texts.setdefault(source, Path(source).read_text(encoding="utf-8").splitlines())
            comment = _comment(lines, line)
        out[dotted] = Provenance(dotted, value, source, line, comment)
    return out


def _overridden(dotted: str, overrides: Mapping[str, Any]) -> bool:
    return any(dotted == k or dotted.startswith(f"{k}.") for k in overrides)


def _chain(path: Path, seen: tuple[Path, ...] = ()) -> list[tuple[str, dict, dict]]:
    """``(source, own data, positions)`` of a file and its bases, nearest first."""
    own, positions = read_yaml(path)
    out = [(str(path), own, positions)]
    bases = own.get("extends") or []
    for base in reversed([bases] if isinstance(bases, str) else bases):
        base_path = (path.parent / base).resolve()
        if base_path not in seen:
            out.extend(_chain(base_path, (*seen, path.resolve())))
    return out


def _named(value: Any) -> bool:
    """A non-empty list of mappings that each have a ``name``."""
    if not isinstance(value, list) or not value:
        return False
    return all(isinstance(v, dict) and "name" in v for v in value)


def leaves(data: Any, key: tuple = ()):
    """``(key, value)`` of every scalar (or list of scalars); named items by name."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k != "extends":
                yield from leaves(v, (*key, k))
    elif _named(data):
        for item in data:
            yield from leaves({k: v for k, v in item.items() if k != "name"}, (*key, item["name"]))
    elif isinstance(data, list) and any(isinstance(v, dict | list) for v in data):
        for i, v in enumerate(data):
            yield from leaves(v, (*key, i))
    else:
        yield key, data


def _position(own: dict, positions: dict, key: tuple) -> int | None:
    """The line of ``key`` (named items by name) in one file's own data."""
    node: Any = own
    real: list = []
    for part in key:
        if isinstance(node, dict) and part in node:
            node = node[part]
            real.append(part)
        elif _named(node):
            index = next((i for i, v in enumerate(node) if v["name"] == part), None)
            if index is None:
                return None
            node = node[index]
            real.append(index)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            real.append(part)
        else:
            return None
    return positions.get(tuple(real), (None, None))[1]


def _comment(lines: list[str], line: int) -> str:
    """The comment at the end of ``line`` (1-based), or the comment lines just above it."""
    text = lines[line - 1]
    if " #" in text:
        return text.split(" #", 1)[1].strip()
    above: list[str] = []
    i = line - 2
    while i >= 0 and lines[i].strip().startswith("#"):
        above.insert(0, lines[i].strip().lstrip("#").strip())
        i -= 1
    return " ".join(above)


__all__ = ["Provenance", "leaves", "provenance"]
