"""A team by discipline: one discipline is the single pool bit for bit; a full
discipline does not block another; collective hours come only from the
disciplines that hold them."""

from __future__ import annotations

import pytest
import simpy

import wijksim
from helpers import REPO, same_numbers
from wijksim.scenario import ScenarioError
from wijksim.scenario.loading import load_scenario, validate

ALL = load_scenario(REPO / "scenarios" / "alle-interventies.yaml").with_overrides(
    {"horizon": "3 years"}
)


def by_discipline(disciplines: dict, base: wijksim.Scenario = ALL, **team) -> wijksim.Scenario:
    data = base.to_dict()
    data["team"]["disciplines"] = disciplines
    data["team"].update(team)
    return validate(data)


@pytest.mark.parametrize("seed", [0, 5])
@pytest.mark.parametrize("queue", ["fifo", "priority"])
def test_a_team_of_one_discipline_is_the_single_pool_bit_for_bit(seed, queue):
    pool = ALL.with_overrides({"team.queue": queue})
    fte, ceiling = pool.team.fte, pool.team.caseload_ceiling_per_fte  # as the pool has them
    one = by_discipline(
        {"wijkteam": {"fte": fte, "caseload_ceiling_per_fte": ceiling, "collective": True}}, pool
    )
    assert one.team.fte == fte and one.team.caseload_ceiling_per_fte == ceiling
    a, b = wijksim.simulate(pool, seed=seed), wijksim.simulate(one, seed=seed)
    assert same_numbers(a.summary(), b.summary())
    assert a.summary()["collective_hours"] > 0


OTHERS = ["psychosocial", "parenting", "self_reliance", "loneliness", "housing"]


def test_a_full_discipline_does_not_block_another():
    team = {
        "schulden": {"fte": 1, "caseload_ceiling_per_fte": 5, "themes": ["debts"]},
        "algemeen": {"fte": 9, "caseload_ceiling_per_fte": 40, "themes": OTHERS},
    }
    # no discipline here holds collective hours: none are planned (issue 19, part 4)
    base = ALL.with_overrides(
        {"interventions": [], "volunteers": {}, "team.collective_hours_per_week": 0}
    )
    s = by_discipline(team, base).with_overrides({"initial_state.caseload": 0})
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, s, seed=1)
    teams = model._teams
    waited_with_room = 0
    while env.peek() < 100:
        env.step()
        for load, capacity in zip(teams.load, teams.capacity, strict=True):
            assert load <= capacity
        waiting = [
            r
            for r in (model._queue if model._fifo else [e[2] for e in model._queue])
            if r.status == 0
        ]
        # every waiting request is a debt request: the generalists always have room
        assert all(r.theme == "debts" for r in waiting)
        waited_with_room += bool(waiting)
    assert waited_with_room > 0  # the debt specialist was full for a while


def test_fallback_takes_requests_when_their_own_discipline_is_full():
    team = {  # the generalists with room to spare for the debt requests too
        "schulden": {"fte": 1, "caseload_ceiling_per_fte": 5, "themes": ["debts"]},
        "algemeen": {"fte": 9, "caseload_ceiling_per_fte": 50, "themes": OTHERS},
    }
    base = ALL.with_overrides({"interventions": [], "volunteers": {}})
    base = base.with_overrides({"team.collective_hours_per_week": 0})
    alone = wijksim.simulate(by_discipline(team, base), seed=2).summary()
    helped = wijksim.simulate(by_discipline(team, base, fallback=["algemeen"]), seed=2).summary()
    assert helped["mean_wait_weeks"] < alone["mean_wait_weeks"]


def test_a_team_without_welfare_workers_has_no_collective_hours():
    """Hours its collective disciplines cannot give are refused, as a plain
    team refuses hours beyond its own (issue 19, part 4: they were cut to
    nothing without a word); planned at zero, the provisions get none."""
    team = {
        "algemeen": {"fte": 9, "caseload_ceiling_per_fte": 25},
        "verbinder": {"fte": 0, "caseload_ceiling_per_fte": 25, "collective": True},
    }
    with pytest.raises(ScenarioError, match=r"collective_hours_per_week: more than the 0 hours"):
        by_discipline(team)
    run = wijksim.simulate(by_discipline(team, collective_hours_per_week=0), seed=3)
    assert run.summary()["collective_hours"] == 0
    hours = run.interventions.query("metric == 'professional_hours'")["value"]
    assert len(hours) and (hours == 0).all()
    team["verbinder"]["fte"] = 1
    run = wijksim.simulate(by_discipline(team), seed=3)
    assert run.summary()["collective_hours"] > 0


def test_collective_hours_shrink_only_the_ceiling_of_who_gives_them():
    team = {
        "algemeen": {"fte": 9, "caseload_ceiling_per_fte": 25},
        "verbinder": {"fte": 1, "caseload_ceiling_per_fte": 20, "collective": True},
    }
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, by_discipline(team), seed=0)
    # 10 of the community builder's 36 hours go to collective work
    assert model._teams.capacity == [225_000, round(20 * (1 - 10 / 36) * 1000)]


def test_disciplines_name_known_themes_and_cover_every_theme():
    with pytest.raises(ScenarioError) as info:
        by_discipline({"schulden": {"fte": 1, "caseload_ceiling_per_fte": 5, "themes": ["debt"]}})
    messages = {p.path: p.message for p in info.value.problems}
    assert "unknown theme 'debt'" in messages["team.disciplines.schulden.themes"]
    assert "no discipline takes theme" in messages["team.disciplines"]
    with pytest.raises(ScenarioError, match="unknown discipline 'nobody'"):
        by_discipline({"a": {"fte": 1, "caseload_ceiling_per_fte": 5}}, fallback=["nobody"])


def test_cases_say_which_discipline_took_them():
    team = {
        "schulden": {"fte": 1, "caseload_ceiling_per_fte": 5, "themes": ["debts"]},
        "algemeen": {"fte": 9, "caseload_ceiling_per_fte": 40, "themes": OTHERS},
    }
    base = ALL.with_overrides({"interventions": [], "volunteers": {}, "horizon": "2 years"})
    s = by_discipline(team, base.with_overrides({"team.collective_hours_per_week": 0}))
    cases = wijksim.simulate(s, seed=1, record_cases=True).cases
    taken = cases[cases.status.isin(["in_care", "closed"])]
    assert set(taken.loc[taken.theme == "debts", "discipline"]) == {"schulden"}
    assert set(taken.loc[taken.theme != "debts", "discipline"]) == {"algemeen"}
    assert "discipline" not in wijksim.simulate(base, seed=1, record_cases=True).cases
