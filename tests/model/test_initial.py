"""The caseload at time zero follows the exact steady-state law: remaining
durations from the equilibrium residual law, cells picked by rate x mean."""

from __future__ import annotations

import math

import numpy as np
import pytest
import simpy
from pydantic import TypeAdapter
from scipy import stats

import wijksim
from wijksim.model import WijkteamModel
from wijksim.model.initial import ClosedBefore
from wijksim.scenario.distributions import Distribution

CASES = 40_000
CONFIDENCE = 0.99


def snapshot_scenario(durations: dict[str, object], caseload: int = CASES, **hood):
    severities = list(durations)
    return wijksim.Scenario.model_validate(
        {
            "horizon": "1 week",
            "neighbourhood": {
                "residents": 1000,
                "severity_mix": {s: 1 / len(severities) for s in severities},
                "duration": durations,
                "themes": {"debts": {"requests_per_1000": 10}},
                **hood,
            },
            "team": {
                "fte": 1,
                "caseload_ceiling_per_fte": "unlimited",
                "case_weight": {s: 1 for s in severities},
                "contact_hours_per_week": {s: 0 for s in severities},
            },
            "initial_state": {"caseload": caseload},
        }
    )


def initial_cases(scenario, seed=7) -> list:
    model = WijkteamModel(simpy.Environment(), scenario, seed, record_cases=True)
    cases = [r for r in model._all if r.origin == "initial"]
    assert len(cases) == scenario.initial_state.caseload
    return cases


def test_remaining_times_of_exponential_cases_are_exponential():
    """Memoryless: a case found in care has the full mean still to go."""
    scenario = snapshot_scenario({"regular": {"dist": "exponential", "mean": "10 weeks"}})
    remaining = [r.duration for r in initial_cases(scenario)]
    result = stats.kstest(remaining, stats.expon(scale=10.0).cdf)
    assert result.pvalue > 1 - CONFIDENCE, result


def test_remaining_times_of_lognormal_cases_follow_the_residual_law():
    """Equilibrium residual CDF: F_e(r) = (r S(r) + E[X; X <= r]) / mean."""
    spec = {"dist": "lognormal", "median": "3 months", "p90": "9 months"}
    scenario = snapshot_scenario({"regular": spec})
    mu, sigma = scenario.duration("debts", "regular").mu_sigma
    mean = math.exp(mu + sigma**2 / 2)
    law = stats.lognorm(s=sigma, scale=math.exp(mu))

    def residual_cdf(r):
        r = np.asarray(r)
        below = mean * stats.norm.cdf((np.log(r) - mu - sigma**2) / sigma)
        return (r * law.sf(r) + below) / mean

    remaining = [r.duration for r in initial_cases(scenario)]
    result = stats.kstest(remaining, residual_cdf)
    assert result.pvalue > 1 - CONFIDENCE, result
    # and the old pool-of-32 approximation (3-4% too short) would be seen at this size
    assert stats.kstest(np.asarray(remaining) * 0.96, residual_cdf).pvalue < 1 - CONFIDENCE


def test_cells_are_picked_in_proportion_to_rate_times_mean_duration():
    durations = {
        "light": {"dist": "exponential", "mean": "2 weeks"},
        "heavy": {"dist": "exponential", "mean": "10 weeks"},
    }
    scenario = snapshot_scenario(durations, caseload=20_000, settled_at_intake=0.5)
    heavy = sum(r.severity == "heavy" for r in initial_cases(scenario))
    # light enters at half the rate (half settled at intake) and lasts 2 weeks: 1 : 10
    expected = 20_000 * 10 / 11
    sd = math.sqrt(20_000 * (10 / 11) * (1 / 11))
    assert abs(heavy - expected) < stats.norm.ppf(0.995) * sd


LENGTH_BIASED_MEAN = [  # E[X^2] / E[X], from each law's moments
    ({"dist": "fixed", "value": "3 weeks"}, 3.0),
    ({"dist": "exponential", "mean": "4 weeks"}, 8.0),
    ({"dist": "gamma", "mean": "4 weeks", "sd": "2 weeks"}, 4.0 + 4.0 / 4.0),
    ({"dist": "lognormal", "mean": "4 weeks", "sd": "2 weeks"}, 4.0 * (1 + 0.25)),
    (
        {"dist": "weibull", "shape": 1.5, "scale": "4 weeks"},
        4.0 * math.gamma(1 + 2 / 1.5) / math.gamma(1 + 1 / 1.5),
    ),
    ({"dist": "uniform", "min": "2 weeks", "max": "6 weeks"}, (6**3 - 2**3) / 3 / 4 / 4),
    (
        {"dist": "triangular", "min": "1 week", "mode": "2 weeks", "max": "6 weeks"},
        (1 + 4 + 36 + 2 + 6 + 12) / 6 / 3,
    ),
    ({"dist": "empirical", "values": ["1 week", "3 weeks"]}, (1 + 9) / 4),
]


