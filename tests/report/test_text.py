"""Numbers as the report and the terminal write them."""

from __future__ import annotations

import pytest

from wijksim.report.text import euro, number


@pytest.mark.parametrize(
    ("value", "nl", "en"),
    [
        (1234.5, "1.234,5", "1,234.5"),
        (-0.04, "0,0", "0.0"),  # no minus zero
        (-1.25, "−1,2", "−1.2"),
        (1e308, "1,0e+308", "1.0e+308"),
        (-2.5e20, "−2,5e+20", "−2.5e+20"),
        (float("inf"), "∞", "∞"),
        (float("-inf"), "−∞", "−∞"),
        (float("nan"), "–", "–"),
    ],
)
def test_a_number_in_each_language(value, nl, en):
    assert number(value, "nl") == nl
    assert number(value, "en") == en


def test_a_sum_beyond_reason_is_a_power_of_ten_not_hundreds_of_digits():
    assert len(euro(1e300, "nl")) < 15 and len(euro(-1e300, "en")) < 15
    assert euro(1e14, "nl") == "€\u00a0100.000.000.000.000"  # still written out
