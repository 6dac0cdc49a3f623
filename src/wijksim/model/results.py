"""Figures of a model run: the summary after warm-up, weekly series, cases.

Each is made from the model's snapshots (:mod:`~wijksim.model.ledger`) and its
public state only.
"""

from __future__ import annotations

import datetime
import math
from typing import TYPE_CHECKING

from ..scenario.calendar import date_at
from ..scenario.units import WEEKS_PER_YEAR
from .ledger import COUNTERS, Snapshot, difference
from .requests import STATUS_NAMES

if TYPE_CHECKING:
    import pandas as pd

    from .wijkteam import WijkteamModel

#: Summary keys, in reporting order.
SUMMARY_KEYS = (
    "weeks",
    "potential_requests",
    "averted",
    "diverted",
    "new_requests",
    "requests",
    "referrals",
    "hidden_need",
    "submitted",
    "submitted_diverted",
    "settled_at_intake",
    "intakes",
    "closures",
    "reneged",
    "escalations",
    "recurrences",
    "mean_caseload",
    "mean_caseload_per_fte",
    "ceiling_occupancy",
    "mean_waiting_list",
    "mean_wait_weeks",
    "p90_wait_weeks",
    "share_waited",
    "share_wait_over_6_weeks",
    "professional_hours",
    "professional_hours_per_week",
    "collective_hours",
    "share_weeks_squeezed",
    "waiting_list_end",
    "caseload_end",
)


def summary(model: WijkteamModel) -> dict[str, float]:
    """Figures from the end of the warm-up until now (keys: :data:`SUMMARY_KEYS`)."""
    now = model.snapshot()
    warm = model.ledger.warm
    if warm is None:  # still warming up: nothing to report yet
        return dict.fromkeys(SUMMARY_KEYS, math.nan)
    weeks = now.time - warm.time
    diff = {name: now.count(name) - warm.count(name) for name in COUNTERS}
    collective = difference(now.collective, warm.collective) or {}
    per_week = (lambda x: x / weeks) if weeks > 0 else (lambda x: math.nan)
    fte = model.scenario.team.fte
    mean_caseload = per_week(now.area_care - warm.area_care)
    hours = (now.contact_hours - warm.contact_hours) + (now.intake_hours - warm.intake_hours)
    waits = model.waits
    out = {
        "weeks": weeks,
        "potential_requests": diff["potential_requests"],
        "averted": diff["averted"],
        "diverted": diff["diverted"],
        "new_requests": diff["new_requests"],
        "requests": diff["requests"],
        "referrals": diff["referrals"],
        "hidden_need": diff["hidden_need"],
        "submitted": diff["submitted"],
        "submitted_diverted": diff["submitted_diverted"],
        "settled_at_intake": diff["settled_at_intake"],
        "intakes": diff["intakes"],
        "closures": diff["closures"],
        "reneged": diff["reneged"],
        "escalations": diff["escalations"],
        "recurrences": diff["recurrences"],
        "mean_caseload": mean_caseload,
        "mean_caseload_per_fte": mean_caseload / fte if fte > 0 else math.nan,
        "ceiling_occupancy": _occupancy(now, warm),
        "mean_waiting_list": per_week(now.area_waiting - warm.area_waiting),
        "mean_wait_weeks": waits.mean(),
        "p90_wait_weeks": waits.quantile(0.9),
        "share_waited": waits.share_waited(),
        "share_wait_over_6_weeks": waits.share_over_six_weeks(),
        "professional_hours": hours,
        "professional_hours_per_week": per_week(hours),
        "collective_hours": collective.get("collective_hours", 0.0),
        "share_weeks_squeezed": per_week(collective.get("squeezed_weeks", 0.0)),
        "waiting_list_end": model.waiting,
        "caseload_end": model.in_care,
    }
    return {key: float(value) for key, value in out.items()}


WEEKLY_COUNTS = (
    "potential_requests",
    "averted",
    "diverted",
    "requests",
    "settled_at_intake",
    "intakes",
    "closures",
    "reneged",
    "escalations",
    "recurrences",
)


def _occupancy(now: Snapshot, then: Snapshot) -> float:
    """Time-average load over the time-average ceiling between two snapshots."""
    capacity = now.area_capacity - then.area_capacity
    if not 0 < capacity < math.inf:
        return math.nan
    return (now.area_load - then.area_load) / capacity


