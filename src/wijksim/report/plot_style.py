"""The look every plot of wijksim shares: one colour, line style, marker and
hatch per scenario (the Okabe-Ito palette, safe for colour-blind readers, so
that a black-and-white print still tells the scenarios apart), a new figure or
the ``ax`` given, wrapped titles, the legend below the plot and euro on an axis.

The plots themselves are in :mod:`wijksim.report.plots` (and the two modules it
gathers, :mod:`~wijksim.report.plots_time` and :mod:`~wijksim.report.plots_summary`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .report_words import PLOT
from .text import language, word

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


def figure_axes(ax: Axes | None, size=(7.5, 4.2)) -> tuple[Figure, Axes]:
    """A new figure of ``size`` inches and its axes, or the figure of ``ax``."""
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=size, layout="constrained")
        return fig, ax
    if not callable(getattr(ax, "get_figure", None)):  # else an AttributeError deep in a plot
        raise TypeError(f"ax must be matplotlib Axes (or None: a new figure), not {ax!r:.80}")
    return ax.get_figure(root=True), ax  # type: ignore[return-value]


def say(key: str, lang: str) -> str:
    """A word of the plots (:data:`~wijksim.report.report_words.PLOT`), else of the report."""
    entry = PLOT.get(key)
    return word(key, lang) if entry is None else entry.text(language(lang))


def wrapped(text: str, width: int = 36) -> str:
    """A name over lines of at most ``width`` characters: titles and legends
    that fit their figure (a newline inside a name becomes a space)."""
    import textwrap

    return "\n".join(textwrap.wrap(" ".join(str(text).split()), width)) or str(text)


def legend_below(fig: Figure, ax: Axes, own: bool = True, extra: Sequence = ()) -> None:
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
