"""The words of the report and its plots in Dutch and English (beside the
figure labels of :mod:`wijksim.report.labels`), and numbers as each language
writes them."""

from __future__ import annotations

import math

from .labels import INTERVENTION, SERIES, SUMMARY, YEARLY, Label, Language, unit_text

#: Payers, ledger items and the report's own words.
WORDS: dict[str, Label] = {
    # payers (wijksim.analysis.value.PAYERS)
    # the wijkteam and debt assistance (a statutory task of the municipality) are
    # budgets of the municipality too: their labels say so, so that a reader
    # adds them up rather than takes them for other parties
    "municipality": Label("Gemeente: Wmo en sociaal domein", "Municipality: social domain"),
    "wijkteam": Label(
        "Gemeente: wijkteam (vrijgekomen capaciteit)", "Municipality: wijkteam (freed capacity)"
    ),
    "debt_assistance": Label("Gemeente: schuldhulpverlening", "Municipality: debt assistance"),
    "health_insurer": Label("Zorgverzekeraar", "Health insurer"),
    "participants": Label("Deelnemers", "Participants"),
    "residents": Label("Inwoners", "Residents"),
    # ledger items (wijksim.analysis.value.ITEMS)
    "fixed": Label("Vaste kosten", "Fixed costs"),
    "per_participant": Label("Kosten per deelnemer", "Cost per participant"),
    "volunteer_expenses": Label("Vrijwilligersvergoedingen", "Volunteer expenses"),
    "team_hours": Label(
        "Uren wijkteam niet meer nodig (netto)", "Wijkteam hours no longer needed (net)"
    ),
    "heavier_care_avoided": Label("Zwaardere zorg voorkomen", "Heavier care avoided"),
    "transfer": Label("Overdracht", "Transfer"),
    # effects in their own units (wijksim.analysis.value.Value.effects)
    "team_hours_used": Label(
        "Uren wijkteam gebruikt (casuïstiek en collectief)",
        "Wijkteam hours used (casework and collective)",
    ),
    "participants_per_year": Label("Deelnemers per jaar", "Participants per year"),
    "volunteers_active": Label(
        "vrijwilligers actief (tijd niet in euro)", "volunteers active (time not in euro)"
    ),
    "pm": Label("PM (niet in euro)", "PM (not in euro)"),
    "drivers_axis": Label(
        "Saldo (contante waarde) bij de aanname op haar 10e (laag) en 90e (hoog) percentiel",
        "Balance (present value) with the assumption at its 10th (low) and 90th (high) percentile",
    ),
    "cost": Label("Kosten", "Costs"),
    "benefit": Label("Baten", "Benefits"),
    "net": Label("Saldo", "Balance"),
    # plots
    "week": Label("Week", "Week"),
    "year": Label("Jaar", "Year"),
    "wait_weeks": Label("Wachttijd (weken)", "Wait (weeks)"),
    "share_requests": Label("Aandeel hulpvragen", "Share of requests"),
    "change_pct": Label(
        "Verschil met de basis (% van de basis, 95%-BI)",
        "Change from the baseline (% of baseline, 95% CI)",
    ),
    "euro_pv": Label("Contante waarde (euro)", "Present value (euro)"),
    "participants_mean": Label("Deelnemers (gemiddeld)", "Participants (mean)"),
    "volunteers_mean": Label("Vrijwilligers (gemiddeld)", "Volunteers (mean)"),
    "band": Label("band: 95%-BI over replicaties", "band: 95% CI over replications"),
    "low": Label("laag", "low"),
    "high": Label("hoog", "high"),
    "difference_from_base": Label("Verschil met de basis", "Difference from the base"),
    "effect_scale": Label(
        "Effect als veelvoud van het scenario (1 = zoals aangenomen)",
        "Effect as a multiple of the scenario's (1 = as assumed)",
    ),
}


def language(lang: str) -> Language:
    """``"nl"`` or ``"en"`` (anything else is refused)."""
    if lang == "nl":
        return "nl"
    if lang == "en":
        return "en"
    raise ValueError(f"language must be 'nl' or 'en', not {lang!r}")


def word(key: str, lang: str = "nl") -> str:
    """A word of the report in ``lang``; a declared outcome is called by its
    own name, anything unknown by its key."""
    entry = WORDS.get(key)
    if entry is None:  # a declared outcome or transfer is called by its own name
        return key.split(":", 1)[1] if ":" in key else key
    return entry.text(language(lang))


