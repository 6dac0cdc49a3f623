"""Volunteer pools: no drift before the funding starts, a start of their own,
burnout under sustained load, and the loss at a change of provider."""

from __future__ import annotations

import pandas as pd
import simpy

import wijksim
from helpers import BASELINE
from wijksim.scenario.loading import load_scenario, validate
from wijksim.scenario.units import WEEKS_PER_YEAR

BASE = load_scenario(BASELINE).with_overrides({"horizon": "3 years", "warmup": "0 weeks"})

BUDDY = {
    "type": "buddy_programme",
    "name": "maatjes",
    "themes": ["debts"],
    "volunteers": "pool",
    "diversion_share": 0.4,
    "trajectory": {"dist": "uniform", "min": "6 months", "max": "12 months"},
}


def scenario(pool: dict, *interventions: dict, **extra) -> wijksim.Scenario:
    data = BASE.to_dict()
    data["volunteers"] = {"pool": pool}
    data["interventions"] = list(interventions) or [BUDDY]
    data.update(extra)
    return validate(data)


def pool_at(s: wijksim.Scenario, weeks: float, seed: int = 0):
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, s, seed=seed)
    env.run(until=weeks)
    return model.collective.pools["pool"], model


def test_a_pool_waits_for_its_programme_instead_of_drifting_away():
    """A pool of 15 for a programme starting in year 1 has all 15 at the start."""
    pool = {"size": 15, "turnover_per_year": 0.15, "drift_after_stop_per_year": 0.5}
    late = scenario(pool, {**BUDDY, "start": "1 year"})
    found, _ = pool_at(late, WEEKS_PER_YEAR)
    assert found.size == 15 and found.left == 0
    stopped = scenario(pool, {**BUDDY, "stop": "1 week"})
    drifted = [pool_at(stopped, WEEKS_PER_YEAR, seed)[0].size for seed in range(10)]
    assert sum(drifted) / 10 < 11  # after the stop it does drift (15 * e^-0.5 ~ 9)


def test_a_pool_with_its_own_start_is_recruited_before_the_programme():
    pool = {"size": 5, "recruitment_per_year": 20, "turnover_per_year": 0.0, "start": "0 weeks"}
    s = scenario(pool, {**BUDDY, "start": "1 year"})
    found, _ = pool_at(s, WEEKS_PER_YEAR - 1)
    assert found.size > 10 and found.left == 0  # coordinated, not drifting
    dormant = scenario({**pool, "start": None}, {**BUDDY, "start": "1 year"})
    assert pool_at(dormant, WEEKS_PER_YEAR - 1)[0].size == 5


def overloaded(sustained: str) -> wijksim.Scenario:
    pool = {
        "size": 10,
        "turnover_per_year": 0.0,
        "burnout": {
            "occupancy_above": 0.5,
            "extra_turnover_per_year": 2.0,
            "sustained": sustained,
        },
    }
    return scenario(pool, {**BUDDY, "diversion_share": 1.0})


def test_burnout_follows_sustained_load():
    """The extra turnover builds up over the weeks overloaded in a row."""
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, overloaded("20 weeks"), seed=1)
    pool = model.collective.pools["pool"]
    env.run(until=8)
    assert pool.occupancy > 0.5 and 0 < pool.overloaded < 20
    size_at = {}
    for sustained in ("0 weeks", "40 weeks"):
        sizes = [pool_at(overloaded(sustained), 12, seed)[0].size for seed in range(8)]
        size_at[sustained] = sum(sizes) / len(sizes)
    assert size_at["40 weeks"] > size_at["0 weeks"]  # not yet worn out after 12 weeks


def test_a_drained_pool_recovers_slowly_when_recruits_come_by_word_of_mouth():
    def size_after(follows: bool) -> float:
        pool = {
            "size": 20,
            "recruitment_per_year": 20,
            "turnover_per_year": 0.0,
            "burnout": {
                "occupancy_above": 1.0,
                "extra_turnover_per_year": 0.0,
                "recruitment_follows_size": follows,
            },
        }
        tender = {"at": "10 weeks", "volunteers_lost": 0.8}
        s = scenario(pool, BUDDY, tenders=[tender])
        return sum(pool_at(s, WEEKS_PER_YEAR, seed)[0].size for seed in range(6)) / 6

    assert size_after(True) < size_after(False) - 5


def test_a_change_of_provider_loses_a_share_and_pauses_the_provision():
    pool = {"size": 100, "turnover_per_year": 0.0, "drift_after_stop_per_year": 0.0}
    tender = {"at": "1 year", "transition": "3 months", "volunteers_lost": 0.3}
    s = scenario(pool, {**BUDDY, "clients_per_volunteer": 3}, tenders=[tender])
    before, _ = pool_at(s, WEEKS_PER_YEAR - 0.5)
    assert before.size == 100
    after, model = pool_at(s, WEEKS_PER_YEAR + 1)
    assert 55 <= after.size <= 85
    buddy = model.collective.interventions[0]
    assert not buddy.funded()
    run = wijksim.simulate(s, seed=0, record_cases=True)
    diverted = run.cases.loc[run.cases.status == "diverted", "arrival"]
    paused = diverted.between(WEEKS_PER_YEAR, WEEKS_PER_YEAR + 3 * WEEKS_PER_YEAR / 12)
    assert len(diverted) > 0 and not paused.any()
    assert (diverted > WEEKS_PER_YEAR + 3 * WEEKS_PER_YEAR / 12).any()  # it restarts
    funded = run.model.collective.interventions[0].funded_area(run.model.env.now)
    assert abs(funded - (3 * WEEKS_PER_YEAR - 3 * WEEKS_PER_YEAR / 12)) < 1e-9


def test_a_tender_of_one_provision_leaves_the_others_alone():
    other = {**BUDDY, "name": "ander", "themes": ["housing"], "volunteers": None}
    tender = {"at": "1 year", "transition": "3 months", "interventions": ["maatjes"]}
    s = scenario({"size": 10}, BUDDY, other, tenders=[tender])
    _, model = pool_at(s, WEEKS_PER_YEAR + 1)
    tendered, untouched = model.collective.interventions
    assert not tendered.funded() and untouched.funded()


def test_a_tender_without_pause_or_loss_is_no_tender_bit_for_bit():
    pool = {"size": 12, "recruitment_per_year": 2, "turnover_per_year": 0.15}
    plain = wijksim.simulate(scenario(pool), seed=4)
    zero = wijksim.simulate(scenario(pool, tenders=[{"at": "1 year"}]), seed=4)
    assert plain.summary().equals(zero.summary())
    pd.testing.assert_frame_equal(plain.interventions, zero.interventions, check_exact=True)


def test_standing_in_for_professional_work_wears_volunteers_out():
    def burnout_left(weight: float) -> float:
        pool = {
            "size": 10,
            "turnover_per_year": 0.0,
            "burnout": {
                "occupancy_above": 0.5,
                "extra_turnover_per_year": 1.0,
                "substitute_weight": weight,
            },
        }
        buddy = {**BUDDY, "diversion_share": 0.15, "clients_per_volunteer": 2}
        runs = [wijksim.simulate(scenario(pool, buddy), seed=k).model for k in range(4)]
        return sum(m.collective.pools["pool"].burnout_left for m in runs)

    light, heavy = burnout_left(1.0), burnout_left(3.0)
    assert heavy > light
