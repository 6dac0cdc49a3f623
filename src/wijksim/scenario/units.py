"""Durations with units.

wijksim keeps time in **weeks** (a float). Scenario files always say the unit
(``"3 days"``, ``"6 weeks"``, ``"4 months"``, ``"1.5 years"``, ``"2 hours"``); a
bare number where a duration belongs is an error, because "6" means nothing to a
reader of the file.
"""

from __future__ import annotations

import math
import re
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

DAYS_PER_YEAR = 365.25
WEEKS_PER_YEAR = DAYS_PER_YEAR / 7.0
WEEKS_PER_MONTH = WEEKS_PER_YEAR / 12.0
HOURS_PER_WEEK = 7.0 * 24.0

#: Length of one unit in weeks; singular, plural and Dutch forms.
UNIT_WEEKS: dict[str, float] = {}
for _names, _weeks in [
    (("hour", "hours", "h", "uur", "uren"), 1.0 / HOURS_PER_WEEK),
    (("day", "days", "d", "dag", "dagen"), 1.0 / 7.0),
    (("week", "weeks", "w", "weken"), 1.0),
    (("month", "months", "maand", "maanden"), WEEKS_PER_MONTH),
    (("year", "years", "y", "jaar", "jaren"), WEEKS_PER_YEAR),
]:
    for _name in _names:
        UNIT_WEEKS[_name] = _weeks

_DURATION = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]+)\s*$")
DURATION_PATTERN = r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*[A-Za-z]+\s*$"


def parse_duration(value: object) -> float:
    """Return ``value`` (a string such as ``"6 weeks"``) in weeks.

    Raises ``ValueError`` with a message fit for a scenario author.
    """
    if isinstance(value, bool) or not isinstance(value, str):
        if isinstance(value, int | float):
            shown = f"{value:g}" if abs(value) < 1e15 else "6"
            raise ValueError(
                f"a duration needs a unit: write e.g. '{shown} weeks', not a bare number"
            )
        raise ValueError(f"expected a duration such as '6 weeks', got {value!r}")
    match = _DURATION.match(value)
    if not match:
        raise ValueError(f"expected a duration such as '6 weeks', got {value!r}")
    number, unit = match.groups()
    factor = UNIT_WEEKS.get(unit.lower())
    if factor is None:
        known = "hours, days, weeks, months, years"
        raise ValueError(f"unknown time unit {unit!r} in {value!r} (use {known})")
    weeks = float(number) * factor
    if not math.isfinite(weeks):
        raise ValueError(f"a duration must be a finite number: {value!r}")
    if weeks < 0:
        raise ValueError(f"a duration cannot be negative: {value!r}")
    return weeks


def format_weeks(weeks: float) -> str:
    """The canonical text of a duration: exact, and valid input again."""
    return f"{weeks!r} weeks"


#: A duration field: validated from text with a unit, held as weeks (float),
#: written back as ``"<weeks> weeks"``.
Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    PlainSerializer(format_weeks, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "a duration with a unit, e.g. '3 days', '6 weeks', '4 months'",
        }
    ),
]
