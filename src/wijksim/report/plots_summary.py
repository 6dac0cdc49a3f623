"""Plots of summaries: relief per figure (:func:`forest`), break-even, one-way
sensitivity (:func:`tornado`), what drives the social balance (:func:`drivers`)
and sweeps.

SweepResult imports its plots from here when its ``.plot()`` is called: this
module imports nothing of the analysis (which runs experiments, so it would
import back). All plots are gathered in :mod:`wijksim.report.plots`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .plot_style import PALETTE, Styles, euro_formatter, figure_axes, legend_below, say, wrapped
from .text import metric_label, word

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _metric_axes(fig: Figure, ax: Axes, xlabel: str, metric: str, lang: str) -> Figure:
    """Axis labels (the figure's label and unit on y), a zero floor, legend, grid."""
    label, unit = metric_label(metric, lang)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"{label} ({unit})")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def forest(
    comparison,
    metrics: Sequence[str] | None = None,
    *,
    ax: Axes | None = None,
    styles: Styles | None = None,
    lang: str = "nl",
) -> Figure:
    """Relief per figure: each alternative's paired difference from the
    baseline, as a percentage of the baseline mean, with its 95% interval."""
    table = comparison.relief() if metrics is None else comparison.differences(metrics)
    table = table[np.isfinite(table["baseline"]) & (table["baseline"] != 0)]
    names = list(dict.fromkeys(table["metric"]))
    alternatives = list(dict.fromkeys(table["scenario"]))
    own = ax is None
    fig, ax = figure_axes(
        ax, size=(7.5, 1.4 + 0.35 * len(names) * max(1, len(alternatives)) ** 0.6)
    )
    styles = styles or Styles([comparison.baseline, *comparison.alternatives])
    step = 0.8 / max(1, len(alternatives))
    for k, alternative in enumerate(alternatives):
        rows = table[table["scenario"] == alternative].set_index("metric").reindex(names)
        y = np.arange(len(names)) + (k - (len(alternatives) - 1) / 2) * step
        scale = 100 / rows["baseline"].abs()
        mean = rows["difference"] * scale
        errors = np.vstack([mean - rows["ci_low"] * scale, rows["ci_high"] * scale - mean])
        ax.errorbar(
            mean,
            y,
            xerr=errors,
            linestyle="none",
            capsize=2,
            label=wrapped(alternative),
            **styles.marker(alternative),
        )
    ax.axvline(0, color="#555555", linewidth=0.8)
    ax.set_yticks(np.arange(len(names)), [metric_label(m, lang)[0] for m in names])
    ax.invert_yaxis()
    ax.set_xlabel(word("change_pct", lang))
    title = f"{say('forest_title', lang)} {' '.join(comparison.baseline.split())}"
    ax.set_title(wrapped(title, 80), fontsize=9.5, loc="left")
    legend_below(fig, ax, own)
    ax.grid(axis="x", alpha=0.3)
    return fig


def breakeven(
    table: pd.DataFrame, *, ax: Axes | None = None, lang: str = "nl", name: str = ""
) -> Figure:
    """Net present value against the effect scale (0..2× the scenario's
    effect), with its 95% interval (``table`` from :func:`wijksim.breakeven`)."""
    own = ax is None
    fig, ax = figure_axes(ax, size=(7.5, 4.0))
    ax.plot(table["scale"], table["net"], color=PALETTE[1], marker="o", label=say("net_line", lang))
    ax.fill_between(
        table["scale"],
        table["net_low"],
        table["net_high"],
        color=PALETTE[1],
        alpha=0.15,
        label=say("ci_band", lang),
    )
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.axvline(1, color="#777777", linewidth=0.8, linestyle="--", label=say("assumed", lang))
    ax.set_xlabel(word("effect_scale", lang))
    ax.set_ylabel(f"{word('net', lang)} ({word('euro_pv', lang).lower()})")
    ax.yaxis.set_major_formatter(euro_formatter(lang))
    title = say("breakeven_title", lang) + (f": {' '.join(name.split())}" if name else "")
    ax.set_title(wrapped(title, 80), fontsize=9.5, loc="left")
    ax.grid(alpha=0.3)
    legend_below(fig, ax, own)
    return fig


# -- sensitivity and sweeps --------------------------------------------------------------


