"""Plots over time (the weekly figures of runs, experiments and comparisons,
the provisions' participants and volunteers) and of the distribution of waits.

Run and Experiment import :func:`timeseries` from here when their ``.plot()`` is
called: this module imports nothing of the analysis (which runs experiments, so
it would import back). All plots are gathered in :mod:`wijksim.report.plots`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..experiment.intervals import CONFIDENCE, upper_quantile
from ..scenario.calendar import year_label
from .labels import unit_text
from .plot_style import MARKERS, Styles, figure_axes, legend_below, say, wrapped
from .text import language, metric_label, word

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _panels(count: int, columns: int, height: float, **shared) -> tuple[Figure, list[Axes]]:
    """Small multiples: ``count`` panels in rows of ``columns``, each ``height``
    inches high; panels left over in the last row are removed, and the one
    above each shows its x axis instead."""
    import matplotlib.pyplot as plt

    columns = max(1, min(columns, count))
    rows = -(-count // columns)
    fig, grid = plt.subplots(
        rows,
        columns,
        figsize=(7.5, 1.1 + height * rows),
        layout="constrained",
        squeeze=False,
        **shared,
    )
    panels = list(grid.flat)
    for extra in panels[count:]:
        above = grid[rows - 2, panels.index(extra) % columns] if rows > 1 else None
        fig.delaxes(extra)
        if above is not None:
            above.xaxis.set_tick_params(labelbottom=True)
    return fig, panels[:count]


def _warmup(ax: Axes, weeks: float, lang: str) -> None:
    """The warm-up shaded and hatched (it reads in black and white): weeks
    that are simulated but not counted."""
    if weeks > 0:
        ax.axvspan(
            0,
            weeks,
            facecolor="#e4e4e4",
            edgecolor="#9a9a9a",
            hatch="///",
            linewidth=0,
            zorder=0,
            label=say("warmup", lang),
        )


def _warmup_key(lang: str):
    from matplotlib.patches import Patch

    return Patch(facecolor="#e4e4e4", edgecolor="#9a9a9a", hatch="///", label=say("warmup", lang))


def _band_key(lang: str):
    from matplotlib.patches import Patch

    return Patch(facecolor="#999999", alpha=0.35, label=say("band", lang))


def _experiments(data) -> dict:
    """Experiments by label, from a Comparison, an Experiment or a mapping."""
    if hasattr(data, "experiments"):
        return dict(data.experiments)
    if isinstance(data, Mapping):
        return dict(data)
    return {data.label: data}


def weekly_rows(frame: pd.DataFrame, metric: str, theme: str = "all") -> pd.DataFrame:
    """The rows of one weekly series; an unknown name is refused in words (it
    drew an empty plot, silently, and a list or None failed deep in pandas)."""
    for what, name, column in (("weekly series", metric, "metric"), ("theme", theme, "theme")):
        known = list(dict.fromkeys(frame[column]))
        if not isinstance(name, str) or name not in known:
            raise ValueError(f"no {what} {name!r:.80} (known: {', '.join(map(str, known))})")
    return frame[(frame["metric"] == metric) & (frame["theme"] == theme)]


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
    an Experiment, a mapping of them, or a single Run without a band), the
    warm-up hatched. The y axis is fitted to the lines, not to zero, so that
    scenarios that differ a little are told apart; for the difference itself
    see :func:`relief_over_time`."""
    own = ax is None
    fig, ax = figure_axes(ax)
    styles = styles or Styles()
    keys = []
    if hasattr(data, "model"):  # a Run
        frame = data.timeseries
        rows = weekly_rows(frame, metric, theme)
        names = [data.scenario.name]
        ax.plot(rows["week"], rows["value"], **_named(styles.line(names[0])))
        warmup = data.scenario.warmup
    else:
        experiments = _experiments(data)
        names = list(experiments)
        for label, experiment in experiments.items():
            rows = weekly_rows(experiment.timeseries, metric, theme)
            style = _named(styles.line(label))
            ax.plot(rows["week"], rows["mean"], **style)
            ax.fill_between(
                rows["week"],
                rows["ci_low"],
                rows["ci_high"],
                color=style["color"],
                alpha=0.15,
                linewidth=0,
            )
        keys.append(_band_key(lang))
        warmup = next(iter(experiments.values())).scenario.warmup
    _warmup(ax, warmup, lang)
    label, unit = metric_label(metric, lang)
    ax.set_xlabel(word("week", lang))
    ax.set_ylabel(f"{label} ({unit})")
    shown = " · ".join(names) if len(names) <= 2 else say("per_scenario", lang)
    ax.set_title(wrapped(f"{label}: {shown}", 80), fontsize=9.5, loc="left")
    ax.grid(alpha=0.3)
    legend_below(fig, ax, own, extra=keys)
    return fig


