"""The model on simpy: embedding in another model, random streams, the mechanisms."""

from __future__ import annotations

import math
import pathlib

import numpy as np
import pandas as pd
import pytest
import simpy
from scipy import stats

import wijksim
from helpers import BASELINE, REPO, make_mmc, rich_scenario, same_numbers
from wijksim.model.requests import CLOSED
from wijksim.scenario.units import WEEKS_PER_MONTH

# -- embedding: another process feeds the team --------------------------------------------------


def assert_same_demand(a, b) -> None:
    """The model's own ('new') requests arrive at the same times with the same draws."""
    a = a[a.origin == "new"].reset_index(drop=True)
    b = b[b.origin == "new"].reset_index(drop=True)
    assert len(a) > 100
    for column in ("arrival", "theme"):
        assert a[column].equals(b[column]), column
    # severity and duration as drawn at arrival (an escalation while waiting changes both)
    kept = ~(a.escalated | b.escalated)
    assert kept.mean() > 0.8
    for column in ("severity", "duration"):
        assert a[column][kept].equals(b[column][kept]), column


def embedded_run(scenario, seed, submissions):
    """Run ``scenario`` in our own environment, with a referrer process that
    submits a request at each of ``submissions`` (weeks) and waits for it."""
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, scenario, seed=seed, record_cases=True)
    log = []

    def referrer(env):
        for at in submissions:
            yield env.timeout(max(0.0, at - env.now))
            request = model.submit("debts")
            assert request.origin == "submitted"
            done = yield model.done(request)
            log.append((request, done, env.now))

    env.process(referrer(env))
    env.run(until=scenario.horizon)
    return model, log


def test_submitted_requests_are_taken_on_and_closed():
    scenario = rich_scenario({"horizon": "150 weeks", "team.patience": None})
    model, log = embedded_run(scenario, seed=5, submissions=[2.0, 30.0, 60.0])
    assert len(log) == 3
    for request, done, when in log:
        assert done is request
        assert request.theme == "debts"
        assert request.status == CLOSED
        assert request.end == pytest.approx(when)
        assert request.intake >= request.arrival
        assert request.end == pytest.approx(request.intake + request.duration)
    cases = wijksim.Run(model).cases
    submitted = cases[cases.origin == "submitted"]
    assert len(submitted) == 3 and (submitted.status == "closed").all()


def test_a_caller_waits_for_intake_and_then_for_closure():
    """The intake event fires when the team takes the case on (after a wait when
    the ceiling is full), the done event when it closes; and a request that gives
    up fires intake too, without an intake time."""
    scenario = rich_scenario({"horizon": "150 weeks", "team.fte": 2})
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, scenario, seed=2)
    seen = []

    def referrer(env):
        for _ in range(12):
            request = model.submit("debts")
            taken = yield model.intake(request)
            at_intake = (request.state, env.now)
            if request.state == "in_care":
                yield model.done(request)
            seen.append((taken is request, at_intake, request.state, env.now, request))

    env.process(referrer(env))
    env.run(until=scenario.horizon)
    assert len(seen) >= 2
    kinds = set()
    for is_request, (state, when), final, end, request in seen:
        assert is_request
        kinds.add(state)
        if state == "in_care":
            assert when == pytest.approx(request.intake) and final == "closed"
            assert end == pytest.approx(request.end)
        else:
            assert state == "reneged" and request.intake is None
    assert "in_care" in kinds
    assert any(request.wait > 0 for *_, request in seen if request.intake is not None)
    # asked for after the fact, both have fired already
    request = seen[0][-1]
    assert model.intake(request).triggered and model.done(request).triggered


def test_submitting_does_not_change_the_models_own_demand():
    scenario = rich_scenario({"horizon": "100 weeks"})
    alone, _ = embedded_run(scenario, seed=8, submissions=[])
    fed, log = embedded_run(scenario, seed=8, submissions=[1.0, 3.5, 20.0, 40.0])
    assert log  # at least one submission went through
    a, b = wijksim.Run(alone).cases, wijksim.Run(fed).cases
    assert_same_demand(a, b)
    # the submissions did compete for the team
    assert (b.origin == "submitted").sum() == len(log)


