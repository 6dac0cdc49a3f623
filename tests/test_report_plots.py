"""Plots: a Figure back, an ax taken, units on the axes, one colour and line
style per scenario across plots, and the .plot() conveniences."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

import wijksim
from helpers import REPO
from wijksim.analysis.value import Value
from wijksim.report import plots

SHORT = {"horizon": "3 years", "warmup": "1 year"}


@pytest.fixture(scope="module")
def comparison():
    names = ("baseline.yaml", "schuldhulpmaatje.yaml", "warme-overdracht.yaml")
    scenarios = [wijksim.load_scenario(REPO / "scenarios" / n, SHORT) for n in names]
    return wijksim.compare(scenarios, replications=3, workers=1)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_every_plot_returns_its_figure_and_uses_a_given_ax(comparison):
    value = Value(comparison.experiments, comparison.baseline)
    alternative = comparison.experiments[comparison.alternatives[0]]
    waits = {label: [0.0, 1.0, 3.0, 9.0] for label in comparison.experiments}
    calls = [
        lambda ax: plots.timeseries(comparison, "waiting_list", ax=ax),
        lambda ax: plots.forest(comparison, ax=ax),
        lambda ax: plots.payers(value, ax=ax),
        lambda ax: plots.wait_ecdf(waits, ax=ax),
        lambda ax: plots.provisions(alternative, ax=ax),
    ]
    for call in calls:
        fig, ax = plt.subplots()
        assert call(ax) is fig
        assert (ax.get_xlabel() and ax.get_ylabel()) or ax.get_yticklabels()
        alone = call(None)
        assert isinstance(alone, Figure) and alone is not fig


def test_units_on_the_axes_in_both_languages(comparison):
    dutch = plots.timeseries(comparison, "waiting_list").axes[0]
    english = plots.timeseries(comparison, "waiting_list", lang="en").axes[0]
    assert dutch.get_ylabel() == "Wachtlijst (gemiddeld) (personen)"
    assert english.get_ylabel() == "Waiting list (mean) (persons)"
    assert (
        "euro"
        in plots.payers(Value(comparison.experiments, comparison.baseline)).axes[0].get_ylabel()
    )


def test_one_colour_and_line_style_per_scenario_across_plots(comparison):
    styles = plots.Styles([comparison.baseline, *comparison.alternatives])
    series = plots.timeseries(comparison, "caseload", styles=styles).axes[0]
    waits = {label: [0.0, 2.0] for label in comparison.experiments}
    ecdf = plots.wait_ecdf(waits, styles=styles).axes[0]
    for ax in (series, ecdf):
        lines = {line.get_label(): line for line in ax.get_lines() if line.get_label()[0] != "_"}
        colours = {label: to_hex(line.get_color()) for label, line in lines.items()}
        assert colours[comparison.baseline] == "#000000"
        for label in comparison.alternatives:
            assert colours[label] == styles.colour(label).lower()
        dashes = {str(line.get_linestyle()) for line in lines.values()}
        assert len(dashes) == len(lines)  # tells scenarios apart in black and white
    assert len({styles.colour(label) for label in comparison.experiments}) == 3


def test_palette_is_okabe_ito():
    assert plots.PALETTE[1:4] == ("#0072B2", "#E69F00", "#009E73")


def test_plot_conveniences(comparison):
    run = wijksim.simulate(wijksim.load_scenario(REPO / "scenarios" / "baseline.yaml", SHORT))
    assert isinstance(run.plot("caseload"), Figure)
    experiment = comparison.experiments[comparison.baseline]
    assert isinstance(experiment.plot(), Figure)
    for kind in ("forest", "timeseries", "payers"):
        assert isinstance(comparison.plot(kind), Figure)
    with pytest.raises(ValueError, match="unknown kind"):
        comparison.plot("pie")


def test_sweep_and_tornado_plots():
    base = wijksim.load_scenario(REPO / "scenarios" / "baseline.yaml", SHORT)
    grid = [{"team.fte": f, "team.caseload_ceiling_per_fte": c} for f in (9, 11) for c in (20, 30)]
    sweep = wijksim.run_sweep(base, grid, replications=2, workers=1)
    assert isinstance(sweep.plot(), Figure)
    heat = sweep.plot("team.fte", y="team.caseload_ceiling_per_fte")
    assert len(heat.axes[0].texts) == 4  # values written in the cells
    table = pd.DataFrame(
        {
            "parameter": ["a", "b"],
            "metric": ["mean_wait_weeks"] * 2,
            "low_difference": [-1.0, -0.2],
            "high_difference": [2.0, 0.3],
            "swing": [3.0, 0.5],
        }
    )
    fig = plots.tornado(table, "mean_wait_weeks")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["b", "a"]  # widest on top


def test_provisions_over_years_show_calendar_years_with_a_start_date():
    path = REPO / "scenarios" / "schuldhulpmaatje.yaml"
    dated = wijksim.load_scenario(path, {**SHORT, "start_date": "2027-01-01"})
    plain = wijksim.load_scenario(path, SHORT)
    for scenario, expected in ((dated, [2028, 2029]), (plain, [1, 2])):
        experiment = wijksim.run_experiment(scenario, replications=2, workers=1)
        line = plots.provisions(experiment).axes[0].get_lines()[0]
        assert [int(x) for x in line.get_xdata()] == expected
