"""Durations with units: every scenario duration is text with a unit, held in weeks."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijksim.scenario.units import (
    DAYS_PER_YEAR,
    WEEKS_PER_MONTH,
    WEEKS_PER_YEAR,
    format_weeks,
    parse_duration,
)


def test_calendar_constants():
    assert math.isclose(WEEKS_PER_YEAR, 365.25 / 7)
    assert math.isclose(WEEKS_PER_MONTH * 12, WEEKS_PER_YEAR)
    assert DAYS_PER_YEAR == 365.25


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("168 hours", 1.0),
        ("2 hours", 2 / 168),
        ("1 hour", 1 / 168),
        ("3 h", 3 / 168),
        ("7 days", 1.0),
        ("1 day", 1 / 7),
        ("3 d", 3 / 7),
        ("6 weeks", 6.0),
        ("1 week", 1.0),
        ("2 w", 2.0),
        ("4 months", 4 * 365.25 / 7 / 12),
        ("1 month", 365.25 / 7 / 12),
        ("1.5 years", 1.5 * 365.25 / 7),
        ("1 year", 365.25 / 7),
        ("2 y", 2 * 365.25 / 7),
        ("0 weeks", 0.0),
        (".5 weeks", 0.5),
        ("2.5e1 days", 25 / 7),
        ("  6   weeks  ", 6.0),
        ("6weeks", 6.0),
        ("6 WEEKS", 6.0),
        ("+3 days", 3 / 7),
    ],
)
def test_english_units(text, weeks):
    assert parse_duration(text) == pytest.approx(weeks, rel=1e-12)


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("1 uur", 1 / 168),
        ("3 uren", 3 / 168),
        ("1 dag", 1 / 7),
        ("14 dagen", 2.0),
        ("1 week", 1.0),
        ("6 weken", 6.0),
        ("1 maand", WEEKS_PER_MONTH),
        ("4 maanden", 4 * WEEKS_PER_MONTH),
        ("1 jaar", WEEKS_PER_YEAR),
        ("2 jaren", 2 * WEEKS_PER_YEAR),
    ],
)
def test_dutch_units(text, weeks):
    assert parse_duration(text) == pytest.approx(weeks, rel=1e-12)


def test_units_are_consistent_with_each_other():
    assert parse_duration("24 hours") == pytest.approx(parse_duration("1 day"))
    assert parse_duration("12 months") == pytest.approx(parse_duration("1 year"))
    assert parse_duration("365.25 days") == pytest.approx(parse_duration("1 year"))


@pytest.mark.parametrize("bare", [6, 6.5, 0, 0.0])
def test_bare_number_rejected_with_a_hint_about_the_unit(bare):
    with pytest.raises(ValueError, match="unit") as info:
        parse_duration(bare)
    assert "bare number" in str(info.value)
    assert "weeks" in str(info.value)  # suggests a way to write it


@pytest.mark.parametrize("text", ["6", "6.0", " 12 "])
def test_number_as_text_without_unit_rejected(text):
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["-3 weeks", "-1 day", "-0.5 years"])
def test_negative_rejected(text):
    with pytest.raises(ValueError, match="negative"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["6 fortnights", "3 sec", "2 eons"])
def test_unknown_unit_rejected_and_units_listed(text):
    with pytest.raises(ValueError, match="unknown time unit") as info:
        parse_duration(text)
    for unit in ("hours", "days", "weeks", "months", "years"):
        assert unit in str(info.value)


@pytest.mark.parametrize("value", ["", "weeks", "six weeks", "6 weeks ago", None, True, [6]])
def test_malformed_rejected(value):
    with pytest.raises(ValueError, match="duration"):
        parse_duration(value)


@settings(max_examples=50)
@given(st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False))
def test_format_weeks_round_trips_exactly(weeks):
    text = format_weeks(weeks)
    assert parse_duration(text) == weeks


@settings(max_examples=25)
@given(
    st.floats(min_value=0, max_value=1e4, allow_nan=False),
    st.sampled_from(["hours", "days", "weeks", "months", "years"]),
)
def test_scaling_is_linear(number, unit):
    one = parse_duration(f"1 {unit}")
    assert parse_duration(f"{number!r} {unit}") == pytest.approx(number * one, rel=1e-12)
    assert math.isfinite(one) and one > 0


def test_infinite_duration_rejected():
    with pytest.raises(ValueError, match="duration"):
        parse_duration("1e400 weeks")
