"""One API shape: years numbered the same way in every frame, tidy frames
(``Run.interventions`` too), plain Python numbers from every ``to_dict()``, and
``.plot()`` defined on the result classes themselves; what changed keeps
working for one release with a DeprecationWarning."""

from __future__ import annotations

import math
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

import wijksim
from helpers import BASELINE

SHORT = {"horizon": "3 years", "warmup": "1 year"}


def short(name: str, **changes) -> wijksim.Scenario:
    scenario = wijksim.load_scenario(BASELINE.parent / name)
    return scenario.with_overrides({**SHORT, **changes})


@pytest.fixture(scope="module")
def buddies() -> wijksim.Comparison:
    return wijksim.compare(
        [short("baseline.yaml"), short("schuldhulpmaatje.yaml")],
        replications=3,
        workers=1,
    )


@pytest.fixture(scope="module")
def on_a_calendar() -> wijksim.Comparison:
    dated = {"start_date": "2027-07-01"}
    return wijksim.compare(
        [short("baseline.yaml", **dated), short("schuldhulpmaatje.yaml", **dated)],
        replications=3,
        workers=1,
    )


# -- years ----------------------------------------------------------------------------------


def years_of(comparison: wijksim.Comparison) -> dict[str, set[int]]:
    value = wijksim.value.value(comparison)
    alternative = comparison.experiments[comparison.alternatives[0]]
    ledger = value.ledger[~value.ledger["after_horizon"]]
    return {
        "Comparison.by_year": set(comparison.by_year()["year"]),
        "Value.by_year": set(value.by_year()["year"]),
        "Value.ledger": set(ledger["year"]),
        "Experiment.yearly": set(alternative.yearly["year"]),
    }


def test_years_are_numbered_one_way_in_every_frame(buddies):
    found = years_of(buddies)
    assert all(years == {1, 2} for years in found.values()), found  # 1..N after the warm-up


def test_years_are_calendar_years_in_every_frame_with_a_start_date(on_a_calendar):
    found = years_of(on_a_calendar)
    # from 1 July 2028 (after a year's warm-up), each year called by its middle
    assert all(years == {2028, 2029} for years in found.values()), found
    series = on_a_calendar.experiments[on_a_calendar.baseline].timeseries
    assert set(series["year"]) == {2027, 2028, 2029, 2030}  # the weeks' own calendar years


def test_the_count_from_zero_is_kept_as_year_index(buddies):
    value = wijksim.value.value(buddies)
    ledger = value.ledger
    rate = buddies.experiments[buddies.baseline].scenario.costs.discount_rate
    discount = (1 + rate) ** -ledger["year_index"].astype(float)
    np.testing.assert_allclose(ledger["discounted"], ledger["euro"] * discount)
    yearly = buddies.experiments[buddies.baseline].yearly
    assert (yearly["year"] == yearly["year_index"] + 1).all()
    stored = buddies.experiments[buddies.baseline].yearly_runs
    assert list(yearly["year_index"]) == list(stored["year"])  # the stored form, unchanged


# -- Run.interventions ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def run() -> wijksim.Run:
    return wijksim.simulate(short("alle-interventies.yaml"), seed=1)


def test_interventions_are_a_tidy_frame_of_floats(run):
    frame = run.interventions
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["intervention", "type", "metric", "theme", "value"]
    assert frame["value"].dtype == float
    names = [i.name for i in run.scenario.interventions]
    assert list(dict.fromkeys(frame["intervention"])) == names
    totals = frame[frame["theme"] == "all"]
    assert not totals.duplicated(["intervention", "metric"]).any()  # one row per figure
    # per theme: averted and diverted, adding up to their totals
    themes = frame[frame["theme"] != "all"]
    assert set(themes["metric"]) <= {"averted", "diverted"}
    by_theme = themes.groupby(["intervention", "metric"])["value"].sum()
    whole = totals.set_index(["intervention", "metric"])["value"]
    np.testing.assert_allclose(by_theme, whole[by_theme.index])
    # NaN only where a figure is not defined: the occupancy without a capacity
    missing = frame[frame["value"].isna()]
    assert set(missing["metric"]) <= {"occupancy"}


def test_the_nested_dict_is_plain_and_the_same_figures(run):
    figures = run.to_dict()["interventions"]
    frame = run.interventions
    for name, entry in figures.items():
        for key, value in entry.items():
            if key == "type":
                continue
            if key.endswith("_by_theme"):
                assert all(type(v) is float for v in value.values())
                continue
            assert type(value) is float, (name, key, value)  # never 0 beside 187.0
            row = frame[(frame["intervention"] == name) & (frame["metric"] == key)]
            shown = row[row["theme"] == "all"]["value"].item()
            assert shown == value or (math.isnan(shown) and math.isnan(value))


def test_the_old_look_up_by_name_warns_for_one_release(run):
    name = run.scenario.interventions[0].name
    with pytest.warns(DeprecationWarning, match=r"to_dict\(\)\['interventions'\]"):
        old = run.interventions[name]
    assert old == run.to_dict()["interventions"][name]
    with pytest.warns(DeprecationWarning, match="tidy DataFrame"):
        assert name in run.interventions
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a column is a column, without a word
        assert run.interventions["intervention"].iloc[0] == name
        assert "metric" in run.interventions
        kept = run.interventions[run.interventions["theme"] == "all"]
    assert type(kept) is pd.DataFrame  # what is made from it is a plain frame


# -- plain numbers --------------------------------------------------------------------------


def numpy_in(value, where: str = "") -> list[str]:
    """Where ``value`` (plain data) holds anything but Python's own types."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in numpy_in(v, f"{where}.{k}")]
    if isinstance(value, list | tuple):
        return [p for i, v in enumerate(value) for p in numpy_in(v, f"{where}[{i}]")]
    if value is None or type(value) in (str, int, float, bool):
        return []
    return [f"{where}: {type(value).__name__}"]


def test_summaries_give_plain_numbers(run, buddies):
    summary = run.summary()
    assert isinstance(summary, pd.Series) and summary.dtype == float  # pandas, as documented
    plain = run.to_dict()
    assert plain["summary"] == summary.to_dict()
    assert type(plain["summary"]["mean_wait_weeks"]) is float
    assert repr(plain["summary"]["mean_wait_weeks"]).replace(".", "").isdigit()
    experiment = buddies.experiments[buddies.baseline]
    sweep = wijksim.run_sweep(
        short("baseline.yaml"), [{"team.fte": 9}, {"team.fte": 10}], replications=2, workers=1
    )
    for name, data in {
        "Run": plain,
        "Experiment": experiment.to_dict(),
        "Comparison": buddies.to_dict(),
        "SweepResult": sweep.to_dict(),
    }.items():
        assert numpy_in(data) == [], name


# -- plots ------------------------------------------------------------------------------------


def test_plot_is_a_method_of_each_class_without_importing_the_report():
    code = (
        "import sys\n"
        "from wijksim.simulation import Run\n"
        "from wijksim.experiment import Experiment\n"
        "from wijksim.experiment.sweep import SweepResult\n"
        "from wijksim.analysis.comparison import Comparison\n"
        "print(all('plot' in cls.__dict__ for cls in (Run, Experiment, SweepResult, Comparison)))\n"
        "print('wijksim.report.plots' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["True", "False"]


def test_install_is_deprecated_and_changes_nothing():
    from wijksim.report import plots
    from wijksim.simulation import Run

    method = Run.plot
    with pytest.warns(DeprecationWarning, match="install"):
        plots.install()
    assert Run.plot is method
