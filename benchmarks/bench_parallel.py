"""Speed-up of replications over cores, and the overhead of the dask path.

    .venv/bin/python benchmarks/bench_parallel.py [-n 64] [--scenario PATH] [--timeseries]

Runs the same replications serially (``workers=1``), in the default process
pool (cold: the pool's start-up included), in an already started pool (warm),
and on a dask ``LocalCluster`` with as many single-threaded worker processes
(warm; needs ``wijksim[dask]``). Checks that every path gives the same numbers,
bit for bit. Target: a speed-up of at least 1.7 on 2 cores.

Wall-clock times are only meaningful on an otherwise idle machine: the load
average is printed alongside, and the CPU time of the serial run and of the
pool's workers, from which the speed-up on an idle machine can be told.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

import pandas as pd

import wijksim
from wijksim.experiment import process_pool
from wijksim.experiment.executors import cpu_count

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.yaml"


def timed(label: str, times: dict, fn):
    start = time.perf_counter()
    result = fn()
    times[label] = time.perf_counter() - start
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--replications", type=int, default=64)
    parser.add_argument("--scenario", default=str(BASELINE))
    parser.add_argument("--workers", type=int, default=cpu_count())
    parser.add_argument("--timeseries", action="store_true", help="also keep weekly series")
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()

    scenario = wijksim.load_scenario(args.scenario)
    n, w = args.replications, args.workers
    common = {"replications": n, "seed": 0, "timeseries": args.timeseries}
    times: dict[str, float] = {}
    results = {}
    print(f"{scenario.name}: {n} replications, {w} workers, load {os.getloadavg()[0]:.2f}")

    cpu = time.process_time()
    results["serial"] = timed(
        "serial", times, lambda: wijksim.run_experiment(scenario, workers=1, **common)
    )
    serial_cpu = time.process_time() - cpu
    children = children_cpu()
    results["pool (cold)"] = timed(
        "pool (cold)", times, lambda: wijksim.run_experiment(scenario, workers=w, **common)
    )
    pool_cpu = children_cpu() - children
    with process_pool(w) as pool:
        list(pool.map(abs, range(w)))  # start the workers
        results["pool (warm)"] = timed(
            "pool (warm)",
            times,
            lambda: wijksim.run_experiment(scenario, executor=pool, **common),
        )
    if not args.no_dask:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            print("dask.distributed not installed: pip install 'wijksim[dask]'")
        else:
            with (
                LocalCluster(
                    n_workers=w,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=40,
                ) as cluster,
                Client(cluster) as client,
            ):
                executor = client.get_executor(pure=False)
                wijksim.run_experiment(scenario, executor=executor, replications=w, seed=99)
                results["dask (warm)"] = timed(
                    "dask (warm)",
                    times,
                    lambda: wijksim.run_experiment(scenario, executor=executor, **common),
                )

    reference = results["serial"].results
    for experiment in results.values():
        pd.testing.assert_frame_equal(experiment.results, reference, check_exact=True)
    print(f"{'path':<14} {'seconds':>8} {'per run':>9} {'speed-up':>9}")
    for label, seconds in times.items():
        print(
            f"{label:<14} {seconds:>8.2f} {1000 * seconds / n:>7.1f}ms "
            f"{times['serial'] / seconds:>8.2f}x"
        )
    if "dask (warm)" in times:
        overhead = times["dask (warm)"] / times["pool (warm)"] - 1
        print(f"dask overhead against the warm process pool: {overhead:+.0%}")
    print(
        f"CPU time: serial {serial_cpu:.2f} s, the pool's workers {pool_cpu:.2f} s in all: "
        f"on an idle machine the pool's speed-up would be about "
        f"{serial_cpu / (pool_cpu / w):.2f}x (pool overhead {pool_cpu / serial_cpu - 1:+.0%} CPU)"
    )
    print("all paths gave identical results, bit for bit")


def children_cpu() -> float:
    """CPU seconds of finished child processes (the pool's workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
