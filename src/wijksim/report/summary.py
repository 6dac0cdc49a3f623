"""The report's first page: per provision the answer in one sentence, its
social balance on a common scale, and what that balance does not count.

Every figure in a sentence is taken, as text, from a row of the report's own
tables (relief, PM posts, social balance, who pays and who gains), so the
summary cannot say "0,0" where a table says "−0,03". A difference whose 95%
interval contains zero is said to be unclear, not read as relief.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from .labels import Language

#: The effect rows the sentence uses (:meth:`wijksim.analysis.value.Value.effects`).
GIVE_UPS = "reneged"


def summaries(
    relief: Sequence[dict],
    effects: Sequence[dict],
    pm: Sequence[dict],
    totals: Sequence[dict],
    payers: Sequence[dict],
    lang: Language,
) -> list[dict]:
    """Per alternative: ``scenario``, ``sentence``, ``net``, ``net_ci``,
    ``p_positive``, ``certainty`` and ``not_counted`` (its PM posts: figures in
    their own units and the effects its scenario declares it does not value).
    ``relief``, ``pm``, ``totals`` and ``payers`` are the report's formatted
    tables; ``effects`` its formatted effect rows, valued or not (for the
    people who give up)."""
    by = {
        name: {row["scenario"]: row for row in table}
        for name, table in (
            ("relief", relief),
            ("effects", effects),
            ("pm", pm),
            ("payers", payers),
        )
    }
    out = []
    for total in totals:
        name = total["scenario"]
        rows = {row["metric"]: row for row in by["relief"][name]["rows"]}
        effect_rows = {row["effect"]: row for row in by["effects"][name]["rows"]}
        block = by["pm"][name]
        parts = [
            _team(rows, lang),
            _residents(rows, effect_rows.get(GIVE_UPS), lang),
            _money(total, by["payers"][name]["rows"], lang),
            _sureness(total, lang),
        ]
        sentence = "; ".join(p for p in parts if p) + "."
        out.append(
            {
                "scenario": name,
                "sentence": sentence[0].upper() + sentence[1:],
                "net": total["net"],
                "net_ci": total["net_ci"],
                "net_sign": total["net_sign"],
                "p_positive": total["p_positive"],
                "certainty": total["certainty"],
                "not_counted": {
                    "rows": block["rows"],
                    "words": [w["text"] for w in block["words"]],
                },
            }
        )
    return out


def _size(text: str) -> str:
    """A signed figure as a size: ``−14,9`` -> ``14,9`` (the digits of the table)."""
    return text.lstrip("+−-")


def _team(rows: dict[str, dict], lang: Language) -> str:
    """What the team gets: requests kept from it over the period and a
    shorter (or longer) waiting list, in people."""
    nl = lang == "nl"
    kept = []
    for key, nl_text, en_text in (
        ("averted", "voorkomen", "averted"),
        ("diverted", "door vrijwilligers opgevangen", "diverted to volunteers"),
    ):
        row = rows.get(key)
        # a clear difference too small to show in whole requests says nothing here
        if row is not None and row["better"] == "better" and _size(row["difference"]) != "0":
            kept.append(f"{_size(row['difference'])} {nl_text if nl else en_text}")
    clauses = []
    if kept:
        joined = (" en " if nl else " and ").join(kept)
        clauses.append(
            f"het team krijgt over de looptijd minder hulpvragen ({joined})"
            if nl
            else f"the team gets fewer requests over the period ({joined})"
        )
    wait = rows.get("mean_waiting_list")
    if wait is not None:
        size, unit, signed = _size(wait["difference"]), wait["unit"], wait["difference"]
        clauses.append(
            _judged(
                wait["better"],
                (
                    f"de wachtlijst is gemiddeld {size} {unit} korter",
                    f"the team's waiting list is {size} {unit} shorter on average",
                ),
                (
                    f"de wachtlijst is gemiddeld {size} {unit} langer",
                    f"the team's waiting list is {size} {unit} longer on average",
                ),
                (
                    f"de wachtlijst verandert niet duidelijk ({signed} {unit})",
                    f"the team's waiting list does not clearly change ({signed} {unit})",
                ),
                lang,
            )
        )
    return (" en " if nl else " and ").join(clauses)


def _residents(rows: dict[str, dict], give_ups: dict | None, lang: Language) -> str:
    """The residents' wait in weeks and how many give up while waiting."""
    clauses = []
    wait = rows.get("mean_wait_weeks")
    if wait is not None:
        size, unit, signed = _size(wait["difference"]), wait["unit"], wait["difference"]
        clauses.append(
            _judged(
                wait["better"],
                (
                    f"inwoners wachten gemiddeld {size} {unit} korter",
                    f"residents wait {size} {unit} less on average",
                ),
                (
                    f"inwoners wachten gemiddeld {size} {unit} langer",
                    f"residents wait {size} {unit} longer on average",
                ),
                (
                    f"de wachttijd van inwoners verandert niet duidelijk ({signed} {unit})",
                    f"residents' wait does not clearly change ({signed} {unit})",
                ),
                lang,
            )
        )
    if give_ups is not None:
        size, unit = _size(give_ups["difference"]), give_ups["unit"]
        clauses.append(
            _judged(
                give_ups["better"],
                (
                    f"{size} minder {unit} haken af tijdens het wachten",
                    f"{size} fewer {unit} give up while waiting",
                ),
                (
                    f"{size} meer {unit} haken af tijdens het wachten",
                    f"{size} more {unit} give up while waiting",
                ),
                (
                    f"afhaken verandert niet duidelijk ({give_ups['difference']} {unit})",
                    f"giving up does not clearly change ({give_ups['difference']} {unit})",
                ),
                lang,
            )
        )
    return (" en " if lang == "nl" else " and ").join(clauses)


