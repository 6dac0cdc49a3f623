"""Presentation text: what each figure is called, in Dutch and in English, and its unit.

Text only. The figures themselves are defined where they are computed
(:mod:`wijksim.model.results`, :mod:`wijksim.analysis`); a figure without a
label here is still reported, under its key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")

#: Unit keys with their Dutch and English names.
UNITS: dict[str, tuple[str, str]] = {
    "count": ("aantal", "count"),
    "persons": ("personen", "persons"),
    "clients": ("cliënten", "clients"),
    "weeks": ("weken", "weeks"),
    "share": ("aandeel", "share"),
    "hours": ("uren", "hours"),
    "hours_per_week": ("uren/week", "hours/week"),
    "euro": ("euro", "euro"),
    "pp": ("%-punt", "pp"),  # a difference of two shares, in percentage points
}


@dataclass(frozen=True)
class Label:
    """The name of a figure in both languages, and the key of its unit in :data:`UNITS`."""

    nl: str
    en: str
    unit: str = "count"

    def text(self, lang: Language = "nl") -> str:
        return self.nl if lang == "nl" else self.en

    def unit_text(self, lang: Language = "nl") -> str:
        return unit_text(self.unit, lang)


def unit_text(unit: str, lang: Language = "nl") -> str:
    """The name of a unit key in ``lang`` (the key itself when unknown)."""
    names = UNITS.get(unit)
    return unit if names is None else names[LANGUAGES.index(lang)]


#: Figures of a run's summary, in reporting order.
SUMMARY: dict[str, Label] = {
    "weeks": Label("Periode (na inloop)", "Period (after warm-up)", "weeks"),
    "potential_requests": Label(
        "Mogelijke hulpvragen (zonder preventie)", "Potential requests (without prevention)"
    ),
    "averted": Label("Voorkomen door preventie", "Averted by prevention"),
    "diverted": Label("Opgevangen door vrijwilligers", "Diverted to volunteers"),
    "new_requests": Label("Nieuwe hulpvragen bij het team", "New requests at the team"),
    "requests": Label("Hulpvragen bij het team (totaal)", "Requests at the team (total)"),
    "referrals": Label("Doorverwezen door vrijwilligers", "Referred by volunteers"),
    "hidden_need": Label("Verborgen vraag aan het licht", "Hidden need surfaced"),
    "submitted": Label("Aangeleverd door een ander model", "Submitted by another model"),
    "submitted_diverted": Label(
        "Aangeleverd en opgevangen door vrijwilligers", "Submitted and diverted to volunteers"
    ),
    "settled_at_intake": Label("Direct afgehandeld bij intake", "Settled at intake"),
    "intakes": Label("In behandeling genomen", "Taken into care"),
    "closures": Label("Afgesloten trajecten", "Closed cases"),
    "reneged": Label("Afgehaakt tijdens wachten", "Gave up while waiting"),
    "escalations": Label("Verergerd tijdens wachten", "Escalated while waiting"),
    "recurrences": Label("Terugkerende hulpvragen", "Recurring requests"),
    "mean_caseload": Label("Gemiddelde caseload", "Mean caseload", "clients"),
    "mean_caseload_per_fte": Label("Caseload per fte", "Caseload per FTE", "clients"),
    "ceiling_occupancy": Label("Bezetting caseloadplafond", "Caseload ceiling occupancy", "share"),
    "mean_waiting_list": Label("Gemiddelde wachtlijst", "Mean waiting list", "persons"),
    "mean_wait_weeks": Label("Gemiddelde wachttijd", "Mean wait", "weeks"),
    "p90_wait_weeks": Label("Wachttijd 90e percentiel", "Wait, 90th percentile", "weeks"),
    "share_waited": Label("Aandeel dat moest wachten", "Share who had to wait", "share"),
    "share_wait_over_6_weeks": Label(
        "Aandeel langer dan 6 weken gewacht", "Share waiting over 6 weeks", "share"
    ),
    "professional_hours": Label("Uren professionals", "Professional hours", "hours"),
    "professional_hours_per_week": Label(
        "Uren professionals per week", "Professional hours per week", "hours_per_week"
    ),
    "collective_hours": Label(
        "Uren team voor collectief werk", "Team hours for collective work", "hours"
    ),
    "share_weeks_squeezed": Label(
        "Aandeel weken collectieve uren ingeleverd",
        "Share of weeks collective hours were squeezed",
        "share",
    ),
    "waiting_list_end": Label("Wachtlijst aan het eind", "Waiting list at the end", "persons"),
    "caseload_end": Label("Caseload aan het eind", "Caseload at the end", "clients"),
}

#: Figures per intervention (:meth:`wijksim.Run.interventions`).
INTERVENTION: dict[str, Label] = {
    "participants": Label("Deelnemers (gestart)", "Participants (started)"),
    "mean_participants": Label("Gemiddeld aantal deelnemers", "Mean participants", "persons"),
    "occupancy": Label("Bezetting capaciteit", "Capacity occupancy", "share"),
    "averted": Label("Hulpvragen voorkomen", "Requests averted"),
    "diverted": Label("Hulpvragen opgevangen", "Requests diverted"),
    "professional_hours": Label("Uren van het team", "Team hours", "hours"),
    "volunteers_end": Label("Vrijwilligers aan het eind", "Volunteers at the end", "persons"),
    "mean_volunteers": Label("Gemiddeld aantal vrijwilligers", "Mean volunteers", "persons"),
    "cost": Label("Kosten", "Cost", "euro"),
    "missed": Label("Gemist: geen vrijwilliger vrij", "Missed: no volunteer free"),
    "visits": Label("Huisbezoeken", "Home visits"),
    "cohorts": Label("Groepen gestart", "Groups started"),
    "referred_to_team": Label("Doorverwezen naar het team", "Referred to the team"),
    "made_lighter": Label("Eerder en lichter binnengekomen", "Arrived earlier and lighter"),
    "hidden_need": Label("Verborgen vraag aan het licht", "Hidden need surfaced"),
    "resolved": Label("Opgelost in de buurt", "Resolved nearby"),
    "referred_up": Label("Warm doorverwezen naar het team", "Warm referral to the team"),
    "door_full": Label("Voordeur vol: direct naar het team", "Door full: straight to the team"),
    "reached_unknown": Label("Bereikt, onbekend bij het team", "Reached, unknown to the team"),
    "joined_volunteers": Label("Gaan anderen steunen", "Went on to support others"),
}

#: Figures of the relief table per year (:meth:`wijksim.Comparison.by_year`) not in SUMMARY.
YEARLY: dict[str, Label] = {
    "requests": Label("Hulpvragen bij het team", "Requests at the team"),
    "mean_wait_weeks": Label("Gemiddelde wachttijd (Little)", "Mean wait (Little's law)", "weeks"),
    "cost": Label("Extra kosten", "Extra cost", "euro"),
}

#: Weekly series (:attr:`wijksim.Run.timeseries`).
SERIES: dict[str, Label] = {
    "potential_requests": Label("Mogelijke hulpvragen", "Potential requests"),
    "averted": Label("Voorkomen", "Averted"),
    "diverted": Label("Opgevangen door vrijwilligers", "Diverted to volunteers"),
    "requests": Label("Hulpvragen", "Requests"),
    "settled_at_intake": Label("Direct afgehandeld", "Settled at intake"),
    "intakes": Label("In behandeling genomen", "Taken into care"),
    "closures": Label("Afgesloten", "Closed"),
    "reneged": Label("Afgehaakt", "Gave up"),
    "escalations": Label("Verergerd", "Escalated"),
    "recurrences": Label("Teruggekeerd", "Came back"),
    "waiting_list": Label("Wachtlijst (gemiddeld)", "Waiting list (mean)", "persons"),
    "caseload": Label("Caseload (gemiddeld)", "Caseload (mean)", "clients"),
    "ceiling_occupancy": Label("Bezetting plafond", "Ceiling occupancy", "share"),
    "collective_hours": Label("Uren collectief werk", "Hours of collective work", "hours"),
}


def label(key: str, table: dict[str, Label] = SUMMARY) -> Label:
    """The label of ``key`` in ``table``; a plain one made from the key when it has none."""
    found = table.get(key)
    if found is None:
        text = key.replace("_", " ")
        found = Label(text, text)
    return found


def legacy(table: dict[str, Label]) -> dict[str, tuple[str, str]]:
    """``key -> (Dutch label, Dutch unit)``: the shape of wijksim 0.1's label tables."""
    return {key: (item.nl, item.unit_text("nl")) for key, item in table.items()}


#: wijksim 0.1 names, kept for existing notebooks.
SUMMARY_LABELS = legacy(SUMMARY)
INTERVENTION_LABELS = legacy(INTERVENTION)
SERIES_LABELS = {key: item.nl for key, item in SERIES.items()}