@pytest.mark.parametrize(("spec", "expected"), LENGTH_BIASED_MEAN, ids=lambda x: str(x)[:30])
def test_length_biased_draws_have_the_length_biased_mean(spec, expected):
    dist = TypeAdapter(Distribution).validate_python(spec)
    draws = dist.length_biased(np.random.default_rng(3), 100_000)
    assert draws.shape == (100_000,)
    assert np.isfinite(draws).all() and (draws >= 0).all()
    error = draws.std() / math.sqrt(draws.size)
    assert abs(draws.mean() - expected) < 4 * error + 1e-12


# -- returns on their way at time zero ------------------------------------------------


def returning_scenario(caseload: int, **initial) -> wijksim.Scenario:
    """One theme, exponential durations of 10 weeks, 20% back after 1 month-2 years."""
    data = snapshot_scenario({"regular": {"dist": "exponential", "mean": "10 weeks"}}, caseload)
    return data.with_overrides(
        {
            "horizon": "3 years",  # longer than any delay: every return comes in the run
            "team.recurrence": {
                "probability": 0.2,
                "delay": {"dist": "uniform", "min": "4 weeks", "max": "104 weeks"},
            },
            **{f"initial_state.{key}": value for key, value in initial.items()},
        }
    )


def pending(scenario, seed=7) -> list[tuple[float, int]]:
    """(weeks, theme) of the returns the model scheduled when it was built."""
    env = simpy.Environment()
    model = WijkteamModel(env, scenario, seed)
    return [
        (time, value.theme_index)
        for time, _, _, _, value in model._agenda.waiting()
        if isinstance(value, ClosedBefore)
    ]


def residual_uniform_cdf(t, a: float, b: float):
    """CDF of the equilibrium residual of a uniform(a, b) delay: density (1 - F(t)) / mean."""
    t = np.asarray(t, dtype=float)
    mean = (a + b) / 2
    inside = ((b - a) ** 2 - (b - np.clip(t, a, b)) ** 2) / (2 * (b - a) * mean)
    return np.where(t < a, t / mean, a / mean + inside)


def test_returns_on_their_way_follow_the_residual_law_of_the_delay():
    returns = pending(returning_scenario(CASES))
    # cases close at 40,000 / 10 a week; 20% come back after a mean 54 weeks
    expected = CASES / 10 * 0.2 * 54
    assert abs(len(returns) - expected) < stats.norm.ppf(0.995) * math.sqrt(expected)
    delays = [delay for delay, _ in returns]
    result = stats.kstest(delays, lambda t: residual_uniform_cdf(t, 4.0, 104.0))
    assert result.pvalue > 1 - CONFIDENCE, result


def test_only_returns_within_the_horizon_are_kept():
    returns = pending(returning_scenario(CASES).with_overrides({"horizon": "52 weeks"}))
    assert max(delay for delay, _ in returns) <= 52.0
    expected = CASES / 10 * 0.2 * 54 * residual_uniform_cdf(52.0, 4.0, 104.0)
    assert abs(len(returns) - expected) < stats.norm.ppf(0.995) * math.sqrt(expected)


def test_no_returns_without_a_past_or_recurrence():
    assert pending(returning_scenario(1000, pending_returns=False)) == []
    assert pending(returning_scenario(0)) == []
    without = snapshot_scenario({"regular": {"dist": "exponential", "mean": "10 weeks"}}, 1000)
    assert pending(without) == []


def test_returns_are_split_over_themes_by_their_closures():
    """Cases close per theme at (cases in care) / (mean duration): with the same
    durations, in proportion to the themes' request rates."""
    scenario = returning_scenario(CASES).with_overrides(
        {
            "neighbourhood.themes": {
                "debts": {"requests_per_1000": 30},
                "housing": {"requests_per_1000": 10},
            }
        }
    )
    themes = np.array([theme for _, theme in pending(scenario)])
    debts = int((themes == 0).sum())
    assert stats.binomtest(debts, len(themes), 0.75).pvalue > 1 - CONFIDENCE


def test_returns_on_their_way_arrive_as_recurrences():
    scenario = returning_scenario(2000).with_overrides({"horizon": "4 weeks"})
    expected = pending(scenario, seed=3)
    due = sum(delay <= 4.0 for delay, _ in expected)
    run = wijksim.simulate(scenario, seed=3)
    # every return due in the run arrives (cases closing in the run add their own, later)
    assert run.model.counts["recurrences"] >= due > 0
    state = run.model.state()
    assert state["initial"] + state["requests"] == sum(
        v for k, v in state.items() if k not in ("initial", "requests")
    )