def _money(total: dict, payers: Sequence[dict], lang: Language) -> str:
    """Cost, benefits and balance, and who gains most and who pays most (by
    their own balance)."""
    nl = lang == "nl"
    text = (
        f"het kost {total['cost']}, de baten zijn {total['benefit']}: een maatschappelijk "
        f"saldo van {total['net']} (contante waarde)"
        if nl
        else f"it costs {total['cost']}, its benefits are {total['benefit']}: a social balance "
        f"of {total['net']} (present value)"
    )
    cash = total.get("net_without_freed_hours", total["net"])
    if cash != total["net"]:  # the team's freed hours are capacity, not money
        text += (
            f", zonder de uren van het team (capaciteit, geen geld) {cash}"
            if nl
            else f", without the team's hours (capacity, not money) {cash}"
        )
    ranked = sorted(payers, key=lambda row: row["net_value"])
    gains = [row for row in ranked[::-1] if row["net_value"] > 0.5]
    pays = [row for row in ranked if row["net_value"] < -0.5]
    who = []
    if gains:
        who.append(
            f"de grootste winnaar is {gains[0]['payer']}: {gains[0]['net']}"
            if nl
            else f"the largest gain goes to {gains[0]['payer']}: {gains[0]['net']}"
        )
    if pays:
        who.append(
            f"de grootste betaler {pays[0]['payer']}: {pays[0]['net']}"
            if nl
            else f"the largest cost falls on {pays[0]['payer']}: {pays[0]['net']}"
        )
    return "; ".join([text, ", ".join(who)] if who else [text])


def _sureness(total: dict, lang: Language) -> str:
    """The chance of a positive balance and what that chance covers."""
    if lang == "nl":
        return f"de kans op een positief saldo is {total['p_positive']}, {total['certainty']}"
    return f"the chance of a positive balance is {total['p_positive']}, {total['certainty']}"


def _judged(
    better: str,
    good: tuple[str, str],
    bad: tuple[str, str],
    unclear: tuple[str, str],
    lang: Language,
) -> str:
    """The clause for a difference surely better, surely worse, or unclear."""
    chosen = good if better == "better" else bad if better == "worse" else unclear
    return chosen[0] if lang == "nl" else chosen[1]


def balance_scale(totals: pd.DataFrame, lang: Language) -> dict:
    """Positions (percent of a common width) of each alternative's social
    balance and its 95% interval (``rows``, by scenario), of zero and of the
    scale's ticks: the summary's balance chart, one scale for all."""
    low = float(min(0.0, totals["net_low"].min()))
    high = float(max(0.0, totals["net_high"].max()))
    pad = 0.04 * (high - low) or 1.0
    low, high = low - pad, high + pad

    def at(x: float) -> float:
        return round(100 * (x - low) / (high - low), 2)

    rows = {}
    for row in totals.to_dict(orient="records"):
        if not all(math.isfinite(row[k]) for k in ("net", "net_low", "net_high")):
            continue
        rows[row["scenario"]] = {
            "left": at(row["net_low"]),
            "width": round(at(row["net_high"]) - at(row["net_low"]), 2),
            "point": at(row["net"]),
            "sign": "better" if row["net_low"] > 0 else "worse" if row["net_high"] < 0 else "",
        }
    from matplotlib.ticker import MaxNLocator

    from .plots import euro_formatter

    ticks = [
        {"at": at(x), "text": euro_formatter(lang)(x), "origin": x == 0}
        for x in MaxNLocator(4).tick_values(low, high)
        if low <= x <= high
    ]
    return {"zero": at(0.0), "ticks": ticks, "rows": rows}


__all__ = ["balance_scale", "summaries"]
