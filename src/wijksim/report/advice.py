"""The advice in words, tables and a plot, in Dutch or English: what the
command line prints for ``wijksim advise`` and the report it writes
(``--report advies.html``, or ``.md``).

One place for the words of both: the advice in one sentence
(:func:`sentence`), the guarantee and its limits (:func:`guarantee`), the good
set and the frontier as rows (:func:`good_rows`, :func:`frontier_rows`), and the
frontier plot (:func:`frontier_figure`). Numbers are written as the language
writes them (:mod:`wijksim.report.text`).

The words are in :mod:`.advice_words`, the sentences and rows in
:mod:`.advice_text`, the plot in :mod:`.advice_plot`; this module holds the
report: the templates' context and the writing.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .advice_plot import frontier_figure
from .advice_text import (
    delta_text,
    entering_text,
    frontier_rows,
    good_rows,
    guarantee,
    method_line,
    objective_name,
    portfolio_rows,
    sentence,
)
from .advice_words import PROCEDURES, WORDS, say
from .labels import Language

if TYPE_CHECKING:
    from ..analysis.advice import Advice


def context(advice: Advice, lang: Language = "nl", *, image: str = "") -> dict[str, Any]:
    """What the templates show."""
    name, unit = objective_name(advice, lang)
    return {
        "lang": lang,
        "words": {key: label.text(lang) for key, label in WORDS.items()},
        "title": say("title", lang),
        "scenario": advice.scenario.name,
        "question": advice.decision.question.strip(),
        "sentence": sentence(advice, lang),
        "guarantee": guarantee(advice, lang),
        "method": method_line(advice, lang),
        "entering": entering_text(advice, lang),
        "good_intro": say("good_set_intro", lang, delta=delta_text(advice, lang)),
        "good": good_rows(advice, lang),
        "frontier": frontier_rows(advice, lang),
        "portfolios": portfolio_rows(advice, lang),
        "objective": name,
        "unit": unit,
        "net": "net" in advice.table.columns,
        "image": image,
        "source": advice.source or "",
    }


def write_report(advice: Advice, path: str | Path, lang: Language = "nl") -> Path:
    """Write the advice report to ``path`` (``.html``: self-contained, the plot
    embedded; ``.md``: Markdown with the plot in a folder beside it)."""
    import jinja2
    import matplotlib.pyplot as plt

    from ..experiment.outputs import check_target, write_bytes, write_text
    from . import markdown

    path = Path(path)
    check_target(path)
    kind = "md" if path.suffix.lower() in (".md", ".markdown") else "html"
    fig = frontier_figure(advice, lang)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    png = buffer.getvalue()
    image = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    folder = path.parent / f"{path.stem}_plots"
    if kind == "md":
        image = f"{folder.name}/frontier.png"
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("wijksim.report", "templates"),
        autoescape=kind == "html",
        finalize=None if kind == "html" else markdown.finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    if kind != "html":
        env.filters.update(markdown.FILTERS)
    text = env.get_template(f"advice.{kind}.j2").render(**context(advice, lang, image=image))
    write_text(path, text)
    if kind == "md":
        write_bytes(folder / "frontier.png", png, within=path.parent)
    return path


__all__ = [
    "PROCEDURES",
    "WORDS",
    "context",
    "entering_text",
    "frontier_figure",
    "frontier_rows",
    "good_rows",
    "guarantee",
    "method_line",
    "portfolio_rows",
    "say",
    "sentence",
    "write_report",
]