def test_submit_with_a_given_severity_and_done_after_the_fact():
    scenario = rich_scenario({"team.caseload_ceiling_per_fte": "unlimited"})
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, scenario, seed=1)
    request = model.submit("loneliness", "complex")
    assert request.severity == "complex"
    assert request.wait == 0.0  # no ceiling: taken on at once
    env.run(until=request.duration + 1)
    late = model.done(request)  # asked for after it closed: fires at once
    assert late.triggered and late.value is request
    assert model.done(request) is late
    with pytest.raises(ValueError):
        model.submit("housing")  # no such theme


def test_model_built_in_a_running_environment_counts_from_its_own_start():
    scenario = rich_scenario()
    env = simpy.Environment()
    env.run(until=13.25)
    model = wijksim.WijkteamModel(env, scenario, seed=6)
    assert model.now == 0.0
    env.run(until=13.25 + scenario.horizon)
    late = wijksim.Run(model).summary()
    fresh = wijksim.simulate(scenario, seed=6).summary()
    for key, value in fresh.items():
        if math.isnan(value):
            assert math.isnan(late[key]), key
        else:
            assert late[key] == pytest.approx(value, rel=1e-9, abs=1e-9), key


@pytest.mark.parametrize("stepped", [False, True])
def test_two_models_share_one_environment(stepped):
    """Each team's timers interleave with the other's (and its provisions'),
    run or stepped by hand: each gives what it gives alone, bit for bit."""
    one = rich_scenario()
    two = wijksim.load_scenario(REPO / "scenarios" / "alle-interventies.yaml")
    two = two.with_overrides({"horizon": f"{one.horizon} weeks", "warmup": f"{one.warmup} weeks"})
    env = simpy.Environment()
    a = wijksim.WijkteamModel(env, one, seed=1)
    b = wijksim.WijkteamModel(env, two, seed=1)
    if stepped:
        while env.peek() < one.horizon:
            env.step()
    env.run(until=one.horizon)  # (stepped: the clock from the last event to the horizon)
    assert same_numbers(wijksim.Run(a).summary(), wijksim.simulate(one, seed=1).summary())
    assert same_numbers(wijksim.Run(b).summary(), wijksim.simulate(two, seed=1).summary())
    alone = wijksim.simulate(two, seed=1).interventions
    pd.testing.assert_frame_equal(wijksim.Run(b).interventions, alone, check_exact=True)


@pytest.mark.parametrize("path", ["scenarios/baseline.yaml", "scenarios/alle-interventies.yaml"])
def test_the_engine_keeps_its_state_in_slots(path):
    """Every attribute the engine sets has a slot (an attribute without one lands
    in the instance dict, which is then slow for all of them); a caller's own
    attributes still fit."""
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, wijksim.load_scenario(REPO / path), seed=1)
    env.run(until=60)
    assert vars(model) == {}
    model.mine = 1
    assert vars(model) == {"mine": 1}


# -- random streams ------------------------------------------------------------------------------


def test_streams_do_not_depend_on_which_were_created_first():
    first = wijksim.Streams(7)
    expected = first.rng("demand.debts").random(20)
    other = wijksim.Streams(7)
    for name in ("b", "demand.loneliness", "new.duration.debts.light"):
        other.rng(name).random(100)
    assert np.array_equal(other.rng("demand.debts").random(20), expected)


def test_streams_differ_by_name_and_by_seed():
    draws = {
        (seed, name): wijksim.Streams(seed).rng(name).random(10)
        for seed in (1, 2)
        for name in ("x", "y", "demand.debts")
    }
    keys = list(draws)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            assert not np.array_equal(draws[a], draws[b]), (a, b)


def test_streams_rng_is_kept_and_helpers_follow_it():
    streams = wijksim.Streams(3)
    assert streams.rng("a") is streams.rng("a")
    uniform = wijksim.Streams(3).uniforms("u")
    assert np.array_equal([uniform() for _ in range(600)], wijksim.Streams(3).rng("u").random(600))
    exponential = wijksim.Streams(3).exponentials("e")
    assert np.array_equal(
        [exponential() for _ in range(600)],
        wijksim.Streams(3).rng("e").standard_exponential(600),
    )
    assert streams.names == ["a"]


