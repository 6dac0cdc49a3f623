"""The period a registration covers: its first and last day (given, or read
from the file), the rows left out or read as not yet happened at either end,
and a date standing so far apart at an end that it is refused as a likely typo."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from .registration_csv import EARLIEST, LATEST, implausible, row_lines, where

#: A shorter period gives no rate per year: the week's rhythm (no requests at
#: weekends) and a holiday would pass for the rate.
MIN_PERIOD_DAYS = 28
#: Dates at either end of a registration that stand this far (days) from all
#: others, where steady registration would leave no such gap (a chance below
#: :data:`GAP_CHANCE`), are typos or cases from another period.
MIN_GAP_DAYS = 365
GAP_CHANCE = 1e-6


def registration_period(
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
