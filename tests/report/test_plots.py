"""Plots: a Figure back, an ax taken, units on the axes, one colour and line
style per scenario across plots, and the .plot() conveniences."""

from __future__ import annotations

import re

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


# -- plots that show the differences: checked on the figure's artists -------------------

#: Scenario and provision names are the user's words, in whatever language.
SHIPPED_NAMES = ("SchuldHulpMaatje", "Warme overdracht", "Bezoekdienst")


def _vocabulary() -> dict[str, set[str]]:
    """Words that only one of the two languages uses, from every label table."""
    from wijksim.report import labels, report_words, text

    tables = [
        text.WORDS,
        labels.SUMMARY,
        labels.SERIES,
        labels.YEARLY,
        labels.INTERVENTION,
        report_words.PLOT,
        report_words.REPORT,
        report_words.CAPTIONS,
    ]
    words: dict[str, set[str]] = {"nl": set(), "en": set()}
    for table in tables:
        for label in table.values():
            for lang in ("nl", "en"):
                words[lang] |= set(re.findall(r"[a-zà-ÿ]{4,}", label.text(lang).lower()))
    for nl, en in labels.UNITS.values():
        words["nl"] |= set(re.findall(r"[a-zà-ÿ]{4,}", nl.lower()))
        words["en"] |= set(re.findall(r"[a-zà-ÿ]{4,}", en.lower()))
    return {"nl": words["nl"] - words["en"], "en": words["en"] - words["nl"]}


def _texts(fig: Figure) -> list:
    """Every text a reader sees: titles, axis labels, tick labels, notes, legends
    (laid out as when saved: on a canvas of its own, the figure may be closed)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()
    found = list(fig.texts)
    for legend in fig.legends:
        found += legend.get_texts()
    for ax in fig.axes:
        found += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        found += _tick_labels(ax.xaxis) + _tick_labels(ax.yaxis) + ax.texts
        if ax.get_legend() is not None:
            found += ax.get_legend().get_texts()
    return [t for t in found if t.get_visible() and t.get_text().strip()]


def _tick_labels(axis) -> list:
    """The tick labels drawn: those of ticks inside the axis' view."""
    low, high = sorted(axis.get_view_interval())
    span = 1e-9 * max(1.0, abs(high - low))
    return [
        tick.label1
        for tick in axis.get_major_ticks()
        if low - span <= tick.get_loc() <= high + span and tick.label1.get_visible()
    ]


def _legends(fig: Figure) -> list:
    return [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend() is not None)]


def _report_plots(comparison, lang: str) -> dict[str, Figure]:
    """Every plot the report draws, for the comparison of this module."""
    value = Value(comparison.experiments, comparison.baseline)
    many = {f"Scenario {k}": [0.0, 0.0, 1.0, 2.0 + k, 5.0, 9.0 + k] for k in range(5)}
    few = {label: [0.0, 1.0, 3.0, 9.0] for label in comparison.experiments}
    table = pd.DataFrame(
        {"scale": [0.0, 1.0, 2.0], "net": [-5e4, 1e4, 6e4], "net_low": [-7e4, -1e4, 3e4]}
    ).assign(net_high=lambda t: t["net"] + 2e4)
    return {
        "balance": plots.balance(value, lang=lang),
        "relief_over_time": plots.relief_over_time(comparison, "caseload", lang=lang),
        "timeseries": plots.timeseries(comparison, "waiting_list", lang=lang),
        "forest": plots.forest(comparison, lang=lang),
        "payers": plots.payers(value, lang=lang),
        "waits": plots.wait_ecdf(few, lang=lang),
        "waits_in_panels": plots.wait_ecdf(many, lang=lang),
        "provisions": plots.provisions(comparison, lang=lang),
        "breakeven": plots.breakeven(table, lang=lang, name="SchuldHulpMaatje"),
    }


@pytest.fixture(scope="module", params=["nl", "en"])
def report_plots(request, comparison):
    figures = _report_plots(comparison, request.param)
    yield request.param, figures
    for fig in figures.values():
        plt.close(fig)


def test_every_report_plot_is_titled_with_what_it_shows(report_plots, comparison):
    _, figures = report_plots
    for name, fig in figures.items():
        titles = [t.get_text() for t in fig.texts] + [
            ax.get_title(loc) for ax in fig.axes for loc in ("left", "center")
        ]
        assert any(title.strip() for title in titles), name
    # a comparison's plots name the baseline they differ from
    for name in ("balance", "relief_over_time", "forest", "payers"):
        shown = " ".join(t.get_text() for t in _texts(figures[name]))
        assert comparison.baseline in " ".join(shown.split()), name
    # small multiples: each panel titled with its alternative
    panels = figures["relief_over_time"].axes
    assert [ax.get_title("left") for ax in panels] == comparison.alternatives


