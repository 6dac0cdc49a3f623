"""The engine against queueing theory.

Configured as M/M/c (one theme, one severity of weight 1, one slot per FTE,
``fte = c``, exponential durations, Poisson arrivals, FIFO, nobody leaves or
comes back), the wijkteam must reproduce the Erlang C results. Each check is a
99% t-interval over independent replications (seeds 1..R) that must contain
the analytic value. The seeds are fixed, so the outcome is reproducible; a
correct engine fails one such check with probability about 1%.

Two exact checks complement the statistical ones: the waits of every request
equal the Kiefer-Wolfowitz recursion for a c-server FIFO queue fed with the
same arrivals and durations, and the area under the waiting list equals the sum
of the waiting times (the sample-path form of Little's law).
"""

from __future__ import annotations

import heapq
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import wijksim
from helpers import make_mmc, rich_scenario
from wijksim import analytic


def replicate(scenario: wijksim.Scenario, replications: int, first_seed: int = 1):
    return [wijksim.simulate(scenario, seed=first_seed + i).summary() for i in range(replications)]


def t_interval(values, level: float = 0.99) -> tuple[float, float]:
    x = np.asarray(values, dtype=float)
    assert np.all(np.isfinite(x)), "a replication gave no figure"
    half = stats.t.ppf(0.5 + level / 2, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
    return x.mean() - half, x.mean() + half


def assert_in_interval(runs, key: str, expected: float, level: float = 0.99) -> None:
    low, high = t_interval([r[key] for r in runs], level)
    assert low <= expected <= high, f"{key}: {expected:.5g} outside [{low:.5g}, {high:.5g}]"


# -- the analytic formulas themselves ------------------------------------------------------


def test_analytic_mm1_closed_forms():
    lam, service = 0.8, 1.0  # rho = 0.8
    assert analytic.erlang_c(1, lam, service) == pytest.approx(0.8)
    assert analytic.mean_wait(1, lam, service) == pytest.approx(0.8 / (1 - 0.8))
    assert analytic.mean_queue_length(1, lam, service) == pytest.approx(0.8**2 / 0.2)
    # P(W > t) = rho exp(-(mu - lambda) t)
    t90 = analytic.wait_quantile(1, lam, service, 0.9)
    assert 0.8 * math.exp(-0.2 * t90) == pytest.approx(0.1)
    assert analytic.wait_quantile(1, lam, service, 0.1) == 0.0


def test_analytic_erlang_c_against_the_direct_formula():
    c, a = 5, 4.5
    terms = sum(a**k / math.factorial(k) for k in range(c))
    top = a**c / math.factorial(c) * c / (c - a)
    assert analytic.erlang_c(c, a, 1.0) == pytest.approx(top / (terms + top), rel=1e-12)
    assert analytic.mean_wait(c, 9.0, 0.5) == pytest.approx(top / (terms + top) * 0.5 / (c - a))
    assert analytic.erlang_c(c, 5.0, 1.0) == 1.0
    assert analytic.mean_wait(c, 6.0, 1.0) == math.inf


# -- M/M/c over replications -------------------------------------------------------------------

# fmt: off
CASES = {
    # c, rho, mean service, horizon, warm-up, replications
    "heavy": dict(servers=5, load=0.9, mean_service="1 week", horizon="3000 weeks",
                  warmup="300 weeks", replications=50),
    "light": dict(servers=3, load=0.5, mean_service="2 months", horizon="250 years",
                  warmup="10 years", replications=30),
    "single": dict(servers=1, load=0.7, mean_service="3 days", horizon="60 years",
                   warmup="2 years", replications=40),
}
# fmt: on


@pytest.mark.parametrize("name", sorted(CASES))
def test_mmc_matches_erlang_c(name):
    """All figures of one M/M/c case against theory; every failed check is reported."""
    case = dict(CASES[name])
    replications = case.pop("replications")
    mmc = make_mmc(case.pop("servers"), case.pop("load"), **case)
    runs = replicate(mmc.scenario, replications)
    c, lam, service = mmc.servers, mmc.arrival_rate, mmc.mean_service
    p_wait = analytic.erlang_c(c, lam, service)
    assert 0.05 < p_wait < 0.95  # the check on P(wait) has power in both directions

    for r in runs:  # nobody leaves, escalates, comes back or is settled at once
        assert r["reneged"] == r["escalations"] == r["recurrences"] == 0
        assert r["settled_at_intake"] == 0

    failures = []

    def check(key, expected, values=None):
        values = [r[key] for r in runs] if values is None else values
        low, high = t_interval(values)
        if not low <= expected <= high:
            failures.append(f"{key}: {expected:.5g} outside 99% CI [{low:.5g}, {high:.5g}]")

    # the input: Poisson arrivals at lambda, and a = lambda / mu busy servers on average
    check("arrival rate", lam, [r["requests"] / r["weeks"] for r in runs])
    check("mean_caseload", lam * service)
    check("ceiling_occupancy", mmc.load)
    # the output: Erlang C
    check("share_waited", p_wait)
    check("mean_wait_weeks", analytic.mean_wait(c, lam, service))
    check("mean_waiting_list", analytic.mean_queue_length(c, lam, service))

    # the 90th percentile of the wait, loosely (mean of per-run histogram quantiles)
    p90 = analytic.wait_quantile(c, lam, service, 0.9)
    observed = np.mean([r["p90_wait_weeks"] for r in runs])
    if not math.isclose(observed, p90, rel_tol=0.08):
        failures.append(f"p90_wait_weeks: {observed:.4g} not within 8% of {p90:.4g}")

    # power: a 5% longer service time would have been caught
    low, high = t_interval([r["mean_wait_weeks"] for r in runs])
    wrong = analytic.mean_wait(c, lam, service * 1.05)
    if low <= wrong <= high:
        failures.append(f"no power: {wrong:.4g} (5% longer service) inside [{low:.4g}, {high:.4g}]")

    assert not failures, "\n".join(failures)


# -- exact: the waits of a c-server FIFO queue ----------------------------------------------


def kiefer_wolfowitz(arrivals, durations, servers: int) -> np.ndarray:
    """Waits in a FIFO queue with ``servers`` servers, by the workload recursion."""
    free = [0.0] * servers
    waits = []
    for arrival, duration in zip(arrivals, durations, strict=True):
        start = max(arrival, heapq.heappop(free))
        waits.append(start - arrival)
        heapq.heappush(free, start + duration)
    return np.asarray(waits)


@settings(max_examples=15)
@given(
    servers=st.integers(1, 6),
    load=st.floats(0.3, 1.3),
    seed=st.integers(0, 2**32 - 1),
    queue=st.sampled_from(["fifo", "priority"]),
)
def test_every_wait_equals_the_kiefer_wolfowitz_recursion(mmc_scenario, servers, load, seed, queue):
    mmc = mmc_scenario(servers, load, horizon="300 weeks", warmup="0 weeks", queue=queue)
    cases = wijksim.simulate(mmc.scenario, seed=seed, record_cases=True).cases
    cases = cases.sort_values("arrival", kind="stable")
    expected = kiefer_wolfowitz(cases["arrival"], cases["duration"], servers)
    taken_on = cases["status"].isin(["in_care", "closed"]).to_numpy()
    assert np.allclose(cases["wait"].to_numpy()[taken_on], expected[taken_on], rtol=0, atol=1e-9)
    # those still waiting at the horizon are exactly those the recursion starts later
    horizon = mmc.scenario.horizon
    late = cases["arrival"].to_numpy() + expected >= horizon
    assert np.array_equal(~taken_on, late)


# -- Little's law -------------------------------------------------------------------------------


def test_littles_law_on_a_long_run():
    mmc = make_mmc(5, 0.9, horizon="40000 weeks", warmup="500 weeks")
    s = wijksim.simulate(mmc.scenario, seed=11).summary()
    rate = s["requests"] / s["weeks"]
    little = analytic.littles_law(arrival_rate=rate, time=s["mean_wait_weeks"])
    assert s["mean_waiting_list"] == pytest.approx(little, rel=1e-3)
    # and for the caseload: L = lambda x mean duration of care
    assert s["mean_caseload"] == pytest.approx(rate * mmc.mean_service, rel=0.01)


def waiting_intervals(cases, horizon: float) -> tuple[np.ndarray, np.ndarray]:
    """When each request was on the waiting list: [arrival, intake or leaving or horizon]."""
    start = cases["arrival"].to_numpy()
    end = cases["intake"].to_numpy().copy()
    gave_up = cases["status"].eq("reneged").to_numpy()
    end[gave_up] = cases["end"].to_numpy()[gave_up]
    end[cases["status"].eq("waiting").to_numpy()] = horizon
    assert not np.isnan(end).any()
    return start, end


def overlap(start, end, low: float, high: float) -> float:
    return float(np.clip(np.minimum(end, high) - np.maximum(start, low), 0, None).sum())


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"team.queue": "priority"},
        {"team.fte": 3, "initial_state.caseload": 70, "initial_state.waiting_list": 30},
        {"horizon": "80.6 weeks", "warmup": "9.3 weeks"},
    ],
)
def test_area_under_the_waiting_list_is_the_sum_of_waits(overrides):
    """Sample-path Little's law, exact: with people giving up, problems escalating,
    priority, recurrences and an initial waiting list, the time-integral of the
    waiting list over any period equals the waiting time spent in that period."""
    scenario = rich_scenario(overrides)
    run = wijksim.simulate(scenario, seed=4, record_cases=True)
    start, end = waiting_intervals(run.cases, scenario.horizon)
    assert (end >= start).all()
    s = run.summary()
    assert s["reneged"] > 0 and s["escalations"] > 0 and s["mean_waiting_list"] > 0

    # the whole window after the warm-up (the summary)
    area = s["mean_waiting_list"] * s["weeks"]
    assert area == pytest.approx(overlap(start, end, scenario.warmup, scenario.horizon), rel=1e-9)
    # every week (the weekly series is the mean waiting list over each week)
    series = run.timeseries
    weekly = series[(series.metric == "waiting_list") & (series.theme == "all")]
    assert len(weekly) >= int(scenario.horizon) - 1
    for week, value in zip(weekly.week, weekly.value, strict=True):
        assert value == pytest.approx(overlap(start, end, week - 1, week), rel=1e-9, abs=1e-9)
    # and the engine's own accumulator, over the whole run
    assert run.model._area_waiting == pytest.approx(overlap(start, end, 0, scenario.horizon))


def test_mean_wait_is_the_mean_over_requests_that_arrived_after_warmup():
    scenario = rich_scenario()
    run = wijksim.simulate(scenario, seed=9, record_cases=True)
    cases = run.cases
    counted = cases[
        (cases.arrival >= scenario.warmup)
        & cases.intake.notna()
        & (cases.origin != "initial")
        & (cases.status != "settled_at_intake")
    ]
    s = run.summary()
    assert s["intakes"] >= len(counted) > 0
    assert s["mean_wait_weeks"] == pytest.approx(counted.wait.mean(), rel=1e-9)
    assert s["share_waited"] == pytest.approx((counted.wait > 0).mean(), rel=1e-9)
    assert s["share_wait_over_6_weeks"] == pytest.approx((counted.wait > 6).mean(), rel=1e-9)
    # the 90th percentile comes from bins of a tenth of a day
    assert s["p90_wait_weeks"] == pytest.approx(np.quantile(counted.wait, 0.9), abs=2 / 70)
