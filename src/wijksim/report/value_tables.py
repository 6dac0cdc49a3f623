"""The report's tables of costs and benefits: the balance per alternative, per
payer and per ledger item, the break-even points, and what the balances
leave out, in sentences."""

from __future__ import annotations

import math

from ..analysis.breakeven import BreakEven
from ..analysis.value import Value
from .labels import Language
from .relief_tables import interval_text
from .text import certainty, euro, figure, number, word


def _sign(low: float, high: float) -> str:
    """``"better"`` for a balance surely above zero, ``"worse"`` surely below."""
    return "better" if low > 0 else "worse" if high < 0 else ""


def totals_rows(totals, lang: Language) -> list[dict]:
    out = []
    for row in totals.to_dict(orient="records"):
        out.append(
            {
                "scenario": row["scenario"],
                "cost": euro(row["cost"], lang),
                "cost_ci": interval_text(row["cost_low"], row["cost_high"], "euro", lang),
                "benefit": euro(row["benefit"], lang),
                "benefit_ci": interval_text(row["benefit_low"], row["benefit_high"], "euro", lang),
                "net": euro(row["net"], lang),
                "net_ci": interval_text(row["net_low"], row["net_high"], "euro", lang),
                "net_sign": "better"
                if row["net_low"] > 0
                else "worse"
                if row["net_high"] < 0
                else "",
                "net_without_freed_hours": euro(row["net_without_freed_hours"], lang),
                "net_without_freed_hours_ci": interval_text(
                    row["net_without_freed_hours_low"],
                    row["net_without_freed_hours_high"],
                    "euro",
                    lang,
                ),
                "ratio": number(row["ratio"], lang, 2),
                "ratio_ci": interval_text(
                    row["ratio_low"], row["ratio_high"], "ratio", lang
                ).replace("€", ""),
                "cost_per_request": euro(row["cost_per_request"], lang),
                "cost_per_request_ci": interval_text(
                    row["cost_per_request_low"], row["cost_per_request_high"], "euro", lang
                ),
                "p_positive": figure(row["p_positive"], "share", lang),
                "p_positive_ci": interval_text(
                    row["p_positive_low"], row["p_positive_high"], "share", lang
                ),
                "certainty": certainty(row, lang),
                "residual": euro(row["residual"], lang) if abs(row["residual"]) >= 0.5 else "",
            }
        )
    return out


def payer_rows(value: Value, lang: Language) -> list[dict]:
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
                    "net_ci": interval_text(row["net_low"], row["net_high"], "euro", lang),
                    "net_value": row["net"],
                    "sign": _sign(row["net_low"], row["net_high"]),
                }
            )
        transfers = any(row["transfer"] for row in rows)
        out.append({"scenario": alternative, "rows": rows, "transfers": transfers})
    return out


#: The units of the ledger's quantities, in words: effects first, then their
#: valuation, so each euro stands beside the quantity it values.
QUANTITY_UNITS = {
    "hours": ("uur", "hours"),
    "escalations": ("escalaties", "escalations"),
    "funded years": ("gefinancierde jaren", "funded years"),
    "participants": ("deelnemers", "participants"),
    "volunteer years": ("vrijwilligersjaren", "volunteer years"),
    "participant": ("deelnemers met de uitkomst", "participants with the outcome"),
    "averted": ("voorkomen hulpvragen met de uitkomst", "averted requests with the outcome"),
    "diverted": ("opgevangen hulpvragen met de uitkomst", "diverted requests with the outcome"),
    "persons": ("personen minder afgehaakt", "persons fewer gave up"),
    "weeks": ("weken minder gewacht", "weeks less waited"),
}


def quantity_text(quantity: float, unit: str, lang: Language) -> str:
    """A ledger quantity (summed over the years, mean over replications) in its unit."""
    words = QUANTITY_UNITS.get(unit)
    name = words[0 if lang == "nl" else 1] if words else unit
    digits = 0 if abs(round(quantity, 1)) >= 100 else 1
    return f"{number(quantity, lang, digits)} {name}".strip()


def item_rows(value: Value, lang: Language) -> list[dict]:
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
                    "quantity": quantity_text(row["quantity"], row["unit"], lang),
                    "euro": euro(row["euro"], lang),
                    "interval": interval_text(row["euro_low"], row["euro_high"], "euro", lang),
                }
            )
        if rows:  # an alternative that changes nothing has no items
            out.append({"scenario": alternative, "rows": rows})
    return out


def left_out_lines(value: Value, totals, lang: Language) -> list[str]:
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


def breakeven_section(result: BreakEven, lang: Language) -> dict:
    def scale(x: float) -> str:
        return "–" if math.isnan(x) else number(x, lang, 2) + "×"

    scales = result.table["scale"].to_numpy(dtype=float)
    first, last = (scale(x) for x in (scales[0], scales[-1]))
    if result.status == "none":
        verdict = (
            f"geen break-even tussen {first} en {last} het aangenomen effect"
            if lang == "nl"
            else f"no break-even between {first} and {last} the assumed effect"
        )
    elif result.status == "at_or_below":
        verdict = (
            f"bij {first} of lager (het saldo is al bij de kleinste schaal niet negatief)"
            if lang == "nl"
            else f"at {first} or below (the balance is not negative even at the smallest scale)"
        )
    else:
        verdict = scale(result.scale)
    if not math.isnan(result.capped_from):
        verdict += (
            f"; vanaf {scale(result.capped_from)} is een aandeel afgekapt op 100%"
            if lang == "nl"
            else f"; from {scale(result.capped_from)} on a share is capped at 100%"
        )
    return {
        "intervention": result.intervention,
        "verdict": verdict,
        "range": f"{scale(result.low)} … {scale(result.high)}",
        "points": [
            {
                "scale": number(row["scale"], lang, 1) + "×",
                "net": euro(row["net"], lang),
                "interval": interval_text(row["net_low"], row["net_high"], "euro", lang),
                "ratio": number(row["ratio"], lang, 2),
            }
            for row in result.table.to_dict(orient="records")
        ],
    }
