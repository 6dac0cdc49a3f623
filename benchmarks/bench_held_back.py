"""Timers held back out of the agenda's heap (``model.scheduling.Agenda``): on or off.

    .venv/bin/python benchmarks/bench_held_back.py [--years 3] [--rounds 3]

Runs the baseline at 1x, 10x and 100x its residents (``jobs.scaled_baseline``)
with timers held back always, above the engine's threshold (2,048 entries in
the agenda's heap; what the engine does) and never, interleaved in one process, CPU
time; prints microseconds per request (best of ``--rounds``) and the cost per
request at 1.8M / 180k residents for each. Results are the same bit for bit in
all three (the order of events does not change).
"""

from __future__ import annotations

import argparse
import os
import time

import jobs
import wijksim
from wijksim.model import core, scheduling

SETTINGS = {"always": 0, "above 2,048": 2048, "never": 10**12}


def with_threshold(hold_above: int) -> type[scheduling.Agenda]:
    class Held(scheduling.Agenda):
        __slots__ = ()

        def __init__(self, env):
            super().__init__(env, hold_above)

    return Held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}, CPU time, µs a request (best of {args.rounds})")
    kinds = {label: with_threshold(h) for label, h in SETTINGS.items()}
    scenarios = {f: jobs.scaled_baseline(f, args.years) for f in (1.0, 10.0, 100.0)}
    best: dict[tuple[float, str], float] = {}
    original = core.Agenda
    try:
        for _ in range(args.rounds):
            for factor, scenario in scenarios.items():
                for label, kind in kinds.items():
                    core.Agenda = kind
                    start = time.process_time()
                    run = wijksim.simulate(scenario, seed=1, series=False)
                    per = (time.process_time() - start) / run.summary()["requests"] * 1e6
                    best[factor, label] = min(per, best.get((factor, label), float("inf")))
    finally:
        core.Agenda = original
    print(f"{'residents':>10} " + " ".join(f"{label:>12}" for label in kinds))
    for factor in scenarios:
        cells = " ".join(f"{best[factor, label]:>12.2f}" for label in kinds)
        print(f"{18000 * factor:>10,.0f} {cells}")
    growth = " ".join(f"{best[100.0, label] / best[10.0, label]:>12.2f}" for label in kinds)
    print(f"{'1.8M/180k':>10} {growth}")


if __name__ == "__main__":
    main()
