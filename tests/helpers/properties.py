"""Strategies and checks shared by the property tests: variations of the rich
scenario, seeds, and the conservation of requests at any moment."""

from __future__ import annotations

from collections import Counter

from hypothesis import strategies as st

import wijksim
from wijksim.model import results

seeds = st.integers(min_value=0, max_value=2**32 - 1)

#: Variations of the rich scenario: every mechanism can be on or off.
variations = st.fixed_dictionaries(
    {
        "team.fte": st.sampled_from([0, 1, 2.5, 4, 6]),
        "team.caseload_ceiling_per_fte": st.sampled_from([1, 5, 12, 30]),
        "team.queue": st.sampled_from(["fifo", "priority"]),
        "team.patience": st.sampled_from([None, {"dist": "exponential", "mean": "6 weeks"}]),
        "team.escalation": st.sampled_from([None, {"hazard_per_week": 0.1}]),
        "team.recurrence": st.sampled_from(
            [None, {"probability": 0.5, "delay": {"dist": "exponential", "mean": "3 weeks"}}]
        ),
        "neighbourhood.settled_at_intake": st.sampled_from([0.0, 0.5, 1.0]),
        "initial_state.caseload": st.integers(0, 40),
        "initial_state.waiting_list": st.integers(0, 15),
        "horizon": st.sampled_from(["30 weeks", "45.5 weeks"]),
        "warmup": st.sampled_from(["0 weeks", "5 weeks"]),
    }
).filter(
    # a ceiling smaller than the heaviest case (1.5 slots) is refused at validation:
    # that case could never be taken on
    lambda o: (
        o["team.fte"] * o["team.caseload_ceiling_per_fte"] in (0, 0.0)
        or o["team.fte"] * o["team.caseload_ceiling_per_fte"] >= 1.5
    )
)


def check_state(model: wijksim.WijkteamModel) -> dict[str, int]:
    """Conservation of requests, against the model's counters and its recorded requests."""
    state = model.state()
    assert all(value >= 0 for value in state.values()), state
    assert state["initial"] + state["requests"] == (
        state["settled_at_intake"]
        + state["waiting"]
        + state["in_care"]
        + state["closed"]
        + state["reneged"]
    ), state
    cases = results.cases(model)
    statuses = Counter(cases["status"]) if len(cases) else Counter()
    assert len(cases) == state["initial"] + state["requests"]
    for key in ("waiting", "in_care", "closed", "reneged", "settled_at_intake"):
        assert statuses[key] == state[key], key
    # the load (slots) is the case weights of those in care: held exactly in
    # thousandths, it never drifts however many cases came and went
    weights = model.scenario.team.case_weight
    in_care = cases[cases["status"] == "in_care"] if len(cases) else cases
    expected = sum(round(weights[s] * 1000) for s in in_care.get("severity", []))
    assert model.load == expected / 1000
    return state
