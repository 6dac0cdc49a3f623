"""The volunteer front door, group trajectories, and requests fed in from outside."""

from __future__ import annotations

import math

import simpy

import wijksim
from helpers import BASELINE, same_numbers
from wijksim.scenario.loading import load_scenario, validate

BASE = load_scenario(BASELINE).with_overrides({"horizon": "2 years", "warmup": "10 weeks"})

DOOR = {
    "type": "front_door",
    "name": "voordeur",
    "themes": ["psychosocial", "self_reliance", "debts"],
    "volunteers": "platform",
    "clients_per_volunteer": 2,
    "time_at_door": "3 weeks",
    "resolved_share": 0.3,
    "referred_share": 0.4,
    "lighter_share": 1.0,
    "intake_factor": 0.5,
}
PLATFORM = {"platform": {"size": 4, "turnover_per_year": 0.0}}

TRAJECTORY = {
    "type": "group_trajectory",
    "name": "wijkacademie",
    "themes": ["parenting"],
    "cohorts_per_year": 1,
    "cohort_size": {"min": 12, "max": 12},
    "length": "6 months",
    "effect": 0.5,
    "relative_risk": 10,
    "half_life": "4 months",
    "network_share": 0.5,
    "network_pool": "ouders",
}


def scenario(*interventions: dict, **extra) -> wijksim.Scenario:
    data = BASE.to_dict()
    data["interventions"] = list(interventions)
    data.update(extra)
    return validate(data)


def model_of(s: wijksim.Scenario, seed: int = 0) -> tuple[simpy.Environment, wijksim.WijkteamModel]:
    env = simpy.Environment()
    return env, wijksim.WijkteamModel(env, s, seed=seed)


# -- the front door ----------------------------------------------------------------------


def test_the_door_never_holds_more_than_its_capacity():
    env, model = model_of(scenario(DOOR, volunteers=PLATFORM), seed=4)
    door = model.collective.interventions[0]
    most = 0
    while env.peek() < 60:
        env.step()
        held = door.places.active.value
        assert held <= door.places.capacity() == 8
        most = max(most, held)
    assert most == 8  # the door did fill up ...
    assert door.full > 0  # ... and then requests went straight to the team


def test_the_door_resolves_refers_up_lighter_and_lets_the_rest_through():
    run = wijksim.simulate(
        scenario(DOOR, volunteers={"platform": {"size": 200}}), seed=1, record_cases=True
    )
    door = run.to_dict()["interventions"]["voordeur"]
    assert door["resolved"] > 0 and door["referred_up"] > 0
    assert door["diverted"] == door["resolved"] + door["referred_up"]
    shares = door["resolved"] / door["participants"], door["referred_up"] / door["participants"]
    assert math.isclose(shares[0], 0.3, abs_tol=0.06) and math.isclose(shares[1], 0.4, abs_tol=0.06)
    cases = run.cases
    referred = cases[cases.origin == "referral"]
    assert len(referred) > 0
    # a clearer question: every warm referral arrives one severity lighter (lighter_share 1)
    assert (referred.severity == "complex").sum() == 0


def test_a_warm_referral_needs_a_shorter_intake():
    def intake_hours(factor: float) -> float:
        door = {**DOOR, "resolved_share": 0.0, "referred_share": 1.0, "intake_factor": factor}
        s = scenario(door, volunteers={"platform": {"size": 500}})
        # no returns: they come straight to the team, with a full intake
        s = s.with_overrides({"neighbourhood.settled_at_intake": 0.0, "team.recurrence": None})
        model = wijksim.simulate(s, seed=2).model
        return model._intake_hours_total / model.counts["intakes"]

    full, half = intake_hours(1.0), intake_hours(0.5)
    assert half < full
    # psychosocial, self-reliance and debts are 16.25 of the 25 requests per 1,000
    assert math.isclose(half / full, 1 - 0.5 * 16.25 / 25, abs_tol=0.05)


def test_an_unfunded_door_is_the_baseline_bit_for_bit():
    door = {**DOOR, "start": "10 years"}
    zero = wijksim.simulate(scenario(door, volunteers=PLATFORM, horizon="2 years"), seed=7)
    base = wijksim.simulate(BASE, seed=7)
    assert same_numbers(zero.summary(), base.summary())


# -- requests fed in from outside ------------------------------------------------------


def _submit_all(s: wijksim.Scenario, provisions: bool) -> wijksim.WijkteamModel:
    env, model = model_of(s.with_overrides({"neighbourhood.residents": 0}), seed=3)
    requests = []

    def feed():
        for _ in range(40):
            yield env.timeout(0.5)
            requests.append(model.submit("debts", provisions=provisions))

    env.process(feed())
    env.run(until=30)
    model.fed = requests
    return model


def test_submitted_requests_pass_the_front_door_unless_told_otherwise():
    s = scenario({**DOOR, "referred_share": 0.0}, volunteers={"platform": {"size": 100}})
    passed = _submit_all(s, provisions=True)
    states = [r.state for r in passed.fed]
    assert passed.counts["submitted"] == 40
    assert states.count("diverted") == passed.counts["submitted_diverted"] > 0
    arrived = passed.counts["requests"] - passed.counts["recurrences"]
    assert arrived == 40 - passed.counts["submitted_diverted"]
    assert passed.counts["diverted"] == 0  # the potential-request identity is untouched
    skipped = _submit_all(s, provisions=False)
    assert skipped.counts["submitted_diverted"] == 0
    assert skipped.counts["requests"] - skipped.counts["recurrences"] == 40


# -- group trajectories -----------------------------------------------------------------


def test_a_trajectorys_effect_fades_with_its_half_life():
    s = scenario({**TRAJECTORY, "stop": "1 month"}, volunteers={"ouders": {"size": 0}})
    env, model = model_of(s)  # one cohort: funding stops before the next
    academy = model.collective.interventions[0]
    theme = "parenting"
    env.run(until=10)
    during = academy.averting_probability(theme)
    assert math.isclose(during, 12 * 10 * 0.5 / 18000)  # 12 parents, all in the group
    length = 6 * wijksim.scenario.WEEKS_PER_YEAR / 12
    half_life = 4 * wijksim.scenario.WEEKS_PER_YEAR / 12
    env.run(until=length + 1e-6)
    at_end = academy.averting_probability(theme)
    assert math.isclose(at_end, during, rel_tol=1e-6)  # the effect lasts past the end
    env.run(until=length + half_life)
    assert math.isclose(academy.averting_probability(theme), at_end / 2, rel_tol=1e-5)
    env.run(until=length + 3 * half_life)
    assert math.isclose(academy.averting_probability(theme), at_end / 8, rel_tol=1e-5)


def test_trajectory_participants_go_on_to_support_others():
    pool = {"size": 0, "turnover_per_year": 0.0, "drift_after_stop_per_year": 0.0}
    run = wijksim.simulate(scenario(TRAJECTORY, volunteers={"ouders": pool}), seed=5)
    academy = run.model.collective.interventions[0]
    assert 0 < academy.joined_volunteers < academy.started
    assert run.model.collective.pools["ouders"].size == academy.joined_volunteers


def test_a_trajectory_reaches_residents_unknown_to_the_team():
    s = scenario({**TRAJECTORY, "unknown_share": 0.6, "network_pool": None, "network_share": 0})
    academy = wijksim.simulate(s, seed=6).to_dict()["interventions"]["wijkacademie"]
    assert math.isclose(academy["reached_unknown"] / academy["participants"], 0.6, abs_tol=0.2)
