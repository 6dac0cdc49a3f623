"""Plots of runs, experiments, comparisons, sweeps and costs and benefits.

Every function takes an optional matplotlib ``ax`` (a new figure otherwise),
returns the :class:`~matplotlib.figure.Figure`, labels its axes with units, and
gives each scenario one colour for all plots (the Okabe-Ito palette, safe for
colour-blind readers) together with its own line style and marker, so a
black-and-white print still tells the scenarios apart. ``lang`` is ``"nl"``
(default) or ``"en"``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..analysis.value import PAYERS, Value
from ..scenario.calendar import year_label
from .labels import unit_text
from .text import language, metric_label, word

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Okabe & Ito (2008): the baseline black, yellow (light on white) and grey last.
PALETTE = (
    "#000000",
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#56B4E9",
    "#999999",
    "#F0E442",
)
LINESTYLES = (
    "-",
    "--",
    "-.",
    ":",
    (0, (5, 1)),
    (0, (3, 1, 1, 1, 1, 1)),
    (0, (1, 1)),
    (0, (8, 2, 1, 2)),
    (0, (4, 1, 1, 1)),
)
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h")
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--", "||")


class Styles:
    """One colour, line style, marker and hatch per scenario label, in the
    order first seen (pass the same object to every plot of a report)."""

    def __init__(self, labels: Sequence[str] = ()):
        self._order: list[str] = []
        for label in labels:
            self.index(label)

    def index(self, label: str) -> int:
        if label not in self._order:
            self._order.append(label)
        return self._order.index(label) % len(PALETTE)

    def line(self, label: str) -> dict:
        i = self.index(label)
        return {"color": PALETTE[i], "linestyle": LINESTYLES[i], "label": label}

    def marker(self, label: str) -> dict:
        i = self.index(label)
        return {"color": PALETTE[i], "marker": MARKERS[i]}

    def colour(self, label: str) -> str:
        return PALETTE[self.index(label)]

    def hatch(self, label: str) -> str:
        return HATCHES[self.index(label)]


def _axes(ax: Axes | None, size=(7.5, 4.2)) -> tuple[Figure, Axes]:
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=size, layout="constrained")
        return fig, ax
    return ax.get_figure(root=True), ax  # type: ignore[return-value]


def _metric_axes(fig: Figure, ax: Axes, xlabel: str, metric: str, lang: str) -> Figure:
    """Axis labels (the figure's label and unit on y), a zero floor, legend, grid."""
    label, unit = metric_label(metric, lang)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"{label} ({unit})")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def _experiments(data) -> dict:
    """Experiments by label, from a Comparison, an Experiment or a mapping."""
    if hasattr(data, "experiments"):
        return dict(data.experiments)
    if isinstance(data, Mapping):
        return dict(data)
    return {data.label: data}


# -- over time ------------------------------------------------------------------------


def timeseries(
    data,
    metric: str = "waiting_list",
    *,
    ax: Axes | None = None,
    styles: Styles | None = None,
    lang: str = "nl",
    theme: str = "all",
) -> Figure:
    """Mean ``metric`` per week with its 95% band per scenario (a Comparison,
    an Experiment, a mapping of them, or a single Run without a band)."""
    fig, ax = _axes(ax)
    styles = styles or Styles()
    if hasattr(data, "model"):  # a Run
        frame = data.timeseries
        rows = frame[(frame["metric"] == metric) & (frame["theme"] == theme)]
        ax.plot(rows["week"], rows["value"], **styles.line(data.scenario.name))
    else:
        for label, experiment in _experiments(data).items():
            table = experiment.timeseries
            rows = table[(table["metric"] == metric) & (table["theme"] == theme)]
            style = styles.line(label)
            ax.plot(rows["week"], rows["mean"], **style)
            ax.fill_between(
                rows["week"], rows["ci_low"], rows["ci_high"], color=style["color"], alpha=0.15
            )
        ax.text(1, 1.01, word("band", lang), transform=ax.transAxes, ha="right", fontsize=8)
    return _metric_axes(fig, ax, word("week", lang), metric, lang)


