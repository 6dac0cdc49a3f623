"""Collective interventions: paired by construction, within capacity and funding."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

import pandas as pd
import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

import wijksim
from wijksim.model.interventions import Intervention, Team, collective
from wijksim.scenario.loading import load_scenario

SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"
BASE = load_scenario(SCENARIOS / "baseline.yaml").with_overrides({"horizon": "3 years"})

BUDDIES = {"maatjes": {"size": 6, "recruitment_per_year": 2, "turnover_per_year": 0.3}}

#: One spec of every built-in type, with an effect (for capacity and funding tests).
ACTIVE = {
    "visiting_service": {
        "themes": ["loneliness"],
        "eligibility_window": {"min": "1 months", "max": "2 months"},
        "uptake": 0.5,
        "visit_period": "6 months",
        "relative_risk": 50,
        "effect": 0.5,
        "volunteers": "maatjes",
    },
    "group_course": {
        "themes": ["psychosocial", "loneliness"],
        "cohorts_per_year": 6,
        "cohort_size": {"min": 8, "max": 12},
        "relative_risk": 40,
        "effect": 0.5,
        "capacity": 15,
        "referral_share": 0.2,
    },
    "buddy_programme": {
        "themes": ["debts"],
        "diversion_share": 0.6,
        "trajectory": {"dist": "uniform", "min": "6 months", "max": "18 months"},
        "referral_share": 0.2,
        "volunteers": "maatjes",
        "clients_per_volunteer": 2,
    },
    "resident_initiative": {
        "themes": ["loneliness", "psychosocial"],
        "lighter_share": 0.3,
        "prevention": {"loneliness": 0.2},
        "hidden_need": {"extra_share": 0.3, "half_life": "3 months"},
        "volunteers": "maatjes",
        "volunteers_needed": 6,
    },
    "front_door": {
        "themes": ["psychosocial", "self_reliance"],
        "volunteers": "maatjes",
        "clients_per_volunteer": 4,
        "time_at_door": "2 weeks",
        "resolved_share": 0.3,
        "referred_share": 0.3,
        "lighter_share": 0.5,
        "intake_factor": 0.5,
    },
    "group_trajectory": {
        "themes": ["parenting"],
        "cohorts_per_year": 4,
        "cohort_size": {"min": 10, "max": 14},
        "length": "3 months",
        "effect": 0.5,
        "relative_risk": 40,
        "unknown_share": 0.5,
        "half_life": "1 month",
        "capacity": 30,
    },
    "warm_handover": {
        "handover_share": 0.5,
        "support_period": "6 months",
        "recurrence_reduction": 0.5,
        "volunteers": "maatjes",
    },
}

#: The same types with no effect and no diversion.
ZERO = {
    "visiting_service": {**ACTIVE["visiting_service"], "effect": 0.0},
    "group_course": {**ACTIVE["group_course"], "effect": 0.0},
    "buddy_programme": {**ACTIVE["buddy_programme"], "diversion_share": 0.0},
    "resident_initiative": {
        **ACTIVE["resident_initiative"],
        "lighter_share": 0.0,
        "prevention": {},
        "hidden_need": None,
    },
    "warm_handover": {**ACTIVE["warm_handover"], "recurrence_reduction": 0.0},
    "front_door": {**ACTIVE["front_door"], "resolved_share": 0.0, "referred_share": 0.0},
    "group_trajectory": {**ACTIVE["group_trajectory"], "effect": 0.0},
}


def with_interventions(specs: dict[str, dict], **extra) -> wijksim.Scenario:
    data = BASE.to_dict()
    data["volunteers"] = BUDDIES
    data["interventions"] = [
        {"type": kind, "name": kind, **{k: v for k, v in spec.items() if v is not None}}
        for kind, spec in specs.items()
    ]
    data.update(extra)
    return wijksim.scenario.validate(data)


def team_series(run: wijksim.Run) -> pd.DataFrame:
    frame = run.timeseries
    frame = frame[frame.metric != "collective_hours"].reset_index(drop=True)
    return frame.astype({"metric": str, "theme": str})


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    kinds=st.sets(st.sampled_from(sorted(ZERO)), min_size=1),
)
def test_zero_effect_reproduces_the_baseline_bit_for_bit(seed, kinds):
    baseline = wijksim.simulate(BASE, seed=seed)
    scenario = with_interventions({k: ZERO[k] for k in kinds})
    zero = wijksim.simulate(scenario, seed=seed)
    assert zero.summary().equals(baseline.summary())
    pd.testing.assert_frame_equal(
        team_series(zero), team_series(baseline), check_categorical=False, check_exact=True
    )


def test_an_effect_changes_the_run():
    """The identity above is not vacuous: with an effect the run differs."""
    baseline = wijksim.simulate(BASE, seed=3).summary()
    active = wijksim.simulate(with_interventions(ACTIVE), seed=3).summary()
    assert active["averted"] > 0 and active["diverted"] > 0
    assert active["requests"] != baseline["requests"]


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), kinds=st.sets(st.sampled_from(sorted(ACTIVE)), min_size=1))
def test_potential_requests_are_averted_diverted_or_reach_the_team(seed, kinds):
    run = wijksim.simulate(with_interventions({k: ACTIVE[k] for k in kinds}), seed=seed)
    s = run.summary()
    assert s["averted"] + s["diverted"] + s["new_requests"] == s["potential_requests"]
    baseline = wijksim.simulate(BASE, seed=seed).summary()
    assert s["potential_requests"] == baseline["potential_requests"]  # paired by construction
    extra = s["referrals"] + s["hidden_need"] + s["recurrences"] + s["submitted"]
    assert s["requests"] == s["new_requests"] + extra


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_interventions_never_raise_the_inflow_of_their_themes(seed):
    """Per theme, fewer (or as many) new requests reach the team than in the
    baseline with the same seed; only configured hidden need adds requests."""
    scenario = with_interventions(ACTIVE)
    run = wijksim.simulate(scenario, seed=seed, record_cases=True)
    base = wijksim.simulate(BASE, seed=seed, record_cases=True)

    def reaching(cases: pd.DataFrame) -> pd.Series:
        new = cases[(cases.origin == "new") & ~cases.status.isin(["averted", "diverted"])]
        return new.groupby("theme").size().reindex(list(BASE.themes), fill_value=0)

    assert (reaching(run.cases) <= reaching(base.cases)).all()
    hidden = (run.cases.origin == "hidden_need").sum()
    assert hidden == run.model.counts["hidden_need"]
    assert hidden > 0  # the configured exception does happen


def _check_capacities(model: wijksim.WijkteamModel) -> None:
    for iv in model.collective.interventions:
        members = len(iv.places._members)
        spec = iv.spec
        if spec.capacity is not None:
            assert members <= spec.capacity * iv.availability + 1e-9
    for pool in model.collective.pools.values():
        assert 0 <= pool.used <= pool.size * 1000
        assert pool.size >= 0


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_capacity_of_interventions_and_pools_is_never_exceeded(seed):
    scenario = with_interventions(ACTIVE)
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, scenario, seed=seed)
    steps = 0
    while env.peek() < scenario.horizon:
        env.step()
        steps += 1
        _check_capacities(model)
    assert steps > 1000
    figures = wijksim.Run(model).interventions
    occupancy = figures.loc[figures["metric"] == "occupancy", "value"]
    assert all(math.isnan(o) or 0 <= o <= 1 + 1e-9 for o in occupancy)


# weeks on a coarse grid: queries fall on funding dates and pause ends
grid_weeks = st.integers(0, 40).map(lambda k: k / 2)


@given(
    start=grid_weeks,
    length=st.none() | grid_weeks.filter(bool),
    pauses=st.lists(st.tuples(grid_weeks, grid_weeks), max_size=3),
    times=st.lists(grid_weeks | st.floats(-5, 30), min_size=1, max_size=30),
)
def test_funded_answers_as_its_definition_at_any_time_in_any_order(start, length, pauses, times):
    """``funded()`` keeps its answer for the weeks in which it holds: asked at
    any moment, in any order, it gives what the funding dates and pauses say."""
    stop = None if length is None else start + length
    spec = {**ACTIVE["group_course"], "start": f"{start} weeks"}
    if stop is not None:
        spec["stop"] = f"{stop} weeks"
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, with_interventions({"group_course": spec}))
    intervention = model.collective.interventions[0]
    for begin, weeks in pauses:
        intervention.pause(begin, begin + weeks)
    for t in times:
        env._now = t  # the clock, set for the question (the model does not run)
        expected = start <= t and (stop is None or t < stop)
        expected = expected and not any(b <= t < b + w for b, w in pauses)
        assert intervention.funded() == expected, t


def test_nothing_happens_outside_the_funding_dates():
    funded = {k: {**v, "start": "1 years", "stop": "2 years"} for k, v in ACTIVE.items()}
    scenario = with_interventions(funded, horizon="4 years")
    run = wijksim.simulate(scenario, seed=11, record_cases=True)
    cases = run.cases
    start, stop = 1 * wijksim.scenario.WEEKS_PER_YEAR, 2 * wijksim.scenario.WEEKS_PER_YEAR
    for status in ("averted", "diverted"):
        times = cases.loc[cases.status == status, "arrival"]
        assert len(times) > 0
        # prevention may outlast funding by the effect period; diversion may not
        assert times.min() >= start
        limit = stop if status == "diverted" else stop + 52.2
        assert times.max() < limit
    hidden = cases.loc[cases.origin == "hidden_need", "arrival"]
    assert hidden.between(start, stop).all()
    series = run.intervention_timeseries
    participants = series[(series.metric == "participants") & (series.week <= math.floor(start))]
    assert participants.value.sum() == 0


def test_volunteers_drift_away_after_the_stop():
    scenario = with_interventions(
        {"buddy_programme": {**ACTIVE["buddy_programme"], "stop": "1 years"}},
        volunteers={"maatjes": {"size": 40, "drift_after_stop_per_year": 1.0}},
    )
    run = wijksim.simulate(scenario, seed=5)
    pool = run.intervention_timeseries.query("source == 'maatjes'").set_index("week").value
    assert pool.loc[40:52].mean() > 30
    assert pool.iloc[-10:].mean() < 15


def test_buddies_divert_debt_requests_and_refer_some_back():
    run = wijksim.simulate(
        with_interventions({"buddy_programme": ACTIVE["buddy_programme"]}), seed=2
    )
    figures = run.to_dict()["interventions"]["buddy_programme"]
    assert set(figures["diverted_by_theme"]) == {"debts"}
    assert figures["diverted"] == run.summary()["diverted"] > 0
    assert figures["referred_to_team"] == run.summary()["referrals"] > 0
    assert 0 < figures["occupancy"] <= 1


def test_warm_handover_lowers_recurrence_over_replications():
    handover = with_interventions({"warm_handover": ACTIVE["warm_handover"]})
    base, less = 0, 0
    for seed in range(6):
        base += wijksim.simulate(BASE, seed=seed).summary()["recurrences"]
        less += wijksim.simulate(handover, seed=seed).summary()["recurrences"]
    assert less < base


class PhoneCircle(Intervention):
    """A researcher's own intervention: a phone circle averts a fixed share of
    loneliness requests while funded."""

    def start(self) -> None:
        self.averts = self.themes

    def averting_probability(self, theme: str) -> float:
        return self.spec.share if self.funded() else 0.0


class PhoneCircleSpec(wijksim.InterventionSpec):
    type: Literal["telefooncirkel"] = "telefooncirkel"
    share: float = 0.5


@pytest.fixture
def phone_circle(monkeypatch):
    """The type registered for one test only (the registry is global)."""
    from wijksim.scenario import interventions

    monkeypatch.setattr(interventions, "REGISTRY", dict(interventions.REGISTRY))
    monkeypatch.setattr(interventions, "MODELS", dict(interventions.MODELS))
    wijksim.register_intervention(PhoneCircleSpec, PhoneCircle)


def test_a_researchers_own_intervention_type(tmp_path, phone_circle):
    path = tmp_path / "telefooncirkel.yaml"
    path.write_text(
        f"extends: {SCENARIOS / 'baseline.yaml'}\n"
        "horizon: 3 years\n"
        "interventions:\n"
        "  - {type: telefooncirkel, name: Telefooncirkel, themes: [loneliness], share: 0.5}\n"
    )
    run = wijksim.simulate(path, seed=4)
    figures = run.to_dict()["interventions"]["Telefooncirkel"]
    assert set(figures["averted_by_theme"]) == {"loneliness"}
    # about half the loneliness requests are averted
    potential = run.summary()["potential_requests"]
    assert 0.3 < figures["averted"] / (potential * 2.5 / 25) < 0.7


class TeamOnly:
    """The model as :class:`~wijksim.model.interventions.Team` states it: reading
    anything else, or writing anything, fails."""

    MEMBERS = frozenset(name for name in vars(Team) if not name.startswith("_"))

    def __init__(self, model):
        object.__setattr__(self, "_model", model)

    def __getattr__(self, name):
        if name not in self.MEMBERS:
            raise AttributeError(f"an intervention used model.{name}, outside the Team protocol")
        return getattr(self._model, name)

    def __setattr__(self, name, value):
        raise AttributeError(f"an intervention wrote model.{name}")


def test_built_in_interventions_use_only_the_team_protocol(monkeypatch):
    """Every built-in type runs on a model that offers only the protocol, and runs
    exactly as on the full model."""
    scenario = with_interventions(ACTIVE)
    full = wijksim.simulate(scenario, seed=3)
    real = collective.model_class
    monkeypatch.setattr(
        collective, "model_class", lambda spec: lambda s, model: real(spec)(s, TeamOnly(model))
    )
    narrow = wijksim.simulate(scenario, seed=3)
    assert narrow.summary().equals(full.summary())
    assert {"env", "scenario", "streams", "refer", "hidden_need"} <= TeamOnly.MEMBERS


def test_a_spec_needs_a_model_class_to_run(monkeypatch):
    from wijksim.scenario import interventions

    monkeypatch.setattr(interventions, "MODELS", {})
    with pytest.raises(TypeError, match="register_intervention"):
        wijksim.simulate(with_interventions({"warm_handover": ACTIVE["warm_handover"]}))
    with pytest.raises(TypeError, match="InterventionSpec"):
        wijksim.register_intervention(PhoneCircle, PhoneCircle)
    with pytest.raises(TypeError, match="default for 'type'"):
        wijksim.register_intervention(wijksim.InterventionSpec, PhoneCircle)


def test_unknown_intervention_type_is_a_clear_error(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(
        f"extends: {SCENARIOS / 'baseline.yaml'}\ninterventions:\n  - {{type: nope, name: X}}\n"
    )
    wrong = r"x\.yaml:3: interventions\.0\.type: unknown intervention type 'nope'"
    with pytest.raises(wijksim.ScenarioError, match=wrong):
        wijksim.load_scenario(path)


def test_named_interventions_merge_by_name_across_extends():
    stopped = load_scenario(SCENARIOS / "subsidie-stopt.yaml")
    everything = load_scenario(SCENARIOS / "alle-interventies.yaml")
    assert [i.name for i in stopped.interventions] == [i.name for i in everything.interventions]
    assert all(i.stop == pytest.approx(3 * 52.17857142857143) for i in stopped.interventions)
    assert everything.interventions[0].uptake == stopped.interventions[0].uptake


# -- the shipped scenarios' stories --------------------------------------------------------


def test_all_interventions_relieve_the_team():
    base = wijksim.simulate(SCENARIOS / "baseline.yaml", seed=0).summary()
    run = wijksim.simulate(SCENARIOS / "alle-interventies.yaml", seed=0)
    s = run.summary()
    assert s["requests"] < base["requests"]
    assert s["averted"] > 0 and s["diverted"] > 0
    assert set(run.interventions["intervention"]) == {
        "Bezoekdienst",
        "Grip & Glans",
        "SchuldHulpMaatje",
        "Bewonersinitiatieven",
        "Warme overdracht",
    }


def test_relief_fades_after_the_subsidy_stops():
    run = wijksim.simulate(SCENARIOS / "subsidie-stopt.yaml", seed=0)
    series = run.timeseries.query("theme == 'all'")
    relief = series[series.metric.isin(["averted", "diverted"])].groupby("week").value.sum()
    year = wijksim.scenario.WEEKS_PER_YEAR
    funded = relief.loc[1 * year : 3 * year].mean()
    after = relief.loc[4.5 * year :].mean()
    assert after < 0.3 * funded
    pools = run.intervention_timeseries.query("metric == 'volunteers'")
    by_week = pools.groupby("week").value.sum()
    assert by_week.loc[5 * year :].mean() < 0.5 * by_week.loc[2 * year : 3 * year].mean()


def test_the_squeeze_circle_and_protected_hours():
    squeezed = load_scenario(SCENARIOS / "druk-op-collectief.yaml")
    protected = squeezed.with_overrides({"team.squeeze": None})
    a = wijksim.simulate(squeezed, seed=0)
    b = wijksim.simulate(protected, seed=0)
    assert a.summary()["share_weeks_squeezed"] > 0.5
    assert b.summary()["share_weeks_squeezed"] == 0
    assert a.summary()["collective_hours"] < b.summary()["collective_hours"]
    assert a.summary()["averted"] < b.summary()["averted"]
    volunteers = [
        run.interventions.query("metric == 'mean_volunteers'")["value"].sum() for run in (a, b)
    ]
    assert volunteers[0] < volunteers[1]


def test_every_weekly_metric_has_a_dutch_label():
    run = wijksim.simulate(SCENARIOS / "alle-interventies.yaml", seed=0)
    assert set(run.timeseries.metric.astype(str)) <= set(wijksim.SERIES_LABELS)