def intervention_timeseries(model: WijkteamModel) -> pd.DataFrame:
    """Weekly figures per intervention and volunteer pool, tidy:
    ``week, source, metric, value`` (participants and volunteers are weekly means)."""
    import pandas as pd  # on use: a run that makes no frame does not import it

    rows: dict[str, list] = {"week": [], "source": [], "metric": [], "value": []}
    weeks, snaps = weekly_snapshots(model)
    figures = [s.collective for s in snaps]
    if model.collective is None:
        return pd.DataFrame(rows)
    for week, previous, snap in zip(weeks[1:], figures, figures[1:], strict=False):
        step = difference(snap, previous)
        for name, fig in step["interventions"].items():
            values = {
                "participants": fig["participant_weeks"],
                "averted": sum(v for k, v in fig.items() if k.startswith("averted.")),
                "diverted": sum(v for k, v in fig.items() if k.startswith("diverted.")),
                "professional_hours": fig["team_hours"],
            }
            for metric, value in values.items():
                for column, item in zip(rows, (week, name, metric, float(value)), strict=True):
                    rows[column].append(item)
        for name, fig in step["pools"].items():
            for column, item in zip(
                rows, (week, name, "volunteers", fig["volunteer_weeks"]), strict=True
            ):
                rows[column].append(item)
    return on_calendar(pd.DataFrame(rows), model.scenario.start_date)


def on_calendar(frame: pd.DataFrame, start: datetime.date | None) -> pd.DataFrame:
    """With a ``start`` date: a ``date`` column (the first day of each week) and its
    ``year`` beside ``week``; without one, the frame as it is."""
    import pandas as pd

    if start is None or "week" not in frame.columns:
        return frame
    dates = {week: date_at(start, week - 1) for week in frame["week"].unique()}
    at = list(frame.columns).index("week") + 1
    frame.insert(at, "date", pd.to_datetime(frame["week"].map(dates)))
    frame.insert(at + 1, "year", frame["date"].dt.year)
    return frame


def interventions(model: WijkteamModel) -> dict[str, dict]:
    """Figures per intervention after the warm-up, with averted/diverted by
    theme: every figure a Python float (NaN where it is not defined: the
    occupancy of an intervention without a capacity), beside its ``type``."""
    warm = model.ledger.warm
    if model.collective is None or warm is None:
        return {}
    now = model.snapshot()
    weeks = now.time - warm.time
    collective = difference(now.collective, warm.collective)
    pools = collective["pools"]
    costs = model.scenario.costs
    report: dict[str, dict] = {}
    for iv in model.collective.interventions:
        fig = collective["interventions"][iv.name]
        spec = iv.spec
        by_theme = {
            kind: {t: float(fig[f"{kind}.{t}"]) for t in model.themes if fig[f"{kind}.{t}"]}
            for kind in ("averted", "diverted")
        }
        entry: dict = {
            "type": spec.type,
            "participants": fig["participants"],
            "mean_participants": fig["participant_weeks"] / weeks if weeks else math.nan,
            "occupancy": (
                fig["participant_weeks"] / fig["capacity_weeks"]
                if fig["capacity_weeks"] > 0
                else math.nan
            ),
            "averted": sum(by_theme["averted"].values(), 0.0),
            "diverted": sum(by_theme["diverted"].values(), 0.0),
            "professional_hours": fig["team_hours"],
        }
        volunteer_cost = 0.0
        if iv.pool is not None:
            pool = pools[iv.pool.name]
            entry["volunteers_end"] = float(iv.pool.size)
            entry["mean_volunteers"] = pool["volunteer_weeks"] / weeks if weeks else math.nan
            expenses = iv.pool.spec.expenses_per_volunteer_per_year
            volunteer_cost = expenses * pool["volunteer_weeks"] / WEEKS_PER_YEAR
            volunteer_cost /= len(iv.pool.users)  # a shared pool's costs are shared
        entry["cost"] = (
            spec.fixed_cost_per_year * fig["funded_weeks"] / WEEKS_PER_YEAR
            + spec.cost_per_participant * fig["participants"]
            + volunteer_cost
            + costs.team_hour * fig["team_hours"]
        )
        extra = {k: v for k, v in fig.items() if k not in _BASE_FIGURES and "." not in k}
        entry.update(extra)
        # one kind of number for every figure (counts arrive as ints from some types)
        entry.update({k: float(v) for k, v in entry.items() if k != "type"})
        entry["averted_by_theme"] = by_theme["averted"]
        entry["diverted_by_theme"] = by_theme["diverted"]
        report[iv.name] = entry
    return report


