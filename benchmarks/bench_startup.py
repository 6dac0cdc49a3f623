"""Start-up time of the command line (``wijksim --version``, ``--help``,
``validate``) and of ``import wijksim; wijksim.simulate``.

Measured against a bare ``python -c pass`` in the same run (interleaved, best of
N wall-clock times), so the ratio says what wijksim adds to Python's own start.
A breakdown by module: ``python -X importtime -c "import wijksim.cli"``. The
same figures against main before issue 20 (A/B, CPU time): ``bench_loading.py``.

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
    "wijksim validate alle-interventies": [
        sys.executable,
        "-m",
        "wijksim",
        "validate",
        "scenarios/alle-interventies.yaml",
    ],
    "import wijksim; wijksim.simulate": [
        sys.executable,
        "-c",
        "import wijksim; wijksim.simulate",
    ],
}
HEAVY = ("pandas", "pyarrow", "scipy", "simpy", "numpy", "matplotlib")


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
    print(f"{'command':<36} {'best s':>8} {'× python':>9}")
    for name, seconds in best.items():
        print(f"{name:<36} {seconds:8.3f} {seconds / reference:9.1f}")
    for what, code in (
        ("the command line's start", "import wijksim.cli"),
        ("wijksim.simulate", "import wijksim; wijksim.simulate"),
    ):
        heavy = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import sys; {code}; print(sorted(m for m in {HEAVY!r} if m in sys.modules))",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        print(f"heavy packages imported by {what}: {heavy}")


if __name__ == "__main__":
    main()
