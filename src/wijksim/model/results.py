"""Figures of a model run: the summary after warm-up, weekly series, cases."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from .requests import STATUS_NAMES
from .statistics import BIN_WEEKS

if TYPE_CHECKING:
    from .wijkteam import WijkteamModel

#: Summary keys, in reporting order, with a Dutch label and a unit.
SUMMARY_LABELS: dict[str, tuple[str, str]] = {
    "weeks": ("Periode (na inloop)", "weken"),
    "requests": ("Hulpvragen bij het team", "aantal"),
    "settled_at_intake": ("Direct afgehandeld bij intake", "aantal"),
    "intakes": ("In behandeling genomen", "aantal"),
    "closures": ("Afgesloten trajecten", "aantal"),
    "reneged": ("Afgehaakt tijdens wachten", "aantal"),
    "escalations": ("Verergerd tijdens wachten", "aantal"),
    "recurrences": ("Terugkerende hulpvragen", "aantal"),
    "mean_caseload": ("Gemiddelde caseload", "cliënten"),
    "mean_caseload_per_fte": ("Caseload per fte", "cliënten"),
    "ceiling_occupancy": ("Bezetting caseloadplafond", "aandeel"),
    "mean_waiting_list": ("Gemiddelde wachtlijst", "personen"),
    "mean_wait_weeks": ("Gemiddelde wachttijd", "weken"),
    "p90_wait_weeks": ("Wachttijd 90e percentiel", "weken"),
    "share_waited": ("Aandeel dat moest wachten", "aandeel"),
    "share_wait_over_6_weeks": ("Aandeel langer dan 6 weken gewacht", "aandeel"),
    "professional_hours": ("Uren professionals", "uren"),
    "professional_hours_per_week": ("Uren professionals per week", "uren/week"),
    "waiting_list_end": ("Wachtlijst aan het eind", "personen"),
    "caseload_end": ("Caseload aan het eind", "cliënten"),
}

#: Weekly series: metric name -> Dutch label.
SERIES_LABELS = {
    "requests": "Hulpvragen",
    "settled_at_intake": "Direct afgehandeld",
    "intakes": "In behandeling genomen",
    "closures": "Afgesloten",
    "reneged": "Afgehaakt",
    "escalations": "Verergerd",
    "recurrences": "Teruggekeerd",
    "waiting_list": "Wachtlijst (gemiddeld)",
    "caseload": "Caseload (gemiddeld)",
    "ceiling_occupancy": "Bezetting plafond",
}


def summary(model: WijkteamModel) -> dict[str, float]:
    """Figures from the end of the warm-up until now (see :data:`SUMMARY_LABELS`)."""
    now = model._snapshot()
    warm = model._warm
    if warm is None:  # still warming up: nothing to report yet
        return {key: math.nan for key in SUMMARY_LABELS}
    weeks = now["time"] - warm["time"]
    diff = {key: now[key] - warm[key] for key in now if not isinstance(now[key], list)}
    per_week = (lambda x: x / weeks) if weeks > 0 else (lambda x: math.nan)
    fte = model.scenario.team.fte
    capacity = model.capacity
    mean_caseload = per_week(diff["area_care"])
    hours = diff["contact_hours"] + diff["intake_hours"]
    waits = model.waits
    out = {
        "weeks": weeks,
        "requests": diff["requests"],
        "settled_at_intake": diff["settled_at_intake"],
        "intakes": diff["intakes"],
        "closures": diff["closures"],
        "reneged": diff["reneged"],
        "escalations": diff["escalations"],
        "recurrences": diff["recurrences"],
        "mean_caseload": mean_caseload,
        "mean_caseload_per_fte": mean_caseload / fte if fte > 0 else math.nan,
        "ceiling_occupancy": (
            per_week(diff["area_load"]) / capacity if 0 < capacity < math.inf else math.nan
        ),
        "mean_waiting_list": per_week(diff["area_waiting"]),
        "mean_wait_weeks": waits.mean(),
        "p90_wait_weeks": waits.quantile(0.9),
        "share_waited": waits.share(waits.waited),
        "share_wait_over_6_weeks": waits.share(waits.over_six_weeks),
        "professional_hours": hours,
        "professional_hours_per_week": per_week(hours),
        "waiting_list_end": model.waiting,
        "caseload_end": model.in_care,
    }
    return {key: float(value) for key, value in out.items()}


def timeseries(model: WijkteamModel) -> pd.DataFrame:
    """Weekly figures as a tidy frame: ``week, metric, theme, value``.

    Counts are per week; ``waiting_list``, ``caseload`` and ``ceiling_occupancy``
    are time averages over the week. ``theme`` is ``"all"`` for totals.
    """
    weeks = model._series["week"]
    snaps = model._series["values"]
    rows: dict[str, list] = {"week": [], "metric": [], "theme": [], "value": []}

    def add(week, metric, theme, value):
        rows["week"].append(week)
        rows["metric"].append(metric)
        rows["theme"].append(theme)
        rows["value"].append(float(value))

    capacity = model.capacity
    for week, previous, snap in zip(weeks[1:], snaps, snaps[1:], strict=False):
        for metric in (
            "requests",
            "settled_at_intake",
            "intakes",
            "closures",
            "reneged",
            "escalations",
            "recurrences",
        ):
            add(week, metric, "all", snap[metric] - previous[metric])
        add(week, "waiting_list", "all", snap["area_waiting"] - previous["area_waiting"])
        add(week, "caseload", "all", snap["area_care"] - previous["area_care"])
        occupancy = (snap["area_load"] - previous["area_load"]) / capacity
        add(week, "ceiling_occupancy", "all", occupancy if 0 < capacity < math.inf else math.nan)
        for t, theme in enumerate(model.themes):
            add(week, "requests", theme, snap["theme_requests"][t] - previous["theme_requests"][t])
            add(week, "caseload", theme, snap["area_theme"][t] - previous["area_theme"][t])
    frame = pd.DataFrame(rows)
    frame["metric"] = frame["metric"].astype("category")
    frame["theme"] = frame["theme"].astype("category")
    return frame


def cases(model: WijkteamModel) -> pd.DataFrame:
    """One row per request (needs ``record_cases=True``); times in weeks."""
    if not model._record:
        raise ValueError("cases were not recorded: run with record_cases=True")
    start = model.start
    records = [
        {
            "id": r.id,
            "theme": model.themes[r.theme],
            "severity": model.severities[r.severity],
            "origin": r.origin,
            "status": STATUS_NAMES[r.status],
            "arrival": r.arrival - start,
            "intake": math.nan if r.intake is None else r.intake - start,
            "end": math.nan if r.end is None else r.end - start,
            "wait": math.nan if r.intake is None else r.intake - r.arrival,
            "duration": r.duration,
            "escalated": r.escalated,
        }
        for r in model._all
    ]
    return pd.DataFrame.from_records(records, columns=list(records[0]) if records else None)


__all__ = ["BIN_WEEKS", "SERIES_LABELS", "SUMMARY_LABELS", "cases", "summary", "timeseries"]
