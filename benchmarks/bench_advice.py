"""Replications a sequential selection spends, against every portfolio at a
fixed n for the same guarantee; and the chance of a correct selection it reaches.

    .venv/bin/python benchmarks/bench_advice.py [--macro 500] [--alpha 0.05]

Menus with a known answer, on the stand-in of the known-answer tests (normal
outputs, correlation 0.5 between portfolios as common random numbers make
it; the procedures' own code, :mod:`wijksim.analysis.advice.procedures`):

- ``slippage k=5`` / ``k=10``: the best exactly delta better than the rest,
  all equal (the least favourable configuration);
- ``scales k=10``: one provision at ten scales at equal cost whose effect
  grows by delta a step (monotone; the largest is best);
- ``spread k=50``: the best delta better than the next, the others spread far
  below (a large menu with many clearly worse portfolios).

For each menu, over ``--macro`` seeds: the mean replications KN++ and KN spend
(all portfolios together) and the share of correct selections (PCS), against
the **reference** in the same run: every portfolio at one fixed n, the best
sample mean selected, n the smallest for which each paired difference with
the best has a one-sided ``1 - alpha/(k - 1)`` normal interval of half-width
delta *with the variances known* (the fixed design's best case: with
estimated variances it needs more). Prints the ratio spent/reference.
"""

from __future__ import annotations

import argparse
import math
import os
import time

import numpy as np
from scipy.stats import norm

from wijksim.analysis.advice.procedures import Settings, select
from wijksim.analysis.advice.stand_in import NormalSampler

DELTA = 0.5
RHO = 0.5


def menus() -> dict[str, np.ndarray]:
    spread = np.r_[DELTA, 0.0, -np.linspace(2.0, 10.0, 48)]
    return {
        "slippage k=5": np.r_[DELTA, np.zeros(4)],
        "slippage k=10": np.r_[DELTA, np.zeros(9)],
        "scales k=10": DELTA * np.arange(9, -1, -1),
        "spread k=50": spread,
    }


def fixed_n(k: int, alpha: float) -> int:
    """Every portfolio this many times gives the fixed design the guarantee:
    the paired difference with the best (variance 2 (1 - rho)) within delta
    at ``1 - alpha/(k - 1)``, one-sided, variances known."""
    z = norm.ppf(1 - alpha / (k - 1))
    return math.ceil((z / DELTA) ** 2 * 2 * (1 - RHO))


def fixed_selection(means: np.ndarray, n: int, seed: int) -> int:
    sampler = NormalSampler(means, 1.0, rho=RHO, seed=seed)
    sampler.extend(range(len(means)), n)
    return int(np.argmax([sampler.outputs(i)[:, 0].mean() for i in range(len(means))]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--macro", type=int, default=500, help="seeds per menu")
    parser.add_argument("--alpha", type=float, default=0.05)
    args = parser.parse_args()
    print(
        f"load average {os.getloadavg()[0]:.2f}; delta {DELTA}, alpha {args.alpha}, "
        f"correlation {RHO}, {args.macro} seeds a menu; CPU time"
    )
    header = (
        f"{'menu':<15} {'procedure':<10} {'replications':>12} {'reference':>10} "
        f"{'ratio':>6} {'PCS':>6} {'PCS ref':>8} {'s':>6}"
    )
    print(header)
    print("─" * len(header))
    for name, means in menus().items():
        k = len(means)
        n = fixed_n(k, args.alpha)
        reference = k * n
        ref_hits = sum(fixed_selection(means, n, seed) == 0 for seed in range(args.macro))
        for procedure in ("kn++", "kn"):
            start = time.process_time()
            spent, hits = [], 0
            for seed in range(args.macro):
                sampler = NormalSampler(means, 1.0, rho=RHO, seed=seed)
                settings = Settings(
                    delta=DELTA, procedure=procedure, alpha=args.alpha, max_replications=100_000
                )
                chosen = select(sampler, settings)
                spent.append(chosen.spent)
                hits += chosen.selected == 0
            seconds = time.process_time() - start
            mean = float(np.mean(spent))
            print(
                f"{name:<15} {procedure:<10} {mean:>12.1f} {reference:>10d} "
                f"{mean / reference:>6.2f} {hits / args.macro:>6.3f} "
                f"{ref_hits / args.macro:>8.3f} {seconds:>6.1f}"
            )


if __name__ == "__main__":
    main()
