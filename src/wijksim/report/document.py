"""The report for a municipality: one self-contained HTML file (or Markdown)
from a comparison, in Dutch or English.

:func:`write_report` gathers everything a reader needs -- the question, the
scenarios with every parameter that differs from the baseline and the source
its file cites, the relief table (overall and per year), the plots, costs and
benefits per payer, break-even and the methods -- and renders it with Jinja2
templates (autoescaped: text from scenario files cannot inject markup). Plots
are embedded as ``data:`` URIs, so the file opens offline and asks nothing of
any other address.
"""

from __future__ import annotations

import base64
import io
import math
import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._version import installed_version
from ..analysis.breakeven import BreakEven
from ..analysis.comparison import YEARLY_METRICS, Comparison
from ..analysis.value import Value
from ..scenario.units import WEEKS_PER_YEAR
from . import markdown, plots
from .labels import Language
from .precision import precision_section
from .report_words import CAPTIONS, METHODS, REPORT
from .summary import balance_scale, summaries
from .text import (
    certainty,
    difference_unit,
    effect_label,
    effect_unit,
    euro,
    figure,
    metric,
    metric_label,
    number,
    word,
)

#: Keys whose difference says nothing about the policy (names, text).
_SKIP_KEYS = ("name", "description")

#: Figures that are neither relief nor burden (the collective hours are the investment).
_NEUTRAL = frozenset({"collective_hours"})

#: Effects in their own units where less is better for residents (others neutral).
_JUDGED = frozenset({"mean_wait_weeks", "share_wait_over_6_weeks", "reneged", "escalations"})