def wait_ecdf(
    waits: Mapping[str, Sequence[float]],
    *,
    ax: Axes | None = None,
    styles: Styles | None = None,
    lang: str = "nl",
) -> Figure:
    """Empirical distribution of waits (weeks) per scenario: the share of
    requests that waited at most x weeks. ``waits``: label -> waits in weeks
    (e.g. ``run.cases["wait"]`` of a run with ``record_cases=True``)."""
    fig, ax = _axes(ax)
    styles = styles or Styles()
    for label, values in waits.items():
        x = np.sort(np.asarray(values, dtype=float)[~np.isnan(np.asarray(values, dtype=float))])
        if not len(x):
            continue
        y = np.arange(1, len(x) + 1) / len(x)
        ax.step(x, y, where="post", **styles.line(label))
    ax.axvline(6, color="#777777", linewidth=0.8)
    ax.set_xlabel(word("wait_weeks", lang))
    ax.set_ylabel(f"{word('share_requests', lang)} (≤ x)")
    ax.set_ylim(0, 1.01)
    ax.set_xlim(left=0)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.grid(alpha=0.3)
    return fig


def provisions(data, *, ax: Axes | None = None, lang: str = "nl") -> Figure:
    """Participants and volunteers per intervention over time: weekly for a
    Run, mean per year for an Experiment (from its yearly figures)."""
    fig, ax = _axes(ax)
    styles = Styles()
    if hasattr(data, "model"):
        frame = data.intervention_timeseries
        x_name = word("week", lang)
        series = {
            (source, metric): rows.set_index("week")["value"]
            for (source, metric), rows in frame.groupby(["source", "metric"], sort=False)
            if metric in ("participants", "volunteers")
        }
    else:
        runs = data.yearly_runs
        x_name = word("year", lang)
        series = {}
        weeks = runs[(runs["source"] == "team") & (runs["quantity"] == "weeks")]
        weeks = weeks.groupby("year")["value"].mean()
        for quantity, metric in (
            ("participant_weeks", "participants"),
            ("volunteer_weeks", "volunteers"),
        ):
            rows = runs[runs["quantity"] == quantity]
            for source, part in rows.groupby("source", sort=False):
                mean = part.groupby("year")["value"].mean() / weeks
                # years as they are called: 2028, 2029 on a calendar, else 1, 2, ...
                scenario = data.scenario
                mean.index = [
                    year_label(scenario.start_date, scenario.warmup, int(year))
                    for year in mean.index
                ]
                series[(source, metric)] = mean
    for (source, metric), values in series.items():
        style = styles.line(source)
        if metric == "volunteers":
            style = {**style, "label": f"{source} – {word('volunteers_mean', lang).lower()}"}
            style["linewidth"] = 1
            style["alpha"] = 0.7
        ax.plot(values.index, values.to_numpy(), marker=None if len(values) > 20 else "o", **style)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(x_name)
    ax.set_ylabel(f"{word('participants_mean', lang)} ({unit_text('persons', language(lang))})")
    ax.set_ylim(bottom=0)
    _legend_below(fig, ax)
    ax.grid(alpha=0.3)
    return fig


# -- comparisons -----------------------------------------------------------------------


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
    fig, ax = _axes(ax, size=(7.5, 0.5 + 0.35 * len(names) * max(1, len(alternatives)) ** 0.6))
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
            label=alternative,
            **styles.marker(alternative),
        )
    ax.axvline(0, color="#555555", linewidth=0.8)
    ax.set_yticks(np.arange(len(names)), [metric_label(m, lang)[0] for m in names])
    ax.invert_yaxis()
    ax.set_xlabel(word("change_pct", lang))
    _legend_below(fig, ax)
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
    table = result.by_payer()
    parties = [p for p in PAYERS if p in set(table["payer"])]
    alternatives = result.alternatives
    fig, ax = _axes(ax, size=(7.5, 4.5))
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
            label=alternative,
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
    ax.yaxis.set_major_formatter(_euro_formatter(lang))
    _legend_below(fig, ax)
    ax.set_title(
        f"{word('benefit', lang)} ↑  {word('cost', lang)} ↓  ◆ {word('net', lang).lower()}",
        fontsize=9,
        loc="left",
    )
    ax.grid(axis="y", alpha=0.3)
    return fig


def _legend_below(fig: Figure, ax: Axes) -> None:
    """The legend under the plot, where it hides no data."""
    handles, labels = ax.get_legend_handles_labels()
    if fig.get_layout_engine() is not None and len(fig.axes) == 1:
        fig.legend(handles, labels, loc="outside lower center", frameon=False, fontsize=8)
    else:
        ax.legend(frameon=False, fontsize=8)


def _euro_formatter(lang: str):
    from matplotlib.ticker import FuncFormatter

    from .text import euro

    def fmt(value, _position):
        if abs(value) >= 1e6:
            return euro(value / 1e6, lang).replace(",0", "") + (" mln" if lang == "nl" else "M")
        if abs(value) >= 1e3:
            return euro(value / 1e3, lang) + "k"
        return euro(value, lang)

    return FuncFormatter(fmt)


