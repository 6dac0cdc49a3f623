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
what is wrong``), the period and its dates in :func:`calibrate`, how much a
fit needs in :func:`fit_duration` and :data:`MIN_PERIOD_DAYS`, and writing
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
from .calibration_fits import (
    DurationFit,
    Estimate,
    Fitted,
    ThemeFit,
    fit_duration,
    kaplan_meier,
)
from .registration_csv import (
    EARLIEST,
    FRAME,
    LATEST,
    check_requests,
    implausible,
    name_problem,
    read_requests,
    row_lines,
    where,
)

#: A shorter period gives no rate per year: the week's rhythm (no requests at
#: weekends) and a holiday would pass for the rate.
MIN_PERIOD_DAYS = 28
#: More themes than this and the theme column is not a theme column.
MAX_THEMES = 100
#: Dates at either end of a registration that stand this far (days) from all
#: others, where steady registration would leave no such gap (a chance below
#: :data:`GAP_CHANCE`), are typos or cases from another period.
MIN_GAP_DAYS = 365
GAP_CHANCE = 1e-6
DEFAULT_NAME = "Mijn wijk (gekalibreerd)"

#: The words of :meth:`Calibration.plot_durations` (the analysis layer cannot
#: use the report's tables: they sit above it).
_PLOT_WORDS = {
    "nl": {
        "registered": "registratie",
        "fitted": "{dist} (laagste AIC)",
        "title": "{severity}: {closed} gesloten, {open} open",
        "weeks": "weken",
        "in_care": "aandeel nog in zorg",
    },
    "en": {
        "registered": "registration",
        "fitted": "{dist} (lowest AIC)",
        "title": "{severity}: {closed} closed, {open} open",
        "weeks": "weeks",
        "in_care": "share still in care",
    },
}


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
        import matplotlib.pyplot as plt

        if lang not in _PLOT_WORDS:
            raise ValueError(f"language must be 'nl' or 'en', not {lang!r}")
        words = _PLOT_WORDS[lang]
        n = len(self.durations)
        if not n:
            raise ValueError("no duration was fitted: nothing to plot")
        fig, axes = plt.subplots(1, n, figsize=(4.2 * n, 3.4), squeeze=False, sharey=True)
        for ax, (severity, fit) in zip(axes[0], self.durations.items(), strict=True):
            closed, still_open = self._samples[severity]
            weeks, share = kaplan_meier(closed, still_open)
            ax.step(weeks, share, where="post", color="black", lw=1.2, label=words["registered"])
            grid = np.linspace(0, weeks.max(), 200)
            ax.plot(
                grid,
                fit.survival(grid),
                color="tab:orange",
                lw=2,
                label=words["fitted"].format(dist=fit.dist),
            )
            title = words["title"].format(severity=severity, closed=fit.closed, open=fit.open)
            ax.set(title=title.replace("$", r"\$"), xlabel=words["weeks"])  # no mathtext
            ax.spines[["top", "right"]].set_visible(False)
        axes[0][0].set_ylabel(words["in_care"])
        axes[0][0].legend(frameon=False)
        fig.tight_layout()
        if path is not None:  # atomically, only over a regular file or a new path
            from .calibration_file import write_figure

            write_figure(fig, Path(path))
        return fig

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
    frame, first, last, notes = _period(frame, source, since, until)
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


# -- the period ----------------------------------------------------------------------


