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