_BASE_FIGURES = {
    "participants",
    "participant_weeks",
    "capacity_weeks",
    "team_hours",
    "funded_weeks",
}


def weekly_snapshots(
    model: WijkteamModel, every_week: bool = True
) -> tuple[list[int], list[Snapshot]]:
    """The weekly snapshots, completed by the week that ends exactly now: simpy's
    ``run(until=...)`` stops before the weekly event due at that very moment.

    A model run with ``series=False`` kept only the weeks that close a year;
    ``every_week=False`` accepts those (for the yearly figures).
    """
    ledger = model.ledger
    if every_week and not ledger.every_week:
        raise ValueError("the weekly series was not kept: run with series=True")
    weeks = list(ledger.weeks)
    snaps = list(ledger.snapshots)
    if model.now >= ledger.week + 1:
        weeks.append(ledger.week + 1)
        snaps.append(model.snapshot())
    return weeks, snaps


def timeseries(model: WijkteamModel) -> pd.DataFrame:
    """Weekly figures as a tidy frame: ``week, metric, theme, value``.

    Counts are per week; ``waiting_list``, ``caseload`` and ``ceiling_occupancy``
    are time averages over the week. ``theme`` is ``"all"`` for totals.
    """
    import pandas as pd

    weeks, snaps = weekly_snapshots(model)
    rows: dict[str, list] = {"week": [], "metric": [], "theme": [], "value": []}

    def add(week: int, metric: str, theme: str, value: float) -> None:
        rows["week"].append(week)
        rows["metric"].append(metric)
        rows["theme"].append(theme)
        rows["value"].append(float(value))

    for week, previous, snap in zip(weeks[1:], snaps, snaps[1:], strict=False):
        for metric in WEEKLY_COUNTS:
            add(week, metric, "all", snap.count(metric) - previous.count(metric))
        add(week, "waiting_list", "all", snap.area_waiting - previous.area_waiting)
        add(week, "caseload", "all", snap.area_care - previous.area_care)
        add(week, "ceiling_occupancy", "all", _occupancy(snap, previous))
        if snap.collective is not None and previous.collective is not None:
            hours = snap.collective["collective_hours"] - previous.collective["collective_hours"]
            add(week, "collective_hours", "all", hours)
        for t, theme in enumerate(model.themes):
            add(week, "requests", theme, snap.theme_requests[t] - previous.theme_requests[t])
            add(week, "caseload", theme, snap.area_theme[t] - previous.area_theme[t])
    frame = pd.DataFrame(rows)
    frame["metric"] = frame["metric"].astype("category")
    frame["theme"] = frame["theme"].astype("category")
    return on_calendar(frame, model.scenario.start_date)


def cases(model: WijkteamModel) -> pd.DataFrame:
    """One row per request (needs ``record_cases=True``); times in weeks. A team
    given by discipline adds the ``discipline`` that took the case."""
    import pandas as pd

    recorded = model.recorded
    if recorded is None:
        raise ValueError("cases were not recorded: run with record_cases=True")
    start = model.start
    records = [
        {
            "id": r.id,
            "theme": r.theme,
            "severity": r.severity,
            "origin": r.origin,
            "status": STATUS_NAMES[r.status],
            "arrival": r.arrival - start,
            "intake": math.nan if r.intake is None else r.intake - start,
            "end": math.nan if r.end is None else r.end - start,
            "wait": math.nan if r.intake is None else r.intake - r.arrival,
            "duration": r.duration,
            "escalated": r.escalated,
        }
        for r in recorded
    ]
    frame = pd.DataFrame.from_records(records, columns=list(records[0]) if records else None)
    names = model.disciplines
    if names is not None and records:  # who took it (or would have: its first discipline)
        frame["discipline"] = [names[r.discipline] for r in recorded]
    return frame


__all__ = [
    "SUMMARY_KEYS",
    "cases",
    "intervention_timeseries",
    "interventions",
    "summary",
    "timeseries",
    "weekly_snapshots",
]
