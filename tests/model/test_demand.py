"""Growing demand and shocks: the rate follows the trend and the shock, and the
potential requests stay paired across scenarios that differ only in provisions."""

from __future__ import annotations

import math

import numpy as np

import wijksim
from helpers import rich_data, same_numbers
from wijksim.model.demand import Growth
from wijksim.scenario.schema import Shock
from wijksim.scenario.units import WEEKS_PER_YEAR

BUDDY = {
    "type": "buddy_programme",
    "name": "maatjes",
    "themes": ["debts"],
    "diversion_share": 0.5,
    "trajectory": {"dist": "uniform", "min": "1 month", "max": "6 months"},
}
CRISIS = {
    "themes": ["debts"],
    "start": "30 weeks",
    "duration": "18 months",
    "increase": 0.4,
}


def growing(**extra) -> dict:
    data = rich_data({"neighbourhood.themes.debts.trend_per_year": 0.03, "horizon": "3 years"})
    data["shocks"] = [CRISIS]
    data.update(extra)
    return data


def test_growth_factor_of_a_trend_and_a_fading_shock():
    shock = Shock(themes=("debts",), start="10 weeks", duration="20 weeks", increase=0.4)
    growth = Growth(0.03, (shock,))
    assert math.isclose(growth.at(WEEKS_PER_YEAR), 1.03)
    assert math.isclose(growth.at(10.0), 1.4 * 1.03 ** (10 / WEEKS_PER_YEAR))
    assert math.isclose(growth.at(20.0), 1.2 * 1.03 ** (20 / WEEKS_PER_YEAR))  # half faded
    assert math.isclose(growth.at(30.0), 1.03 ** (30 / WEEKS_PER_YEAR))  # over
    step = Shock(themes=("debts",), start="0 weeks", duration="1 week", increase=1, fades=False)
    assert Growth(0.0, (step,))(0) == 2.0


def test_arrivals_follow_a_growing_rate():
    """Doubling each year: the second year brings about twice the first."""
    data = {
        "horizon": "2 years",
        "neighbourhood": {
            "residents": 100000,
            "severity_mix": {"light": 1.0},
            "duration": {"light": {"dist": "exponential", "mean": "1 day"}},
            "themes": {"debts": {"requests_per_1000": 100, "trend_per_year": 1.0}},
        },
        "team": {
            "fte": 1,
            "caseload_ceiling_per_fte": "unlimited",
            "case_weight": {"light": 1},
            "contact_hours_per_week": {"light": 1},
        },
    }
    cases = wijksim.simulate(wijksim.Scenario.model_validate(data), seed=2, record_cases=True).cases
    first = (cases.arrival < WEEKS_PER_YEAR).sum()
    second = (cases.arrival >= WEEKS_PER_YEAR).sum()
    # expected 10,000 / ln 2 in the first year and twice that in the second
    assert math.isclose(first, 10000 / math.log(2), rel_tol=0.03)
    assert math.isclose(second / first, 2.0, rel_tol=0.04)


def test_a_shock_raises_the_requests_of_its_theme_only():
    plain = rich_data({"horizon": "3 years"})
    runs = [
        wijksim.simulate(wijksim.Scenario.model_validate(d), seed=3, record_cases=True).cases
        for d in (plain, growing())
    ]
    potential = [c[c.origin == "new"].groupby("theme").size() for c in runs]
    assert potential[1]["debts"] > 1.1 * potential[0]["debts"]
    assert potential[1]["loneliness"] == potential[0]["loneliness"]


def test_trends_and_shocks_keep_potential_requests_paired_across_provisions():
    without = wijksim.Scenario.model_validate(growing())
    with_buddies = wijksim.Scenario.model_validate(growing(interventions=[BUDDY]))
    for seed in (0, 1, 2):
        a = wijksim.simulate(without, seed=seed, record_cases=True).cases
        b = wijksim.simulate(with_buddies, seed=seed, record_cases=True).cases
        potential = [c[c.origin == "new"][["theme", "arrival"]].to_numpy() for c in (a, b)]
        assert np.array_equal(potential[0], potential[1])
        assert (b.status == "diverted").sum() > 0  # the provision did act


def test_no_trend_and_a_zero_shock_are_the_constant_rate_bit_for_bit():
    data = rich_data({"neighbourhood.themes.debts.trend_per_year": 0.0})
    data["shocks"] = [{**CRISIS, "increase": 0.0}]
    zero = wijksim.simulate(wijksim.Scenario.model_validate(data), seed=4).summary()
    plain = wijksim.simulate(wijksim.Scenario.model_validate(rich_data()), seed=4).summary()
    assert same_numbers(zero, plain)


def test_a_vanishing_rate_ends_the_arrivals_instead_of_walking_for_ever():
    # hypothesis found a damaged scenario whose rate was so small that the
    # month-by-month walk to the next arrival ran for billions of months
    from wijksim.model.demand import NO_ARRIVAL_WITHIN, Demand

    profile = [1.0] * 11 + [2.0]
    tiny = Demand(0, 1e-300, profile, lambda: 1.0)
    assert tiny.next_gap(0.0) == math.inf
    decaying = Demand(0, 1.0, None, lambda: 1e6, growth=Growth(-0.999999, ()))
    assert decaying.next_gap(0.0) == math.inf
    usual = Demand(0, 1.0, profile, lambda: 1.0)
    assert 0 < usual.next_gap(0.0) < NO_ARRIVAL_WITHIN
    data = rich_data(
        {
            "horizon": "2 years",
            "neighbourhood.themes.loneliness.requests_per_1000": 1e-250,
            "neighbourhood.themes.loneliness.monthly_profile": profile,
        }
    )
    run = wijksim.simulate(wijksim.Scenario.model_validate(data), seed=1)
    assert run.summary()["requests"] > 0  # the other theme still arrives
