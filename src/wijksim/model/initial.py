"""The caseload and waiting list at time zero.

With counts, cases in care are drawn as a snapshot of a team in steady state:
a case found in care is more likely a long one (length bias), and is found part
way through. Each is drawn by sampling-importance-resampling: a pool of
candidate (theme, severity, duration) triples drawn from the demand, one picked
with weight proportional to duration, and a uniform share of it left to run.
With a registration CSV, each row's elapsed weeks are known and the remaining
duration is drawn conditional on the case having lasted that long.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .requests import IN_CARE, INITIAL, Request, RequestDraws

if TYPE_CHECKING:
    import numpy as np

    from .wijkteam import WijkteamModel

POOL = 32
TRIES = 1000


def initial_requests(model: WijkteamModel, draws: RequestDraws) -> Iterator[Request]:
    """Requests already in care or waiting when the model starts."""
    init = model.scenario.initial_state
    if not (init.caseload or init.waiting_list or init.rows):
        return
    streams = model.streams
    hood = model.scenario.neighbourhood
    demand = [hood.themes[t].requests_per_1000 for t in model.themes]
    pick = streams.rng("initial.pick")
    settled = hood.settled_at_intake
    theme_cdf = _cdf(_normalised(demand))
    severity_of, duration_of = draws.severities, draws.durations

    def candidates() -> tuple[list[tuple[int, int]], list[float]]:
        themes = [bisect.bisect_right(theme_cdf, u) for u in pick.random(POOL).tolist()]
        pool = [(t, severity_of[t]()) for t in themes]
        weights = [1.0 - settled if s == 0 else 1.0 for _, s in pool]
        return pool, weights

    for _ in range(init.caseload):
        pool, weights = candidates()
        durations = [duration_of[t][s]() for t, s in pool]
        chosen = _choose(pick, [w * d for w, d in zip(weights, durations, strict=True)])
        theme, severity = pool[chosen]
        yield _in_care(model, draws, theme, severity, durations[chosen] * pick.random())
    for _ in range(init.waiting_list):
        pool, weights = candidates()
        theme, severity = pool[_choose(pick, weights)]
        yield _waiting(model, draws, theme, severity, 0.0)
    for row in init.rows:
        theme, severity = model.themes.index(row.theme), model.severities.index(row.severity)
        if row.status == "waiting":
            yield _waiting(model, draws, theme, severity, row.weeks)
            continue
        for _ in range(TRIES):
            duration = draws.duration(theme, severity)
            if duration > row.weeks:
                remaining = duration - row.weeks
                break
        else:  # longer than any draw: assume it runs a typical duration more
            remaining = draws.duration(theme, severity)
        yield _in_care(model, draws, theme, severity, remaining, row.weeks)


def _in_care(
    model: WijkteamModel,
    draws: RequestDraws,
    theme: int,
    severity: int,
    remaining: float,
    elapsed: float = 0.0,
) -> Request:
    request = model._new(theme, severity, INITIAL, draws)
    request.arrival = request.intake = model.env.now - elapsed
    request.duration = remaining
    request.status = IN_CARE
    return request


def _waiting(
    model: WijkteamModel, draws: RequestDraws, theme: int, severity: int, waited: float
) -> Request:
    request = model._new(theme, severity, INITIAL, draws)
    request.arrival = model.env.now - waited
    return request


def _normalised(weights: list[float]) -> list[float]:
    total = sum(weights)
    return [w / total for w in weights] if total > 0 else [1 / len(weights)] * len(weights)


def _cdf(p: list[float]) -> list[float]:
    """The cumulative shares ``numpy``'s ``Generator.choice(p=p)`` searches, computed
    the same way (a running sum, divided by its end): the same picks, bit for bit,
    at a fraction of the call's cost."""
    cumulative = list(itertools.accumulate(p))
    end = cumulative[-1]
    return [c / end for c in cumulative]


def _choose(rng: np.random.Generator, weights: list[float]) -> int:
    """An index drawn with probability proportional to ``weights``
    (as ``rng.choice(len(weights), p=...)``)."""
    total = sum(weights)
    if total <= 0:
        return int(rng.integers(len(weights)))
    return bisect.bisect_right(_cdf([w / total for w in weights]), rng.random())
