"""Start-up time of the command line: ``wijksim --version`` and ``--help``.

Measured against a bare ``python -c pass`` in the same run (interleaved, best of
N wall-clock times), so the ratio says what wijksim adds to Python's own start.
A breakdown by module: ``python -X importtime -c "import wijksim.cli"``.

    python benchmarks/bench_startup.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

COMMANDS = {
    "python -c pass (reference)": [sys.executable, "-c", "pass"],
    "wijksim --version": [sys.executable, "-m", "wijksim", "--version"],
    "wijksim --help": [sys.executable, "-m", "wijksim", "--help"],
    "wijksim validate baseline": [
        sys.executable,
        "-m",
        "wijksim",
        "validate",
        "scenarios/baseline.yaml",
    ],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    best = dict.fromkeys(COMMANDS, float("inf"))
    for _ in range(args.repeat):
        for name, command in COMMANDS.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            best[name] = min(best[name], time.perf_counter() - start)
    reference = best["python -c pass (reference)"]
    print(f"{'command':<30} {'best s':>8} {'× python':>9}")
    for name, seconds in best.items():
        print(f"{name:<30} {seconds:8.3f} {seconds / reference:9.1f}")
    heavy = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, wijksim.cli; "
            "print(sorted(m for m in ('pandas', 'scipy', 'simpy', 'numpy', 'matplotlib') "
            "if m in sys.modules))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"heavy packages imported by the command line's start: {heavy}")


if __name__ == "__main__":
    main()