def test_streams_seed_sequence():
    a = wijksim.Streams([1, 2]).rng("x").random(5)
    assert np.array_equal(a, wijksim.Streams((1, 2)).rng("x").random(5))
    assert not np.array_equal(a, wijksim.Streams([1, 3]).rng("x").random(5))


def test_streams_accept_numpy_integer_seeds():
    expected = wijksim.Streams(3).rng("x").random(5)
    assert np.array_equal(wijksim.Streams(np.int64(3)).rng("x").random(5), expected)


def test_common_random_numbers_across_scenarios():
    """A scenario change never shifts the demand: same arrivals, themes and severities."""
    base = rich_scenario()
    variants = [
        base.with_overrides({"team.fte": 2}),
        base.with_overrides({"team.queue": "priority"}),
        base.with_overrides({"team.patience": None, "team.escalation": None}),
    ]
    reference = wijksim.simulate(base, seed=3, record_cases=True).cases
    for variant in variants:
        assert_same_demand(reference, wijksim.simulate(variant, seed=3, record_cases=True).cases)


def test_adding_a_theme_leaves_the_other_themes_demand_alone():
    base = rich_scenario({"team.caseload_ceiling_per_fte": "unlimited"})
    data = base.to_dict()
    data["neighbourhood"]["themes"]["housing"] = {"requests_per_1000": 15}
    more = wijksim.Scenario.model_validate(data)
    a = wijksim.simulate(base, seed=2, record_cases=True).cases
    b = wijksim.simulate(more, seed=2, record_cases=True).cases
    for theme in ("debts", "loneliness"):
        x = a[(a.theme == theme) & (a.origin == "new")].reset_index(drop=True)
        y = b[(b.theme == theme) & (b.origin == "new")].reset_index(drop=True)
        assert x["arrival"].equals(y["arrival"]) and x["duration"].equals(y["duration"]), theme
    assert (b.theme == "housing").any()


# -- the mechanisms, statistically ------------------------------------------------------------


def long_run(overrides, seed=1):
    scenario = rich_scenario(overrides)
    return scenario, wijksim.simulate(scenario, seed=seed, record_cases=True)


def test_monthly_profile_shapes_the_arrivals():
    profile = [3, 1, 1, 1, 1, 1, 0.5, 0.5, 1, 1, 1, 2]
    scenario, run = long_run(
        {
            "horizon": "30 years",
            "warmup": "0 weeks",
            "neighbourhood.themes.debts.monthly_profile": profile,
            "team.caseload_ceiling_per_fte": "unlimited",
            "team.recurrence": None,
            "initial_state.caseload": 0,
            "initial_state.waiting_list": 0,
        }
    )
    debts = run.cases[(run.cases.theme == "debts") & (run.cases.origin == "new")]
    months = (np.floor(debts.arrival / WEEKS_PER_MONTH) % 12).astype(int)
    counts = np.bincount(months, minlength=12)
    expected = np.array(profile) / sum(profile) * counts.sum()
    assert stats.chisquare(counts, expected).pvalue > 0.001
    # the yearly total follows requests_per_1000 (the profile is normalised to mean 1)
    rate = 4000 / 1000 * 40 / (12 * WEEKS_PER_MONTH)
    assert counts.sum() == pytest.approx(rate * scenario.horizon, rel=0.05)


def test_severity_mix_and_settled_at_intake():
    _, run = long_run({"horizon": "20 years", "team.caseload_ceiling_per_fte": "unlimited"}, seed=4)
    new = run.cases[run.cases.origin == "new"]
    for theme, mix in {
        "debts": {"light": 0.4, "regular": 0.45, "complex": 0.15},
        "loneliness": {"light": 0.7, "regular": 0.3, "complex": 0.0},
    }.items():
        of_theme = new[new.theme == theme]
        shares = of_theme.severity.value_counts(normalize=True)
        for severity, share in mix.items():
            assert shares.get(severity, 0.0) == pytest.approx(share, abs=0.03), (theme, severity)
    light = new[new.severity == "light"]
    assert (light.status == "settled_at_intake").mean() == pytest.approx(0.3, abs=0.03)
    assert not (new[new.severity != "light"].status == "settled_at_intake").any()


