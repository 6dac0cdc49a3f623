"""The same results as a reference commit, bit for bit: every shipped scenario.

    .venv/bin/python benchmarks/fingerprint.py [--reference REV] [--quick]

Runs, in this tree and in the reference commit (``git archive`` of its ``src``
and ``scenarios``), every scenario in ``scenarios/`` and the M/M/10 run of
``bench_engine.py`` at seeds 0 and 7, with and without the weekly series,
recording every case, and compares a digest of every figure (summary, weekly
series, cases, intervention figures and their weekly series, yearly rows:
``jobs.fingerprint``). Exit status 1 when any differs. ``--quick``: seed 0 with
the series only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reference import workers

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", default="3a7b911", help="git revision to compare with")
    parser.add_argument("--quick", action="store_true", help="seed 0 with the series only")
    args = parser.parse_args()
    paths = [f"scenarios/{p.name}" for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
    cases = [(p, s, series) for p in [*paths, "mmc"] for s in (0, 7) for series in (True, False)]
    if args.quick:
        cases = [c for c in cases if c[1] == 0 and c[2]]
    differ = 0
    with workers(args.reference) as (current, reference):
        for path, seed, series in cases:
            a = current.run("fingerprint", path, seed, series)["result"]
            b = reference.run("fingerprint", path, seed, series)["result"]
            same = a == b
            differ += not same
            label = f"{path} seed {seed}" + ("" if series else " series=False")
            print(f"{'same' if same else 'DIFFERENT':<9} {label}", flush=True)
    print(f"{len(cases) - differ} of {len(cases)} identical, bit for bit ({args.reference})")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
