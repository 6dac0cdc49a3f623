"""The benchmark scripts still run against the engine as it is (no timing is
asserted: only that they run, and that what they compare is the same work)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import REPO


@pytest.mark.parametrize(
    "script",
    [
        ["bench_engine.py", "--arrivals", "3000", "--repeat", "1"],
        ["bench_floor.py", "--arrivals", "3000", "--repeat", "1"],
    ],
)
def test_a_benchmark_runs_and_its_two_sides_agree(script):
    done = subprocess.run(
        [sys.executable, *script],
        cwd=REPO / "benchmarks",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "x simpy" in done.stdout or "ratio wijksim/simpy" in done.stdout
