"""What the engine's figures cost: M/M/10 with and without the bookkeeping.

    .venv/bin/python benchmarks/bench_floor.py [--arrivals N] [--repeat K]

Runs ``bench_engine``'s M/M/10 workload three ways, interleaved, CPU time
(best of ``--repeat``): plain simpy (the reference), wijksim as it is, and
wijksim's engine stripped to what moves requests -- the same requests, draws,
waiting list, caseload ceiling and agenda of timers -- without the figures it
keeps for the summary (counters, time-weighted areas of the waiting list,
care, load, hours and themes, waits, the weekly rows) and without the
branches for what M/M/10 does not use (provisions, disciplines, patience,
escalation, settling at intake, returns, a caller's events). It checks that
both ran the same queue (the same requests, the same waiting list at the
end). The stripped engine is not a model anyone should use; it measures how
much of a request's cost is the bookkeeping, and so how far 3x plain simpy
is out of reach while every figure is kept (the issue asks for full
statistics).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys

import simpy

import wijksim
from bench_engine import TARGET_RATIO, best_of, horizon_weeks, mmc_scenario, run_simpy
from wijksim.model.requests import IN_CARE, NEW, WAITING


class Stripped(wijksim.WijkteamModel):
    """The engine without its figures (FIFO, one pool, no provisions)."""

    def _potential_arrival(self, source):
        t = source.theme
        draws = self._draws
        request = self._new(t, draws.severities[t](), NEW, draws)
        now = self._agenda.now
        if self._queue or not self._take(request, now):
            request.status = WAITING
            self._queue.append(request)
        gap = source.next_gap(now - self.start)
        self._at(now + gap, self._potential_arrival, source)

    def _take(self, request, now):
        weight = self._weight[request.severity_index]
        if self._load + weight > self._capacity:
            return False
        self._load += weight
        request.status = IN_CARE
        request.intake = now
        self._at(now + request.duration, self._close, request)
        return True

    def _close(self, request):
        self._load -= self._weight[request.severity_index]
        queue, now = self._queue, self._agenda.now
        while queue and self._take(queue[0], now):
            queue.popleft()

    def _weekly(self, week):
        self._agenda.week_passed(week)
        self._at(self._agenda.now + 1.0, self._weekly, week + 1)


def run_full(scenario: wijksim.Scenario, seed: int) -> dict:
    summary = wijksim.simulate(scenario, seed).summary()
    return {"requests": int(summary["requests"]), "waiting": int(summary["waiting_list_end"])}


def run_stripped(scenario: wijksim.Scenario, seed: int) -> dict:
    env = simpy.Environment()
    model = Stripped(env, scenario, seed)
    gc.disable()  # as simulate() pauses the collector for the run
    try:
        env.run(until=scenario.horizon)
    finally:
        gc.enable()
    return {"requests": model._next_id, "waiting": len(model._queue)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arrivals", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    scenario = mmc_scenario(args.arrivals)
    horizon = horizon_weeks(args.arrivals)
    (simple, a), (full, b), (bare, c) = best_of(
        args.repeat,
        lambda: run_simpy(horizon, 1),
        lambda: run_full(scenario, 1),
        lambda: run_stripped(scenario, 1),
    )
    if b != c:  # the same requests, and the same waiting list at the end
        sys.exit(f"the stripped engine did not run the same queue: {b} against {c}")
    print(
        f"M/M/10, ~{args.arrivals:,} arrivals, best of {args.repeat}, CPU time, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    rows = (("plain simpy", simple, a), ("wijksim", full, b), ("wijksim without figures", bare, c))
    for label, seconds, result in rows:
        per = seconds / result["requests"] * 1e6
        ratio = simple / a["requests"] / (seconds / result["requests"])
        print(f"{label:<24} {seconds:7.3f} s {per:6.2f} µs a request {ratio:5.2f}x simpy")
    need = simple / a["requests"] / TARGET_RATIO * 1e6
    figures = (full / b["requests"] - bare / c["requests"]) * 1e6
    print(f"{TARGET_RATIO:g}x simpy means {need:.2f} µs a request; the figures cost {figures:.2f}")


if __name__ == "__main__":
    main()