def _named(style: dict) -> dict:
    """A line style whose label fits a legend (long names wrapped)."""
    return {**style, "label": wrapped(style["label"])}


def weekly_difference(
    alternative, baseline, metric: str, theme: str = "all", confidence: float = CONFIDENCE
) -> pd.DataFrame:
    """``alternative - baseline`` per week, paired per replication (the same
    residents at the same moments), with its t interval: columns ``week,
    mean, ci_low, ci_high, n`` (two Experiments with weekly series kept)."""
    from scipy.special import stdtrit

    def wide(experiment) -> pd.DataFrame:
        runs = experiment.timeseries_runs
        if runs is None:
            raise ValueError(f"{experiment.label}: time series were not kept")
        rows = weekly_rows(runs, metric, theme)
        return rows.pivot_table(index="replication", columns="week", values="value")

    a, b = wide(alternative), wide(baseline)
    replications = a.index.intersection(b.index)
    weeks = a.columns.intersection(b.columns)
    d = a.loc[replications, weeks].to_numpy(float) - b.loc[replications, weeks].to_numpy(float)
    n = (~np.isnan(d)).sum(axis=0)
    mean = np.nanmean(d, axis=0)
    sd = np.nanstd(d, axis=0, ddof=1) if len(replications) > 1 else np.full(len(weeks), np.nan)
    half = (
        stdtrit(np.maximum(n - 1, 1), upper_quantile(confidence)) * sd / np.sqrt(np.maximum(n, 1))
    )
    return pd.DataFrame(
        {"week": weeks, "mean": mean, "ci_low": mean - half, "ci_high": mean + half, "n": n}
    )


def relief_over_time(
    comparison,
    metric: str = "waiting_list",
    *,
    ax: Axes | None = None,
    styles: Styles | None = None,
    lang: str = "nl",
    theme: str = "all",
) -> Figure:
    """Relief over time: each alternative's paired difference from the baseline
    per week (alternative minus baseline) with its 95% band, zero drawn, the
    warm-up hatched; one panel per alternative (small multiples, a common
    scale), or all on ``ax`` when one is given."""
    from matplotlib.lines import Line2D

    base = comparison.experiments[comparison.baseline]
    alternatives = list(comparison.alternatives)
    styles = styles or Styles([comparison.baseline, *alternatives])
    own = ax is None
    if ax is None:
        fig, panels = _panels(len(alternatives), 2, 1.9, sharex=True, sharey=True)
    else:
        fig, ax = figure_axes(ax)
        panels = [ax] * len(alternatives)
    label, unit = metric_label(metric, lang)
    for k, (panel, alternative) in enumerate(zip(panels, alternatives, strict=True)):
        table = weekly_difference(comparison.experiments[alternative], base, metric, theme)
        style = _named(styles.line(alternative))
        panel.fill_between(
            table["week"],
            table["ci_low"],
            table["ci_high"],
            color=style["color"],
            alpha=0.25,
            linewidth=0,
        )
        panel.plot(table["week"], table["mean"], **style)
        if own or k == 0:
            panel.axhline(0, color="black", linewidth=0.9)
            _warmup(panel, base.scenario.warmup, lang)
            panel.grid(alpha=0.3)
        if own:
            panel.set_title(wrapped(alternative, 48), fontsize=8.5, loc="left")
    ylabel = f"{say('difference_axis', lang)} ({unit})"
    title = f"{label}: {say('difference_from', lang)} {' '.join(comparison.baseline.split())}"
    if ax is not None:
        ax.set_xlabel(word("week", lang))
        ax.set_ylabel(ylabel)
        ax.set_title(wrapped(title, 80), fontsize=9.5, loc="left")
        legend_below(fig, ax, own, extra=[_band_key(lang)])
        return fig
    columns = 1 if len(panels) == 1 else 2
    for k, panel in enumerate(panels):
        if k % columns == 0:
            panel.set_ylabel(ylabel, fontsize=8.5)
        if k >= len(panels) - columns:
            panel.set_xlabel(word("week", lang))
    fig.suptitle(wrapped(title, 90), fontsize=10, x=0.01, ha="left")
    keys = [
        Line2D([], [], color="#333333", label=say("mean_difference", lang)),
        _band_key(lang),
        Line2D([], [], color="black", linewidth=0.9, label=say("zero", lang)),
        _warmup_key(lang),
    ]
    fig.legend(handles=keys, loc="outside lower center", ncols=2, frameon=False, fontsize=8)
    return fig