def _period(
    frame: pd.DataFrame, source: str, since: date | None, until: date | None
) -> tuple[pd.DataFrame, date, date, list[str]]:
    """The rows of the period ``since`` to ``until`` (by default the file's first
    request and last date), its first and last day, and notes on what was left
    out; a date standing far apart at an end is refused as a likely typo."""
    for name, day in (("since", since), ("until", until)):
        if day is not None and not isinstance(day, date):
            raise ValueError(f"{name}: expected a date, got {type(day).__name__}")
        if day is not None and not EARLIEST <= day <= LATEST:
            raise ValueError(implausible(name, day))
    if since is not None and until is not None and since > until:
        raise ValueError(f"since ({since}) is after until ({until}): the period is empty")
    notes: list[str] = []
    frame = frame.copy()
    if until is not None:
        cut = pd.Timestamp(until)
        late = frame["requested"] > cut
        lines = row_lines(frame)
        if late.any():
            notes.append(
                f"{_rows(lines[late])} requested after until ({until}) left out{_at(lines[late])}"
            )
        frame = frame[~late].copy()
        moved = []
        for name in ("start", "end"):
            after = frame[name] > cut
            if after.any():
                frame.loc[after, name] = pd.NaT
                moved.append(f"{int(after.sum()):,} {name}s")
        if moved:
            notes.append(
                f"{' and '.join(moved)} after until ({until}) read as not yet happened"
                " (open or waiting at until)"
            )
    if frame.empty:
        raise ValueError(f"{source}: no requests on or before until ({until})")
    if since is None:
        _refuse_isolated(frame, source, ("requested",), earliest=True)
    if until is None:
        _refuse_isolated(frame, source, ("requested", "start", "end"), earliest=False)
    first = since or frame["requested"].min().date()
    last = until or max(frame[c].max() for c in ("requested", "start", "end")).date()
    if since is not None:
        start_day = pd.Timestamp(since)
        over = frame["end"] < start_day
        if over.any():
            notes.append(f"{_rows(over[over])} closed before since ({since}) left out")
        frame = frame[~over]
        carried = frame["requested"] < start_day
        if carried.any():
            notes.append(
                f"{_rows(carried[carried])} requested before since ({since}): cases carried"
                " over, counted for closures, not for arrivals, waits or durations"
            )
    if last < first:
        raise ValueError(f"{source}: since ({since}) is after the last date in the file ({last})")
    days = (last - first).days + 1
    if days < MIN_PERIOD_DAYS:
        raise ValueError(
            f"{source}: the period from {first} to {last} is {days} day{'s' * (days != 1)};"
            f" a rate per year needs at least {MIN_PERIOD_DAYS} days of registration"
        )
    return frame, first, last, notes


def _rows(rows: pd.Series) -> str:
    return f"{len(rows):,} row{'s' * (len(rows) != 1)}"


def _at(lines: pd.Series, shown: int = 5) -> str:
    listed = ", ".join(str(int(x)) for x in lines.iloc[:shown])
    more = f" and {len(lines) - shown:,} more" if len(lines) > shown else ""
    return f" (line{'s' * (len(lines) != 1)} {listed}{more})"


def _refuse_isolated(
    frame: pd.DataFrame, source: str, columns: tuple[str, ...], *, earliest: bool
) -> None:
    """Refuse dates at one end of ``columns`` that stand far apart from all others."""
    lines = row_lines(frame)
    parts = [
        (
            frame[c].dropna().to_numpy().astype("datetime64[D]").astype(np.int64),
            c,
            lines[frame[c].notna()],
        )
        for c in columns
    ]
    days = np.concatenate([p[0] for p in parts])
    names = np.concatenate([np.full(len(p[0]), p[1]) for p in parts])
    at = np.concatenate([p[2].to_numpy() for p in parts])
    order = np.argsort(days if earliest else -days, kind="stable")
    days, names, at = days[order], names[order], at[order]
    k = isolated(days if earliest else -days)
    if not k:
        return
    day, rest = (np.datetime64(int(d), "D") for d in (days[0], days[k]))
    gap = abs(int(days[k] - days[0]))
    if earliest:
        what, bound = f"before the rest of the registration (which starts {rest})", "--since"
    else:
        what, bound = f"after the rest of the registration (which ends {rest})", "--until"
    more = f" (and {k - 1:,} more: lines {', '.join(str(x) for x in at[1:6])})" if k > 1 else ""
    raise ValueError(
        f"{where(source, int(at[0]))}: {names[0]}: {day} is {gap:,} days {what}{more}:"
        f" a typo? Correct it, or set the period with {bound}"
    )


def isolated(days: np.ndarray) -> int:
    """How many of the first of ``days`` (sorted, in days) stand so far apart
    from the rest that steady registration would not leave such a gap: at least
    :data:`MIN_GAP_DAYS`, and a chance below :data:`GAP_CHANCE` that the other
    dates, spread evenly over the period, would all miss it. At most a tenth of
    the dates stand apart; 0 when none does."""
    m = len(days)
    if m < 2:
        return 0
    head = np.diff(days[: max(1, m // 10) + 1])
    total = float(days[-1] - days[0])
    for k in np.flatnonzero(head >= MIN_GAP_DAYS) + 1:
        empty = 1.0 - float(head[k - 1]) / total
        ways = math.lgamma(m + 1) - math.lgamma(k + 1) - math.lgamma(m - k + 1)
        chance = ways + (m - k) * math.log(empty) if empty > 0 else -math.inf
        if chance < math.log(GAP_CHANCE):
            return int(k)
    return 0


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


# -- a registration export of a model run ------------------------------------------


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
