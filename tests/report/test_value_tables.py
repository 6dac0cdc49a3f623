"""The report's value tables: the break-even's verdict says what the scales
run can tell, in the report's language."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from wijksim.analysis.breakeven import BreakEven, crossing
from wijksim.report.value_tables import breakeven_section


def result(scales, nets, capped=None):
    table = pd.DataFrame(
        {
            "scale": scales,
            "capped": capped or [False] * len(scales),
            "net": nets,
            "net_low": nets,
            "net_high": nets,
            "ratio": [1.0] * len(scales),
        }
    )
    return BreakEven("X", table, crossing(scales, nets), math.nan, math.nan)


@pytest.mark.parametrize(
    ("scales", "nets", "nl", "en"),
    [
        ([0.0, 1.0], [-5.0, 5.0], "0,50×", "0.50×"),
        ([0.5, 3.0], [1.0, 5.0], "bij 0,50× of lager", "at 0.50× or below"),
        ([0.5, 3.0], [-5.0, -1.0], "tussen 0,50× en 3,00×", "between 0.50× and 3.00×"),
    ],
)
def test_the_verdict_names_the_scales_run(scales, nets, nl, en):
    assert nl in breakeven_section(result(scales, nets), "nl")["verdict"]
    assert en in breakeven_section(result(scales, nets), "en")["verdict"]


def test_a_capped_scale_is_named():
    capped = result([1.0, 3.0], [-1.0, 1.0], capped=[False, True])
    assert "vanaf 3,00× is een aandeel afgekapt" in breakeven_section(capped, "nl")["verdict"]
    plain = result([1.0, 3.0], [-1.0, 1.0])
    assert "afgekapt" not in breakeven_section(plain, "nl")["verdict"]
