"""Words of the report and the plots, in Dutch (``nl``) and English (``en``),
and number formats per language.

Figure labels come from :func:`metric_label`; everything else a reader sees in
the report (payers, ledger items, headings) from :data:`WORDS`.
"""

from __future__ import annotations

import math

LANGUAGES = ("nl", "en")

#: Figure labels and units in English (the Dutch ones are the model's own).
ENGLISH_LABELS: dict[str, tuple[str, str]] = {
    "mean_caseload": ("Mean caseload", "clients"),
    "mean_waiting_list": ("Mean waiting list", "persons"),
    "mean_wait_weeks": ("Mean wait", "weeks"),
    "p90_wait_weeks": ("Wait, 90th percentile", "weeks"),
    "share_wait_over_6_weeks": ("Share waiting over 6 weeks", "share"),
    "share_waited": ("Share who had to wait", "share"),
    "averted": ("Requests averted by prevention", "count"),
    "diverted": ("Requests taken on by volunteers", "count"),
    "requests": ("Requests to the team", "count"),
    "escalations": ("Problems grown while waiting", "count"),
    "professional_hours": ("Professional hours", "hours"),
    "collective_hours": ("Team hours for collective work", "hours"),
    "cost": ("Extra cost", "euro"),
    "caseload": ("Caseload", "clients"),
    "waiting_list": ("Waiting list", "persons"),
}

#: Dutch labels of figures the model's tables do not name.
DUTCH_EXTRA: dict[str, tuple[str, str]] = {
    "cost": ("Extra kosten", "euro"),
    "caseload": ("Caseload", "cliënten"),
    "waiting_list": ("Wachtlijst", "personen"),
    "requests": ("Hulpvragen bij het team", "aantal"),
    "escalations": ("Verergerd tijdens wachten", "aantal"),
    "collective_hours": ("Uren team voor collectief werk", "uren"),
}

#: Units by language (the Dutch unit is the key).
UNITS = {
    "aantal": {"nl": "aantal", "en": "count"},
    "personen": {"nl": "personen", "en": "persons"},
    "cliënten": {"nl": "cliënten", "en": "clients"},
    "weken": {"nl": "weken", "en": "weeks"},
    "uren": {"nl": "uren", "en": "hours"},
    "aandeel": {"nl": "aandeel", "en": "share"},
    "euro": {"nl": "euro", "en": "euro"},
    "pp": {"nl": "%-punt", "en": "pp"},
}

WORDS: dict[str, dict[str, str]] = {
    # payers
    "municipality": {"nl": "Gemeente (Wmo/sociaal domein)", "en": "Municipality (social domain)"},
    "wijkteam": {"nl": "Wijkteam (capaciteit)", "en": "Wijkteam (capacity)"},
    "debt_assistance": {"nl": "Schuldhulpverlening", "en": "Debt assistance"},
    "health_insurer": {"nl": "Zorgverzekeraar", "en": "Health insurer"},
    "participants": {"nl": "Deelnemers", "en": "Participants"},
    # ledger items
    "fixed": {"nl": "Vaste kosten", "en": "Fixed costs"},
    "per_participant": {"nl": "Kosten per deelnemer", "en": "Cost per participant"},
    "volunteer_expenses": {"nl": "Vrijwilligersvergoedingen", "en": "Volunteer expenses"},
    "team_hours": {"nl": "Uren van het team", "en": "Team hours"},
    "collective_hours": {"nl": "Collectieve uren (niet toegewezen)", "en": "Collective hours"},
    "capacity_freed": {"nl": "Vrijgekomen capaciteit wijkteam", "en": "Team capacity freed"},
    "heavier_care_avoided": {"nl": "Zwaardere zorg voorkomen", "en": "Heavier care avoided"},
    "debt_assistance_avoided": {
        "nl": "Schuldhulptrajecten voorkomen",
        "en": "Debt-assistance trajectories avoided",
    },
    "cost": {"nl": "Kosten", "en": "Costs"},
    "benefit": {"nl": "Baten", "en": "Benefits"},
    "net": {"nl": "Saldo", "en": "Balance"},
    "baseline": {"nl": "Basis", "en": "Baseline"},
    "week": {"nl": "Week", "en": "Week"},
    "year": {"nl": "Jaar", "en": "Year"},
    "wait_weeks": {"nl": "Wachttijd (weken)", "en": "Wait (weeks)"},
    "share_requests": {"nl": "Aandeel hulpvragen", "en": "Share of requests"},
    "change_pct": {
        "nl": "Verschil met de basis (% van de basis, 95%-BI)",
        "en": "Change from the baseline (% of baseline, 95% CI)",
    },
    "euro_pv": {"nl": "Contante waarde (euro)", "en": "Present value (euro)"},
    "participants_mean": {"nl": "Deelnemers (gemiddeld)", "en": "Participants (mean)"},
    "volunteers_mean": {"nl": "Vrijwilligers (gemiddeld)", "en": "Volunteers (mean)"},
    "band": {"nl": "band: 95%-BI over replicaties", "en": "band: 95% CI over replications"},
    "low": {"nl": "laag", "en": "low"},
    "effect_scale": {
        "nl": "Effect als veelvoud van het scenario (1 = zoals aangenomen)",
        "en": "Effect as a multiple of the scenario's (1 = as assumed)",
    },
    "high": {"nl": "hoog", "en": "high"},
    "difference_from_base": {"nl": "Verschil met de basis", "en": "Difference from the base"},
}


def word(key: str, lang: str = "nl") -> str:
    """A word of the report in ``lang`` (the key itself when unknown)."""
    entry = WORDS.get(key)
    if entry is None:
        if key.startswith("outcome:"):
            return key.split(":", 1)[1]
        return key
    return entry[lang]


def metric_label(metric: str, lang: str = "nl") -> tuple[str, str]:
    """Label and unit of a figure in ``lang``."""
    from ..model.results import INTERVENTION_LABELS, SUMMARY_LABELS

    dutch = SUMMARY_LABELS.get(metric) or DUTCH_EXTRA.get(metric) or INTERVENTION_LABELS.get(metric)
    if lang == "en" and metric in ENGLISH_LABELS:
        return ENGLISH_LABELS[metric]
    if dutch is None:
        return metric.replace("_", " "), ""
    label, unit = dutch
    return label, UNITS.get(unit, {}).get(lang, unit)


def unit_word(unit: str, lang: str = "nl") -> str:
    return UNITS.get(unit, {}).get(lang, unit)


def number(value: float, lang: str = "nl", digits: int = 1) -> str:
    """A number with the language's separators: ``12.345,6`` (nl), ``12,345.6`` (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{digits}f}"
    if lang == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text.replace("-", "−")


def euro(value: float, lang: str = "nl") -> str:
    """Whole euros: ``€ 12.345`` (nl), ``€12,345`` (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = number(value, lang, 0)
    return f"€ {text}" if lang == "nl" else f"€{text}"


def figure(value: float, unit: str, lang: str = "nl", *, signed: bool = False) -> str:
    """A figure in its unit: shares as percentages, share differences in
    percentage points (``pp``), counts and euros whole."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit in ("aandeel", "share"):
        text = number(100 * value, lang, 1) + "%"
    elif unit == "pp":
        text = number(100 * value, lang, 1) + (" %-punt" if lang == "nl" else " pp")
    elif unit == "euro":
        text = euro(value, lang)
    elif unit in ("aantal", "count", "uren", "hours"):
        text = number(value, lang, 0)
    else:
        text = number(value, lang, 1 if abs(value) >= 10 else 2)
    if signed and value > 0:
        text = "+" + text
    return text
