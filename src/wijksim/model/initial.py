"""The caseload and waiting list at time zero.

With counts, cases in care are drawn as a snapshot of a team in steady state,
from the exact law (no approximation): a case found in care is more likely a
long one (length bias) and is found part way through. Its theme and severity
are picked with probability proportional to their rate of entering care times
their mean duration; its total duration is drawn from the length-biased law
(density ``x f(x) / mean``, :meth:`length_biased` of each distribution) and a
uniform share of it is left to run. The remaining time then follows the
equilibrium residual law ``(1 - F(r)) / mean``. Waiting requests are picked in
proportion to the rate of requests that join the waiting list.

With a registration CSV, each row's elapsed weeks are known and the remaining
duration is drawn conditional on the case having lasted that long.

A team in steady state also has returns on their way: residents whose case
closed before time zero and who will come back (``team.recurrence``). Without
them a run starts with a demand a fifth lower than it settles at, and the
waiting list takes years to recover (the warm-up then has to be years long).
:func:`pending_returns` draws them from the same steady state: cases close at
the rate Little's law gives for the initial caseload (per theme, the cases in
care divided by their mean duration), a share ``probability`` of them comes
back, and the returns still ahead at time zero are a Poisson number with mean
``rate x probability x mean delay``, each at a time drawn from the delay's
equilibrium residual law (a uniform share of a length-biased delay). The past
is the same for every scenario that shares the initial state (common random
numbers), and it is a past without the scenario's provisions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

import numpy as np

from ..scenario.schema import Scenario
from ..scenario.steady import closure_rates, entry_rates, mean_durations
from ..streams import Streams
from .requests import IN_CARE, Request, RequestDraws

#: Makes a request arriving now of (theme, severity), its attributes drawn from
#: the ``initial`` streams (the model's; its ids and its record of cases).
Make = Callable[[int, int], Request]

TRIES = 1000
#: Returns on their way drawn at a time (bounded memory for absurd delays).
RETURNS_CHUNK = 1_000_000


def initial_requests(
    scenario: Scenario, streams: Streams, draws: RequestDraws, make: Make, now: float
) -> Iterator[Request]:
    """Requests already in care or waiting when the model starts (at ``now``),
    made by ``make`` one at a time, as they are taken (``draws``: the streams
    ``make`` draws from)."""
    init = scenario.initial_state
    if not (init.caseload or init.waiting_list or init.rows):
        return
    pick = streams.rng("initial.pick")
    cells, rates = entry_rates(scenario)
    themes, severities = scenario.themes, scenario.severities
    if init.caseload:
        means = mean_durations(scenario, cells)
        chosen = _choose(pick, [r * m for r, m in zip(rates, means, strict=True)], init.caseload)
        totals = np.empty(init.caseload)
        for cell in np.unique(chosen):
            here = chosen == cell
            t, s = cells[cell]
            spec = scenario.duration(themes[t], severities[s])
            totals[here] = spec.length_biased(pick, int(here.sum()))
        lefts = totals * pick.random(init.caseload)
        for cell, left in zip(chosen.tolist(), lefts.tolist(), strict=True):
            theme, severity = cells[cell]
            yield _in_care(make(theme, severity), now, left)
    if init.waiting_list:
        for cell in _choose(pick, rates, init.waiting_list).tolist():
            theme, severity = cells[cell]
            yield _waiting(make(theme, severity), now, 0.0)
    for row in init.rows:
        theme, severity = themes.index(row.theme), severities.index(row.severity)
        if row.status == "waiting":
            yield _waiting(make(theme, severity), now, row.weeks)
            continue
        for _ in range(TRIES):
            duration = draws.duration(theme, severity)
            if duration > row.weeks:
                remaining = duration - row.weeks
                break
        else:  # longer than any draw: assume it runs a typical duration more
            remaining = draws.duration(theme, severity)
        yield _in_care(make(theme, severity), now, remaining, row.weeks)


class ClosedBefore(NamedTuple):
    """A case closed before the run whose resident comes back during it."""

    theme_index: int


def pending_returns(scenario: Scenario, streams: Streams) -> Iterator[tuple[float, ClosedBefore]]:
    """(weeks from now, closed case) of the returns on their way at time zero
    that come within the scenario's horizon, in the order of the themes; none
    without recurrence or an initial caseload, or with
    ``initial_state.pending_returns: false``."""
    recurrence = scenario.team.recurrence
    init = scenario.initial_state
    if recurrence is None or not init.pending_returns or recurrence.probability == 0:
        return
    rates = closure_rates(scenario)
    if not any(rates):
        return
    rng = streams.rng("initial.returns")
    counts = rng.poisson([r * recurrence.probability * recurrence.delay.mean() for r in rates])
    total, ends = int(counts.sum()), np.cumsum(counts)
    # returns after the horizon never come in the run: drawn (the stream stays the
    # same) but not kept, a chunk at a time (a delay of centuries means millions)
    for first in range(0, total, RETURNS_CHUNK):
        n = min(RETURNS_CHUNK, total - first)
        delays = recurrence.delay.length_biased(rng, n) * rng.random(n)
        themes = np.searchsorted(ends, np.arange(first, first + n), side="right")
        kept = delays <= scenario.horizon
        for delay, theme in zip(delays[kept].tolist(), themes[kept].tolist(), strict=True):
            yield delay, ClosedBefore(theme)


def _choose(rng: np.random.Generator, weights: list[float], n: int) -> np.ndarray:
    """``n`` indices drawn with probability proportional to ``weights`` (uniform if all 0)."""
    total = sum(weights)
    p = [w / total for w in weights] if total > 0 else None
    return rng.choice(len(weights), n, p=p)


def _in_care(request: Request, now: float, remaining: float, elapsed: float = 0.0) -> Request:
    request.arrival = request.intake = now - elapsed
    request.duration = remaining
    request.status = IN_CARE
    return request


def _waiting(request: Request, now: float, waited: float) -> Request:
    request.arrival = now - waited
    return request