def tornado(
    table: pd.DataFrame, metric: str, *, ax: Axes | None = None, lang: str = "nl"
) -> Figure:
    """One-way sensitivity of ``metric`` (a table from
    :func:`wijksim.analysis.sensitivity.one_way`): a bar per parameter from
    its low to its high value's difference from the base, widest on top."""
    rows = table[table["metric"] == metric].sort_values("swing")
    fig, ax = figure_axes(ax, size=(7.5, 0.8 + 0.45 * len(rows)))
    y = np.arange(len(rows))
    ax.barh(
        y,
        rows["low_difference"],
        color=PALETTE[1],
        hatch="//",
        edgecolor="white",
        label=word("low", lang),
    )
    ax.barh(
        y, rows["high_difference"], color=PALETTE[2], edgecolor="white", label=word("high", lang)
    )
    ax.set_yticks(y, rows["parameter"], fontsize=8)
    ax.axvline(0, color="#333333", linewidth=0.8)
    label, unit = metric_label(metric, lang)
    ax.set_xlabel(f"{word('difference_from_base', lang)}: {label} ({unit})")
    ax.legend(frameon=False, fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    return fig


def drivers(table: pd.DataFrame, *, lang: str = "nl", most: int = 6) -> Figure:
    """Which assumptions drive the social balance (a table from
    :meth:`wijksim.analysis.value.Value.drivers`): per alternative, a bar per
    drawn parameter from the balance at its 10th to its 90th percentile, the
    widest on top (at most ``most``); a swing the replications cannot tell
    from chance is drawn pale."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    scenarios = list(dict.fromkeys(table["scenario"]))
    parts = [table[table["scenario"] == s].nlargest(most, "swing") for s in scenarios]
    heights = [0.6 + 0.38 * len(part) for part in parts]
    fig, axes = plt.subplots(
        len(parts),
        1,
        figsize=(7.5, 0.8 + sum(heights)),
        layout="constrained",
        squeeze=False,
        gridspec_kw={"height_ratios": heights},
    )
    for ax, scenario, part in zip(axes[:, 0], scenarios, parts, strict=True):
        part = part.iloc[::-1]  # widest on top
        for row, bar in enumerate(part.itertuples()):
            alpha = 1.0 if bar.clear else 0.35
            top = row == len(part) - 1  # one legend entry each
            ax.barh(
                row,
                bar.low_difference,
                color=PALETTE[1],
                hatch="//",
                edgecolor="white",
                alpha=alpha,
                label=word("low", lang) if top else None,
            )
            ax.barh(
                row,
                bar.high_difference,
                color=PALETTE[2],
                edgecolor="white",
                alpha=alpha,
                label=word("high", lang) if top else None,
            )
        names = [p.removeprefix("interventions.") for p in part["parameter"]]
        ax.set_yticks(np.arange(len(part)), names, fontsize=8)
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_title(wrapped(scenario, 60), fontsize=9, loc="left")
        ax.xaxis.set_major_formatter(euro_formatter(lang))
        ax.xaxis.set_major_locator(MaxNLocator(6))
        ax.grid(axis="x", alpha=0.3)
    axes[-1, 0].set_xlabel(word("drivers_axis", lang), fontsize=8)
    fig.suptitle(say("drivers_title", lang), fontsize=10, x=0.01, ha="left")
    axes[0, 0].legend(frameon=False, fontsize=8, loc="lower right")
    return fig


def figure_rows(table: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The rows of ``metric`` in a summary table; an unknown name is refused
    in words (a KeyError of pandas', or an empty plot, otherwise)."""
    known = list(dict.fromkeys(table["metric"]))
    if not isinstance(metric, str) or metric not in known:
        raise ValueError(f"no figure {metric!r:.80} (known: {', '.join(known)})")
    return table[table["metric"] == metric]


def sweep_lines(
    result,
    x: str,
    metric: str = "mean_wait_weeks",
    *,
    hue: str | None = None,
    ax: Axes | None = None,
    lang: str = "nl",
) -> Figure:
    """A sweep as lines with 95% bands: ``metric`` against parameter ``x``, one
    line per value of parameter ``hue`` (if given)."""
    table = figure_rows(result.summary(), metric)
    fig, ax = figure_axes(ax)
    groups = table.groupby(hue, sort=True) if hue else [(None, table)]
    styles = Styles()
    for value, rows in groups:
        rows = rows.sort_values(x)
        style = styles.line(f"{hue} = {value}" if hue else metric_label(metric, lang)[0])
        ax.plot(rows[x], rows["mean"], marker="o", **style)
        ax.fill_between(rows[x], rows["ci_low"], rows["ci_high"], color=style["color"], alpha=0.15)
    return _metric_axes(fig, ax, x, metric, lang)


def sweep_heatmap(
    result,
    x: str,
    y: str,
    metric: str = "mean_wait_weeks",
    *,
    ax: Axes | None = None,
    lang: str = "nl",
) -> Figure:
    """A two-parameter sweep as a heatmap of the mean ``metric``, values written
    in the cells (so it reads without colour)."""
    table = figure_rows(result.summary(), metric)
    fig, ax = figure_axes(ax, size=(6.5, 4.8))
    grid = table.pivot_table(index=y, columns=x, values="mean")
    image = ax.imshow(grid.to_numpy(), cmap="cividis", origin="lower", aspect="auto")
    ax.set_xticks(range(grid.shape[1]), [f"{v:g}" for v in grid.columns])
    ax.set_yticks(range(grid.shape[0]), [f"{v:g}" for v in grid.index])
    middle = np.nanmean(grid.to_numpy())
    for (i, j), v in np.ndenumerate(grid.to_numpy()):
        ax.text(
            j,
            i,
            f"{v:.2g}",
            ha="center",
            va="center",
            fontsize=8,
            color="white" if v < middle else "black",
        )
    label, unit = metric_label(metric, lang)
    fig.colorbar(image, ax=ax, label=f"{label} ({unit})")
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    return fig