def test_escalation_probability_follows_the_hazard():
    """A request escalates if its exponential time to escalation (hazard 0.05 per
    week) is shorter than its wait: P = 1 - exp(-h w) given the wait w."""
    hazard = 0.05
    _, run = long_run({"horizon": "15 years"}, seed=2)
    cases = run.cases
    taken_on = cases[cases.intake.notna() & (cases.origin != "initial") & (cases.wait > 0)]
    p = 1 - np.exp(-hazard * taken_on.wait.to_numpy())
    observed = taken_on.escalated.sum()
    sd = math.sqrt((p * (1 - p)).sum())
    assert abs(observed - p.sum()) < 4 * sd, (observed, p.sum(), sd)
    assert 0.05 < p.mean() < 0.5  # waits are neither negligible nor endless: the check has power
    assert not cases[cases.wait == 0].escalated.any()


def test_recurrence_share():
    _, run = long_run({"horizon": "15 years", "team.fte": 8}, seed=3)
    s = wijksim.Run(run.model).summary()
    cases = run.cases
    closed = cases[cases.status == "closed"]
    recurred = (cases.origin == "recurrence").sum()
    # 30% of closures come back (a few late ones after the horizon)
    assert recurred / len(closed) == pytest.approx(0.3, abs=0.03)
    assert s["recurrences"] > 0


def test_patience_reneging_with_zero_fte():
    """Nobody is taken on: a request reneges when its exponential patience runs out."""
    scenario, run = long_run(
        {
            "team.fte": 0,
            "horizon": "400 weeks",
            "warmup": "0 weeks",
            "initial_state.caseload": 0,
            "initial_state.waiting_list": 0,
        },
        seed=5,
    )
    cases = run.cases
    waited = cases[cases.status.isin(["waiting", "reneged"])]
    time_on_list = np.where(
        waited.status == "reneged", waited.end - waited.arrival, scenario.horizon - waited.arrival
    )
    # exponential patience, mean 10 weeks, right-censored at the horizon: MLE of the mean
    mean = time_on_list.sum() / (waited.status == "reneged").sum()
    assert mean == pytest.approx(10.0, rel=0.08)


def test_summary_counts_only_what_happened_after_the_warmup():
    scenario, run = long_run({"horizon": "60.5 weeks", "warmup": "12.25 weeks"}, seed=7)
    s = run.summary()
    cases = run.cases
    assert s["weeks"] == pytest.approx(60.5 - 12.25)
    after = cases[(cases.arrival >= scenario.warmup) & (cases.origin != "initial")]
    assert s["requests"] == len(after)
    assert s["settled_at_intake"] == (after.status == "settled_at_intake").sum()
    assert (
        s["intakes"]
        == ((cases.intake >= scenario.warmup) & (cases.status != "settled_at_intake")).sum()
    )
    assert s["reneged"] == ((cases.status == "reneged") & (cases.end >= scenario.warmup)).sum()
    assert s["waiting_list_end"] == (cases.status == "waiting").sum()
    assert s["caseload_end"] == (cases.status == "in_care").sum()


def test_summary_before_the_warmup_ends_is_all_nan():
    scenario = rich_scenario()
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, scenario, seed=1)
    env.run(until=scenario.warmup / 2)
    assert all(math.isnan(v) for v in wijksim.Run(model).summary())


def test_cases_need_record_cases():
    run = wijksim.simulate(make_mmc(1, 0.5, horizon="10 weeks", warmup="0 weeks").scenario)
    with pytest.raises(ValueError, match="record_cases"):
        _ = run.cases


def test_initial_caseload_and_waiting_list():
    scenario = rich_scenario({"initial_state.caseload": 25, "initial_state.waiting_list": 9})
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, scenario, seed=2)
    state = model.state()
    assert state["initial"] == 34
    assert state["requests"] == 0
    assert state["in_care"] + state["waiting"] == 34
    assert state["in_care"] >= 25  # the initial caseload is in care whatever the ceiling


