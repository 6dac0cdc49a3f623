"""A batch's files on disk: their names, the marker that holds their checksums
and the batch's identity (written last: a batch is finished when it is there),
and why a batch found in the folder is not this run's, or is not a file at all."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import warnings
from collections.abc import Collection
from pathlib import Path
from typing import Any

from ..scenario.problems import escape_controls
from .outputs import OutputError, not_a_file, open_regular

#: The name of a batch's marker, holding its first and last replication.
MARKER_NAME = re.compile(r"^r(\d{5,})-(\d{5,})\.checksums\.json$")
#: Any file of a batch (its parts and its marker).
_PART = re.compile(r"^r\d{5,}-\d{5,}\.\w+\.(csv|json)$")
#: A batch's marker holds a few hundred bytes; a larger one is not read whole.
MARKER_LIMIT = 1 << 20


class DamagedBatch(UserWarning):
    """A stored batch did not match its checksums; it is run again."""


class ForeignBatch(DamagedBatch):
    """A stored batch belongs to another run (another folder, scenario, seed,
    kind of run, version or range of replications) or is a link; it is run again."""


def sha256_of_regular(path: Path) -> str:
    """As :func:`~.manifest.sha256_of`, of a regular file only (see
    :func:`~.outputs.open_regular`)."""
    digest = hashlib.sha256()
    with open_regular(path) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


#: What the manifest says of the batches it holds (see :mod:`.storage`).
BATCH_IDENTITY = (
    "each batch's .checksums.json holds the SHA-256 of its files and its identity: "
    "wijksim version, kind, run (this folder's id), seed, common_random_numbers, key and "
    "scenario (the sha256 of its entry above), first and stop (its replications, stop "
    "excluded); a batch whose identity is not this run's is run again, never used"
)

#: The parts a batch may have, besides its marker.
PARTS = ("parameters", "timeseries", "yearly", "summary")

#: Why a batch is not this run's, per identity field, in the order they are told.
_FOREIGN = {
    "wijksim": "made by another version of wijksim",
    "kind": "made by another kind of run",
    "seed": "made with another seed",
    "common_random_numbers": "made with other seeds per scenario",
    "key": "of another scenario",
    "scenario": "of another version of this scenario",
    "first": "of other replications (moved)",
    "stop": "of other replications (moved)",
    "run": "copied from another result folder",
}


def batch_path(folder: Path, key: str, first: int, stop: int, part: str) -> Path:
    """Where ``part`` of batch ``first``-``stop - 1`` of ``key`` is in ``folder``."""
    suffix = "json" if part == "checksums" else "csv"
    return folder / "batches" / key / f"r{first:05d}-{stop - 1:05d}.{part}.{suffix}"


def foreign(found: Any, expected: dict[str, Any]) -> str | None:
    """Why a batch that says ``found`` of itself is not this run's, whose batch
    says ``expected``, in words; ``None`` when it is."""
    if not isinstance(found, dict):
        return "it does not say which run made it (an older wijksim?)"
    for field, why in _FOREIGN.items():
        if found.get(field) != expected[field]:
            shown = escape_controls(repr(found.get(field)))
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            return f"{why}: its {field} is {shown}"
    if set(found) != set(expected):
        return "it says more of itself than a batch of this run"
    return None


def remove_links(root: Path, keys: Collection[str]) -> list[str]:
    """Links in ``root`` where this run's batch folders and files should be:
    reported and removed (never followed), so that their batches run again
    here; what was removed, in words."""
    damaged: list[str] = []
    found: list[Path] = []
    batches = root / "batches"
    if batches.is_symlink():
        found.append(batches)
    else:
        for key in keys:
            folder = batches / key
            if folder.is_symlink():
                found.append(folder)
            elif folder.is_dir():
                with contextlib.suppress(OSError):  # an unreadable folder: refused later
                    found += [
                        Path(e.path)
                        for e in os.scandir(folder)
                        if _PART.match(e.name) and e.is_symlink()
                    ]
    for link in found:
        where = link.relative_to(root).as_posix()
        damaged.append(f"{where}: a link (not followed)")
        warnings.warn(
            f"{root}: {where} is a link to elsewhere, not part of this run: "
            "removed (not followed); its batches run again",
            ForeignBatch,
            stacklevel=3,
        )
        link.unlink()
    return damaged


def check_batch_files(root: Path, keys: Collection[str]) -> None:
    """Refuse, before any work, anything but a file where this run's batch
    files are read and written (a pipe would block a reader, a device is not
    ours to replace, a folder cannot be), and a batch folder it cannot read."""
    batches = root / "batches"
    for folder in [batches, *(batches / key for key in keys)]:
        try:
            what = not_a_file(os.lstat(folder).st_mode)
            if what != "a folder":
                where = what or "a file"
                raise OutputError(folder, f"{where} where a folder should be (remove it)")
            entries = [] if folder == batches else list(os.scandir(folder))
            for entry in entries:
                what = not_a_file(entry.stat(follow_symlinks=False).st_mode)
                if what is not None and _PART.match(entry.name):
                    raise OutputError(
                        Path(entry.path), f"{what} where a batch file should be (remove it)"
                    )
        except FileNotFoundError:
            if folder == batches:
                return
        except OSError as exc:
            raise OutputError(folder, f"cannot read: {exc.strerror}") from None
