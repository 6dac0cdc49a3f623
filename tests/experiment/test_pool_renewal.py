"""A worker killed by the system (out of memory): its task is redone on a fresh
pool, a bounded number of times; after that the run ends in words with the
finished work kept."""

from __future__ import annotations

import os
import signal
import warnings
from concurrent.futures import BrokenExecutor
from pathlib import Path

import pytest

from wijksim.experiment.executors import RenewablePool, run_all


def _square_or_die(task: tuple[int, str]) -> int:
    """Square ``n``; the task named 3 kills its worker the first time it runs
    (a marker file says whether it ran before), every time if ``always``."""
    n, marker = task
    if n == 3:
        path = Path(marker)
        if not path.exists() or path.read_text() == "always":
            path.write_text(path.read_text() if path.exists() else "once")
            os.kill(os.getpid(), signal.SIGKILL)
    return n * n


def _run(tmp_path: Path, renewals: int, always: bool, results: dict[int, int]) -> list:
    marker = tmp_path / "marker"
    if always:
        marker.write_text("always")

    def keep(task, result):
        assert task[0] not in results, "a task delivered twice"
        results[task[0]] = result

    pool = RenewablePool(2)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            tasks = [(n, str(marker)) for n in range(8)]
            run_all(_square_or_die, tasks, pool, keep, window=2, renewals=renewals)
    finally:
        pool.shutdown()
    return caught


def test_the_killed_task_is_redone_on_fresh_workers(tmp_path):
    results: dict[int, int] = {}
    caught = _run(tmp_path, renewals=2, always=False, results=results)
    assert results == {n: n * n for n in range(8)}
    assert any("run again on fresh workers" in str(w.message) for w in caught)


def test_after_the_renewals_the_run_ends_in_words_with_finished_work_kept(tmp_path):
    results: dict[int, int] = {}
    with pytest.raises(BrokenExecutor, match="finished batches are kept"):
        _run(tmp_path, renewals=1, always=True, results=results)
    # with two tasks in flight, task 3 goes out only once two of tasks 0-2 are in
    assert len({0, 1, 2} & set(results)) >= 2 and 3 not in results
    assert all(results[n] == n * n for n in results)