def test_every_report_plot_has_a_legend_that_fits(report_plots):
    """Legends and every text lie inside the figure (nothing cut off when saved)."""
    _, figures = report_plots
    for name, fig in figures.items():
        texts = _texts(fig)
        renderer = fig.canvas.get_renderer()
        box = fig.bbox.padded(1)
        if name != "balance":  # its rows are labelled on the axis
            assert _legends(fig), name
        for legend in _legends(fig):
            extent = legend.get_window_extent(renderer)
            assert box.contains(extent.x0, extent.y0) and box.contains(extent.x1, extent.y1), name
        for text in texts:
            extent = text.get_window_extent(renderer)
            inside = box.contains(extent.x0, extent.y0) and box.contains(extent.x1, extent.y1)
            assert inside, (name, text.get_text())


def test_every_report_plot_speaks_the_reports_language(report_plots, comparison):
    """No word of the other language in any text of a plot (scenario and
    provision names aside: they are the user's)."""
    lang, figures = report_plots
    other = _vocabulary()["en" if lang == "nl" else "nl"]
    names = [*comparison.experiments, *SHIPPED_NAMES]
    for name, fig in figures.items():
        for text in _texts(fig):
            shown = " ".join(text.get_text().split())
            for known in names:
                shown = shown.replace(" ".join(known.split()), "")
            foreign = set(re.findall(r"[a-zà-ÿ]{4,}", shown.lower())) & other
            assert not foreign, (lang, name, text.get_text(), foreign)


def test_relief_over_time_is_the_paired_difference_with_its_band(comparison):
    """One panel per alternative: the mean of (alternative − baseline) per week
    over the replications, its 95% band, zero drawn, the warm-up hatched."""
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Rectangle

    fig = plots.relief_over_time(comparison, "waiting_list", lang="en")
    base = comparison.experiments[comparison.baseline]
    warmup = base.scenario.warmup
    assert len(fig.axes) == len(comparison.alternatives)
    for ax, alternative in zip(fig.axes, comparison.alternatives, strict=True):
        bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
        assert len(bands) == 1 and bands[0].get_paths()
        lines = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
        assert len(lines) == 1
        mean = lines[0]
        zero = [line for line in ax.get_lines() if list(line.get_ydata()) == [0, 0]]
        assert zero, "no zero line"
        hatched = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_hatch()]
        assert len(hatched) == 1
        assert hatched[0].get_x() == 0 and hatched[0].get_width() == pytest.approx(warmup)
        # week 60, by hand: the paired differences of the weekly waiting list
        runs = {
            label: comparison.experiments[label]
            .timeseries_runs.query("metric == 'waiting_list' and theme == 'all' and week == 60")
            .set_index("replication")["value"]
            for label in (alternative, comparison.baseline)
        }
        expected = (runs[alternative] - runs[comparison.baseline]).mean()
        week = list(mean.get_xdata()).index(60)
        assert mean.get_ydata()[week] == pytest.approx(expected)
    assert fig.axes[0].get_ylabel() == "Difference (persons)"
    legend = " ".join(t.get_text() for t in fig.legends[0].get_texts())
    assert "95% band" in legend and "warm-up" in legend and "no difference" in legend


def test_time_plots_mark_the_warmup(comparison):
    from matplotlib.patches import Rectangle

    warmup = comparison.experiments[comparison.baseline].scenario.warmup
    for fig in (
        plots.timeseries(comparison, "caseload"),
        plots.relief_over_time(comparison, "caseload"),
    ):
        for ax in fig.axes:
            hatched = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_hatch()]
            assert [(p.get_x(), round(p.get_width(), 6)) for p in hatched] == [
                (0, round(warmup, 6))
            ]
        legend = " ".join(t.get_text() for legend in _legends(fig) for t in legend.get_texts())
        assert "inloop (gearceerd, telt niet mee)" in legend


def test_waits_of_many_scenarios_in_panels_beside_the_baseline():
    waits = {f"Scenario {k}": [0.0, 0.0, 1.0, 2.0 + k, 5.0, 9.0 + k] for k in range(5)}
    fig = plots.wait_ecdf(waits, lang="en")
    assert len(fig.axes) == 4
    for ax, label in zip(fig.axes, list(waits)[1:], strict=True):
        assert ax.get_title("left") == label
        drawn = [line.get_label() for line in ax.get_lines() if line.get_label()[0] != "_"]
        assert drawn == ["Scenario 0", label]  # the baseline beside each alternative
        # the axes show where the lines differ: from the smallest share that did not wait
        assert 0 < ax.get_ylim()[0] < 1 / 3
    assert "baseline: Scenario 0" in [t.get_text() for t in fig.legends[0].get_texts()]


def test_provisions_plot_names_the_scenario_it_shows(comparison):
    fig = plots.provisions(comparison, lang="en")
    with_provisions = [
        label for label, e in comparison.experiments.items() if e.scenario.interventions
    ]
    titles = [ax.get_title("left") for ax in fig.axes if ax.get_title("left")]
    assert titles == with_provisions
    alone = plots.provisions(comparison.experiments[with_provisions[0]], lang="en")
    assert alone.axes[0].get_title("left") == with_provisions[0]
