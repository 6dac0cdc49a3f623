"""Result folders that lie, for the storage tests (issue 19, parts 1, 5 and 7).

:func:`make_sources` runs one small comparison into a folder, and the same
comparison into folders of other runs (another seed, another kind of run,
another wijksim version, another folder); :data:`FOREIGN` copies their batches
into a copy of the first, or moves, swaps and links batches within it, as a
careless user would. :func:`make_special` puts a named pipe, a device or a
folder where a file should be. Imported by the tests as
``from helpers.folders import ...``.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import wijksim
from wijksim.experiment import Experiment, SerialExecutor, run_scenarios

from . import SMALL_YAML

#: The two scenarios' batch folders (labels ``test`` and ``krap``).
BASE, ALTERNATIVE = "s000-test", "s001-krap"
REPLICATIONS = 3


@dataclass
class Sources:
    """A finished comparison in ``folder`` and folders of other runs, by name.

    Run as :func:`wijksim.compare` runs its scenarios (kind ``comparison``,
    common random numbers), without its tables of differences: a second is
    spent on those per call, and the batches are the same.
    """

    pair: dict[str, wijksim.Scenario]
    folder: Path
    original: dict[str, Experiment]
    others: dict[str, Path]

    def compare(self, out: Path, kind: str = "comparison", **kwargs) -> dict[str, Experiment]:
        """The scenarios of :attr:`pair` run into ``out``, as the original was run."""
        kwargs = {"replications": REPLICATIONS, "batch_size": 1, "timeseries": False, **kwargs}
        if "executor" not in kwargs:
            kwargs["workers"] = 1
        return run_scenarios(self.pair, out=out, kind=kind, **kwargs)

    def copy(self, out: Path) -> Path:
        """A fresh copy of the original folder at ``out``."""
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(self.folder, out, symlinks=True)
        return out


def same_results(got: dict[str, Experiment], want: dict[str, Experiment]) -> None:
    """Every figure of every replication of every scenario equal, bit for bit."""
    assert list(got) == list(want)
    for label in want:
        pd.testing.assert_frame_equal(got[label].results, want[label].results, check_exact=True)
        pd.testing.assert_frame_equal(
            got[label].parameters, want[label].parameters, check_exact=True
        )


def make_sources(root: Path) -> Sources:
    """The original comparison (seed 0) and the runs whose batches are foreign to it."""
    small = wijksim.load_scenario(_write(root / "s.yaml", SMALL_YAML))
    # one FTE: a waiting list, so that swapping the two scenarios changes the relief
    tight = small.with_overrides({"team.fte": 1, "name": "krap"})
    sources = Sources({"test": small, "krap": tight}, root / "original", {}, {})
    sources.original = sources.compare(sources.folder)
    values = [e.results["value"].to_numpy() for e in sources.original.values()]
    assert (values[0] != values[1]).any(), "the two scenarios must differ"
    for name, kwargs in (
        ("other seed", {"seed": 1}),
        ("other folder", {}),
        ("other kind", {"kind": "sweep"}),
    ):
        sources.others[name] = root / name.replace(" ", "-")
        sources.compare(sources.others[name], **kwargs)
    sources.others["other version"] = root / "other-version"
    from wijksim import _version

    real = _version.installed_version
    _version.installed_version = lambda: "0.0.1+another"  # type: ignore[assignment]
    try:
        sources.compare(sources.others["other version"])
    finally:
        _version.installed_version = real  # type: ignore[assignment]
    return sources


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


# -- foreign batches -------------------------------------------------------------------

#: ``damage(out, sources, scratch, batch)``: ``batch`` picks the replication
#: (0 to REPLICATIONS - 1) where it matters; ``scratch`` is a folder outside ``out``.
Damage = Callable[[Path, Sources, Path, int], None]


def _files(out: Path, key: str, r: int) -> list[Path]:
    return sorted((out / "batches" / key).glob(f"r{r:05d}-{r:05d}.*"))


def swap(out: Path, sources: Sources, scratch: Path, r: int) -> None:
    """The two scenarios' batch folders swapped (the sign of every relief flips)."""
    batches = out / "batches"
    (batches / BASE).rename(batches / "swapping")
    (batches / ALTERNATIVE).rename(batches / BASE)
    (batches / "swapping").rename(batches / ALTERNATIVE)


