"""What can be wrong with a scenario, and where: light enough to import anywhere."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, and where."""

    source: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        return escape_controls(text)


def check_flags(**flags: object) -> None:
    """A ``TypeError`` in words for each argument that is not true or false
    (a string such as ``"no"`` would be taken as true)."""
    for name, value in flags.items():
        numpy_bool = type(value).__module__ == "numpy" and type(value).__name__ in ("bool", "bool_")
        if not (isinstance(value, bool) or numpy_bool):
            raise TypeError(f"{name} is True or False, not {value!r:.80}")


def unknown(kind: str, name: object, known: Iterable[object]) -> str:
    """``unknown theme 'schuld'; did you mean 'schulden'? (themes: ...)``: the
    valid names listed, the closest one suggested (what every message about a
    name that is not known says, wherever the name is given)."""
    names = [str(k) for k in known]
    listed = ", ".join(names) or "none declared"
    consonant_y = kind.endswith("y") and kind[-2:-1] not in "aeiou"
    kinds = f"{kind[:-1]}ies" if consonant_y else f"{kind}s"  # severities, keys
    return f"unknown {kind} {name!r}{did_you_mean(name, names)} ({kinds}: {listed})"


def did_you_mean(name: object, known: Iterable[object]) -> str:
    """``"; did you mean 'fte'?"`` with the known name closest to ``name``, or ``""``."""
    close = difflib.get_close_matches(str(name), [str(k) for k in known], n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def escape_controls(text: str) -> str:
    """``text`` with control characters escaped (``\\x1b``), so that nothing read
    from a file can move the cursor or recolour a terminal."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


class ScenarioError(ValueError):
    """A scenario could not be read; ``problems`` lists everything wrong."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class DrawError(ArithmeticError):
    """A distribution drew a time that is not a finite, non-negative number:
    the run is stopped rather than continued with a corrupted event queue."""