def wait_ecdf(
    waits: Mapping[str, Sequence[float]],
    *,
    ax: Axes | None = None,
    styles: Styles | None = None,
    lang: str = "nl",
) -> Figure:
    """Empirical distribution of waits (weeks) per scenario: the share of
    requests that waited at most x weeks. ``waits``: label -> waits in weeks
    (e.g. ``run.cases["wait"]`` of a run with ``record_cases=True``), the
    baseline first. More than three scenarios get a panel per alternative,
    each beside the baseline; the axes are fitted to where the lines differ
    (up to the 99th percentile of the waits, from the smallest share that
    did not wait)."""
    from matplotlib.lines import Line2D

    styles = styles or Styles(list(waits))
    curves = {}
    for label, values in waits.items():
        x = np.asarray(values, dtype=float)
        x = np.sort(x[~np.isnan(x)])
        if len(x):
            curves[label] = (x, np.arange(1, len(x) + 1) / len(x))
    labels = list(waits)
    baseline, alternatives = labels[0], labels[1:]
    own = ax is None
    many = own and len(alternatives) > 2
    if many:
        fig, panels = _panels(len(alternatives), 2, 1.9, sharex=True, sharey=True)
        pairs = [
            (panel, [baseline, label]) for panel, label in zip(panels, alternatives, strict=True)
        ]
    else:
        fig, ax = figure_axes(ax)
        panels = [ax]
        pairs = [(ax, labels)]
    for panel, shown in pairs:
        for label in shown:
            if label not in curves:
                continue
            x, y = curves[label]
            style = _named(styles.line(label))
            if many and label == baseline:
                style = {**style, "color": "#777777", "linewidth": 1.1}
            panel.step(x, y, where="post", **style)
        panel.axvline(6, color="#555555", linewidth=0.8, linestyle=(0, (1, 2)))
        panel.grid(alpha=0.3)
        if many:
            panel.set_title(wrapped(shown[1], 48), fontsize=8.5, loc="left")
    every = np.concatenate([x for x, _ in curves.values()]) if curves else np.zeros(1)
    right = max(7.0, float(np.quantile(every, 0.99)) * 1.03)
    # the lowest share that did not wait at all: below it the lines cannot differ
    bottom = min((float(np.mean(x <= 0)) for x, _ in curves.values()), default=0.0)
    bottom = max(0.0, np.floor(10 * bottom) / 10 - 0.05)
    for panel in panels:
        panel.set_xlim(0, right)
        panel.set_ylim(bottom, 1.01)
    xlabel, ylabel = word("wait_weeks", lang), f"{word('share_requests', lang)} (≤ x)"
    six = Line2D(
        [], [], color="#555555", linewidth=0.8, linestyle=(0, (1, 2)), label=say("six_weeks", lang)
    )
    if many:
        for k, panel in enumerate(panels):
            if k % 2 == 0:
                panel.set_ylabel(ylabel, fontsize=8.5)
            if k >= len(panels) - 2:
                panel.set_xlabel(xlabel)
        fig.suptitle(say("waits_title", lang), fontsize=10, x=0.01, ha="left")
        keys = [
            Line2D(
                [],
                [],
                color="#777777",
                linewidth=1.1,
                label=f"{say('baseline', lang)}: {wrapped(baseline, 60)}",
            ),
            six,
        ]
        fig.legend(handles=keys, loc="outside lower center", ncols=2, frameon=False, fontsize=8)
        return fig
    ax = panels[0]
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(say("waits_title", lang), fontsize=9.5, loc="left")
    legend_below(fig, ax, own, extra=[six])
    return fig


