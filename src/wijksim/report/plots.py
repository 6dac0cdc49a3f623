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
from ..experiment.intervals import CONFIDENCE
from ..scenario.calendar import year_label
from .labels import unit_text
from .report_words import PLOT
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


def _say(key: str, lang: str) -> str:
    """A word of the plots (:data:`~wijksim.report.report_words.PLOT`), else of the report."""
    entry = PLOT.get(key)
    return word(key, lang) if entry is None else entry.text(language(lang))


def _wrapped(text: str, width: int = 36) -> str:
    """A name over lines of at most ``width`` characters: titles and legends
    that fit their figure (a newline inside a name becomes a space)."""
    import textwrap

    return "\n".join(textwrap.wrap(" ".join(str(text).split()), width)) or str(text)


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
            label=_say("warmup", lang),
        )


def _warmup_key(lang: str):
    from matplotlib.patches import Patch

    return Patch(facecolor="#e4e4e4", edgecolor="#9a9a9a", hatch="///", label=_say("warmup", lang))


def _band_key(lang: str):
    from matplotlib.patches import Patch

    return Patch(facecolor="#999999", alpha=0.35, label=_say("band", lang))


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
    an Experiment, a mapping of them, or a single Run without a band), the
    warm-up hatched. The y axis is fitted to the lines, not to zero, so that
    scenarios that differ a little are told apart; for the difference itself
    see :func:`relief_over_time`."""
    own = ax is None
    fig, ax = _axes(ax)
    styles = styles or Styles()
    keys = []
    if hasattr(data, "model"):  # a Run
        frame = data.timeseries
        rows = frame[(frame["metric"] == metric) & (frame["theme"] == theme)]
        names = [data.scenario.name]
        ax.plot(rows["week"], rows["value"], **_named(styles.line(names[0])))
        warmup = data.scenario.warmup
    else:
        experiments = _experiments(data)
        names = list(experiments)
        for label, experiment in experiments.items():
            table = experiment.timeseries
            rows = table[(table["metric"] == metric) & (table["theme"] == theme)]
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
    shown = " · ".join(names) if len(names) <= 2 else _say("per_scenario", lang)
    ax.set_title(_wrapped(f"{label}: {shown}", 80), fontsize=9.5, loc="left")
    ax.grid(alpha=0.3)
    _legend_below(fig, ax, own, extra=keys)
    return fig


def _named(style: dict) -> dict:
    """A line style whose label fits a legend (long names wrapped)."""
    return {**style, "label": _wrapped(style["label"])}


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
        rows = runs[(runs["metric"] == metric) & (runs["theme"] == theme)]
        return rows.pivot_table(index="replication", columns="week", values="value")

    a, b = wide(alternative), wide(baseline)
    replications = a.index.intersection(b.index)
    weeks = a.columns.intersection(b.columns)
    d = a.loc[replications, weeks].to_numpy(float) - b.loc[replications, weeks].to_numpy(float)
    n = (~np.isnan(d)).sum(axis=0)
    mean = np.nanmean(d, axis=0)
    sd = np.nanstd(d, axis=0, ddof=1) if len(replications) > 1 else np.full(len(weeks), np.nan)
    half = stdtrit(np.maximum(n - 1, 1), 0.5 + confidence / 2) * sd / np.sqrt(np.maximum(n, 1))
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
        fig, ax = _axes(ax)
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
            panel.set_title(_wrapped(alternative, 48), fontsize=8.5, loc="left")
    ylabel = f"{_say('difference_axis', lang)} ({unit})"
    title = f"{label}: {_say('difference_from', lang)} {' '.join(comparison.baseline.split())}"
    if ax is not None:
        ax.set_xlabel(word("week", lang))
        ax.set_ylabel(ylabel)
        ax.set_title(_wrapped(title, 80), fontsize=9.5, loc="left")
        _legend_below(fig, ax, own, extra=[_band_key(lang)])
        return fig
    columns = 1 if len(panels) == 1 else 2
    for k, panel in enumerate(panels):
        if k % columns == 0:
            panel.set_ylabel(ylabel, fontsize=8.5)
        if k >= len(panels) - columns:
            panel.set_xlabel(word("week", lang))
    fig.suptitle(_wrapped(title, 90), fontsize=10, x=0.01, ha="left")
    keys = [
        Line2D([], [], color="#333333", label=_say("mean_difference", lang)),
        _band_key(lang),
        Line2D([], [], color="black", linewidth=0.9, label=_say("zero", lang)),
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
        fig, ax = _axes(ax)
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
            panel.set_title(_wrapped(shown[1], 48), fontsize=8.5, loc="left")
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
        [], [], color="#555555", linewidth=0.8, linestyle=(0, (1, 2)), label=_say("six_weeks", lang)
    )
    if many:
        for k, panel in enumerate(panels):
            if k % 2 == 0:
                panel.set_ylabel(ylabel, fontsize=8.5)
            if k >= len(panels) - 2:
                panel.set_xlabel(xlabel)
        fig.suptitle(_say("waits_title", lang), fontsize=10, x=0.01, ha="left")
        keys = [
            Line2D(
                [],
                [],
                color="#777777",
                linewidth=1.1,
                label=f"{_say('baseline', lang)}: {_wrapped(baseline, 60)}",
            ),
            six,
        ]
        fig.legend(handles=keys, loc="outside lower center", ncols=2, frameon=False, fontsize=8)
        return fig
    ax = panels[0]
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(_say("waits_title", lang), fontsize=9.5, loc="left")
    _legend_below(fig, ax, own, extra=[six])
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
            _wrapped(f"{_say('provisions_title', lang)}: {' · '.join(shown)}", 80),
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
        grid[row, 0].set_title(_wrapped(label, 60), fontsize=8.5, loc="left")
        for column, key in enumerate(("participants", "volunteers")):
            grid[row, column].set_ylabel(f"{_say(key, lang)} ({unit})", fontsize=8)
        for panel in grid[row]:
            panel.grid(alpha=0.3)
            panel.xaxis.set_major_locator(MaxNLocator(integer=True))
    for panel in grid[-1]:
        panel.set_xlabel(x_name)
    for panel in grid[0]:  # a common scale per column, from zero, once every row is drawn
        panel.set_ylim(bottom=0)
    fig.suptitle(_say("provisions_title", lang), fontsize=10, x=0.01, ha="left")
    handles = list(keys.values())
    fig.legend(
        handles=handles,
        labels=[_wrapped(k) for k in keys],
        loc="outside lower center",
        ncols=min(3, max(1, len(handles))),
        frameon=False,
        fontsize=8,
    )
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
    own = ax is None
    fig, ax = _axes(ax, size=(7.5, 1.4 + 0.35 * len(names) * max(1, len(alternatives)) ** 0.6))
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
            label=_wrapped(alternative),
            **styles.marker(alternative),
        )
    ax.axvline(0, color="#555555", linewidth=0.8)
    ax.set_yticks(np.arange(len(names)), [metric_label(m, lang)[0] for m in names])
    ax.invert_yaxis()
    ax.set_xlabel(word("change_pct", lang))
    title = f"{_say('forest_title', lang)} {' '.join(comparison.baseline.split())}"
    ax.set_title(_wrapped(title, 80), fontsize=9.5, loc="left")
    _legend_below(fig, ax, own)
    ax.grid(axis="x", alpha=0.3)
    return fig


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
    fig, ax = _axes(ax, size=(7.5, 1.1 + 0.42 * len(table)))
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
    ax.set_yticks(y, [_wrapped(name) for name in table["scenario"]], fontsize=8)
    ax.invert_yaxis()
    ax.set_ylim(len(table) - 0.5, -0.5)
    ax.xaxis.set_major_formatter(euro_formatter(lang))
    ax.set_xlabel(_say("balance_axis", lang))
    title = f"{_say('balance_title', lang)} {' '.join(result.baseline.split())}"
    ax.set_title(_wrapped(title, 80), fontsize=9.5, loc="left")
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
    fig, ax = _axes(ax, size=(7.5, 4.8))
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
            label=_wrapped(alternative),
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
        Patch(facecolor="#777777", alpha=0.85, label=_say("benefit_key", lang)),
        Patch(facecolor="#777777", alpha=0.35, label=_say("cost_key", lang)),
        Line2D([], [], color="black", marker="D", markersize=4, label=_say("net_key", lang)),
    ]
    title = f"{_say('payers_title', lang)} {' '.join(result.baseline.split())}"
    ax.set_title(_wrapped(title, 80), fontsize=9.5, loc="left")
    _legend_below(fig, ax, own, extra=keys)
    ax.grid(axis="y", alpha=0.3)
    return fig


def _legend_below(fig: Figure, ax: Axes, own: bool = True, extra: Sequence = ()) -> None:
    """The legend under the plot, where it hides no data, in as many columns
    as keep it short (a figure of ours); on an ``ax`` given, inside it.
    ``extra``: keys for what is not a labelled artist (a band, a marker)."""
    handles, labels = ax.get_legend_handles_labels()
    handles = [*handles, *extra]
    labels = [*labels, *(key.get_label() for key in extra)]
    if own and fig.get_layout_engine() is not None:
        columns = 1 if len(handles) <= 3 else 2 if len(handles) <= 10 else 3
        fig.legend(
            handles, labels, loc="outside lower center", frameon=False, fontsize=8, ncols=columns
        )
    else:
        ax.legend(handles, labels, frameon=False, fontsize=8)


def euro_formatter(lang: str):
    """Euro on an axis, short, signed as the report's text: ``€ −25k``,
    ``€ 1,5 mln`` (nl), ``−€25k``, ``€1.5M`` (en)."""
    from matplotlib.ticker import FuncFormatter

    from .text import number

    def fmt(value, _position=None):
        for size, suffix in ((1e6, " mln" if lang == "nl" else "M"), (1e3, "k"), (1, "")):
            if abs(value) >= size or size == 1:
                # one decimal where a tick needs it (€ 2,5k), none where not (€ 25k)
                text = number(abs(value) / size, lang, 1).removesuffix(",0").removesuffix(".0")
                sign = "−" if value < 0 and text != "0" else ""
                # the sign where the text's euros have it: € −25k (nl), −€25k (en)
                return f"€\u00a0{sign}{text}{suffix}" if lang == "nl" else f"{sign}€{text}{suffix}"
        return ""

    return FuncFormatter(fmt)


def breakeven(
    table: pd.DataFrame, *, ax: Axes | None = None, lang: str = "nl", name: str = ""
) -> Figure:
    """Net present value against the effect scale (0..2× the scenario's
    effect), with its 95% interval (``table`` from :func:`wijksim.breakeven`)."""
    own = ax is None
    fig, ax = _axes(ax, size=(7.5, 4.0))
    ax.plot(
        table["scale"], table["net"], color=PALETTE[1], marker="o", label=_say("net_line", lang)
    )
    ax.fill_between(
        table["scale"],
        table["net_low"],
        table["net_high"],
        color=PALETTE[1],
        alpha=0.15,
        label=_say("ci_band", lang),
    )
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.axvline(1, color="#777777", linewidth=0.8, linestyle="--", label=_say("assumed", lang))
    ax.set_xlabel(word("effect_scale", lang))
    ax.set_ylabel(f"{word('net', lang)} ({word('euro_pv', lang).lower()})")
    ax.yaxis.set_major_formatter(euro_formatter(lang))
    title = _say("breakeven_title", lang) + (f": {' '.join(name.split())}" if name else "")
    ax.set_title(_wrapped(title, 80), fontsize=9.5, loc="left")
    ax.grid(alpha=0.3)
    _legend_below(fig, ax, own)
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
        ax.set_title(_wrapped(scenario, 60), fontsize=9, loc="left")
        ax.xaxis.set_major_formatter(euro_formatter(lang))
        ax.xaxis.set_major_locator(MaxNLocator(6))
        ax.grid(axis="x", alpha=0.3)
    axes[-1, 0].set_xlabel(word("drivers_axis", lang), fontsize=8)
    fig.suptitle(_say("drivers_title", lang), fontsize=10, x=0.01, ha="left")
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


# -- wijksim 0.x ------------------------------------------------------------------------------


def install() -> None:
    """Deprecated, and does nothing: Run, Experiment, Comparison and
    SweepResult define their ``.plot()`` themselves now (it imports this
    module when called). Goes in the next release."""
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
