"""Helpers for the tests of bounded work (issue 19, parts 3 and 4): a deadline
that turns a hang into a failure, and every numeric key of the shipped
scenarios with values at its boundaries."""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from wijksim.scenario.loading import read_merged

from . import REPO


class Hang(AssertionError):
    """The block ran past its deadline: a hang, or work the estimate missed."""


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail (``Hang``) when the block runs longer than ``seconds``, instead of
    hanging the suite (SIGALRM: the main thread of a Unix process, as pytest
    and its xdist workers run tests; elsewhere no deadline)."""
    usable = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


#: Values at the boundaries of each kind of number a scenario holds.
NUMBERS = (0, 0.0, 5e-324, 1e-9, 0.5, 1e6, 1e15, 1e308)
COUNTS = (0, 1, 10**6, 10**9, 10**18, 10**300)
DURATIONS = ("0 weeks", "1e-300 weeks", "1e-9 weeks", "1e6 weeks", "1e15 weeks", "1e300 weeks")
DATES = ("0001-01-01", "2027-01-01", "9999-12-31")

_DURATION = re.compile(r"^\s*[0-9.eE+-]+\s*[A-Za-z]+\s*$")
_DATE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")


def boundaries(value: Any) -> tuple[Any, ...]:
    """The boundary values for a key that holds ``value`` (none for text, flags)."""
    if isinstance(value, bool):
        return ()
    if isinstance(value, int):
        return COUNTS
    if isinstance(value, float):
        return NUMBERS
    if isinstance(value, str) and _DURATION.match(value):
        return DURATIONS
    if (isinstance(value, str) and _DATE.match(value)) or hasattr(value, "isoformat"):
        return DATES
    return ()


def _leaves(node: Any, key: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*key, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, (*key, i))
    else:
        yield key, node


def numeric_keys() -> tuple[list[tuple[Path, tuple]], dict[Path, tuple[dict, dict]]]:
    """Every key of every shipped scenario that holds a number, a duration or a
    date (``(file, key)``), and each file's merged data with the lines of its
    keys (to validate a changed copy with its lines)."""
    keys, files = [], {}
    for path in sorted((REPO / "scenarios").glob("*.yaml")):
        data, positions = read_merged(path)
        files[path] = (data, positions)
        keys += [(path, key) for key, value in _leaves(data) if boundaries(value)]
    return keys, files


def set_key(data: dict, key: tuple, value: Any) -> None:
    node = data
    for part in key[:-1]:
        node = node[part]
    node[key[-1]] = value
