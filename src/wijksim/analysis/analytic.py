"""Analytic queueing results, to check the engine against theory.

M/M/c: Poisson arrivals at rate ``arrival_rate``, exponential service with
mean ``mean_service``, ``servers`` identical servers, first come first served,
no abandonment. Times in any unit, as long as both rates use the same one.
"""

from __future__ import annotations

import math


def offered_load(arrival_rate: float, mean_service: float) -> float:
    """``a = lambda / mu`` in Erlangs: the mean number of busy servers."""
    return arrival_rate * mean_service


def erlang_c(servers: int, arrival_rate: float, mean_service: float) -> float:
    """P(wait > 0) for an arriving customer of an M/M/c queue (Erlang C).

    Computed through the Erlang B recursion, which is stable for many servers.
    """
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
    a = offered_load(arrival_rate, mean_service)
    if servers <= 0 or a >= servers:
        return math.inf
    return erlang_c(servers, arrival_rate, mean_service) * mean_service / (servers - a)


def wait_quantile(servers: int, arrival_rate: float, mean_service: float, q: float) -> float:
    """The q-quantile of the wait: P(W > t) = C e^{-(c mu - lambda) t}."""
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
