"""Analytic queueing results, to check the engine against theory.

M/M/c: Poisson arrivals at rate ``arrival_rate``, exponential service with
mean ``mean_service``, ``servers`` identical servers, first come first served,
no abandonment. Times in any unit, as long as both rates use the same one.
"""

from __future__ import annotations

import math
import numbers

#: The most servers the Erlang recursion takes (one step per server).
MOST_SERVERS = 10_000_000


def _checked(servers: int, arrival_rate: float, mean_service: float) -> None:
    """A ``TypeError``/``ValueError`` in words for what no queue has: servers
    that are not a whole number of at least 0 (or more than the recursion
    takes), rates and times that are not finite numbers of at least 0."""
    if isinstance(servers, bool) or not isinstance(servers, numbers.Integral):
        raise TypeError(f"servers is a whole number, not {servers!r:.80}")
    if not 0 <= servers <= MOST_SERVERS:
        raise ValueError(f"servers is a whole number from 0 to {MOST_SERVERS:,}, not {servers}")
    for name, value in (("arrival_rate", arrival_rate), ("mean_service", mean_service)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} is a number, not {value!r:.80}")
        if not 0 <= value < math.inf:
            raise ValueError(f"{name} is a finite number of at least 0, not {value!r}")


def offered_load(arrival_rate: float, mean_service: float) -> float:
    """``a = lambda / mu`` in Erlangs: the mean number of busy servers."""
    return arrival_rate * mean_service


def erlang_c(servers: int, arrival_rate: float, mean_service: float) -> float:
    """P(wait > 0) for an arriving customer of an M/M/c queue (Erlang C).

    Computed through the Erlang B recursion, which is stable for many servers.
    """
    _checked(servers, arrival_rate, mean_service)
    a = offered_load(arrival_rate, mean_service)
    if servers <= 0 or a >= servers:
        return 1.0
    blocking = 1.0  # Erlang B with 0 servers
    for k in range(1, servers + 1):
        blocking = a * blocking / (k + a * blocking)
    rho = a / servers
    return blocking / (1.0 - rho + rho * blocking)


def mean_wait(servers: int, arrival_rate: float, mean_service: float) -> float:
    """Mean time in queue, ``W_q = C(c, a) / (c mu - lambda)``; inf when unstable."""
    _checked(servers, arrival_rate, mean_service)
    a = offered_load(arrival_rate, mean_service)
    if servers <= 0 or a >= servers:
        return math.inf
    return erlang_c(servers, arrival_rate, mean_service) * mean_service / (servers - a)


def wait_quantile(servers: int, arrival_rate: float, mean_service: float, q: float) -> float:
    """The q-quantile of the wait: P(W > t) = C e^{-(c mu - lambda) t}."""
    if isinstance(q, bool) or not isinstance(q, numbers.Real) or not 0 < q < 1:
        raise ValueError(f"q is a probability between 0 and 1, not {q!r:.80}")
    c_wait = erlang_c(servers, arrival_rate, mean_service)
    if q <= 1.0 - c_wait:
        return 0.0
    decay = (servers - offered_load(arrival_rate, mean_service)) / mean_service
    return math.log(c_wait / (1.0 - q)) / decay


def mean_queue_length(servers: int, arrival_rate: float, mean_service: float) -> float:
    """Mean number waiting, by Little's law: ``L_q = lambda W_q``."""
    return littles_law(
        arrival_rate=arrival_rate, time=mean_wait(servers, arrival_rate, mean_service)
    )


def littles_law(*, arrival_rate: float, time: float) -> float:
    """``L = lambda W``: the mean number in a system from its throughput and time in it."""
    return arrival_rate * time