def _provision_series(data, lang: str) -> tuple[str, dict]:
    """Participants and volunteers per provision over time: ``(x axis name,
    {(provision, "participants" | "volunteers"): values by week or year})``."""
    if hasattr(data, "model"):
        frame = data.intervention_timeseries
        series = {
            (source, metric): rows.set_index("week")["value"]
            for (source, metric), rows in frame.groupby(["source", "metric"], sort=False)
            if metric in ("participants", "volunteers")
        }
        return word("week", lang), series
    runs = data.yearly_runs
    series = {}
    weeks = runs[(runs["source"] == "team") & (runs["quantity"] == "weeks")]
    weeks = weeks.groupby("year")["value"].mean()
    scenario = data.scenario
    for quantity, metric in (
        ("participant_weeks", "participants"),
        ("volunteer_weeks", "volunteers"),
    ):
        rows = runs[runs["quantity"] == quantity]
        for source, part in rows.groupby("source", sort=False):
            mean = part.groupby("year")["value"].mean() / weeks
            # years as they are called: 2028, 2029 on a calendar, else 1, 2, ...
            mean.index = [
                year_label(scenario.start_date, scenario.warmup, int(y)) for y in mean.index
            ]
            series[(source, metric)] = mean
    return word("year", lang), series


def provisions(
    data, *, ax: Axes | None = None, lang: str = "nl", styles: Styles | None = None
) -> Figure:
    """Participants and volunteers per provision over time, titled with the
    scenario they belong to: weekly for a Run, mean per year for an
    Experiment (from its yearly figures), and for a Comparison a row per
    scenario with provisions (participants left, volunteers right). One
    colour and line style per provision across panels."""
    from matplotlib.ticker import MaxNLocator

    if hasattr(data, "experiments"):
        shown = {
            label: e
            for label, e in data.experiments.items()
            if e.scenario.interventions and e.yearly_runs is not None
        }
    else:
        shown = {data.label if hasattr(data, "label") else data.scenario.name: data}
    styles = styles or Styles()
    unit = unit_text("persons", language(lang))
    if ax is not None:  # everything on one axes, volunteers thin
        fig = ax.get_figure(root=True)
        for item in shown.values():
            x_name, series = _provision_series(item, lang)
            for (source, metric), values in series.items():
                style = _named(styles.line(source))
                if metric == "volunteers":
                    style = {
                        **style,
                        "label": f"{source} – {word('volunteers_mean', lang).lower()}",
                    }
                    style.update(linewidth=1, alpha=0.7)
                marker = None if len(values) > 20 else "o"
                ax.plot(values.index, values.to_numpy(), marker=marker, **style)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(x_name)
        ax.set_ylabel(f"{word('participants_mean', lang)} ({unit})")
        ax.set_ylim(bottom=0)
        ax.set_title(
            wrapped(f"{say('provisions_title', lang)}: {' · '.join(shown)}", 80),
            fontsize=9,
            loc="left",
        )
        ax.grid(alpha=0.3)
        ax.legend(frameon=False, fontsize=7)
        return fig  # type: ignore[return-value]
    import matplotlib.pyplot as plt

    fig, grid = plt.subplots(
        max(1, len(shown)),
        2,
        figsize=(7.5, 1.2 + 1.75 * max(1, len(shown))),
        layout="constrained",
        squeeze=False,
        sharex=True,
        sharey="col",
    )
    keys: dict[str, object] = {}
    for row, (label, item) in enumerate(shown.items()):
        x_name, series = _provision_series(item, lang)
        for (source, metric), values in series.items():
            panel = grid[row, 0 if metric == "participants" else 1]
            style = {**styles.line(source), "label": source}
            line = panel.plot(
                values.index,
                values.to_numpy(),
                marker=None if len(values) > 20 else MARKERS[styles.index(source)],
                markersize=4,
                **style,
            )[0]
            keys.setdefault(source, line)
        if x_name == word("week", lang):
            for panel in grid[row]:
                _warmup(panel, item.scenario.warmup, lang)
        grid[row, 0].set_title(wrapped(label, 60), fontsize=8.5, loc="left")
        for column, key in enumerate(("participants", "volunteers")):
            grid[row, column].set_ylabel(f"{say(key, lang)} ({unit})", fontsize=8)
        for panel in grid[row]:
            panel.grid(alpha=0.3)
            panel.xaxis.set_major_locator(MaxNLocator(integer=True))
    for panel in grid[-1]:
        panel.set_xlabel(x_name)
    for panel in grid[0]:  # a common scale per column, from zero, once every row is drawn
        panel.set_ylim(bottom=0)
    fig.suptitle(say("provisions_title", lang), fontsize=10, x=0.01, ha="left")
    handles = list(keys.values())
    fig.legend(
        handles=handles,
        labels=[wrapped(k) for k in keys],
        loc="outside lower center",
        ncols=min(3, max(1, len(handles))),
        frameon=False,
        fontsize=8,
    )
    return fig
