"""Loading and start-up against a reference commit, side by side, in CPU time.

Four figures, each for this tree and for the reference (main before issue 20's
part 4: scenario files parsed by ruamel.yaml's pure-Python parser, pandas
imported with ``wijksim.simulate``):

* ``wijksim validate scenarios/alle-interventies.yaml``, a whole process;
* ``python -c "import wijksim; wijksim.simulate"``, a whole process (what every
  worker of a comparison pays first);
* ``load_scenario("scenarios/alle-interventies.yaml")`` in a warm process (read
  seven files, merge, validate), per load;
* the same load's YAML alone (``read_merged``), per load; for this tree with
  libyaml and with the pure-Python fallback (``WIJKSIM_YAML=python``).

A process's CPU time is the user + system time the operating system charged
it (``RUSAGE_CHILDREN``); the two trees run in turn, the median of ``--rounds``
is kept. Bytecode is written and warmed first in both trees, as in an
installed package. The ratios are current / reference; the targets of issue 20
are printed beside them.

    python benchmarks/bench_loading.py [--rounds 9] [--reference 3a7b911]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

from reference import ROOT, reference_tree

#: main before issue 20's part 4 (loading with libyaml, start-up without pandas).
REFERENCE = "3a7b911"
SCENARIO = "scenarios/alle-interventies.yaml"

IN_PROCESS = """
import json, sys, time
from pathlib import Path
from wijksim.scenario.loading import load_scenario, read_merged
n = int(sys.argv[1])
what = {{"load": lambda: load_scenario({path!r}), "yaml": lambda: read_merged(Path({path!r}))}}
out = {{}}
for name, fn in what.items():
    fn()
    best = []
    for _ in range(5):
        start = time.process_time()
        for _ in range(n):
            fn()
        best.append((time.process_time() - start) / n)
    out[name] = min(best)
print(json.dumps(out))
"""


def _env(root: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(root / "src"), **extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode
    return env


def process_cpu(command: list[str], root: Path, **extra: str) -> float:
    """CPU seconds (user + system) that ``command`` took, run in ``root``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=root, env=_env(root, **extra), check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def in_process(root: Path, n: int, **extra: str) -> dict[str, float]:
    code = IN_PROCESS.format(path=SCENARIO)
    out = subprocess.run(
        [sys.executable, "-c", code, str(n)],
        cwd=root,
        env=_env(root, **extra),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


COMMANDS = {
    "wijksim validate alle-interventies": [sys.executable, "-m", "wijksim", "validate", SCENARIO],
    'python -c "import wijksim; wijksim.simulate"': [
        sys.executable,
        "-c",
        "import wijksim; wijksim.simulate",
    ],
}
TARGETS = {"wijksim validate alle-interventies": 0.35}
TARGETS['python -c "import wijksim; wijksim.simulate"'] = 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--loads", type=int, default=20, help="loads per in-process timing")
    parser.add_argument("--reference", default=REFERENCE)
    args = parser.parse_args()
    with reference_tree(args.reference) as reference:
        trees = {"current": ROOT, "reference": reference}
        for root in trees.values():  # write and warm the bytecode of both trees
            for command in COMMANDS.values():
                process_cpu(command, root)
        print(f"reference {args.reference}; median CPU of {args.rounds} rounds, interleaved")
        print(f"{'':47} {'current':>9} {'reference':>9} {'ratio':>6} {'target':>7}")
        for name, command in COMMANDS.items():
            times: dict[str, list[float]] = {label: [] for label in trees}
            for i in range(args.rounds):
                order = list(trees.items()) if i % 2 == 0 else list(trees.items())[::-1]
                for label, root in order:
                    times[label].append(process_cpu(command, root))
            current, ref = (statistics.median(times[label]) for label in trees)
            print(
                f"{name:47} {current:8.3f}s {ref:8.3f}s {current / ref:6.2f} "
                f"{'≤ ' + str(TARGETS[name]):>7}"
            )
        loads: dict[str, list[dict[str, float]]] = {"current": [], "python": [], "reference": []}
        for _ in range(max(1, args.rounds // 3)):
            loads["current"].append(in_process(ROOT, args.loads))
            loads["python"].append(in_process(ROOT, args.loads, WIJKSIM_YAML="python"))
            loads["reference"].append(in_process(reference, args.loads))
        best = {
            label: {k: min(r[k] for r in runs) for k in runs[0]} for label, runs in loads.items()
        }
        ref = best["reference"]
        for key, title in (("load", "load_scenario (warm process)"), ("yaml", "its YAML")):
            for label in ("current", "python"):
                shown = f"{title}, {'libyaml' if label == 'current' else 'pure-Python'}"
                now = best[label][key]
                print(
                    f"{shown:47} {1000 * now:7.1f}ms {1000 * ref[key]:7.1f}ms {now / ref[key]:6.2f}"
                )


if __name__ == "__main__":
    main()
