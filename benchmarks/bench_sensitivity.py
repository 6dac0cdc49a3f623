"""Many runs: a Sobol analysis of 8 parameters of alle-interventies, with a progress bar.

    .venv/bin/python benchmarks/bench_sensitivity.py [--samples 128] [--workers 2]
        [--scaling-samples 16]

Runs ``samples * (8 + 2)`` points of ``scenarios/alle-interventies.yaml`` (one
replication each; 1,280 runs at the default) through
:func:`wijksim.analysis.sensitivity.sobol` on ``--workers`` processes, and
prints the wall time, runs per second and the largest total indices. Then it
measures the scaling from 1 to 2 workers on a smaller design
(``--scaling-samples``), wall-clock, with the load average: on a shared machine
the scaling shows what the machine gave, not what the code can do.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import tqdm as tqdm_module
from tqdm import tqdm

from wijksim.analysis.sensitivity import sobol

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "alle-interventies.yaml"
RANGES = {
    "team.fte": (8.0, 12.0),
    "team.caseload_ceiling_per_fte": (20.0, 30.0),
    "neighbourhood.settled_at_intake": (0.15, 0.35),
    "neighbourhood.themes.debts.requests_per_1000": (5.0, 7.5),
    "team.recurrence.probability": (0.1, 0.3),
    "team.escalation.hazard_per_week": (0.0, 0.02),
    "interventions.2.diversion_share": (0.15, 0.45),
    "interventions.4.handover_share": (0.2, 0.6),
}


def cpu() -> float:
    """CPU seconds of this process and of its finished children (the pool's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(samples: int, workers: int, label: str) -> tuple[float, float, int, object]:
    """Wall and CPU seconds, runs and the indices of one Sobol analysis, with a bar."""
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=label, unit="run", file=sys.stderr, leave=False)
        bar.update(done - bar.n)

    start, cpu_start = time.perf_counter(), cpu()
    indices = sobol(SCENARIO, RANGES, samples=samples, workers=workers, progress=progress)
    seconds, cpu_seconds = time.perf_counter() - start, cpu() - cpu_start
    if bar is not None:
        bar.close()
    return seconds, cpu_seconds, samples * (len(RANGES) + 2), indices


def main() -> None:
    # no monitor thread: with a thread running, the pool's workers would come from
    # a fork server, whose start-up the timings would include and whose children's
    # CPU time this process cannot see
    tqdm_module.tqdm.monitor_interval = 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=128, help="Saltelli base samples")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scaling-samples", type=int, default=16)
    parser.add_argument("--only-scaling", action="store_true", help="skip the large analysis")
    args = parser.parse_args()

    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if not args.only_scaling:
        large(args.samples, args.workers)
    scaling(args.scaling_samples)


def large(samples: int, workers: int) -> None:
    seconds, cpu_seconds, runs, indices = run(samples, workers, "sobol")
    print(
        f"Sobol, {len(RANGES)} parameters, {runs} runs of alle-interventies on "
        f"{workers} workers: {seconds:.1f} s wall, {runs / seconds:.1f} runs/s "
        f"({cpu_seconds:.1f} CPU s in all: {runs / cpu_seconds:.1f} runs per CPU second)"
    )
    top = indices[indices["metric"] == "mean_wait_weeks"].nlargest(3, "ST")
    for row in top.itertuples():
        print(f"  mean wait, total index {row.ST:.2f} ± {row.ST_conf:.2f}: {row.parameter}")


def scaling(samples: int) -> None:
    load = os.getloadavg()[0]
    one, one_cpu, small, _ = run(samples, 1, "1 worker")
    two, two_cpu, _, _ = run(samples, 2, "2 workers")
    print(
        f"scaling on {small} runs: 1 worker {small / one:.1f} runs/s, 2 workers "
        f"{small / two:.1f} runs/s: {one / two:.2f}x wall-clock (load average {load:.2f} -> "
        f"{os.getloadavg()[0]:.2f}; above ~0 the machine is shared and this is what it gave)"
    )
    print(
        f"CPU time: 1 worker {one_cpu:.1f} s, 2 workers {two_cpu:.1f} s in all (pool start-up "
        f"included): on an idle machine about {2 * one_cpu / two_cpu:.2f}x"
    )


if __name__ == "__main__":
    main()