#: Plot resolution: sharp on screen and in print, a few hundred kB per plot.
DPI = 110


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
    figures = _figures(comparison, value, styles, lang, waits, breakevens)
    plot_files = {name: _png(fig) for name, fig in figures.items()}
    import matplotlib.pyplot as plt

    for fig in figures.values():
        plt.close(fig)
    totals = value.totals()
    effects = value.effects()
    tables = {
        "relief": _relief(comparison, lang),
        "totals": _totals(totals, lang),
        "payers": _payers(value, lang),
        "pm": _pm(effects, value.alternatives, lang),
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
        "warmup_note": _warmup_note(files, overrides, comparison.baseline),
        "discount_rate": number(100 * scenario.costs.discount_rate, lang, 2) + "%",
        # the first page, its figures taken from the tables below (report.summary)
        "summary": summaries(
            effects=_effects(effects, value.alternatives, lang), lang=lang, **tables
        ),
        "balances": balance_scale(totals, lang),
        "scenarios": _scenarios(comparison, files, overrides, lang),
        "by_year": _by_year(comparison, lang),
        "items": _items(value, lang),
        **tables,
        "left_out": _left_out(value, totals, lang),
        "breakevens": [_breakeven(b, lang) for b in breakevens],
        "precision": precision_section(comparison, lang),  # wijksim.report.precision
        "plots": {name: _data_uri(png) for name, png in plot_files.items()} if images else {},
        "plot_files": plot_files,
        "plot_names": list(plot_files),
        "plot_folder": "plots",
        "captions": _captions(lang),
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


def _interval(low: float, high: float, unit: str, lang: Language) -> str:
    if math.isnan(low) or math.isnan(high):
        return "–"
    return f"{figure(low, unit, lang)} … {figure(high, unit, lang)}"


def _relief(comparison: Comparison, lang: Language) -> list[dict]:
    table = comparison.relief()
    out = []
    for alternative in comparison.alternatives:
        rows = []
        for row in table[table["scenario"] == alternative].itertuples():
            label = metric(row.metric)
            unit = label.unit
            diff_unit = difference_unit(unit)
            rows.append(
                {
                    "metric": row.metric,
                    "label": label.text(lang),
                    "unit": label.unit_text(lang),
                    "baseline": figure(row.baseline, unit, lang),
                    "value": figure(row.value, unit, lang),
                    "difference": figure(row.difference, diff_unit, lang, signed=True),
                    "interval": _interval(row.ci_low, row.ci_high, diff_unit, lang),
                    "relative": (
                        ""
                        if not np.isfinite(row.relative)
                        else figure(row.relative, "share", lang, signed=True)
                    ),
                    "better": _better(row.metric, row.ci_low, row.ci_high),
                }
            )
        out.append({"scenario": alternative, "rows": rows})
    return out


def _better(metric_key: str, low: float, high: float) -> str:
    """``"better"``/``"worse"`` when the whole interval lies on one side of zero."""
    if math.isnan(low) or math.isnan(high) or low <= 0 <= high or metric_key in _NEUTRAL:
        return ""
    lower_is_better = metric_key not in ("averted", "diverted")
    down = high < 0
    return "better" if down == lower_is_better else "worse"


def _sign(low: float, high: float) -> str:
    """``"better"`` for a balance surely above zero, ``"worse"`` surely below."""
    return "better" if low > 0 else "worse" if high < 0 else ""


def _by_year(comparison: Comparison, lang: Language) -> list[dict]:
    table = comparison.by_year()
    years = sorted(set(table["year"]))
    out = []
    for alternative in comparison.alternatives:
        part = table[table["scenario"] == alternative]
        rows = []
        for key in YEARLY_METRICS:
            cells = []
            for year in years:
                row = part[(part["metric"] == key) & (part["year"] == year)]
                if row.empty:
                    cells.append({"value": "–", "interval": ""})
                    continue
                r = row.iloc[0]
                unit = metric(key).unit
                if key == "cost":
                    cells.append(
                        {
                            "value": figure(r["value"], unit, lang),
                            "interval": _interval(r["ci_low"], r["ci_high"], unit, lang),
                            "better": "",
                        }
                    )
                    continue
                unit = difference_unit(unit)
                cells.append(
                    {
                        "value": figure(r["difference"], unit, lang, signed=True),
                        "interval": _interval(r["ci_low"], r["ci_high"], unit, lang),
                        "better": _better(key, r["ci_low"], r["ci_high"]),
                    }
                )
            label, unit_name = metric_label(key, lang)
            rows.append({"label": label, "unit": unit_name, "cells": cells})
        out.append({"scenario": alternative, "years": years, "rows": rows})
    return out


def _totals(totals, lang: Language) -> list[dict]:
    out = []
    for row in totals.to_dict(orient="records"):
        out.append(
            {
                "scenario": row["scenario"],
                "cost": euro(row["cost"], lang),
                "cost_ci": _interval(row["cost_low"], row["cost_high"], "euro", lang),
                "benefit": euro(row["benefit"], lang),
                "benefit_ci": _interval(row["benefit_low"], row["benefit_high"], "euro", lang),
                "net": euro(row["net"], lang),
                "net_ci": _interval(row["net_low"], row["net_high"], "euro", lang),
                "net_sign": "better"
                if row["net_low"] > 0
                else "worse"
                if row["net_high"] < 0
                else "",
                "ratio": number(row["ratio"], lang, 2),
                "ratio_ci": _interval(row["ratio_low"], row["ratio_high"], "ratio", lang).replace(
                    "€", ""
                ),
                "cost_per_request": euro(row["cost_per_request"], lang),
                "cost_per_request_ci": _interval(
                    row["cost_per_request_low"], row["cost_per_request_high"], "euro", lang
                ),
                "p_positive": figure(row["p_positive"], "share", lang),
                "p_positive_ci": _interval(
                    row["p_positive_low"], row["p_positive_high"], "share", lang
                ),
                "certainty": certainty(row, lang),
                "residual": euro(row["residual"], lang) if abs(row["residual"]) >= 0.5 else "",
            }
        )
    return out


def _payers(value: Value, lang: Language) -> list[dict]:
    table = value.by_payer()
    out = []
    for alternative in value.alternatives:
        rows = []
        for row in table[table["scenario"] == alternative].to_dict(orient="records"):
            rows.append(
                {
                    "payer": word(row["payer"], lang),
                    "cost": euro(row["cost"], lang),
                    "benefit": euro(row["benefit"], lang),
                    "transfer": euro(row["transfer"], lang) if abs(row["transfer"]) >= 0.5 else "",
                    "net": euro(row["net"], lang),
                    "net_ci": _interval(row["net_low"], row["net_high"], "euro", lang),
                    "net_value": row["net"],
                    "sign": _sign(row["net_low"], row["net_high"]),
                }
            )
        transfers = any(row["transfer"] for row in rows)
        out.append({"scenario": alternative, "rows": rows, "transfers": transfers})
    return out


def _items(value: Value, lang: Language) -> list[dict]:
    table = value.by_item()
    table = table[(table["euro"].abs() > 0.5) | (table["euro_high"] - table["euro_low"] > 1)]
    out = []
    for alternative in value.alternatives:
        rows = []
        for row in table[table["scenario"] == alternative].to_dict(orient="records"):
            item = word(row["item"], lang)
            if row["after_horizon"]:
                item += " (restwaarde, na de looptijd)" if lang == "nl" else " (residual value)"
            rows.append(
                {
                    "intervention": row["intervention"] or "—",
                    "item": item,
                    "kind": word(row["kind"], lang),
                    "payer": word(row["payer"], lang),
                    "euro": euro(row["euro"], lang),
                    "interval": _interval(row["euro_low"], row["euro_high"], "euro", lang),
                }
            )
        out.append({"scenario": alternative, "rows": rows})
    return out


def _pm(effects: pd.DataFrame, alternatives: Sequence[str], lang: Language) -> list[dict]:
    """Per alternative, the effects not valued in euro (PM posts): figures in
    their own units with their interval, and each provision's effects in words
    (``effects``: :meth:`wijksim.analysis.value.Value.effects`)."""
    return _effects(effects[effects["valued_as"] == ""], alternatives, lang)


def _effects(effects: pd.DataFrame, alternatives: Sequence[str], lang: Language) -> list[dict]:
    """Per alternative, effect rows formatted (``rows``) and effects in words (``words``)."""
    out = []
    for alternative in alternatives:
        rows, words = [], []
        for row in effects[effects["scenario"] == alternative].to_dict(orient="records"):
            label, unit = effect_label(row, lang)
            if not unit:
                words.append({"intervention": row["intervention"], "text": label})
                continue
            shown = effect_unit(row)
            rows.append(
                {
                    "effect": row["effect"],
                    "label": label,
                    "unit": "" if shown == "pp" else unit,
                    "difference": figure(row["difference"], shown, lang, signed=True),
                    "interval": _interval(row["ci_low"], row["ci_high"], shown, lang),
                    "better": _better(row["effect"], row["ci_low"], row["ci_high"])
                    if row["effect"] in _JUDGED
                    else "",
                }
            )
        out.append({"scenario": alternative, "rows": rows, "words": words})
    return out


def _left_out(value: Value, totals, lang: Language) -> list[str]:
    """What the balances leave out or carry past the horizon, in sentences."""
    nl = lang == "nl"
    lines = [
        "Effecten op het team na het einde van de gesimuleerde periode (deelnemers die dan "
        "nog beschermd zijn, hulpvragen die later voorkomen worden) tellen niet mee."
        if nl
        else "Effects on the team after the end of the simulated period (participants still "
        "protected then, requests averted later) are not counted."
    ]
    for row in totals.to_dict(orient="records"):
        if abs(row["residual"]) < 0.5:
            continue
        amount, name = euro(row["residual"], lang), row["scenario"]
        if row["residual_counted"]:
            lines.append(
                f"{name}: benoemde uitkomsten die na de looptijd doorlopen tellen mee als "
                f"restwaarde: {amount} (contante waarde)."
                if nl
                else f"{name}: declared outcomes that accrue after the horizon count as a "
                f"residual value: {amount} (present value)."
            )
        else:
            lines.append(
                f"{name}: benoemde uitkomsten na de looptijd ({amount}) tellen niet mee "
                "(costs.residual_value: false)."
                if nl
                else f"{name}: declared outcomes after the horizon ({amount}) are not counted "
                "(costs.residual_value: false)."
            )
    scenarios = [value.experiments[label].scenario for label in value.alternatives]
    if not all(s.costs.outcomes for s in scenarios):
        lines.append(
            "Kortere wachttijden en minder mensen die afhaken zijn niet in euro's gewaardeerd "
            "(er is geen bron voor een waarde per week of per persoon): ze staan bij de "
            "PM-posten, in hun eigen eenheid."
            if nl
            else "Shorter waits and fewer people giving up are not valued in euro (there is no "
            "source for a value per week or per person): they are listed with the PM posts, in "
            "their own units."
        )
    return lines


def _breakeven(result: BreakEven, lang: Language) -> dict:
    def scale(x: float) -> str:
        return "–" if math.isnan(x) else number(x, lang, 2) + "×"

    if math.isnan(result.scale):
        verdict = (
            "geen break-even tussen 0× en 2× het aangenomen effect"
            if lang == "nl"
            else "no break-even between 0× and 2× the assumed effect"
        )
    else:
        verdict = scale(result.scale)
    return {
        "intervention": result.intervention,
        "verdict": verdict,
        "range": f"{scale(result.low)} … {scale(result.high)}",
        "points": [
            {
                "scale": number(row["scale"], lang, 1) + "×",
                "net": euro(row["net"], lang),
                "interval": _interval(row["net_low"], row["net_high"], "euro", lang),
                "ratio": number(row["ratio"], lang, 2),
            }
            for row in result.table.to_dict(orient="records")
        ],
    }


def _scenarios(comparison, files, overrides, lang: Language) -> list[dict]:
    """Each scenario with the parameters that differ from the baseline and their sources."""
    from ..scenario.provenance import provenance

    files = dict(files or {})
    notes = {}
    for label, experiment in comparison.experiments.items():
        if label in files:
            notes[label] = provenance(files[label], overrides)
        else:
            notes[label] = _flat(experiment.scenario.to_dict())
    base = notes.get(comparison.baseline, {})
    out = []
    for label, experiment in comparison.experiments.items():
        changes = []
        if label != comparison.baseline:
            for key, note in notes[label].items():
                if key.split(".")[0] in _SKIP_KEYS or key.endswith(".type"):
                    continue
                before = base.get(key)
                if before is not None and before.value == note.value:
                    continue
                changes.append(
                    {
                        "key": key,
                        "value": _show(note.value),
                        "baseline": "—" if before is None else _show(before.value),
                        "source": _where(note),
                        "comment": note.comment,
                    }
                )
        out.append(
            {
                "label": label,
                "description": experiment.scenario.description.strip(),
                "baseline": label == comparison.baseline,
                "changes": changes,
                "interventions": [s.name for s in experiment.scenario.interventions],
            }
        )
    return out


def _where(note) -> str:
    if note.source in ("", "--set"):
        return note.source
    return f"{Path(note.source).name}:{note.line}"


def _show(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _flat(data: Any, key: str = "") -> dict:
    """Provenance-like notes for a scenario without a file (no source comments)."""
    from ..scenario.provenance import Provenance, leaves

    return {
        ".".join(str(k) for k in path): Provenance(".".join(str(k) for k in path), v, "", None, "")
        for path, v in leaves(data)
    }


def _warmup_note(files, overrides, baseline: str) -> str:
    """The comment beside ``warmup`` in the baseline's file: how it was chosen."""
    if not files or baseline not in files:
        return ""
    from ..scenario.provenance import provenance

    note = provenance(files[baseline], overrides).get("warmup")
    return "" if note is None else note.comment


# -- plots -----------------------------------------------------------------------------


def _figures(comparison, value, styles, lang, waits, breakevens) -> dict:
    figures = {}
    timeseries_kept = all(e.timeseries_runs is not None for e in comparison.experiments.values())
    figures["balance"] = plots.balance(value, styles=styles, lang=lang)
    if timeseries_kept:  # relief over time: the paired difference, one panel per alternative
        for name in ("waiting_list", "caseload"):
            figures[name] = plots.relief_over_time(comparison, name, styles=styles, lang=lang)
    figures["forest"] = plots.forest(comparison, styles=styles, lang=lang)
    figures["payers"] = plots.payers(value, styles=styles, lang=lang)
    drivers = value.drivers()
    if not drivers.empty:
        figures["drivers"] = plots.drivers(drivers, lang=lang)
    if waits is None:
        waits = waits_of(comparison)
    figures["waits"] = plots.wait_ecdf(waits, styles=styles, lang=lang)
    if any(
        e.scenario.interventions and e.yearly_runs is not None
        for e in comparison.experiments.values()
    ):  # every scenario with provisions, each in its own titled row
        figures["provisions"] = plots.provisions(comparison, lang=lang)
    for i, result in enumerate(breakevens):
        figures[f"breakeven_{i}"] = plots.breakeven(
            result.table, lang=lang, name=result.intervention
        )
    return figures


def waits_of(comparison: Comparison) -> dict[str, np.ndarray]:
    """Waits (weeks) of replication 0 of every scenario, run again with its cases."""
    from ..experiment.tasks import replication_seed
    from ..experiment.uncertainty import realise
    from ..simulation import simulate

    out = {}
    for label, experiment in comparison.experiments.items():
        seed = replication_seed(experiment.seed, 0)
        scenario, _ = realise(experiment.scenario, seed)
        cases = simulate(scenario, seed=seed, record_cases=True, force=True).cases  # it ran
        warm = scenario.warmup
        out[label] = cases.loc[cases["arrival"] >= warm, "wait"].dropna().to_numpy()
    return out


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _captions(lang: Language) -> dict[str, str]:
    return {key: label.text(lang) for key, label in CAPTIONS.items()}


__all__ = ["build_context", "render", "waits_of", "write_report"]
