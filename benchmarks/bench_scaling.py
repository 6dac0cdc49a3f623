"""Cost per request as the wijk grows, and memory as the horizon grows.

    .venv/bin/python benchmarks/bench_scaling.py [--years 3] [--rounds 3]

Size: the baseline scaled to 180,000 and to 1,800,000 residents (10x and
100x: team and starting caseload scaled alike), one run of ``--years`` each,
in this tree and in the reference commit, interleaved, CPU time. Prints the
CPU microseconds per request and the ratio 1.8M/180k (target: at most 1.2).

Memory: the peak memory (``tracemalloc``) of a run of the baseline at 180,000
residents with the weekly series kept and without (``series=False``), over
horizons of 5 and 20 years: without the series it should stay flat.
"""

from __future__ import annotations

import argparse
import os
import tracemalloc

import jobs
import wijksim
from reference import REFERENCE, workers

SIZES = (10.0, 100.0)  # times the baseline's 18,000 residents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reference", default=REFERENCE)
    args = parser.parse_args()
    print(f"reference {args.reference}, load average {os.getloadavg()[0]:.2f}, CPU time")
    print(f"{'residents':>10} {'requests':>9} {'current':>12} {'reference':>12} {'ratio':>6}")
    cost: dict[str, dict[float, float]] = {}
    with workers(args.reference) as pair:
        for factor in SIZES:
            times: dict[str, list[float]] = {w.label: [] for w in pair}
            for i in range(args.rounds):
                for worker in pair if i % 2 == 0 else pair[::-1]:
                    answer = worker.run("per_request", factor, args.years)
                    requests = float(answer["result"])
                    times[worker.label].append(answer["seconds"] / requests)
            us = {label: 1e6 * sorted(t)[len(t) // 2] for label, t in times.items()}
            current, reference = (us[w.label] for w in pair)
            for w in pair:
                cost.setdefault(w.label, {})[factor] = us[w.label]
            print(
                f"{18000 * factor:>10,.0f} {requests:>9,.0f} {current:>9.1f} µs "
                f"{reference:>9.1f} µs {current / reference:>6.2f}"
            )
    for label, by_size in cost.items():
        growth = by_size[SIZES[1]] / by_size[SIZES[0]]
        print(f"{label}: cost per request at 1.8M / at 180k = {growth:.2f}")

    print("\npeak memory of one run at 180,000 residents (tracemalloc)")
    for series in (True, False):
        peaks = []
        for years in (5.0, 20.0):
            scenario = jobs.scaled_baseline(SIZES[0], years)
            tracemalloc.start()
            wijksim.simulate(scenario, seed=1, series=series)
            peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
            tracemalloc.stop()
        label = "with weekly series" if series else "series=False"
        print(
            f"  {label:<20} 5 years {peaks[0]:6.1f} MiB, 20 years {peaks[1]:6.1f} MiB: "
            f"{peaks[1] / peaks[0]:.2f}x"
        )


if __name__ == "__main__":
    main()
