"""The advice in sentences and table rows: the recommendation in one
sentence, the guarantee and its limits, the method in one line, what enters
the frontier first, and the good set, the frontier and every portfolio as
rows of formatted figures (for the terminal and the report alike)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .advice_words import PROCEDURES, say
from .labels import unit_text
from .text import difference_unit, euro, figure, language, metric_label, number

if TYPE_CHECKING:
    from ..analysis.advice import Advice


def objective_name(advice: Advice, lang: str) -> tuple[str, str]:
    """The objective's name and unit key: a figure's label, or a score."""
    figure_name = advice.decision.objective.figure
    if figure_name is None:
        return say("score", lang), "count"
    from ..scenario.decision import FIGURES

    return metric_label(figure_name, lang)[0], FIGURES[figure_name].unit


def _value(value: float, unit: str, lang: str) -> str:
    return figure(value, unit, lang)


def _interval(low: float, high: float, unit: str, lang: str) -> str:
    if math.isnan(low) or math.isnan(high):
        return "–"
    return f"[{figure(low, unit, lang)}; {figure(high, unit, lang)}]"


def delta_text(advice: Advice, lang: str) -> str:
    """δ in the objective's unit (a share's δ in percentage points)."""
    _, unit = objective_name(advice, lang)
    return figure(advice.settings.delta, difference_unit(unit), lang)


def sentence(advice: Advice, lang: str = "nl") -> str:
    """The advice in one sentence: the recommended portfolio with its objective,
    cost and balance; or that none fits, with the cheapest run."""
    chosen = advice.recommended
    if chosen is None:
        text = say("none_fits", lang)
        cheapest = advice.cheapest
        if cheapest is not None:
            cost = euro(cheapest["cost_per_year"], lang)
            text += " " + say("cheapest", lang, label=cheapest["label"], cost=cost)
        return text
    name, unit = objective_name(advice, lang)
    parts = [
        f"{name} {_value(chosen['objective'], unit, lang)} "
        f"{_interval(chosen['objective_low'], chosen['objective_high'], unit, lang)}",
        say("costs", lang, cost=euro(chosen["cost_per_year"], lang)),
    ]
    if "net" in chosen and not _missing(chosen["net"]):
        parts.append(say("balance", lang, net=euro(chosen["net"], lang)))
    return f"{say('recommended', lang)}: {chosen['label']} — " + ", ".join(parts) + "."


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def guarantee(advice: Advice, lang: str = "nl") -> list[str]:
    """What is guaranteed, and what is not, in words (a paragraph each)."""
    method = advice.method()
    out = []
    procedure = PROCEDURES[method["procedure"]]
    for note in method.get("notes", []):
        if note["code"] == "screened":
            out.append(say("screened", lang, kept=note["kept"], of=note["of"]))
    if advice.guaranteed:
        confidence = f"{number(100 * (1 - method['alpha']), lang, 0)}%"
        out.append(
            say(
                "guaranteed",
                lang,
                delta=delta_text(advice, lang),
                procedure=procedure,
                confidence=confidence,
                asymptotic=say("asymptotic", lang) if method["procedure"] == "kn++" else "",
            )
        )
        if method["limits"]:
            out.append(say("limits_guarantee", lang))
    reasons = []
    for note in method.get("notes", []):
        code = note["code"]
        if code == "capped":
            reasons.append(say("capped", lang, max=note["max"], left=note["left"]))
        elif code == "cut":
            reasons.append(say("cut", lang, most=note["most"]))
        elif code == "ocba":
            pcs = method.get("pcs_estimate")
            shown = "–" if pcs is None else f"{number(100 * pcs, lang, 1)}%"
            reasons.append(say("ocba", lang, total=note["total"], pcs=shown))
        elif code == "raised":
            reasons.append(
                say(
                    "raised",
                    lang,
                    asked=note["asked"],
                    total=note["total"],
                    first_stage=note["first_stage"],
                )
            )
    if reasons and not advice.guaranteed:
        out.append(say("not_guaranteed", lang, why=" ".join(reasons)))
    elif reasons:
        out.extend(reasons)
    return out


def method_line(advice: Advice, lang: str = "nl") -> str:
    """The procedure, its settings and what it spent, in one line."""
    method = advice.method()
    line = say(
        "spent",
        lang,
        procedure=PROCEDURES[method["procedure"]],
        alpha=number(method["alpha"], lang, 2),
        delta=delta_text(advice, lang),
        spent=number(method["replications"], lang, 0),
        run=method["run"],
        total=method["portfolios"],
        left_out=method["left_out_by_budget"],
        seed=method["seed"],
    )
    limits = [_limit_text(limit, lang) for limit in method["limits"]]
    if limits:
        line += " " + say("limits", lang, limits="; ".join(limits))
    return line


def _limit_text(limit: dict[str, Any], lang: str) -> str:
    from ..scenario.decision import FIGURES

    name = metric_label(limit["figure"], lang)[0]
    if limit["figure"] in ("net", "cost_per_year", "cost_total"):
        name = {
            "net": say("net", lang),
            "cost_per_year": say("cost_per_year", lang),
            "cost_total": name,
        }[limit["figure"]]
    unit = FIGURES[limit["figure"]].unit
    side = say("at_most" if limit["upper"] else "at_least", lang)
    bound = figure(limit["bound"], unit, lang)
    tolerance = figure(limit["tolerance"], difference_unit(unit), lang)
    return f"{name} {side} {bound} ({say('tolerance', lang)} {tolerance})"


def entering_text(advice: Advice, lang: str = "nl") -> str:
    """Which choice enters first as the budget grows, and then which."""
    if advice.frontier.empty:
        return say("no_frontier", lang)
    names = advice.entering
    if not names:
        return say("nothing_enters", lang)
    rest = say("then", lang, names=", ".join(names[1:])) if len(names) > 1 else ""
    return say("entering", lang, first=names[0], rest=rest)


def good_rows(advice: Advice, lang: str = "nl") -> list[dict[str, str]]:
    """The good set as table rows (best mean first)."""
    _, unit = objective_name(advice, lang)
    rows = []
    for row in advice.good.to_dict(orient="records"):
        rows.append(
            {
                "label": row["label"],
                "recommended": bool(row["recommended"]),
                "objective": _value(row["objective"], unit, lang),
                "interval": _interval(row["objective_low"], row["objective_high"], unit, lang),
                "versus": "" if row["recommended"] else _versus(row, unit, lang),
                "cost": euro(row["cost_per_year"], lang),
                "net": euro(row["net"], lang) if "net" in row else "",
                "replications": str(row["replications"]),
            }
        )
    return rows


def _versus(row: dict[str, Any], unit: str, lang: str) -> str:
    """The paired difference from the recommended portfolio, with its
    simultaneous interval (the unit once, after it)."""
    if _missing(row["versus"]):
        return "–"
    values = (row["versus"], row["versus_low"], row["versus_high"])
    if unit == "share":  # percentage points
        mean, low, high = (number(100 * v, lang, 1) for v in values)
        mean = mean if values[0] <= 0 or mean.strip("0,.") == "" else f"+{mean}"
        return f"{mean} [{low}; {high}] {unit_text('pp', language(lang))}"
    change = difference_unit(unit)
    mean = figure(values[0], change, lang, signed=True)
    return f"{mean} [{figure(values[1], change, lang)}; {figure(values[2], change, lang)}]"


def frontier_rows(advice: Advice, lang: str = "nl") -> list[dict[str, str]]:
    """The frontier as table rows (cheapest first)."""
    _, unit = objective_name(advice, lang)
    rows = []
    for row in advice.frontier.to_dict(orient="records"):
        relief = row["relief_per_10k"]
        rows.append(
            {
                "label": row["label"],
                "cost": euro(row["cost_per_year"], lang),
                "objective": _value(row["objective"], unit, lang),
                "interval": _interval(row["objective_low"], row["objective_high"], unit, lang),
                "relief": "" if _missing(relief) else figure(relief, difference_unit(unit), lang),
                "changes": "; ".join(row["changes"]),
                "over_budget": bool(row["over_budget"]),
            }
        )
    return rows


def portfolio_rows(advice: Advice, lang: str = "nl") -> list[dict[str, str]]:
    """Every portfolio as a table row, best mean first (those not run last)."""
    _, unit = objective_name(advice, lang)
    sign = 1.0 if advice.decision.objective.goal == "minimise" else -1.0
    table = advice.table.assign(_order=lambda t: sign * t["objective"])
    table = table.sort_values(["_order", "key"], na_position="last")
    rows = []
    for row in table.to_dict(orient="records"):
        status = "screened_out" if row["status"] == "screened" else row["status"]
        rows.append(
            {
                "label": row["label"],
                "status": say(status, lang),
                "objective": _value(row["objective"], unit, lang),
                "interval": _interval(row["objective_low"], row["objective_high"], unit, lang),
                "cost": euro(row["cost_per_year"], lang),
                "net": euro(row["net"], lang) if "net" in row else "",
                "replications": str(row["replications"]),
                "good": bool(row["good"]),
            }
        )
    return rows