def breakeven(
    table: pd.DataFrame, *, ax: Axes | None = None, lang: str = "nl", name: str = ""
) -> Figure:
    """Net present value against the effect scale (0..2× the scenario's
    effect), with its 95% interval (``table`` from :func:`wijksim.breakeven`)."""
    fig, ax = _axes(ax, size=(7.5, 3.8))
    ax.plot(table["scale"], table["net"], color=PALETTE[1], marker="o", label=name or None)
    ax.fill_between(
        table["scale"], table["net_low"], table["net_high"], color=PALETTE[1], alpha=0.15
    )
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.axvline(1, color="#777777", linewidth=0.8, linestyle="--")
    ax.set_xlabel(word("effect_scale", lang))
    ax.set_ylabel(f"{word('net', lang)} ({word('euro_pv', lang).lower()})")
    ax.yaxis.set_major_formatter(_euro_formatter(lang))
    ax.grid(alpha=0.3)
    return fig


# -- sensitivity and sweeps --------------------------------------------------------------


def tornado(
    table: pd.DataFrame, metric: str, *, ax: Axes | None = None, lang: str = "nl"
) -> Figure:
    """One-way sensitivity of ``metric`` (a table from
    :func:`wijksim.analysis.sensitivity.one_way`): a bar per parameter from
    its low to its high value's difference from the base, widest on top."""
    rows = table[table["metric"] == metric].sort_values("swing")
    fig, ax = _axes(ax, size=(7.5, 0.8 + 0.45 * len(rows)))
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
        ax.set_title(scenario, fontsize=9, loc="left")
        ax.xaxis.set_major_formatter(_euro_formatter(lang))
        ax.xaxis.set_major_locator(MaxNLocator(6))
        ax.grid(axis="x", alpha=0.3)
    axes[-1, 0].set_xlabel(word("drivers_axis", lang), fontsize=8)
    axes[0, 0].legend(frameon=False, fontsize=8, loc="lower right")
    return fig


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
    fig, ax = _axes(ax)
    table = result.summary()
    table = table[table["metric"] == metric]
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
    fig, ax = _axes(ax, size=(6.5, 4.8))
    table = result.summary()
    grid = table[table["metric"] == metric].pivot_table(index=y, columns=x, values="mean")
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


# -- .plot() conveniences ---------------------------------------------------------------------


def _run_plot(self, metric: str = "waiting_list", **kwargs) -> Figure:
    """Plot a weekly figure of this run (see :func:`wijksim.plots.timeseries`)."""
    return timeseries(self, metric, **kwargs)


def _experiment_plot(self, metric: str = "waiting_list", **kwargs) -> Figure:
    """Plot a weekly figure with its 95% band (see :func:`wijksim.plots.timeseries`)."""
    return timeseries(self, metric, **kwargs)


def _comparison_plot(self, kind: str = "forest", **kwargs) -> Figure:
    """``kind``: ``"forest"`` (relief per figure), ``"timeseries"`` (with
    ``metric=``) or ``"payers"`` (costs and benefits per payer)."""
    if kind == "forest":
        return forest(self, **kwargs)
    if kind == "timeseries":
        return timeseries(self, **kwargs)
    if kind == "payers":
        from ..analysis.value import value

        return payers(value(self), **kwargs)
    raise ValueError(f"unknown kind {kind!r} (forest, timeseries, payers)")


def _sweep_plot(self, x: str | None = None, metric: str = "mean_wait_weeks", **kwargs) -> Figure:
    """Lines with bands against ``x`` (default: the first swept parameter); with
    ``y=`` a heatmap of two parameters."""
    x = x or next(c for c in self.points.columns if c != "point")
    if "y" in kwargs:
        return sweep_heatmap(self, x, kwargs.pop("y"), metric, **kwargs)
    return sweep_lines(self, x, metric, **kwargs)


def install() -> None:
    """Give Run, Experiment, Comparison and SweepResult their ``.plot()``
    (done here, so that the lower layers need not import the report)."""
    from ..analysis.comparison import Comparison
    from ..experiment.replications import Experiment
    from ..experiment.sweep import SweepResult
    from ..simulation import Run

    for cls, method in (
        (Run, _run_plot),
        (Experiment, _experiment_plot),
        (Comparison, _comparison_plot),
        (SweepResult, _sweep_plot),
    ):
        setattr(cls, "plot", method)  # noqa: B010 (added from outside the class)


install()

__all__ = [
    "PALETTE",
    "Styles",
    "breakeven",
    "forest",
    "payers",
    "provisions",
    "sweep_heatmap",
    "sweep_lines",
    "timeseries",
    "tornado",
    "wait_ecdf",
]
