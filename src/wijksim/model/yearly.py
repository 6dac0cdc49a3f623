"""Figures per year after the warm-up: the quantities a cost-benefit analysis
and a per-year relief table need.

Years are cut at the weekly snapshots: year ``k`` (from 0) runs from the end
of the warm-up to the first weekly snapshot at least ``k + 1`` years
(:data:`WEEKS_PER_YEAR`) later, the last year ends at the end of the run and
may be shorter. The years add up exactly to the whole period of
:func:`wijksim.model.results.summary`.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

from ..scenario.units import WEEKS_PER_YEAR
from .ledger import Snapshot, difference
from .results import weekly_snapshots

if TYPE_CHECKING:
    import pandas as pd

    from .wijkteam import WijkteamModel

#: Columns of :func:`yearly`.
YEARLY_COLUMNS = ["year", "source", "quantity", "value"]

#: Source name of the team's own figures (interventions use their own name).
TEAM = "team"

_TEAM_COUNTS = ("requests", "escalations", "intakes", "reneged", "averted", "diverted")


def year_bounds(model: WijkteamModel) -> list[Snapshot]:
    """Snapshots at the year boundaries, from the end of the warm-up to now."""
    warm = model.ledger.warm
    if warm is None:
        return []
    _, snaps = weekly_snapshots(model, every_week=False)
    bounds = [warm]
    for snap in snaps:
        due = bounds[0].time + len(bounds) * WEEKS_PER_YEAR
        if snap.time >= due - 1e-9 and snap.time > bounds[-1].time:
            bounds.append(snap)
    now = model.snapshot()
    if now.time - bounds[-1].time > 1e-9:
        bounds.append(now)
    return bounds


def yearly(model: WijkteamModel) -> pd.DataFrame:
    """Per year: team figures and per-intervention figures, tidy
    (``year, source, quantity, value``): the rows of :func:`yearly_rows`."""
    import pandas as pd  # on use: a run that makes no frame does not import it

    return pd.DataFrame(yearly_rows(model), columns=YEARLY_COLUMNS)


def yearly_rows(model: WijkteamModel) -> list[tuple[int, str, str, float]]:
    """The rows ``(year, source, quantity, value)`` of :func:`yearly` (a batch of
    replications makes one frame of all of them).

    Team quantities: ``weeks``, counts (``requests``, ``escalations``,
    ``intakes``, ``reneged``, ``averted``, ``diverted``) and per theme
    (``requests.<theme>``, ``escalations.<theme>``), ``professional_hours``
    (casework: contact and intake hours), ``collective_hours``,
    ``mean_caseload`` and ``mean_waiting_list`` (persons, time averages),
    ``load_slot_weeks`` and ``ceiling_slot_weeks`` (the caseload ceiling's
    weighted slots times weeks, occupied and in all; NaN without a ceiling).
    Per intervention: ``participants`` (started), ``participant_weeks``,
    ``team_hours``, ``funded_weeks``, ``volunteer_weeks`` (its share of its
    pool), ``averted.<theme>``, ``diverted.<theme>`` and its own counts
    (e.g. ``referred_to_team``).
    """
    rows: list[tuple[int, str, str, float]] = []
    bounds = year_bounds(model)
    for year, (then, now) in enumerate(itertools.pairwise(bounds)):
        weeks = now.time - then.time

        def add(source: str, quantity: str, value: float, year: int = year) -> None:
            rows.append((year, source, quantity, float(value)))

        add(TEAM, "weeks", weeks)
        for key in _TEAM_COUNTS:
            add(TEAM, key, now.count(key) - then.count(key))
        for t, theme in enumerate(model.themes):
            add(TEAM, f"requests.{theme}", now.theme_requests[t] - then.theme_requests[t])
            escalated = now.theme_escalations[t] - then.theme_escalations[t]
            add(TEAM, f"escalations.{theme}", escalated)
        hours = now.contact_hours - then.contact_hours
        hours += now.intake_hours - then.intake_hours
        add(TEAM, "professional_hours", hours)
        scale = 1.0 / weeks if weeks > 0 else math.nan
        add(TEAM, "mean_caseload", (now.area_care - then.area_care) * scale)
        add(TEAM, "mean_waiting_list", (now.area_waiting - then.area_waiting) * scale)
        # the caseload ceiling's slot-weeks, occupied and in all (NaN without a
        # ceiling): the share of its casework capacity the team used
        add(TEAM, "load_slot_weeks", now.area_load - then.area_load)
        ceiling = now.area_capacity - then.area_capacity
        add(TEAM, "ceiling_slot_weeks", ceiling if math.isfinite(ceiling) else math.nan)
        collective = difference(now.collective, then.collective)
        add(TEAM, "collective_hours", collective["collective_hours"] if collective else 0.0)
        if collective is None or model.collective is None:
            continue
        for iv in model.collective.interventions:
            fig = collective["interventions"][iv.name]
            for key, value in fig.items():
                if key != "capacity_weeks":
                    add(iv.name, key, value)
            if iv.pool is not None:
                pool = collective["pools"][iv.pool.name]
                add(iv.name, "volunteer_weeks", pool["volunteer_weeks"] / len(iv.pool.users))
    return rows


__all__ = ["TEAM", "YEARLY_COLUMNS", "year_bounds", "yearly", "yearly_rows"]