def copied_from(name: str) -> Damage:
    """One batch of the alternative replaced by that of the run ``name``."""

    def damage(out: Path, sources: Sources, scratch: Path, r: int) -> None:
        for path in _files(out, ALTERNATIVE, r):
            path.unlink()
        for path in _files(sources.others[name], ALTERNATIVE, r):
            shutil.copy2(path, out / "batches" / ALTERNATIVE / path.name)

    damage.__name__ = f"from {name}"
    return damage


def moved(out: Path, sources: Sources, scratch: Path, r: int) -> None:
    """A batch renamed to the next replication's (which is removed)."""
    stop = (r + 1) % REPLICATIONS
    for path in _files(out, ALTERNATIVE, stop):
        path.unlink()
    for path in _files(out, ALTERNATIVE, r):
        path.rename(
            path.with_name(path.name.replace(f"r{r:05d}-{r:05d}", f"r{stop:05d}-{stop:05d}"))
        )


def linked_file(out: Path, sources: Sources, scratch: Path, r: int) -> None:
    """A batch file made a link to a copy outside the folder (same bytes)."""
    path = out / "batches" / ALTERNATIVE / f"r{r:05d}-{r:05d}.summary.csv"
    if path.is_symlink() or not path.is_file():  # moved away, or linked already
        return
    target = scratch / f"linked-{r}.csv"
    shutil.copy2(path, target)
    path.unlink()
    path.symlink_to(target)


def linked_folder(out: Path, sources: Sources, scratch: Path, r: int) -> None:
    """The alternative's batch folder moved outside and linked back."""
    folder = out / "batches" / ALTERNATIVE
    if folder.is_symlink():
        return
    target = scratch / "linked-folder"
    shutil.rmtree(target, ignore_errors=True)
    shutil.move(folder, target)
    folder.symlink_to(target, target_is_directory=True)


def linked_batches(out: Path, sources: Sources, scratch: Path, r: int) -> None:
    """The whole ``batches`` folder moved outside and linked back."""
    folder = out / "batches"
    if folder.is_symlink():
        return
    target = scratch / "linked-batches"
    shutil.rmtree(target, ignore_errors=True)
    shutil.move(folder, target)
    folder.symlink_to(target, target_is_directory=True)


FOREIGN: dict[str, Damage] = {
    "swapped scenarios": swap,
    "other seed": copied_from("other seed"),
    "other kind": copied_from("other kind"),
    "other version": copied_from("other version"),
    "other folder": copied_from("other folder"),
    "moved": moved,
    "linked file": linked_file,
    "linked folder": linked_folder,
    "linked batches": linked_batches,
}


def outside(scratch: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``scratch`` with its mode and bytes (to see that none changed)."""
    return {
        str(p): (p.lstat().st_mode, p.read_bytes() if p.is_file() else b"")
        for p in sorted(scratch.rglob("*"))
    }


# -- special files ---------------------------------------------------------------------

SPECIAL_KINDS = ("fifo", "device", "folder")


def can_make(kind: str) -> bool:
    """A device node needs root (CAP_MKNOD); a pipe needs mkfifo."""
    if kind == "device":
        return hasattr(os, "mknod") and os.geteuid() == 0
    return kind != "fifo" or hasattr(os, "mkfifo")


def make_special(path: Path, kind: str) -> None:
    """A named pipe, a device (a copy of /dev/null's node) or a folder at ``path``."""
    if path.is_symlink() or path.exists():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    else:
        path.mkdir()
        (path / "inside.txt").write_text("a user's file\n")


def remove_special(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def is_kind(path: Path, kind: str) -> bool:
    mode = path.lstat().st_mode
    return {"fifo": stat.S_ISFIFO, "device": stat.S_ISCHR, "folder": stat.S_ISDIR}[kind](mode)


# -- running --------------------------------------------------------------------------


class Counting(SerialExecutor):
    """A serial executor that keeps the tasks it was given."""

    def __init__(self) -> None:
        self.ran: list = []

    def submit(self, fn, /, *args, **kwargs):
        self.ran.append(args[0])
        return super().submit(fn, *args, **kwargs)


class Hung(Exception):
    pass


@contextmanager
def no_hang(seconds: int = 30) -> Iterator[None]:
    """Raise :class:`Hung` if the block takes longer than ``seconds`` (a read of
    a named pipe blocks for ever; SIGALRM interrupts it)."""

    def stop(signum, frame):
        raise Hung(f"still running after {seconds} s: hung")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
