"""The report for a municipality: one self-contained HTML file (or Markdown)
from a comparison, in Dutch or English.

:func:`write_report` gathers everything a reader needs -- the question, the
scenarios with every parameter that differs from the baseline and the source
its file cites, the relief table (overall and per year), the plots, costs and
benefits per payer, break-even and the methods -- and renders it with Jinja2
templates (autoescaped: text from scenario files cannot inject markup). Plots
are embedded as ``data:`` URIs, so the file opens offline and asks nothing of
any other address.

This module holds the writing, the rendering and the context the templates
are given; the parts of that context are made in modules of their own:
:mod:`.relief_tables`, :mod:`.value_tables`, :mod:`.scenario_changes` and
:mod:`.report_figures` (the plots).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from .._version import installed_version
from ..analysis.breakeven import BreakEven
from ..analysis.comparison import Comparison
from ..analysis.value import Value
from ..scenario.units import WEEKS_PER_YEAR
from . import markdown, plots
from .labels import Language
from .precision import precision_section
from .relief_tables import effect_rows, pm_rows, relief_rows, yearly_rows
from .report_figures import DPI as DPI
from .report_figures import captions, data_uri, figures_of, png_of, waits_of
from .report_words import METHODS, REPORT
from .scenario_changes import scenario_changes, warmup_note
from .summary import balance_scale, summaries
from .text import number, word
from .value_tables import breakeven_section, item_rows, left_out_lines, payer_rows, totals_rows


def write_report(
    comparison: Comparison,
    path: str | Path,
    lang: Language = "nl",
    *,
    files: Mapping[str, str | Path] | None = None,
    overrides: Mapping[str, Any] | None = None,
    breakevens: Sequence[BreakEven] = (),
    waits: Mapping[str, Any] | None = None,
    question: str | None = None,
) -> Path:
    """Write the report of ``comparison`` to ``path`` (``.html`` or ``.md``).

    ``files``: the scenario file of each label (for the parameters that differ
    from the baseline and their source comments); ``overrides``: ``--set``
    values applied to all of them; ``breakevens``: results of
    :func:`wijksim.analysis.breakeven.breakeven` to include; ``waits``: waits
    (weeks) per label for the wait distribution (default: one replication per
    scenario, run again with every case recorded).
    """
    from ..experiment.outputs import check_target, write_bytes, write_text

    if not isinstance(comparison, Comparison):
        raise TypeError(
            f"write_report takes a Comparison (from wijksim.compare), not "
            f"{type(comparison).__name__}"
        )
    path = Path(path)
    kind = "md" if path.suffix.lower() in (".md", ".markdown") else "html"
    folder = path.parent / f"{path.stem}_plots"
    # a pipe or a device there, or a link for the plots, refused before the work
    check_target(path)
    if kind == "md":
        check_target(folder, folder=True)
    context = build_context(
        comparison,
        lang,
        files=files,
        overrides=overrides,
        breakevens=breakevens,
        waits=waits,
        question=question,
        images=kind == "html",
    )
    context["plot_folder"] = folder.name
    text = render(context, kind)
    write_text(path, text)
    if kind == "md":  # Markdown refers to its plots as files beside it, in a real folder
        for name, png in context["plot_files"].items():
            write_bytes(folder / f"{name}.png", png, within=path.parent)
    return path


def render(context: dict, kind: str = "html") -> str:
    """The report text from its context (templates under ``report/templates``)."""
    import jinja2

    # text from scenario files is escaped in both: HTML by autoescape, Markdown
    # by finalize (every value literal text on one line, see report.markdown)
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("wijksim.report", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "j2"), default=True)
        if kind == "html"
        else False,
        finalize=None if kind == "html" else markdown.finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    if kind != "html":
        env.filters.update(markdown.FILTERS)
    env.filters["figures"] = _unbroken_figures
    return env.get_template(f"report.{kind}.j2").render(**context)


#: A figure in running text with its sign, currency and unit: −€42,179, € 9.365,
#: +4,4 %-punt, 33,3%.
_FIGURE = re.compile(r"[−+-]?€?\u00a0?[−-]?\d(?:[\d.,]*\d)?(?:[ \u00a0]?%(?:-punt)?| pp)?")


def _unbroken_figures(text: str):
    """HTML: ``text`` escaped, each figure in it kept on one line (a line
    break between a minus sign and its euros misreads the figure)."""
    from markupsafe import Markup, escape

    out, at = [], 0
    for found in _FIGURE.finditer(text):
        out += [escape(text[at : found.start()]), Markup('<span class="figure">')]
        out += [escape(found[0]), Markup("</span>")]
        at = found.end()
    out.append(escape(text[at:]))
    return Markup("").join(out)


# -- the context ---------------------------------------------------------------------


def build_context(
    comparison: Comparison,
    lang: Language = "nl",
    *,
    files: Mapping[str, str | Path] | None = None,
    overrides: Mapping[str, Any] | None = None,
    breakevens: Sequence[BreakEven] = (),
    waits: Mapping[str, Any] | None = None,
    question: str | None = None,
    images: bool = True,
) -> dict:
    """Everything the templates show, as plain data and formatted text."""
    value = Value(comparison.experiments, comparison.baseline)
    base = comparison.experiments[comparison.baseline]
    scenario = base.scenario
    styles = plots.Styles([comparison.baseline, *comparison.alternatives])
    figures = figures_of(comparison, value, styles, lang, waits, breakevens)
    plot_files = {name: png_of(fig) for name, fig in figures.items()}
    import matplotlib.pyplot as plt

    for fig in figures.values():
        plt.close(fig)
    totals = value.totals()
    effects = value.effects()
    tables = {
        "relief": relief_rows(comparison, lang),
        "totals": totals_rows(totals, lang),
        "payers": payer_rows(value, lang),
        "pm": pm_rows(effects, value.alternatives, lang),
    }
    context = {
        "lang": lang,
        "t": _Words(lang),
        "title": _title(comparison, lang),
        "question": question or _question(scenario.name, lang),
        "date": date.today().isoformat(),
        "version": installed_version(),
        "baseline": comparison.baseline,
        "alternatives": comparison.alternatives,
        "replications": comparison.replications,
        "seed": base.seed,
        "crn": comparison.common_random_numbers,
        "horizon": number(scenario.horizon / WEEKS_PER_YEAR, lang, 1),
        "warmup": number(scenario.warmup / WEEKS_PER_YEAR, lang, 1),
        "warmup_note": warmup_note(files, overrides, comparison.baseline),
        "discount_rate": number(100 * scenario.costs.discount_rate, lang, 2) + "%",
        # the first page, its figures taken from the tables below (report.summary)
        "summary": summaries(
            effects=effect_rows(effects, value.alternatives, lang), lang=lang, **tables
        ),
        "balances": balance_scale(totals, lang),
        "scenarios": scenario_changes(comparison, files, overrides, lang),
        "by_year": yearly_rows(comparison, lang),
        "items": item_rows(value, lang),
        **tables,
        "left_out": left_out_lines(value, totals, lang),
        "breakevens": [breakeven_section(b, lang) for b in breakevens],
        "precision": precision_section(comparison, lang),  # wijksim.report.precision
        "plots": {name: data_uri(png) for name, png in plot_files.items()} if images else {},
        "plot_files": plot_files,
        "plot_names": list(plot_files),
        "plot_folder": "plots",
        "captions": captions(lang),
    }
    rate = context["discount_rate"]
    note = context["warmup_note"]
    context["methods"] = [
        paragraph.format(
            replications=comparison.replications,
            horizon=context["horizon"],
            warmup=context["warmup"],
            warmup_note=f" ({note})" if note else "",
            seed=base.seed,
            rate=rate,
        )
        for paragraph in METHODS[lang]
    ]
    context["value_note"] = REPORT["value_note"].text(lang).format(rate=rate)
    return context


class _Words:
    """``t.key`` in a template: the word in the report's language."""

    def __init__(self, lang: Language):
        self.lang = lang

    def __getattr__(self, key: str) -> str:
        entry = REPORT.get(key)
        if entry is None:
            return word(key, self.lang)
        return entry.text(self.lang)


def _title(comparison: Comparison, lang: Language) -> str:
    name = comparison.experiments[comparison.baseline].scenario.name
    return (
        f"Ontlasting van het wijkteam — {name}"
        if lang == "nl"
        else f"Relief for the wijkteam — {name}"
    )


def _question(name: str, lang: Language) -> str:
    if lang == "nl":
        return (
            f"Hoeveel ontlast elke collectieve voorziening het wijkteam van {name}, wat kost "
            "ze, wie betaalt en wie profiteert, en hoe zeker zijn we daarvan?"
        )
    return (
        f"How much relief does each collective provision give the wijkteam of {name}, what "
        "does it cost, who pays and who gains, and how sure are we?"
    )


__all__ = ["build_context", "render", "waits_of", "write_report"]
