"""Where tasks run: in this process, in a process pool, or on any executor.

Any :class:`concurrent.futures.Executor` will do, including the executor of a
dask cluster (``dask.distributed.Client(...).get_executor(pure=False)``). Tasks
go out in a sliding window of a few per worker, so that workers never idle,
memory stays bounded and an interrupted run loses at most the tasks in flight.
"""

from __future__ import annotations

import math
import multiprocessing
import numbers
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    BrokenExecutor,
    Executor,
    Future,
    ProcessPoolExecutor,
    wait,
)
from contextlib import contextmanager
from pathlib import Path
from typing import TypedDict, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Tasks per worker that the default batch size aims for: enough to balance load.
TASKS_PER_WORKER = 8


class SerialExecutor(Executor):
    """Runs each task when it is submitted, in this process (``workers=1``)."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:
            future.set_exception(exc)
        else:
            future.set_result(result)
        return future


def cpu_count() -> int:
    """Cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - not Linux


def process_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """A process pool over ``workers`` processes (default: all cores).

    Workers are forked when that is safe, which starts them at once: on Linux,
    from a process that runs no other thread. Forking a process with threads (a
    notebook kernel, a progress bar's monitor, a dask client) can deadlock, so
    there the ``forkserver`` method is used, whose server imports wijksim once
    for all workers; ``spawn`` elsewhere.
    """
    return ProcessPoolExecutor(
        max_workers=workers or cpu_count(),
        mp_context=multiprocessing.get_context(start_method()),
        initializer=exit_with_parent,
        initargs=(os.getpid(),),
    )


class RenewablePool(Executor):
    """A :func:`process_pool` that :func:`run_all` can replace by a fresh one
    when the system kills a worker (out of memory): a broken pool takes no
    more tasks, so its unfinished tasks are redone on the new one."""

    def __init__(self, workers: int | None = None) -> None:
        self._workers = workers
        self._pool = process_pool(workers)
        self._max_workers = workers or cpu_count()  # read by parallelism()

    def submit(self, fn, /, *args, **kwargs) -> Future:
        return self._pool.submit(fn, *args, **kwargs)

    def renew(self) -> None:
        """Shut the broken pool down (its futures all end) and start a fresh one."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = process_pool(self._workers)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def exit_with_parent(parent: int, every: float = 0.5) -> None:
    """In a worker: end when the process that made the pool is gone (killed by
    SIGKILL or SIGTERM), instead of living on as an orphan.

    On Linux the kernel sends SIGTERM when the worker's parent dies
    (``PR_SET_PDEATHSIG``); a watch thread also checks every ``every`` seconds,
    which covers workers whose parent is a fork server, and other systems.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl
            pass
        if os.getppid() == 1:  # the parent died before the line above
            os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(every)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # pragma: no cover - a new process took the number
                os._exit(1)

    threading.Thread(target=watch, name="wijksim-parent-watch", daemon=True).start()


