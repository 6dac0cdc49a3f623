"""The report's tables of relief: the difference each figure makes with its
interval, overall and per year, and the effects in their own units (the PM
posts among them), each marked better or worse where its interval says so."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..analysis.comparison import YEARLY_METRICS, Comparison
from .labels import Language
from .text import difference_unit, effect_label, effect_unit, figure, metric, metric_label

#: Figures that are neither relief nor burden (the collective hours are the investment).
_NEUTRAL = frozenset({"collective_hours"})

#: Effects in their own units where less is better for residents (others neutral).
_JUDGED = frozenset({"mean_wait_weeks", "share_wait_over_6_weeks", "reneged", "escalations"})


def interval_text(low: float, high: float, unit: str, lang: Language) -> str:
    if math.isnan(low) or math.isnan(high):
        return "–"
    return f"{figure(low, unit, lang)} … {figure(high, unit, lang)}"


def relief_rows(comparison: Comparison, lang: Language) -> list[dict]:
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
                    "interval": interval_text(row.ci_low, row.ci_high, diff_unit, lang),
                    "relative": (
                        ""
                        if not np.isfinite(row.relative)
                        else figure(row.relative, "share", lang, signed=True)
                    ),
                    "better": better(row.metric, row.ci_low, row.ci_high),
                }
            )
        out.append({"scenario": alternative, "rows": rows})
    return out


def better(metric_key: str, low: float, high: float) -> str:
    """``"better"``/``"worse"`` when the whole interval lies on one side of zero."""
    if math.isnan(low) or math.isnan(high) or low <= 0 <= high or metric_key in _NEUTRAL:
        return ""
    lower_is_better = metric_key not in ("averted", "diverted")
    down = high < 0
    return "better" if down == lower_is_better else "worse"


def yearly_rows(comparison: Comparison, lang: Language) -> list[dict]:
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
                            "interval": interval_text(r["ci_low"], r["ci_high"], unit, lang),
                            "better": "",
                        }
                    )
                    continue
                unit = difference_unit(unit)
                cells.append(
                    {
                        "value": figure(r["difference"], unit, lang, signed=True),
                        "interval": interval_text(r["ci_low"], r["ci_high"], unit, lang),
                        "better": better(key, r["ci_low"], r["ci_high"]),
                    }
                )
            label, unit_name = metric_label(key, lang)
            rows.append({"label": label, "unit": unit_name, "cells": cells})
        out.append({"scenario": alternative, "years": years, "rows": rows})
    return out


def pm_rows(effects: pd.DataFrame, alternatives: Sequence[str], lang: Language) -> list[dict]:
    """Per alternative, the effects not valued in euro (PM posts): figures in
    their own units with their interval, and each provision's effects in words
    (``effects``: :meth:`wijksim.analysis.value.Value.effects`)."""
    return effect_rows(effects[effects["valued_as"] == ""], alternatives, lang)


def effect_rows(effects: pd.DataFrame, alternatives: Sequence[str], lang: Language) -> list[dict]:
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
                    "interval": interval_text(row["ci_low"], row["ci_high"], shown, lang),
                    "better": better(row["effect"], row["ci_low"], row["ci_high"])
                    if row["effect"] in _JUDGED
                    else "",
                }
            )
        out.append({"scenario": alternative, "rows": rows, "words": words})
    return out
