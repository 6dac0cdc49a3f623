"""Engine throughput: wijksim against a minimal plain-simpy model of the same queue.

Both run an M/M/10 queue (arrivals 9 per week, exponential durations with a
mean of 1 week, FIFO, no abandonment) for about ``--arrivals`` requests. Each is
timed in CPU time (``time.process_time``, best of ``--repeat``, the two models taken
in turn), and each mean wait is
checked against Erlang C. wijksim runs through :func:`wijksim.simulate` with its
full statistics (summary, weekly series, wait histogram); the reference model
keeps only a list of waits.

    python benchmarks/bench_engine.py [--arrivals N] [--repeat K] [--seed S] [--json]
    python benchmarks/bench_engine.py --reference REV [--arrivals N] [--repeat K] [--no-series]

With ``--reference REV`` it times this tree's engine against commit REV's
instead (A/B: each in a worker process of its own, asked in turn, ``--repeat``
rounds, medians of CPU time; see ``reference.py``), on the same M/M/10 run
through ``simulate``, and checks that the summaries are identical bit for bit.

The exit status is 1 when a mean wait is further from Erlang C than the
tolerance (see ``--tolerance``), 0 otherwise. Point ``PYTHONPATH`` at another
source tree (``PYTHONPATH=/tmp/try/src``) to time a modified engine.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import platform
import sys
import time
from collections.abc import Callable

import numpy as np
import simpy

import wijksim
from wijksim.scenario.units import WEEKS_PER_YEAR

SERVERS = 10
ARRIVALS_PER_WEEK = 9.0
MEAN_SERVICE_WEEKS = 1.0
#: Batches for the batch-means standard error of the mean wait.
BATCHES = 20
#: The issue's target: wijksim at least this many times the reference throughput.
TARGET_RATIO = 3.0


def horizon_weeks(arrivals: int) -> float:
    return arrivals / ARRIVALS_PER_WEEK


def mmc_scenario(arrivals: int) -> wijksim.Scenario:
    """The M/M/10 workload as a wijksim scenario: one theme, one severity, 10 slots."""
    return wijksim.Scenario.model_validate(
        {
            "name": "M/M/10 benchmark",
            "horizon": f"{horizon_weeks(arrivals)!r} weeks",
            "neighbourhood": {
                # requests_per_1000 is per 1,000 residents per year
                "residents": 1000,
                "settled_at_intake": 0.0,
                "severity_mix": {"regular": 1.0},
                "duration": {
                    "regular": {"dist": "exponential", "mean": f"{MEAN_SERVICE_WEEKS!r} weeks"}
                },
                "themes": {"hulp": {"requests_per_1000": ARRIVALS_PER_WEEK * WEEKS_PER_YEAR}},
            },
            "team": {
                "fte": SERVERS,
                "caseload_ceiling_per_fte": 1,
                "case_weight": {"regular": 1.0},
                "contact_hours_per_week": {"regular": 1.0},
                "queue": "fifo",
            },
        }
    )


def run_wijksim(scenario: wijksim.Scenario, seed: int, series: bool = True) -> dict:
    # series=False only where the engine knows it (older trees, via PYTHONPATH, do not)
    run = wijksim.simulate(scenario, seed=seed, **({} if series else {"series": False}))
    summary = run.summary()
    return {"requests": int(summary["requests"]), "mean_wait": summary["mean_wait_weeks"]}


def run_simpy(horizon: float, seed: int) -> dict:
    """The same queue as idiomatic simpy: a process per request, a Resource, one draw a call."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    team = simpy.Resource(env, capacity=SERVERS)
    waits: list[float] = []
    arrivals = 0

    def request(env: simpy.Environment):
        arrival = env.now
        with team.request() as req:
            yield req
            waits.append(env.now - arrival)
            yield env.timeout(rng.exponential(MEAN_SERVICE_WEEKS))

    def source(env: simpy.Environment):
        nonlocal arrivals
        while True:
            yield env.timeout(rng.exponential(1.0 / ARRIVALS_PER_WEEK))
            arrivals += 1
            env.process(request(env))

    env.process(source(env))
    env.run(until=horizon)
    mean = sum(waits) / len(waits) if waits else math.nan
    return {"requests": arrivals, "mean_wait": mean, "waits": waits}


def batch_means_se(values: list[float], batches: int = BATCHES) -> float:
    """Standard error of the mean of autocorrelated ``values`` by batch means."""
    size = len(values) // batches
    if size < 2:
        return math.inf
    means = np.asarray(values[: size * batches]).reshape(batches, size).mean(axis=1)
    return float(means.std(ddof=1) / math.sqrt(batches))


def best_of(repeat: int, *works: Callable[[], dict]) -> list[tuple[float, dict]]:
    """The least CPU time of ``repeat`` runs of each of ``works``, taken in turn
    (interleaved: a busy spell on a shared machine hits them alike)."""
    best = [(math.inf, {}) for _ in works]
    for _ in range(repeat):
        for i, work in enumerate(works):
            gc.collect()
            start = time.process_time()
            result = work()
            best[i] = (min(best[i][0], time.process_time() - start), result)
    return best


