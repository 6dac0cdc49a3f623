"""A realistic replication and scenario loading: this tree against a reference commit.

    .venv/bin/python benchmarks/bench_replication.py [--rounds K] [--reference REV]

Runs, in this tree and in the reference commit (default: main when issue 11
started, see ``reference.REFERENCE``), interleaved and in CPU time:

- one replication of ``scenarios/baseline.yaml`` and of
  ``scenarios/alle-interventies.yaml`` as ``compare`` runs it (seed ``(0, r)``,
  no weekly series kept), for replications 0..K-1;
- loading ``scenarios/alle-interventies.yaml`` (its ``extends`` chain included).

Prints the median CPU time of each, the ratio current/reference (target: at
most 0.5 for a replication, at most 0.5 for loading) and whether the results
are identical, bit for bit.
"""

from __future__ import annotations

import argparse
import os

from reference import REFERENCE, interleaved, workers

SCENARIOS = ("baseline", "alle-interventies")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="replications timed per tree")
    parser.add_argument("--reference", default=REFERENCE, help="git revision to compare with")
    args = parser.parse_args()
    print(f"reference {args.reference}, load average {os.getloadavg()[0]:.2f}, CPU time")
    print(f"{'work':<34} {'current':>9} {'reference':>9} {'ratio':>6}  same results")
    with workers(args.reference) as pair:
        for name in SCENARIOS:
            path = f"scenarios/{name}.yaml"
            pair[0].run("replication", path, 0), pair[1].run("replication", path, 0)  # warm
            rows = [interleaved(pair, 1, "replication", path, r) for r in range(args.rounds)]
            _row(f"replication of {name}", _median(rows))
        loads = 5
        row = interleaved(pair, args.rounds, "load", "scenarios/alle-interventies.yaml", loads)
        _row(
            "load alle-interventies.yaml",
            {**row, "current": row["current"] / loads, "reference": row["reference"] / loads},
        )


def _median(rows: list[dict]) -> dict:
    current = sorted(r["current"] for r in rows)[len(rows) // 2]
    reference = sorted(r["reference"] for r in rows)[len(rows) // 2]
    ratios = sorted(r["ratio"] for r in rows)
    return {
        "current": current,
        "reference": reference,
        "ratio": ratios[len(ratios) // 2],
        "identical": all(r["identical"] for r in rows),
    }


def _row(label: str, row: dict) -> None:
    same = "yes, bit for bit" if row["identical"] else "NO (the model changed?)"
    print(
        f"{label:<34} {1000 * row['current']:>7.1f}ms {1000 * row['reference']:>7.1f}ms "
        f"{row['ratio']:>6.2f}  {same}",
        flush=True,
    )


if __name__ == "__main__":
    main()
