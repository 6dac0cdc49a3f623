"""Intervals that respect the bounds of a figure and are never clipped."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijksim.analysis.comparison import paired_difference
from wijksim.experiment.intervals import (
    describe,
    paired_interval,
    replications_for_half_width,
    share_interval,
    t_interval,
    t_quantile,
)

# -- a difference is never pinned at minus the baseline ---------------------------------


def test_a_share_that_falls_to_zero_is_not_clipped_at_minus_the_baseline():
    # the alternative takes (nearly) everyone under six weeks: the differences are
    # about minus the baseline's share, and the t interval passes -mean(baseline),
    # where wijksim cut it off before
    rng = np.random.default_rng(3)
    baseline = rng.beta(2, 6, size=20)
    alternative = np.where(rng.random(20) < 0.8, 0.0, 0.01)
    interval = paired_difference("share_wait_over_6_weeks", alternative, baseline)
    plain = paired_interval(alternative, baseline)
    assert plain.low < -baseline.mean()  # the case where the old clip happened
    assert interval.low < -baseline.mean()
    assert (interval.low, interval.high) == (plain.low, plain.high)


def test_a_count_difference_is_the_plain_paired_t_interval():
    baseline = np.array([3.0, 9.0, 1.0, 6.0, 4.0, 8.0])
    alternative = np.zeros(6)  # every request averted, say
    interval = paired_difference("mean_waiting_list", alternative, baseline)
    assert interval == t_interval(alternative - baseline)
    assert interval.low < -baseline.mean() < interval.high


@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=2, max_size=30))
def test_a_difference_of_shares_stays_within_minus_one_and_one(pairs):
    alternative, baseline = (np.array(x) for x in zip(*pairs, strict=True))
    interval = paired_difference("share_waited", alternative, baseline)
    if not math.isnan(interval.low):
        assert -1.0 <= interval.low <= interval.mean <= interval.high <= 1.0


# -- a share of one scenario: the logit interval -----------------------------------------


@pytest.mark.parametrize(("a", "b"), [(2.0, 98.0), (98.0, 2.0)])
def test_a_share_near_a_bound_keeps_within_it_with_the_right_coverage(a, b):
    """Five replications of a share with mean 0.02 (or 0.98): the logit interval never
    leaves [0, 1] and covers the true mean about 95% of the time (2,000 trials:
    the binomial standard error of the coverage is 0.005), where the t interval
    covers less and crosses the bound."""
    rng = np.random.default_rng(20_240_917)
    true = a / (a + b)
    trials, n = 2000, 5
    covered = t_covered = crossed = 0
    for _ in range(trials):
        values = rng.beta(a, b, size=n)
        interval = share_interval(values)
        assert 0.0 <= interval.low <= interval.mean <= interval.high <= 1.0
        covered += interval.low <= true <= interval.high
        t = t_interval(values)
        t_covered += t.low <= true <= t.high
        crossed += t.low < 0 or t.high > 1
    assert 0.93 <= covered / trials <= 0.97
    assert covered > t_covered
    assert crossed > trials // 10  # the t interval often leaves [0, 1] here


def test_a_share_in_the_middle_gets_about_the_t_interval():
    values = np.linspace(0.4, 0.6, 25)
    interval, t = share_interval(values), t_interval(values)
    assert interval.low == pytest.approx(t.low, abs=2e-4)
    assert interval.high == pytest.approx(t.high, abs=2e-4)


def test_a_share_that_never_varies_has_its_value_as_interval():
    interval = share_interval([0.0, 0.0, 0.0, 0.0])
    assert (interval.low, interval.mean, interval.high) == (0.0, 0.0, 0.0)


def test_describe_gives_shares_the_logit_interval():
    frame = pd.DataFrame(
        {
            "metric": ["share_wait_over_6_weeks"] * 6 + ["mean_wait_weeks"] * 6,
            "value": [0.0, 0.0, 0.01, 0.0, 0.2, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    table = describe(frame, ["metric"]).set_index("metric")
    share = table.loc["share_wait_over_6_weeks"]
    assert share["ci_method"] == "logit"
    expected = share_interval(frame["value"][:6])
    assert (share["ci_low"], share["ci_high"]) == pytest.approx((expected.low, expected.high))
    assert 0 < share["ci_low"] < share["mean"] < share["ci_high"] < 1
    assert table.loc["mean_wait_weeks", "ci_method"] == "t"


# -- replications for a half-width ---------------------------------------------------------


@pytest.mark.parametrize(("sd", "half_width"), [(1.0, 0.5), (3.3, 0.2), (10.0, 9.0), (2.0, 0.0)])
def test_replications_for_a_half_width_is_the_smallest_that_will_do(sd, half_width):
    found = replications_for_half_width(sd, half_width, maximum=5000)
    widths = {n: t_quantile(n) * sd / math.sqrt(n) for n in range(2, 5001)}
    fitting = [n for n, width in widths.items() if width <= half_width]
    assert found == (min(fitting) if fitting else None)
