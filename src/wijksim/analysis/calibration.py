"""Calibration from a team's registration: one row per help request in, a
scenario with fitted values and their standard errors out.

The registration CSV needs no names or addresses, and the result holds only
aggregates. Columns (dates as ``YYYY-MM-DD``):

``requested``
    the date the request came in (required)
``theme``
    the request's theme, e.g. ``debts`` (required)
``start``
    the date support started; empty while waiting or when the person gave up
``end``
    the date support ended (or the person gave up waiting); empty while open
``severity`` (optional)
    e.g. ``light``, ``regular``, ``complex``
``returning`` (optional)
    ``yes`` when the person came back after earlier support by the team

A request settled at intake (information, advice) has ``start`` and ``end``
on the day it came in. What is fitted:

* arrival rates per theme (new requests per 1,000 residents per year) and a
  monthly profile where the months differ (chi-square test at 5%);
* case durations per severity: exponential, gamma, lognormal and Weibull by
  maximum likelihood with right-censoring for cases still open, chosen by AIC;
* the severity mix, the share of light requests settled at intake and the
  share that comes back after closure (binomial standard errors);
* waiting times as observed, to check a model run against (an outcome, not an
  input).

What it refuses, and why, is said where it is decided: reading and checking
the file in :mod:`.registration_csv` (every problem as ``file:line: column:
what is wrong``), the period and its dates in :mod:`.calibration_period`, how
much a fit needs in :func:`fit_duration` and :data:`MIN_PERIOD_DAYS`, and writing
the scenario (by the YAML library, loaded back before it is put in place) in
:mod:`.calibration_file`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from ..scenario.problems import escape_controls
from ..scenario.units import DAYS_PER_YEAR

# This module holds calibrate and Calibration, what it returns. Their parts are
# modules of their own, their names still importable from here: the fits
# (calibration_fits), the registration's period (calibration_period), the plot
# of the durations (calibration_plot), the scenario file (calibration_file) and
# the export of a model run (registration_export).
from .calibration_fits import (
    DurationFit,
    Estimate,
    Fitted,
    ThemeFit,
    fit_duration,
    kaplan_meier,
)
from .calibration_period import GAP_CHANCE as GAP_CHANCE
from .calibration_period import MIN_GAP_DAYS as MIN_GAP_DAYS
from .calibration_period import MIN_PERIOD_DAYS as MIN_PERIOD_DAYS
from .calibration_period import isolated as isolated
from .calibration_period import registration_period
from .registration_csv import FRAME, check_requests, name_problem, read_requests
from .registration_export import registration

#: More themes than this and the theme column is not a theme column.
MAX_THEMES = 100
DEFAULT_NAME = "Mijn wijk (gekalibreerd)"


@dataclass(frozen=True)
class Calibration(Fitted):
    """Everything fitted from one registration (aggregates only), with its plot
    and its scenario file.

    A figure the registration holds too little of is ``None`` (or missing from
    ``durations``) and says why in ``unfitted`` or ``notes``; ``notes`` also
    counts the rows left out (outside ``since``/``until``).
    """

    def plot_durations(self, path: str | Path | None = None, lang: str = "nl"):
        """Kaplan-Meier curves of the durations against the fitted distributions,
        labelled in ``lang`` (``"nl"`` or ``"en"``); saved to ``path`` when
        given. Returns the matplotlib figure."""
        from .calibration_plot import plot_durations

        return plot_durations(self.durations, self._samples, path, lang)

    def to_yaml(self, extends: str | None = None, name: str = DEFAULT_NAME) -> str:
        """A scenario file with every fitted value and its standard error as a
        comment, written by the YAML library (not checked: :meth:`write` checks)."""
        from .calibration_file import to_yaml

        return to_yaml(self, extends, name)

    def write(
        self, path: str | Path, base: str | Path | None = None, name: str = DEFAULT_NAME
    ) -> Path:
        """Write the scenario to ``path``, extending ``base`` when given, once it
        has been loaded back and found valid and as meant; atomically (a reader
        never sees half a file). Raises ``ValueError`` (a
        :class:`~wijksim.ScenarioError` for a scenario that does not load) and
        writes nothing when it cannot."""
        from .calibration_file import write_scenario

        return write_scenario(self, path, base, name)


def calibrate(
    registration: str | Path | pd.DataFrame,
    residents: float | None = None,
    *,
    since: date | None = None,
    until: date | None = None,
    severities: Sequence[str] = ("light", "regular", "complex"),
) -> Calibration:
    """Fit a scenario's demand and case figures to a registration.

    ``registration`` is a CSV path (see the module docstring) or a frame as
    :func:`read_requests` returns. ``residents`` turns yearly counts into rates
    per 1,000 residents (without it, rates are for 1,000 residents: the whole
    wijk's yearly counts). ``since`` is the first day of the registration period
    (default: the first request): earlier requests are cases carried over, counted
    for closures but not for arrivals, waits or durations. ``until`` is the day of
    the export (default: the last date in the file); cases open then are censored
    there, and later requests, starts and ends are left out (counted in
    ``notes``). ``severities`` names the lightest severity first; every severity
    in the file must be one of them. Without a ``severity`` column one duration
    is fitted for all cases and written for each of them.

    Raises ``ValueError`` with ``file:line: column: what is wrong`` for a row
    it cannot use, and with what is needed when the registration holds too
    little for a rate.
    """
    if isinstance(registration, pd.DataFrame):
        frame, source = registration, FRAME
    else:
        frame, source = read_requests(registration), escape_controls(str(registration))
    severities = tuple(severities)
    if not severities:
        raise ValueError("severities: name at least one")
    for severity in severities:
        problem = name_problem(severity)
        if problem:
            raise ValueError(f"severities: {escape_controls(repr(severity))}: {problem}")
    check_requests(frame, source, severities)
    residents = _whole_residents(residents)
    frame, first, last, notes = registration_period(frame, source, since, until)
    years = ((last - first).days + 1) / DAYS_PER_YEAR
    scale = 1000.0 / residents if residents else 1.0
    start_day, cut = pd.Timestamp(first), pd.Timestamp(last)

    returning = frame["returning"] if "returning" in frame else pd.Series(False, frame.index)
    current = frame["requested"] >= start_day
    new = frame[current & ~returning]
    if new.empty:
        raise ValueError(
            f"{source}: no new requests from {first} to {last} (returning ones come from"
            " team.recurrence): nothing to fit a rate to"
        )
    counts = new["theme"].value_counts()
    if len(counts) > MAX_THEMES:
        raise ValueError(
            f"{source}: theme: {len(counts):,} different themes (at most {MAX_THEMES}):"
            " is the theme column right?"
        )
    themes = {}
    for theme in counts.index:
        requested = new["requested"][new["theme"] == theme]
        themes[str(theme)] = _theme_fit(requested, first, last, years, scale)

    settled = frame["start"].notna() & (frame["start"] == frame["end"])
    has_severity = "severity" in frame
    fresh = current & ~returning
    mix = None
    if has_severity:
        seen = frame["severity"][fresh].value_counts()
        total = int(seen.sum())
        mix = {s: _share(int(seen.get(s, 0)), total) for s in severities}
        # only new requests can be settled at intake: returning ones are cases
        light = fresh & (frame["severity"] == severities[0])
        settled_of = f"new {severities[0]} requests"
    else:
        light = fresh
        settled_of = "new requests"
    settled_share = None
    if light.any():
        settled_share = _share(int((settled & light).sum()), int(light.sum()))
    else:
        notes.append(f"settled_at_intake not estimated: no {settled_of} in the period")

    in_care = frame["start"].notna() & ~settled & (frame["start"] >= start_day)
    closed = in_care & frame["end"].notna() & (frame["end"] <= cut)
    weeks = lambda a, b: (b - a).dt.days.to_numpy(float) / 7.0  # noqa: E731
    groups = frame["severity"] if has_severity else pd.Series("all", frame.index)
    durations, samples, unfitted = {}, {}, {}
    order = list(severities) if has_severity else ["all"]
    for severity in order:
        mine = groups == severity
        done = weeks(frame["start"][closed & mine], frame["end"][closed & mine])
        still = weeks(
            frame["start"][in_care & ~closed & mine],
            pd.Series(cut, frame.index)[in_care & ~closed & mine],
        )
        try:
            durations[str(severity)] = fit_duration(done, still)
        except ValueError as exc:
            unfitted[str(severity)] = str(exc)
            notes.append(f"duration of {escape_controls(severity)} not fitted: {exc}")
            continue
        samples[str(severity)] = (np.maximum(done, 1e-3), still)

    recurrence = None
    if "returning" in frame:
        # returns in the period per closure in the period: in steady state the
        # returns still to come balance those from closures before the period
        closures = int((frame["start"].notna() & ~settled & (frame["end"] >= start_day)).sum())
        returns = int((returning & current).sum())
        if closures > 0 and returns <= closures:
            recurrence = _share(returns, closures)
        else:
            notes.append(
                f"share coming back not estimated: {returns:,} returning requests per"
                f" {closures:,} closures in the period (needs at least one closure, and"
                " no more returns than closures)"
            )

    waited = frame["start"].notna() & ~settled & current
    wait = weeks(frame["requested"][waited], frame["start"][waited])
    waits = {
        "taken_in": float(len(wait)),
        "mean_weeks": float(wait.mean()) if len(wait) else math.nan,
        "median_weeks": float(np.median(wait)) if len(wait) else math.nan,
        "p90_weeks": float(np.quantile(wait, 0.9)) if len(wait) else math.nan,
        "share_over_6_weeks": float((wait > 6).mean()) if len(wait) else math.nan,
        "waiting_at_export": float((frame["start"].isna() & frame["end"].isna()).sum()),
        "gave_up": float((frame["start"].isna() & frame["end"].notna() & current).sum()),
    }
    return Calibration(
        source,
        first,
        last,
        residents,
        themes,
        mix,
        settled_share,
        settled_of,
        severities,
        durations,
        recurrence,
        waits,
        samples,
        unfitted,
        tuple(notes),
    )


def _whole_residents(residents: float | None) -> int | None:
    if residents is None:
        return None
    if isinstance(residents, bool) or not isinstance(residents, int | float):
        raise ValueError(f"residents: expected a number, got {type(residents).__name__}")
    if not math.isfinite(residents) or residents < 1 or residents != int(residents):
        raise ValueError(f"residents: expected a whole number of at least 1, not {residents:g}")
    return int(residents)


def _share(k: int, n: int) -> Estimate:
    p = k / n
    return Estimate(p, math.sqrt(p * (1 - p) / n))


def _theme_fit(requested: pd.Series, first: date, last: date, years: float, scale: float):
    n = len(requested)
    rate = Estimate(n / years * scale, math.sqrt(n) / years * scale)
    days = pd.date_range(first, last, freq="D")
    exposure = np.bincount(days.month - 1, minlength=12).astype(float)
    counts = np.bincount(requested.dt.month - 1, minlength=12).astype(float)
    if (exposure == 0).any() or n < 12:
        return ThemeFit(rate, n, None, math.nan)
    expected = n * exposure / exposure.sum()
    p_value = float(stats.chisquare(counts, expected).pvalue)
    if p_value >= 0.05:
        return ThemeFit(rate, n, None, p_value)
    per_day = counts / exposure
    mean = per_day.mean()
    profile = tuple(
        Estimate(r / mean, (r / mean) / math.sqrt(c) if c else math.nan)
        for r, c in zip(per_day, counts, strict=True)
    )
    return ThemeFit(rate, n, profile, p_value)


__all__ = [
    "Calibration",
    "DurationFit",
    "Estimate",
    "ThemeFit",
    "calibrate",
    "fit_duration",
    "kaplan_meier",
    "read_requests",
    "registration",
]
