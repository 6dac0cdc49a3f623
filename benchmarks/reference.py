"""Time this tree against a reference commit, side by side, in CPU time.

The reference commit's ``src`` is extracted (``git archive``) into a temporary
folder; each tree runs in a worker process of its own (``PYTHONPATH`` pointing at
its ``src``), and the two are asked in turn to run the same piece of work, so a
busy machine disturbs both alike. Each worker reports the CPU time
(``time.process_time``) the work took in it, and a fingerprint of its result, so
the benchmarks can check that the numbers are unchanged, bit for bit.

Used by ``bench_replication.py``; not a benchmark itself.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: main when issue 11 started: the engine all speed-ups are measured against.
REFERENCE = "644959e"

# The worker: reads one JSON job per line, runs it, answers with CPU seconds and
# a fingerprint of the result. Jobs are functions of ``jobs.py`` next to this
# file, so both trees run the same benchmark code.
WORKER = """
import json, sys, time
sys.path.insert(0, {bench!r})
import jobs
for line in sys.stdin:
    job = json.loads(line)
    fn = getattr(jobs, job["fn"])
    start = time.process_time()
    result = fn(*job["args"])
    seconds = time.process_time() - start
    print(json.dumps({{"seconds": seconds, "result": result}}), flush=True)
"""


@contextmanager
def reference_tree(rev: str = REFERENCE) -> Iterator[Path]:
    """Commit ``rev``'s ``src`` and ``scenarios``, extracted into a temporary folder
    (its root is yielded): each tree reads the scenario files of its own time."""
    with tempfile.TemporaryDirectory(prefix=f"wijksim-{rev}-") as tmp:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", rev, "src", "scenarios"],
            check=True,
            capture_output=True,
        ).stdout
        path = Path(tmp) / "archive.tar"
        path.write_bytes(archive)
        with tarfile.open(path) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp)


class Worker:
    """A Python process importing wijksim from ``root / "src"``, working in ``root``."""

    def __init__(self, label: str, root: Path):
        self.label = label
        env = dict(os.environ, PYTHONPATH=str(root / "src"))
        code = WORKER.format(bench=str(Path(__file__).parent))
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=root,
        )

    def run(self, fn: str, *args) -> dict:
        self.process.stdin.write(json.dumps({"fn": fn, "args": list(args)}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the {self.label} worker died (see its traceback above)")
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


@contextmanager
def workers(rev: str = REFERENCE) -> Iterator[tuple[Worker, Worker]]:
    """Two workers: (this tree, the reference commit)."""
    with reference_tree(rev) as root:
        pair = Worker("current", ROOT), Worker(f"reference {rev}", root)
        try:
            yield pair
        finally:
            for worker in pair:
                worker.close()


def interleaved(pair: tuple[Worker, Worker], rounds: int, fn: str, *args) -> dict:
    """Run ``fn(*args)`` ``rounds`` times in each worker, alternating which goes
    first; the median CPU seconds of each, their ratio and whether the results
    agree."""
    times: dict[str, list[float]] = {w.label: [] for w in pair}
    results: dict[str, object] = {}
    for i in range(rounds):
        for worker in pair if i % 2 == 0 else pair[::-1]:
            answer = worker.run(fn, *args)
            times[worker.label].append(answer["seconds"])
            results[worker.label] = answer["result"]
    current, reference = (statistics.median(times[w.label]) for w in pair)
    return {
        "current": current,
        "reference": reference,
        "ratio": current / reference,
        "identical": results[pair[0].label] == results[pair[1].label],
    }
