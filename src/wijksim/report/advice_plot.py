"""The advice's plot: every portfolio run by its cost a year and objective,
with the frontier, the good set, the recommendation and the budget."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .advice_text import objective_name
from .advice_words import say
from .text import number

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..analysis.advice import Advice


def frontier_figure(advice: Advice, lang: str = "nl") -> Figure:
    """Cost a year against the objective: every portfolio run (grey, with its
    interval), the frontier (a line), the good set and the recommendation
    (marked), and the budget (a vertical line)."""
    import matplotlib.pyplot as plt

    name, unit = objective_name(advice, lang)
    scale = 100.0 if unit == "share" else 1.0
    table = advice.table[advice.table["replications"] > 0]
    fig, ax = plt.subplots(figsize=(7.5, 5.0), layout="constrained")
    ax.errorbar(
        table["cost_per_year"],
        scale * table["objective"],
        yerr=[
            scale * (table["objective"] - table["objective_low"]).fillna(0.0),
            scale * (table["objective_high"] - table["objective"]).fillna(0.0),
        ],
        fmt="o",
        color="#9aa5b1",
        ecolor="#d0d6dc",
        markersize=4,
        label=say("plot_others", lang),
        zorder=1,
    )
    front = advice.frontier
    if not front.empty:
        ax.plot(
            front["cost_per_year"],
            scale * front["objective"],
            "-",
            drawstyle="steps-post",
            color="#0072B2",
            label=say("plot_frontier", lang),
            zorder=2,
        )
    good = advice.good
    if not good.empty:
        ax.scatter(
            good["cost_per_year"],
            scale * good["objective"],
            s=46,
            facecolors="none",
            edgecolors="#009E73",
            linewidths=1.6,
            label=say("plot_good", lang),
            zorder=3,
        )
    chosen = advice.recommended
    if chosen is not None:
        ax.scatter(
            [chosen["cost_per_year"]],
            [scale * chosen["objective"]],
            marker="*",
            s=220,
            color="#D55E00",
            label=f"{say('recommended', lang)}: {_short(chosen['label'])}",
            zorder=4,
        )
    budget = advice.decision.budget
    dearest = max(1.0, float(table["cost_per_year"].max() or 0.0))
    if budget is not None and budget.per_year is not None and budget.per_year <= 1.5 * dearest:
        ax.axvline(budget.per_year, color="#5b6673", linestyle="--", linewidth=1)
        ax.text(budget.per_year, ax.get_ylim()[1], f" {say('plot_budget', lang)}", va="top")
    ax.set_xlabel(say("plot_cost", lang))
    ax.set_ylabel(f"{name} (%)" if unit == "share" else name)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: number(v, lang, 0)))
    ax.grid(True, color="#eef1f4")
    fig.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    return fig


def _short(label: str, most: int = 48) -> str:
    return label if len(label) <= most else label[: most - 1] + "…"
