"""A registration export of a model run: what the team's registration would
hold after it, for testing calibration on data whose parameters are known."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd


def registration(run, first_day: date = date(2020, 1, 1)) -> pd.DataFrame:
    """What the team's registration would hold after ``run`` (a :class:`wijksim.Run`
    made with ``record_cases=True``): one row per request, dates counted from
    ``first_day`` (week 0 of the run). The registration period starts after the
    run's warm-up (``first_day + warmup``): requests from before it appear only
    when still open then, as cases carried over; the initial state's requests
    are left out. For testing calibration on data with known parameters."""
    cases = run.cases
    warmup = run.scenario.warmup
    kept = cases["status"].isin(["waiting", "in_care", "closed", "reneged", "settled_at_intake"])
    open_at_start = cases["end"].isna() | (cases["end"] >= warmup)
    cases = cases[kept & (cases["origin"] != "initial") & open_at_start]
    origin = pd.Timestamp(first_day)

    def day(weeks: pd.Series) -> pd.Series:
        stamps = origin + pd.to_timedelta(np.floor(weeks * 7.0), unit="D")
        return stamps.dt.strftime("%Y-%m-%d").where(weeks.notna(), "")

    reneged = cases["status"] == "reneged"
    return pd.DataFrame(
        {
            "requested": day(cases["arrival"]),
            "theme": cases["theme"],
            "severity": cases["severity"],
            "start": day(cases["intake"]).where(~reneged, ""),
            "end": day(cases["end"]),
            "returning": np.where(cases["origin"] == "recurrence", "yes", "no"),
        }
    ).reset_index(drop=True)