def measure(
    arrivals: int, repeat: int, seed: int, tolerance: float, sigmas: float, series: bool = True
) -> dict:
    scenario = mmc_scenario(arrivals)
    horizon = horizon_weeks(arrivals)
    expected = wijksim.analytic.mean_wait(SERVERS, ARRIVALS_PER_WEEK, MEAN_SERVICE_WEEKS)
    # same seed every repeat: identical work, so the best time is the least disturbed one
    (t_wijk, wijk), (t_simpy, ref) = best_of(
        repeat, lambda: run_wijksim(scenario, seed, series), lambda: run_simpy(horizon, seed)
    )
    # Both models simulate the same queue, so one standard error (batch means over
    # the reference model's waits) serves for both estimates.
    se = batch_means_se(ref.pop("waits"))
    allowed = max(tolerance, sigmas * se / expected)
    models = {}
    for name, seconds, result in (("wijksim", t_wijk, wijk), ("simpy", t_simpy, ref)):
        error = result["mean_wait"] / expected - 1.0
        models[name] = {
            "seconds": seconds,
            "requests": result["requests"],
            "requests_per_second": result["requests"] / seconds,
            "mean_wait_weeks": result["mean_wait"],
            "relative_error": error,
            "ok": abs(error) <= allowed,
        }
    ratio = models["wijksim"]["requests_per_second"] / models["simpy"]["requests_per_second"]
    return {
        "ok": all(m["ok"] for m in models.values()),
        "workload": {
            "servers": SERVERS,
            "arrivals_per_week": ARRIVALS_PER_WEEK,
            "mean_service_weeks": MEAN_SERVICE_WEEKS,
            "horizon_weeks": horizon,
            "arrivals": arrivals,
            "seed": seed,
            "repeat": repeat,
            "weekly_series": series,
        },
        "erlang_c_mean_wait_weeks": expected,
        "standard_error_relative": se / expected,
        "allowed_relative_error": allowed,
        "models": models,
        "ratio": ratio,
        "target_ratio": TARGET_RATIO,
        "environment": {
            "python": platform.python_version(),
            "simpy": simpy.__version__,
            "numpy": np.__version__,
            "wijksim": wijksim.__file__,
        },
    }


def report(out: dict) -> str:
    w = out["workload"]
    lines = [
        f"M/M/{w['servers']}: {w['arrivals_per_week']:g} arrivals/week, mean service "
        f"{w['mean_service_weeks']:g} week, {w['horizon_weeks']:.0f} weeks "
        f"(~{w['arrivals']:,} arrivals), seed {w['seed']}, best of {w['repeat']}"
        + ("" if w["weekly_series"] else ", wijksim without weekly series"),
        "",
        f"{'model':<9} {'seconds':>8} {'requests':>9} {'req/s':>9} "
        f"{'mean wait':>10} {'Erlang C':>9} {'rel.err':>8}",
    ]
    for name, m in out["models"].items():
        flag = "" if m["ok"] else "  <-- OFF"
        lines.append(
            f"{name:<9} {m['seconds']:>8.3f} {m['requests']:>9,} "
            f"{m['requests_per_second']:>9,.0f} {m['mean_wait_weeks']:>10.4f} "
            f"{out['erlang_c_mean_wait_weeks']:>9.4f} {m['relative_error']:>+8.1%}{flag}"
        )
    verdict = "meets" if out["ratio"] >= out["target_ratio"] else "below"
    lines += [
        "",
        f"ratio wijksim/simpy: {out['ratio']:.2f}x "
        f"({verdict} the target of {out['target_ratio']:g}x)",
        f"allowed error: {out['allowed_relative_error']:.1%} "
        f"(standard error of a run {out['standard_error_relative']:.1%}, batch means)",
    ]
    return "\n".join(lines)


def ab(rev: str, arrivals: int, rounds: int, seed: int, series: bool) -> int:
    """This tree's engine against commit ``rev``'s: the M/M/10 run, interleaved."""
    from reference import interleaved, workers

    with workers(rev) as pair:
        for worker in pair:
            worker.run("mmc", 1000, seed, series)  # warm: imports, first allocations
        row = interleaved(pair, rounds, "mmc", arrivals, seed, series)
    print(
        f"M/M/{SERVERS}, ~{arrivals:,} arrivals, seed {seed}, "
        f"{'with' if series else 'without'} the weekly series, {rounds} rounds: "
        f"this tree {row['current']:.3f} s, {rev} {row['reference']:.3f} s (medians, CPU), "
        f"ratio {row['ratio']:.3f}; "
        + ("identical, bit for bit" if row["identical"] else "RESULTS DIFFER")
    )
    return 0 if row["identical"] else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arrivals", type=int, default=200_000, help="about this many arrivals")
    parser.add_argument("--repeat", type=int, default=3, help="time the best of K runs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--tolerance",
        type=float,
        default=0.05,
        help="relative error always allowed (default 0.05)",
    )
    parser.add_argument(
        "--sigmas",
        type=float,
        default=4.0,
        help="...or this many standard errors of a run, if more (default 4)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--reference", help="time against this git revision instead (A/B)")
    parser.add_argument(
        "--no-series", action="store_true", help="wijksim keeps no weekly series (series=False)"
    )
    args = parser.parse_args(argv)
    if args.arrivals < 1 or args.repeat < 1:
        parser.error("--arrivals and --repeat must be at least 1")

    if args.reference:
        return ab(args.reference, args.arrivals, args.repeat, args.seed, not args.no_series)
    out = measure(
        args.arrivals, args.repeat, args.seed, args.tolerance, args.sigmas, not args.no_series
    )
    print(json.dumps(out, indent=2) if args.json else report(out))
    bad = [name for name, m in out["models"].items() if not m["ok"]]
    if bad:
        sys.stdout.flush()
        print(
            f"\n!!! WARNING: mean wait of {', '.join(bad)} is off Erlang C by more than "
            f"{out['allowed_relative_error']:.1%} !!!",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
