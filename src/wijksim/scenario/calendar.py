"""The calendar: a scenario may start on a date, and moments may be dates.

With ``start_date: 2027-01-01`` at the top of a scenario, a moment (funding
``start``/``stop``, a shock's or a tender's date, a pool's own start) may be
written as a date (``start: 2027-07-01``) as well as a duration from the start
(``start: 6 months``). Dates are turned into durations when the scenario is
validated, so the model only ever sees weeks from the start. Without
``start_date`` nothing changes, and a date is an error that says so.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from .units import (
    DURATION_PATTERN,
    WEEKS_PER_MONTH,
    WEEKS_PER_YEAR,
    format_weeks,
    parse_duration,
)

#: Keys whose value is a moment (a date, or a duration from the start).
MOMENT_KEYS = frozenset({"start", "stop", "at"})

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
DATE_PATTERN = r"^\s*\d{4}-\d{2}-\d{2}\s*$"


def as_date(value: object) -> dt.date | None:
    """``value`` as a date if it is one (a date, or ISO text ``2027-07-01``), else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def parse_moment(value: object) -> float:
    """A moment in weeks from the start; a date here means ``start_date`` is missing
    (or the date comes before it): dates were resolved before this is called."""
    if as_date(value) is not None:
        raise ValueError(
            f"{value}: a date needs start_date at the top of the scenario, and must not "
            "come before it (or write a duration from the start, e.g. '6 months')"
        )
    return parse_duration(value)


#: A moment: a duration from the run's start, or (with ``start_date``) a date.
Moment = Annotated[
    float,
    BeforeValidator(parse_moment),
    PlainSerializer(format_weeks, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": DURATION_PATTERN},
                {"type": "string", "pattern": DATE_PATTERN, "format": "date"},
            ],
            "description": "a duration from the start ('6 months') or, with start_date, a date",
        }
    ),
]


def resolve_dates(data: Any) -> Any:
    """Scenario data with every date-valued moment turned into weeks from ``start_date``.

    Dates before ``start_date`` (and every date without one) are left alone, so
    that validating the moment reports them at their own key.
    """
    if not isinstance(data, dict):
        return data
    start = as_date(data.get("start_date"))
    if start is None:
        return data
    return _resolve(data, start)


def _resolve(node: Any, start: dt.date, key: str | None = None) -> Any:
    if isinstance(node, dict):
        return {k: _resolve(v, start, k) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_resolve(v, start, key if key in MOMENT_KEYS else None) for v in node]
    if key in MOMENT_KEYS:
        day = as_date(node)
        if day is not None and day >= start:
            return format_weeks((day - start).days / 7)
    return node


def date_at(start: dt.date, weeks: float) -> dt.date:
    """The date ``weeks`` after ``start`` (whole days, rounded down)."""
    return start + dt.timedelta(days=math.floor(weeks * 7 + 1e-9))


def year_label(start: dt.date | None, warmup: float, year: int) -> int:
    """What year ``year`` (0, 1, ... after a warm-up of ``warmup`` weeks) is called:
    with a start date the calendar year that holds most of it (the one of its
    middle: 2028), else 1, 2, ..."""
    if start is None:
        return year + 1
    return date_at(start, warmup + (year + 0.5) * WEEKS_PER_YEAR).year


def month_offset(start: dt.date | None) -> float:
    """Weeks from 1 January to ``start`` in months of equal length (the model's
    months), so that a monthly profile follows the calendar; 0 without a date."""
    if start is None:
        return 0.0
    first = dt.date(start.year, start.month, 1)
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    within = (start - first).days / (following - first).days
    return (start.month - 1 + within) * WEEKS_PER_MONTH


__all__ = [
    "MOMENT_KEYS",
    "Moment",
    "as_date",
    "date_at",
    "month_offset",
    "resolve_dates",
    "year_label",
]