def test_the_model_says_what_is_wrong_in_words():
    import simpy

    from wijksim.model import WijkteamModel

    with pytest.raises(TypeError, match=r"simpy\.Environment, not NoneType"):
        WijkteamModel(None, BASELINE)
    with pytest.raises(TypeError, match=r"use Scenario\.model_validate"):
        WijkteamModel(simpy.Environment(), {"horizon": "1 week"})
    model = WijkteamModel(simpy.Environment(), str(BASELINE))  # a path, as simulate takes
    with pytest.raises(ValueError, match=r"unknown theme 'nonsense' \(themes: "):
        model.submit("nonsense")
    with pytest.raises(ValueError, match=r"unknown severity 'huge' \(severities: light"):
        model.submit(model.themes[0], "huge")


def test_a_run_with_progress_gives_the_same_bits_and_reports_every_week():
    scenario = rich_scenario()
    calls = []
    with_progress = wijksim.simulate(scenario, seed=3, progress=lambda d, t: calls.append((d, t)))
    plain = wijksim.simulate(scenario, seed=3)
    assert same_numbers(with_progress.summary(), plain.summary())
    weeks = math.ceil(scenario.horizon)
    assert calls[-1] == (weeks, weeks)
    assert [d for d, _ in calls] == sorted({d for d, _ in calls})


def test_the_model_takes_a_scenario_path_like_simulate():
    path = pathlib.Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, path, seed=4)
    env.run(until=model.scenario.horizon)
    assert wijksim.Run(model).summary().equals(wijksim.simulate(path, seed=4).summary())


def test_a_summary_has_the_same_keys_during_and_after_the_warm_up():
    # the warm-up's all-NaN summary is written from SUMMARY_KEYS, the real one
    # figure by figure: the two lists must not drift apart
    from wijksim.model.results import SUMMARY_KEYS, summary

    scenario = rich_scenario()
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, scenario, seed=1)
    env.run(until=scenario.warmup / 2)
    during = summary(model)
    env.run(until=scenario.horizon)
    after = summary(model)
    assert list(during) == list(after) == list(SUMMARY_KEYS)
    assert all(math.isnan(v) for v in during.values())
    assert not math.isnan(after["mean_caseload"])


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda m: m.refer("nonsense", "light"), r"unknown theme 'nonsense' \(themes: "),
        (lambda m: m.refer(m.themes[0], "huge"), r"unknown severity 'huge' \(severities: "),
        (lambda m: m.hidden_need(None), r"unknown theme None \(themes: "),
        (lambda m: m.refer(m.themes[0], "light", -1.0), "intake_factor is a number of at least 0"),
        (lambda m: m.refer(m.themes[0], "light", math.nan), "intake_factor is a number of at"),
        (lambda m: m.timer("1", print), "a timer's delay is a number of weeks"),
        (lambda m: m.timer(None, print), "a timer's delay is a number of weeks"),
        (lambda m: m.timer(-1.0, print), "a timer's delay is a number of weeks"),
        (lambda m: m.set_collective_hours(-5), "collective hours are a number of hours"),
        (lambda m: m.set_collective_hours(math.nan), "collective hours are a number of hours"),
        (lambda m: m.set_collective_hours("8"), "collective hours are a number of hours"),
        (lambda m: m.set_collective_hours(1e9), r"from 0 to the \d+ the team can give"),
    ],
)
def test_the_team_methods_of_interventions_say_what_is_wrong_in_words(call, words):
    """As submit does: not "tuple.index(x): x not in tuple", nor a negative
    intake that gives hours back."""
    from wijksim.model import WijkteamModel

    model = WijkteamModel(simpy.Environment(), BASELINE, seed=1)
    with pytest.raises(ValueError, match=words):
        call(model)


def test_a_timer_without_a_function_is_refused_when_set_not_when_it_fires():
    from wijksim.model import WijkteamModel

    model = WijkteamModel(simpy.Environment(), BASELINE, seed=1)
    with pytest.raises(TypeError, match="a timer's callback is a function"):
        model.timer(1.0, 3)
