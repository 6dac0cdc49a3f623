"""The precision a comparison's headline figures reached, in words: for the
report and for ``wijksim compare`` alike (the figures themselves come from
:meth:`wijksim.Comparison.precision`, see :mod:`wijksim.analysis.headline`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..analysis.headline import SOCIAL_BALANCE
from .labels import Label
from .text import difference_unit, figure, language, metric, number

if TYPE_CHECKING:
    from ..analysis.comparison import Comparison

#: The social balance among the headline figures.
BALANCE = Label("Maatschappelijk saldo (contante waarde)", "Social balance (present value)", "euro")

_REACHED = {
    "relative": ("ja, ±{precision} van het verschil", "yes, ±{precision} of the difference"),
    "absolute": ("ja, binnen de tolerantie", "yes, within the tolerance"),
    "": ("nee", "no"),
}


def figure_label(key: str) -> Label:
    """The label of a headline figure (the social balance included)."""
    return BALANCE if key == SOCIAL_BALANCE else metric(key)


def precision_rows(comparison: Comparison, lang: str = "nl") -> list[dict]:
    """Per alternative, its headline figures: ``label``, ``difference``, the
    interval's half-width now (``half_width``), the half-width that would do
    (``target``), ``reached`` (a bool) and ``verdict`` in words -- all text in
    ``lang`` but ``reached``."""
    language(lang)
    table = comparison.precision()
    share = _percent(comparison.target.precision, lang)
    out = []
    for alternative in comparison.alternatives:
        rows = []
        for row in table[table["scenario"] == alternative].itertuples():
            label = figure_label(row.metric)
            unit = difference_unit(label.unit)
            verdict = _REACHED[row.criterion][0 if lang == "nl" else 1]
            rows.append(
                {
                    "metric": row.metric,
                    "label": label.text(language(lang)),
                    "difference": figure(row.difference, unit, lang, signed=True),
                    "half_width": "±" + figure(row.half_width, unit, lang),
                    "target": "±" + figure(row.target, unit, lang),
                    "reached": bool(row.reached),
                    "verdict": verdict.format(precision=share),
                }
            )
        out.append({"scenario": alternative, "rows": rows})
    return out


def precision_note(comparison: Comparison, lang: str = "nl") -> str:
    """One sentence: the precision stated, and whether every headline figure
    reached it with the replications run (else how many an estimate says)."""
    table = comparison.precision()
    target = comparison.target
    share = _percent(target.precision, lang)
    level = _percent(target.confidence, lang)
    n = comparison.replications
    missed = table[~table["reached"]]
    tolerances = "; ".join(_tolerance(f, target.tolerance(f), lang) for f in target.figures)
    if lang == "nl":
        stated = (
            f"Gestelde precisie: het {level}-betrouwbaarheidsinterval van elk verschil is "
            f"hooguit ±{share} van dat verschil breed, of smaller dan een verschil dat er niet "
            f"toe doet (de tolerantie: {tolerances})."
        )
        if missed.empty:
            return f"{stated} Met {n} replicaties bereikt door alle {len(table)} kerncijfers."
        return (
            f"{stated} Met {n} replicaties niet bereikt door {len(missed)} van de "
            f"{len(table)} kerncijfers; geschat nodig: {_needed(missed, lang)} replicaties."
        )
    stated = (
        f"Stated precision: the {level} confidence interval of each difference is at most "
        f"±{share} of that difference wide, or narrower than a difference that does not "
        f"matter (the tolerance: {tolerances})."
    )
    if missed.empty:
        return f"{stated} Reached by all {len(table)} headline figures with {n} replications."
    return (
        f"{stated} Not reached by {len(missed)} of the {len(table)} headline figures with "
        f"{n} replications; estimated need: {_needed(missed, lang)} replications."
    )


def precision_section(comparison: Comparison, lang: str = "nl") -> dict:
    """What the report shows of the precision reached: ``heading``, ``note``
    (:func:`precision_note`), column ``words`` and the ``blocks`` of
    :func:`precision_rows`."""
    nl = language(lang) == "nl"
    return {
        "heading": "Bereikte precisie" if nl else "Precision reached",
        "note": precision_note(comparison, lang),
        "words": {
            "figure": "kengetal" if nl else "figure",
            "difference": "verschil" if nl else "difference",
            "now": "interval nu" if nl else "interval now",
            "target": "doel" if nl else "target",
            "reached": "bereikt" if nl else "reached",
        },
        "blocks": precision_rows(comparison, lang),
    }


def _tolerance(key: str, tolerance: float, lang: str) -> str:
    """``gemiddelde wachtlijst 1,00 personen``: a figure's tolerance in words."""
    label = figure_label(key)
    unit = difference_unit(label.unit)
    text = figure(tolerance, unit, lang)
    if unit not in ("euro", "pp"):
        text += " " + label.unit_text(language(lang))
    return f"{label.text(language(lang)).lower()} {text}"


def _percent(value: float, lang: str) -> str:
    digits = 0 if float(100 * value).is_integer() else 1
    return number(100 * value, lang, digits) + "%"


def _needed(missed: pd.DataFrame, lang: str) -> str:
    needed = missed["needed"]
    if needed.isna().all():
        return "unknown" if lang == "en" else "onbekend"
    return number(int(needed.max()), lang, 0)


__all__ = ["BALANCE", "figure_label", "precision_note", "precision_rows", "precision_section"]