def start_method() -> str:
    """How :func:`process_pool` starts workers here and now (see there)."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        return "fork"
    if "forkserver" in methods:
        multiprocessing.get_context("forkserver").set_forkserver_preload(
            ["wijksim.experiment.tasks"]
        )
        return "forkserver"
    return "spawn"  # pragma: no cover - Windows


def parallelism(executor: Executor) -> int:
    """How many tasks ``executor`` runs at once, as far as can be told."""
    if isinstance(executor, SerialExecutor):
        return 1
    workers = getattr(executor, "_max_workers", None)
    if isinstance(workers, int) and workers > 0:
        return workers
    client = getattr(executor, "_client", None)  # dask.distributed's ClientExecutor
    if client is not None:
        try:
            return max(1, sum(client.nthreads().values()))
        except Exception:  # pragma: no cover - a client that cannot answer
            pass
    return cpu_count()


#: The most worker processes one machine is given (a cluster comes as an executor).
MOST_WORKERS = 4096


def check_execution(
    executor: object = None, workers: object = None, progress: object = None, out: object = None
) -> None:
    """Refuse, in words, what cannot run replications: an executor is an object
    with ``submit`` (a name such as ``"threads"`` is not one), workers a whole
    number of at least 1, progress a function ``progress(done, total)``, out
    the path of a folder."""
    if out is not None and not isinstance(out, str | os.PathLike):  # else pathlib's TypeError
        raise TypeError(f"out must be the path of a folder (a str or Path), not {out!r:.80}")
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise TypeError(
            "executor must be a concurrent.futures.Executor (an object with submit(), "
            f"e.g. a ProcessPoolExecutor or a dask client's executor), not {executor!r:.80}"
        )
    if workers is not None:
        if isinstance(workers, bool) or not isinstance(workers, numbers.Integral):
            raise TypeError(f"workers must be a whole number (an int), not {workers!r:.80}")
        if not 1 <= int(workers) <= MOST_WORKERS:
            raise ValueError(f"workers must be from 1 to {MOST_WORKERS:,}, not {workers}")
    if progress not in (None, False) and not callable(progress):  # False: no progress
        raise TypeError(f"progress must be a function progress(done, total), not {progress!r:.80}")


@contextmanager
def executor_for(executor: Executor | None, workers: int | None) -> Iterator[Executor]:
    """``executor`` as given, or one made for ``workers`` and shut down afterwards."""
    check_execution(executor, workers)
    if executor is not None:
        yield executor
        return
    own: Executor = SerialExecutor() if workers == 1 else RenewablePool(workers)
    try:
        yield own
    except BaseException:
        own.shutdown(wait=True, cancel_futures=True)
        raise
    else:
        own.shutdown(wait=True)


def default_batch_size(replications: int, scenarios: int, workers: int) -> int:
    """Replications per task: about :data:`TASKS_PER_WORKER` tasks per worker."""
    total = replications * scenarios
    return max(1, min(replications, math.ceil(total / (TASKS_PER_WORKER * workers))))


#: How many times :func:`run_all` starts a fresh pool after a worker was killed.
POOL_RENEWALS = 2


def run_all(
    fn: Callable[[T], R],
    tasks: Iterable[T],
    executor: Executor,
    on_result: Callable[[T, R], None],
    window: int | None = None,
    renewals: int = POOL_RENEWALS,
) -> None:
    """Run ``fn(task)`` for every task on ``executor``; call ``on_result`` here,
    in the order tasks finish.

    At most ``window`` tasks (default: two per worker) are in flight. If a task
    fails, the tasks not yet started are cancelled and its exception is raised;
    results already handed to ``on_result`` are kept. If a worker is killed (by
    the system, e.g. out of memory) and the executor is a :class:`RenewablePool`,
    the unfinished tasks are redone on a fresh pool, at most ``renewals`` times
    (a warning says so); after that, or on any other executor, a
    :class:`~concurrent.futures.BrokenExecutor` in words ends the run with the
    finished work kept.
    """
    window = window or 2 * parallelism(executor)
    pending: dict[Future, T] = {}
    redo: list[T] = []
    queue = iter(tasks)
    exhausted = False
    try:
        while True:
            while redo or (not exhausted and len(pending) < window):
                if redo:
                    again = redo.pop(0)
                    pending[executor.submit(fn, again)] = again
                    continue
                task = next(queue, None)
                if task is None:
                    exhausted = True
                    break
                pending[executor.submit(fn, task)] = task
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken: BrokenExecutor | None = None
            # in order of submission, so that results finishing together keep it
            for future in [f for f in pending if f in done]:
                task = pending.pop(future)
                try:
                    result = future.result()
                except BrokenExecutor as exc:
                    broken = exc
                    redo.append(task)
                    continue
                on_result(task, result)
            if broken is None:
                continue
            if renewals < 1 or not isinstance(executor, RenewablePool):
                raise BrokenExecutor(
                    "a worker process was killed (by the system, e.g. out of memory, "
                    "or by hand); finished batches are kept: run again to resume"
                ) from broken
            renewals -= 1
            warnings.warn(
                "a worker process was killed (by the system, e.g. out of memory, "
                f"or by hand); its {len(redo) + len(pending)} unfinished task(s) "
                "are run again on fresh workers",
                RuntimeWarning,
                stacklevel=2,
            )
            executor.renew()  # every future of the old pool has ended now
            for future, task in pending.items():
                if not future.cancelled() and future.exception() is None:
                    on_result(task, future.result())
                else:
                    redo.append(task)
            pending.clear()
    finally:
        for future in pending:
            future.cancel()


#: ``progress(done, total)``: called as replications finish.
Progress = Callable[[int, int], None]


class Execution(TypedDict, total=False):
    """How replications are run: the same keywords for every experiment function
    (:func:`wijksim.run_experiment`, :func:`wijksim.compare`,
    :func:`wijksim.run_sweep`, warm-up, precision and sensitivity).

    None of them changes a result: the figures are the same, bit for bit,
    whatever the executor, number of workers or batch size.
    """

    #: Any :class:`concurrent.futures.Executor` (e.g. a dask cluster's
    #: ``client.get_executor(pure=False)``); default: a process pool.
    executor: Executor | None
    #: Processes of the default pool (default: all cores; 1 runs here, serially).
    workers: int | None
    #: Replications per task (default: about eight tasks per worker).
    batch_size: int | None
    #: ``progress(done, total)`` as replications finish (a progress bar).
    progress: Progress | None
    #: A folder for results on disk; finished work found there is not run again.
    out: str | Path | None
    #: Run even when the estimated work of one run is absurdly large
    #: (:func:`~wijksim.scenario.size.check_work`; ``--force`` on the command line).
    force: bool
