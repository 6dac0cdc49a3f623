"""Plots of runs, experiments, comparisons, sweeps and costs and benefits.

Every function takes an optional matplotlib ``ax`` (a new figure otherwise),
returns the :class:`~matplotlib.figure.Figure`, labels its axes with units, and
gives each scenario one colour for all plots (the Okabe-Ito palette, safe for
colour-blind readers) together with its own line style and marker, so a
black-and-white print still tells the scenarios apart. ``lang`` is ``"nl"``
(default) or ``"en"``.

This module gathers them all. The plots that the results' own ``.plot()``
methods draw live in :mod:`~wijksim.report.plots_time` and
:mod:`~wijksim.report.plots_summary`, which import nothing of the analysis: a
run imports them when its ``.plot()`` is called, and the analysis runs
experiments, so a run importing this module would import back. The plots of
costs and benefits (:func:`balance`, :func:`payers`) are here; the look they
all share is :mod:`~wijksim.report.plot_style`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..analysis.value import PAYERS, Value
from .plot_style import PALETTE, Styles, euro_formatter, figure_axes, legend_below, say, wrapped
from .plots_summary import breakeven, drivers, forest, sweep_heatmap, sweep_lines, tornado
from .plots_time import provisions, relief_over_time, timeseries, wait_ecdf, weekly_difference
from .text import word

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


# -- costs and benefits ------------------------------------------------------------------


def balance(
    result: Value,
    *,
    ax: Axes | None = None,
    styles: Styles | None = None,
    lang: str = "nl",
) -> Figure:
    """The social balance of each alternative against the baseline: present
    value in euro with its 95% interval, one row each, zero drawn."""
    table = result.totals()
    fig, ax = figure_axes(ax, size=(7.5, 1.1 + 0.42 * len(table)))
    styles = styles or Styles([result.baseline, *result.alternatives])
    y = np.arange(len(table))
    for k, row in enumerate(table.to_dict(orient="records")):
        errors = [[row["net"] - row["net_low"]], [row["net_high"] - row["net"]]]
        ax.errorbar(
            row["net"],
            k,
            xerr=errors,
            capsize=3,
            linestyle="none",
            **styles.marker(row["scenario"]),
        )
    ax.axvline(0, color="#333333", linewidth=1)
    ax.set_yticks(y, [wrapped(name) for name in table["scenario"]], fontsize=8)
    ax.invert_yaxis()
    ax.set_ylim(len(table) - 0.5, -0.5)
    ax.xaxis.set_major_formatter(euro_formatter(lang))
    ax.set_xlabel(say("balance_axis", lang))
    title = f"{say('balance_title', lang)} {' '.join(result.baseline.split())}"
    ax.set_title(wrapped(title, 80), fontsize=9.5, loc="left")
    ax.grid(axis="x", alpha=0.3)
    return fig


def payers(
    result: Value,
    *,
    ax: Axes | None = None,
    styles: Styles | None = None,
    lang: str = "nl",
) -> Figure:
    """Costs (below zero) and benefits (above) per payer and scenario, present
    value in euro, with each party's balance as a marker and its interval."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    table = result.by_payer()
    parties = [p for p in PAYERS if p in set(table["payer"])]
    alternatives = result.alternatives
    own = ax is None
    fig, ax = figure_axes(ax, size=(7.5, 4.8))
    styles = styles or Styles([result.baseline, *alternatives])
    width = 0.8 / max(1, len(alternatives))
    for k, alternative in enumerate(alternatives):
        rows = table[table["scenario"] == alternative].set_index("payer").reindex(parties)
        x = np.arange(len(parties)) + (k - (len(alternatives) - 1) / 2) * width
        colour, hatch = styles.colour(alternative), styles.hatch(alternative)
        ax.bar(
            x,
            rows["benefit"].fillna(0),
            width * 0.9,
            color=colour,
            alpha=0.85,
            hatch=hatch,
            edgecolor="white",
            label=wrapped(alternative),
        )
        ax.bar(
            x,
            -rows["cost"].fillna(0),
            width * 0.9,
            color=colour,
            alpha=0.35,
            hatch=hatch,
            edgecolor=colour,
        )
        net = rows["net"].to_numpy()
        errors = np.vstack([net - rows["net_low"], rows["net_high"] - net])
        ax.errorbar(x, net, yerr=errors, fmt="D", color="black", markersize=4, capsize=2)
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.set_xticks(np.arange(len(parties)), [word(p, lang) for p in parties], fontsize=8)
    ax.set_ylabel(word("euro_pv", lang))
    ax.yaxis.set_major_formatter(euro_formatter(lang))
    keys = [
        Patch(facecolor="#777777", alpha=0.85, label=say("benefit_key", lang)),
        Patch(facecolor="#777777", alpha=0.35, label=say("cost_key", lang)),
        Line2D([], [], color="black", marker="D", markersize=4, label=say("net_key", lang)),
    ]
    title = f"{say('payers_title', lang)} {' '.join(result.baseline.split())}"
    ax.set_title(wrapped(title, 80), fontsize=9.5, loc="left")
    legend_below(fig, ax, own, extra=keys)
    ax.grid(axis="y", alpha=0.3)
    return fig


# -- wijksim 0.x ------------------------------------------------------------------------------


def install() -> None:
    """Deprecated, and does nothing: Run, Experiment, Comparison and
    SweepResult define their ``.plot()`` themselves now (it imports its
    plots when called). Goes in the next release."""
    import warnings

    warnings.warn(
        "wijksim.plots.install() is not needed: Run, Experiment, Comparison and SweepResult "
        "have their .plot() method without it; install() goes in the next release",
        DeprecationWarning,
        stacklevel=2,
    )


__all__ = [
    "PALETTE",
    "Styles",
    "balance",
    "breakeven",
    "drivers",
    "euro_formatter",
    "forest",
    "payers",
    "provisions",
    "relief_over_time",
    "sweep_heatmap",
    "sweep_lines",
    "timeseries",
    "tornado",
    "wait_ecdf",
    "weekly_difference",
]