def metric(key: str) -> Label:
    """The label of a figure from any of the label tables."""
    for table in (SUMMARY, YEARLY, SERIES, INTERVENTION):
        if key in table:
            return table[key]
    text = key.replace("_", " ")
    return Label(text, text)


def metric_label(key: str, lang: str = "nl") -> tuple[str, str]:
    """Label and unit name of a figure in ``lang``."""
    found = metric(key)
    return found.text(language(lang)), found.unit_text(language(lang))


def number(value: float | None, lang: str = "nl", digits: int = 1) -> str:
    """A number with the language's separators: ``12.345,6`` (nl), ``12,345.6`` (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    # Beyond any figure of a wijk (a hostile scale, an overflowing sum), a
    # power of ten rather than a line of hundreds of digits.
    text = f"{value:.{max(digits, 1)}e}" if abs(value) >= 1e15 else f"{value:,.{digits}f}"
    if lang == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    if text.lstrip("-").strip("0.,") == "":
        text = text.lstrip("-")  # no "-0"
    return text.replace("-", "−")


def euro(value: float | None, lang: str = "nl") -> str:
    """Whole euros: ``€ 12.345`` (nl), ``€12,345`` (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = number(value, lang, 0)
    if lang == "nl":
        return f"€\u00a0{text}"  # never broken after the sign; Dutch writes € −12
    # English writes the minus before the sign: −€12, not €−12
    return f"−€{text[1:]}" if text.startswith("−") else f"€{text}"


def figure(value: float | None, unit: str, lang: str = "nl", *, signed: bool = False) -> str:
    """A figure in its unit (a key of :data:`wijksim.report.labels.UNITS`):
    shares as percentages, share differences (``pp``) in percentage points,
    counts, hours and euros whole, other figures with one or two decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "share":
        text = number(100 * value, lang, 1) + "%"
    elif unit == "pp":
        text = number(100 * value, lang, 1) + " " + unit_text("pp", language(lang))
    elif unit == "euro":
        text = euro(value, lang)
    elif unit in ("count", "hours"):
        text = number(value, lang, 0)
    else:
        text = number(value, lang, 1 if abs(value) >= 10 else 2)
    if signed and value > 0 and any(c in "123456789" for c in text):
        text = "+" + text
    return text


def difference_unit(unit: str) -> str:
    """The unit of a difference of two figures: percentage points for shares."""
    return "pp" if unit == "share" else unit


def certainty(row: dict, lang: str = "nl") -> str:
    """What the chance of a positive balance covers, in words (a row of
    :meth:`wijksim.analysis.value.Value.totals`)."""
    if row["certainty"] == "replications":
        if lang == "nl":
            return "zekerheid alleen over replicaties; de aannames zijn als gegeven genomen"
        return "certainty over replications only; the assumptions are taken as given"
    n = int(row["assumptions"])
    if lang == "nl":
        return (
            f"zekerheid over replicaties én aannames ({n} onzekere waarden getrokken; "
            "de overige als gegeven)"
        )
    return (
        f"certainty over replications and assumptions ({n} uncertain values drawn; "
        "the others taken as given)"
    )


def effect_label(row: dict, lang: str = "nl") -> tuple[str, str]:
    """Label and unit of a row of :meth:`wijksim.analysis.value.Value.effects`."""
    key, unit = row["effect"], row["unit"]
    if not unit:  # a declared effect in words
        return key, ""
    if key == "participants":
        label = f"{row['intervention']}: {word('participants_per_year', lang).lower()}"
    elif key == "volunteers":
        label = f"{row['intervention']}: {word('volunteers_active', lang)}"
    elif key in WORDS:
        label = word(key, lang)
    else:
        label = metric_label(key, lang)[0]
    names = {
        "persons per year": ("per jaar", "per year"),
        "hours per year": ("uur per jaar", "hours per year"),
        "weeks": ("weken", "weeks"),
        "share": ("%-punt", "pp"),
    }
    nl, en = names.get(unit, (unit_text(unit, "nl"), unit_text(unit, "en")))
    return label, nl if lang == "nl" else en


def effect_unit(row: dict) -> str:
    """The unit :func:`figure` shows an effect's difference in."""
    return {"share": "pp", "hours per year": "hours"}.get(row["unit"], "persons")
