"""Statistics over replications: intervals, warm-up (Welch, MSER-5), replications needed."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import wijksim
from wijksim.analysis.precision import precision_table, replications_needed
from wijksim.analysis.warmup import held_still, moving_average, mser, seasons, welch
from wijksim.experiment.intervals import paired_interval, t_interval, welch_interval

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"


def test_t_interval_matches_the_textbook():
    x = [2.0, 4.0, 4.0, 5.0, 7.0]
    interval = t_interval(x)
    half = stats.t.ppf(0.975, 4) * np.std(x, ddof=1) / math.sqrt(5)
    assert interval.mean == 4.4
    assert interval.low == pytest.approx(4.4 - half)
    assert interval.high == pytest.approx(4.4 + half)
    assert math.isnan(t_interval([1.0]).low)


def test_t_interval_covers_the_mean_about_95_percent_of_the_time():
    rng = np.random.default_rng(0)
    hits = sum(
        (lambda i: i.low <= 3.0 <= i.high)(t_interval(rng.normal(3.0, 2.0, 10)))
        for _ in range(2000)
    )
    assert 0.93 < hits / 2000 < 0.97


def test_paired_and_welch_intervals():
    rng = np.random.default_rng(1)
    common = rng.normal(0, 5, 30)
    base, alt = common + rng.normal(0, 0.5, 30), common + 1 + rng.normal(0, 0.5, 30)
    paired, welch_ = paired_interval(alt, base), welch_interval(alt, base)
    assert paired.mean == pytest.approx(welch_.mean)
    assert paired.half_width < welch_.half_width / 3  # correlation pays off
    with pytest.raises(ValueError):
        paired_interval([1, 2], [1])


def test_moving_average_follows_welchs_definition():
    y = np.arange(1.0, 11.0)
    ma = moving_average(y, 2)
    assert len(ma) == 8
    assert ma[0] == 1.0  # y1
    assert ma[1] == pytest.approx(np.mean(y[0:3]))  # (y1+y2+y3)/3
    assert ma[4] == pytest.approx(np.mean(y[2:7]))  # centred, 2w+1 = 5 values
    with pytest.raises(ValueError):
        moving_average(y, 5)


def transient(length: int = 300, warm: int = 60, seed: int = 0) -> np.ndarray:
    """A series that falls linearly from 50 to its level 10 over ``warm`` weeks."""
    rng = np.random.default_rng(seed)
    level = np.full(length, 10.0)
    level[:warm] = np.linspace(50, 10, warm)
    return level + rng.normal(0, 1, length)


def test_welch_finds_the_end_of_a_known_transient():
    result = welch(transient(), window=5)
    assert 45 <= result.warmup <= 65
    assert result.settled
    assert welch(np.full(200, 3.0), window=5).warmup == 0


def test_mser5_finds_the_end_of_a_known_transient():
    result = mser(transient())
    assert 45 <= result.warmup <= 70
    assert result.warmup % 5 == 0
    assert result.settled
    assert mser(transient(warm=1)).warmup <= 10


def test_mser5_says_when_the_run_is_too_short():
    rising = np.linspace(0, 100, 200)  # never settles
    assert not mser(rising).settled


def test_recommend_warmup_on_the_model():
    scenario = wijksim.load_scenario(BASELINE, {"horizon": "3 years"})
    report = wijksim.recommend_warmup(scenario, replications=3, workers=1)
    assert set(report.table["method"]) == {"welch", "mser-5"}
    assert 0 <= report.recommended_weeks < scenario.horizon
    assert {"week", "metric", "mean", "moving_average"} <= set(report.series.columns)


SCENARIOS = sorted((BASELINE.parent).glob("*.yaml"))


def _starting_teams() -> list:
    """The shipped scenarios held still, one of each (most are the baseline's
    team), with the longest warm-up a scenario using it ships with. A warm-up
    of 0 declares a study of the way from today's state (wachtlijst-nu)."""
    teams: dict[str, list] = {}
    for path in SCENARIOS:
        scenario = wijksim.load_scenario(path)
        if scenario.warmup == 0:
            continue
        still = held_still(scenario)
        data = still.to_dict()
        del data["name"], data["description"], data["costs"]
        seen = teams.setdefault(repr(data), [path.stem, still, scenario.warmup])
        seen[2] = max(seen[2], scenario.warmup)
    return [pytest.param(still, shipped, id=name) for name, still, shipped in teams.values()]


