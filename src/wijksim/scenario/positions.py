"""Where each value of a scenario came from: its file (or ``--set``) and line."""

from __future__ import annotations

from pathlib import Path

from .problems import Problem

Key = tuple[str | int, ...]
#: Where each key of the merged data came from: file (or ``--set``) and line.
Positions = dict[Key, tuple[str, int | None]]


def located(positions: Positions, key: Key, default_source: str | Path, message: str) -> Problem:
    """A problem located at the nearest known line of ``key`` or its parents."""
    for n in range(len(key), -1, -1):
        if key[:n] in positions:
            source, line = positions[key[:n]]
            break
    else:
        source, line = str(default_source), None
    return Problem(source, line, ".".join(str(k) for k in key), message)
