"""The calendar: a start date, moments written as dates, a profile that follows it."""

from __future__ import annotations

import datetime as dt
import math

import pytest

import wijksim
from helpers import SMALL_YAML, line_of, write
from wijksim.scenario import ScenarioError
from wijksim.scenario.calendar import date_at, month_offset, year_label
from wijksim.scenario.loading import load_scenario
from wijksim.scenario.units import WEEKS_PER_MONTH, WEEKS_PER_YEAR

INTERVENTION = """\
interventions:
  - type: buddy_programme
    name: maatjes
    themes: [debts]
    diversion_share: 0.3
    trajectory: {dist: uniform, min: 1 month, max: 3 months}
    start: START
    stop: STOP
"""


def calendar_file(tmp_path, start="2027-07-01", stop="2028-01-01", start_date="2027-01-01"):
    text = SMALL_YAML + INTERVENTION.replace("START", start).replace("STOP", stop)
    if start_date:
        text = f"start_date: {start_date}\n" + text
    return write(tmp_path / "calendar.yaml", text), text


def test_moments_may_be_dates_after_the_start_date(tmp_path):
    path, _ = calendar_file(tmp_path)
    spec = load_scenario(path).interventions[0]
    assert spec.start == 181 / 7  # 2027-01-01 to 2027-07-01
    assert spec.stop == 365 / 7
    assert load_scenario(path).start_date == dt.date(2027, 1, 1)


def test_dates_and_durations_mix(tmp_path):
    path, _ = calendar_file(tmp_path, start="26 weeks")
    assert load_scenario(path).interventions[0].start == 26


def test_a_date_without_a_start_date_is_a_clear_error_at_its_line(tmp_path):
    path, text = calendar_file(tmp_path, start_date=None)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    found = {p.path: p for p in info.value.problems}
    problem = found["interventions.0.start"]
    assert "start_date" in problem.message
    assert problem.line == line_of(text, "start: 2027-07-01")


def test_a_date_before_the_start_date_is_an_error(tmp_path):
    path, _ = calendar_file(tmp_path, start="2026-12-01")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert "interventions.0.start" in {p.path for p in info.value.problems}


def test_a_calendar_scenario_survives_overrides(tmp_path):
    path, _ = calendar_file(tmp_path)
    scenario = load_scenario(path)
    again = scenario.with_overrides({"interventions.0.stop": "2027-10-01"})
    assert again.interventions[0].start == scenario.interventions[0].start
    assert again.interventions[0].stop == (dt.date(2027, 10, 1) - dt.date(2027, 1, 1)).days / 7


def test_month_offset_places_the_start_in_the_year():
    assert month_offset(None) == 0.0
    assert month_offset(dt.date(2027, 1, 1)) == 0.0
    assert math.isclose(month_offset(dt.date(2027, 7, 1)), 6 * WEEKS_PER_MONTH)
    assert math.isclose(month_offset(dt.date(2027, 7, 16)), (6 + 15 / 31) * WEEKS_PER_MONTH)
    assert date_at(dt.date(2027, 1, 1), 2) == dt.date(2027, 1, 15)


def july_only(start_date: str | None) -> wijksim.Scenario:
    """Debt requests only in July; the team never fills."""
    data = {
        "horizon": "8 months",
        "neighbourhood": {
            "residents": 10000,
            "severity_mix": {"light": 1.0},
            "duration": {"light": {"dist": "exponential", "mean": "1 week"}},
            "themes": {
                "debts": {
                    "requests_per_1000": 50,
                    "monthly_profile": [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
                }
            },
        },
        "team": {
            "fte": 1,
            "caseload_ceiling_per_fte": "unlimited",
            "case_weight": {"light": 1},
            "contact_hours_per_week": {"light": 1},
        },
    }
    if start_date:
        data["start_date"] = start_date
    return wijksim.Scenario.model_validate(data)


def test_the_monthly_profile_follows_the_calendar():
    calendar = wijksim.simulate(july_only("2027-07-01"), seed=1, record_cases=True).cases
    assert len(calendar) > 100
    assert calendar.arrival.max() <= WEEKS_PER_MONTH  # July is the first month
    plain = wijksim.simulate(july_only(None), seed=1, record_cases=True).cases
    assert plain.arrival.min() >= 6 * WEEKS_PER_MONTH  # the seventh month from the start
    assert plain.arrival.max() <= 7 * WEEKS_PER_MONTH


def test_time_series_carry_dates_and_years():
    run = wijksim.simulate(july_only("2027-07-01").with_overrides({"horizon": "1 year"}), seed=1)
    series = run.timeseries
    assert list(series.columns[:3]) == ["week", "date", "year"]
    first = series[series.week == 1].iloc[0]
    assert first.date == dt.datetime(2027, 7, 1)
    assert set(series.year) == {2027, 2028}
    plain = wijksim.simulate(july_only(None), seed=1).timeseries
    assert "date" not in plain.columns and "year" not in plain.columns


def test_experiment_time_series_carry_dates_too():
    scenario = july_only("2027-07-01")
    experiment = wijksim.run_experiment(scenario, replications=2, workers=1, progress=False)
    table = experiment.timeseries.reset_index()
    assert "date" in table.columns and table["year"].min() == 2027
    plain = wijksim.run_experiment(july_only(None), replications=2, workers=1, progress=False)
    assert "date" not in plain.timeseries.reset_index().columns


@pytest.mark.filterwarnings("ignore:Mean of empty slice")  # nobody waits in this scenario
def test_years_after_the_warm_up_are_called_by_their_calendar_year():
    assert year_label(None, 52.0, 0) == 1
    assert year_label(dt.date(2027, 1, 1), WEEKS_PER_YEAR, 0) == 2028
    assert year_label(dt.date(2027, 7, 1), 0.0, 1) == 2028
    base = july_only("2027-07-01").with_overrides({"horizon": "2 years", "warmup": "6 months"})
    other = base.with_overrides({"neighbourhood.residents": 5000})
    table = wijksim.compare([base, other], replications=2, workers=1, progress=False).by_year()
    assert set(table["year"]) == {2028, 2029}  # from 30 December 2027, and a year later
    plain = [s.model_copy(update={"start_date": None}) for s in (base, other)]
    table = wijksim.compare(plain, replications=2, workers=1, progress=False).by_year()
    assert set(table["year"]) == {1, 2}