@pytest.mark.parametrize("still, shipped", _starting_teams())
def test_shipped_warmups_agree_with_the_advice(still, shipped):
    """Issue 9, item 5: every shipped scenario's warm-up is at least what
    ``wijksim warmup`` advises for it (20 pilots, as a user would run it)."""
    report = wijksim.recommend_warmup(still, replications=20, workers=1)
    assert report.recommended_weeks <= shipped, report.table


def test_the_advice_sees_a_start_far_from_the_settled_level():
    """The other side of the agreement: an empty team, or one without the
    returns on their way, needs more than the shipped year."""
    for start in ({"caseload": 0, "waiting_list": 0}, {"pending_returns": False}):
        scenario = wijksim.load_scenario(BASELINE, {"initial_state": start})
        report = wijksim.recommend_warmup(scenario, replications=20, workers=1)
        assert report.recommended_weeks > scenario.warmup, (start, report.table)


def test_held_still_keeps_the_team_and_drops_what_changes():
    moving = wijksim.load_scenario(BASELINE.parent / "groeiende-vraag.yaml")
    assert moving.interventions and moving.shocks
    still = held_still(moving)
    assert not still.interventions and not still.volunteers and not still.shocks
    assert not still.tenders and still.team.collective_hours_per_week == 0
    assert all(not theme.trend_per_year for theme in still.neighbourhood.themes.values())
    assert still.team.fte == moving.team.fte and still.initial_state == moving.initial_state
    assert still.neighbourhood.themes["debts"].monthly_profile  # seasons stay


def test_seasons_come_out_and_a_level_series_needs_no_warmup():
    weeks = np.arange(6 * 52)
    month = np.floor(weeks * 12 / (365.2425 / 7)).astype(int) % 12
    season = 5.0 * np.sin(2 * np.pi * month / 12)
    noise = np.random.default_rng(4).normal(0, 0.3, len(weeks))
    series = 40 + season + noise
    assert np.abs(seasons(series, weeks) - season).max() < 0.5
    assert welch(series - seasons(series, weeks), window=13).warmup == 0


def test_mser_leaves_in_a_start_up_effect_below_the_tolerance():
    rng = np.random.default_rng(5)
    small = 100 + rng.normal(0, 0.2, 300)
    small[:60] += 1.0  # 1% above the level for 60 weeks: MSER sees it
    assert mser(small).warmup >= 50
    assert mser(small, tolerance=0.05).warmup == 0
    assert mser(small, tolerance=0.05).detected >= 50
    large = small.copy()
    large[:60] += 20.0
    assert mser(large, tolerance=0.05).warmup >= 50


def test_precision_table_is_cumulative():
    table = precision_table([1.0, 2.0, 3.0, 4.0])
    assert list(table["n"]) == [1, 2, 3, 4]
    assert table["mean"].tolist() == [1.0, 1.5, 2.0, 2.5]
    assert math.isnan(table["relative_precision"][0])


def test_replications_needed_in_the_pilot_and_extrapolated():
    rng = np.random.default_rng(3)
    precise = rng.normal(100, 1, 20)
    needed = replications_needed(precise, 0.05)
    assert needed.in_pilot and needed.replications <= 5
    noisy = rng.normal(100, 30, 10)
    far = replications_needed(noisy, 0.05)
    assert not far.in_pilot
    sd, mean = np.std(noisy, ddof=1), np.mean(noisy)
    n = far.replications
    assert stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n) <= 0.05 * abs(mean)
    assert stats.t.ppf(0.975, n - 2) * sd / math.sqrt(n - 1) > 0.05 * abs(mean)  # smallest
    assert replications_needed([0.0, 0.0, 0.0], 0.05).replications is None


def test_recommend_replications_on_the_model():
    scenario = wijksim.load_scenario(BASELINE, {"horizon": "2 years", "warmup": "26 weeks"})
    report = wijksim.recommend_replications(scenario, pilot=6, workers=1)
    row = report.table.set_index("metric").loc["mean_caseload"]
    assert row["needed"] >= 2
    assert report.recommended >= row["needed"]


@pytest.mark.parametrize("window", [0, -3, 2.5, True, "4"])
def test_a_window_that_is_not_a_number_of_weeks_is_refused_before_the_pilots(window):
    # a missing scenario file: the window is judged before anything is read or run
    with pytest.raises(ValueError, match="window is a whole number of weeks of at least 1"):
        wijksim.recommend_warmup("no-such-file.yaml", window=window)
