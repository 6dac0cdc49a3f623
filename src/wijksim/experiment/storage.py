"""Results on disk, written so that an interrupted experiment can resume.

Layout of an output folder::

    manifest.json                 what was run: scenarios, seeds, wijksim version
    scenarios/<key>.yaml          each scenario as resolved (extends and --set applied)
    batches/<key>/r00000-00004.*  one set of files per finished task
    summary.csv, statistics.csv,  the combined results, written at the end
    timeseries.csv, ...           (and .parquet copies when pyarrow is installed)

Every file is written to a temporary name and then renamed, so a reader (or a
resumed run) never sees half a file, and only to a regular file or a new path,
never through a link (:mod:`wijksim.experiment.outputs`). A task's
``.checksums.json`` is written last: it holds the SHA-256 of each of the task's
files and the batch's identity, and its presence means the task is finished.

A batch is bound to the run that made it. Its identity names the wijksim
version, the kind of run (experiment, comparison, sweep, ...), the folder's own
run id (made once, with the manifest), the seed and pairing, the scenario (its
key and content hash, as in the manifest) and its replications. Running the
same experiment again on the folder skips finished batches whose identity is
this run's and whose files match their checksums. A batch that is truncated,
altered, emptied or missing, or that belongs elsewhere (copied from another
folder or scenario, made with another seed, kind or version, moved to another
range, or a link), is reported (a warning) and redone, never used. Something
that is not a file where a batch file should be (a named pipe, a device, a
folder) is refused in words before any work, and so is a folder holding a
different experiment (other scenarios, other CSV inputs, another seed) or other
files. Paths in the manifest do not depend on the working directory.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid
import warnings
from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..scenario import Problem, Scenario, ScenarioError

# This module holds ResultStore, the batches of one experiment in its folder,
# and plan, the tasks still to run. What it is made of are modules of their
# own, their names still importable from here: the folder itself
# (result_folder), the manifest (manifest), a batch's files and identity
# (batches) and the tables of results (tables).
from .batches import (
    BATCH_IDENTITY,
    MARKER_LIMIT,
    MARKER_NAME,
    DamagedBatch,
    ForeignBatch,
    batch_path,
    check_batch_files,
    foreign,
    remove_links,
    sha256_of_regular,
)
from .batches import PARTS as PARTS
from .manifest import (
    MANIFEST,
    check_same_experiment,
    read_manifest,
    scenario_entry,
    scenario_yaml,
    write_manifest,
)
from .manifest import data_files as data_files
from .manifest import sha256_of as sha256_of
from .outputs import read_regular, write_bytes, write_text
from .result_folder import EXPERIMENT_FILES, check_folder, stale, temporary_files
from .tables import has_parquet as has_parquet
from .tables import read_csv
from .tables import write_csv as write_csv
from .tables import write_frame as write_frame
from .tasks import BatchResult, Task


class ResultStore:
    """The batches of one experiment in ``folder``; see the module docstring.

    ``damaged`` lists the batches found damaged or foreign (and so run again),
    in words.
    """

    def __init__(self, folder: str | Path):
        if not str(folder).strip():  # Path("") would be the current folder
            raise ScenarioError([Problem("--out", None, "", "not a folder name: ''")])
        self.folder = Path(folder)
        self.damaged: list[str] = []
        #: What every batch of this run says of itself, but its key and range
        #: (set by :meth:`open`).
        self._identity: dict[str, Any] = {}
        self._scenario_sha: dict[str, str] = {}
        #: The parts of each verified batch, by ``(key, first, stop)``.
        self._parts: dict[tuple[str, int, int], set[str]] = {}

    # -- the manifest ----------------------------------------------------------------

    def open(
        self,
        scenarios: Mapping[str, Scenario],
        *,
        kind: str,
        seed: int,
        replications: int,
        salted: bool,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        """Write the manifest and scenarios, or check them against a previous run."""
        from .._version import installed_version

        old = self.manifest() if (self.folder / MANIFEST).is_file() else None
        texts = {key: scenario_yaml(s) for key, s in scenarios.items()}
        entries = {
            key: scenario_entry(self.folder, key, s, texts[key]) for key, s in scenarios.items()
        }
        manifest = {
            "wijksim": installed_version(),
            "kind": kind,
            "seed": seed,
            "seeds": (
                "replication r of scenario number k (from 0) runs with seed [seed, r, k + 1]"
                if salted
                else "replication r of every scenario runs with seed [seed, r]"
                " (common random numbers)"
            ),
            "common_random_numbers": not salted,
            "replications": replications,
            "scenarios": entries,
            **(extra or {}),
        }
        if old is not None:
            check_same_experiment(self.folder, old, manifest)
            # the folder holds this experiment: links in its batches are not its own
            self.damaged += remove_links(self.folder, scenarios)
        own = EXPERIMENT_FILES.match if old is not None else (lambda name: False)
        check_folder(self.folder, own=lambda name: bool(own(name)))
        run = None
        if old is not None:
            entries = {**old.get("scenarios", {}), **entries}
            manifest["scenarios"] = entries
            manifest["created"] = old.get("created")
            run = old.get("run")
        else:
            manifest["created"] = datetime.now(UTC).isoformat(timespec="seconds")
        # the folder's own id, in every batch it holds: a batch copied from another
        # folder, even of the very same experiment, was not made here
        manifest["run"] = run if isinstance(run, str) and run else uuid.uuid4().hex
        manifest["batches"] = BATCH_IDENTITY
        manifest["finished"] = False
        self._identity = {
            "wijksim": manifest["wijksim"],
            "kind": kind,
            "run": manifest["run"],
            "seed": seed,
            "common_random_numbers": not salted,
        }
        self._scenario_sha = {key: entry["sha256"] for key, entry in entries.items()}
        check_batch_files(self.folder, scenarios)
        for left in temporary_files(self.folder):  # left by a killed run, not a running one
            if stale(left.name):
                with contextlib.suppress(OSError):  # a folder of that name stays
                    left.unlink(missing_ok=True)
        for key, text in texts.items():
            path = self.folder / "scenarios" / f"{key}.yaml"
            # a damaged copy (any bytes at all) is simply written again
            try:
                same = read_regular(path) == text.encode("utf-8")
            except OSError:
                same = False
            if not same:
                write_text(path, text, within=self.folder)
        write_manifest(self.folder, manifest)

    def manifest(self) -> dict | None:
        """The manifest of the folder (``None`` if there is none); one that cannot
        be read or has the wrong shape is refused in words."""
        return read_manifest(self.folder)

    def finish(self, **extra: Any) -> None:
        """Mark the experiment finished in the manifest."""
        manifest = self.manifest() or {}
        manifest.update(extra, finished=True)
        write_manifest(self.folder, manifest)

    # -- batches ----------------------------------------------------------------------

    def identity(self, key: str, first: int, stop: int) -> dict[str, Any]:
        """What batch ``first``-``stop - 1`` of ``key`` says of itself in this run."""
        if not self._identity:
            raise RuntimeError("open() the store before reading or writing batches")
        return {
            **self._identity,
            "key": key,
            "scenario": self._scenario_sha[key],
            "first": first,
            "stop": stop,
        }

    def finished(self, key: str, timeseries: bool) -> list[tuple[int, int]]:
        """``(first, stop)`` of the finished, undamaged batches of ``key``, in order.

        A batch whose files do not match its checksums, or that is not this
        run's, is forgotten (its marker removed), reported as a
        :class:`DamagedBatch` (:class:`ForeignBatch`) warning and listed in
        ``damaged``: it will run again.
        """
        folder = self.folder / "batches" / key
        if not folder.is_dir() or folder.is_symlink():
            return []
        spans = []
        for entry in os.scandir(folder):
            match = MARKER_NAME.match(entry.name)
            if match:
                first, stop = int(match[1]), int(match[2]) + 1
                parts = self._verified(key, first, stop)
                if parts is not None and (not timeseries or "timeseries" in parts):
                    spans.append((first, stop))
        return sorted(spans)

    def _verified(self, key: str, first: int, stop: int) -> set[str] | None:
        """The parts of a batch if it is this run's and all match their
        checksums; else ``None`` (its marker removed)."""
        marker = batch_path(self.folder, key, first, stop, "checksums")
        what = f"{key} replications {first}-{stop - 1}"
        try:
            data = json.loads(read_regular(marker, MARKER_LIMIT))
            if not isinstance(data, dict):
                raise ValueError("not a batch's checksums")
            why = foreign(data.get("batch"), self.identity(key, first, stop))
            if why is not None:
                self._forget(marker, f"{what}: {why}", ForeignBatch)
                return None
            sums = data.get("files")
            if not isinstance(sums, dict) or "summary" not in sums:
                raise ValueError("no checksums")
            if not set(sums) <= set(PARTS):  # a part's name becomes a path: only these
                raise ValueError("checksums of files a batch does not have")
            for part, sha in sums.items():
                if sha256_of_regular(batch_path(self.folder, key, first, stop, part)) != sha:
                    raise ValueError(f"{part} does not match its checksum")
        except (OSError, ValueError, UnicodeDecodeError, TypeError, RecursionError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            self._forget(marker, f"{what}: {reason}", DamagedBatch)
            return None
        self._parts[key, first, stop] = set(sums)
        return set(sums)

    def _forget(self, marker: Path, reason: str, category: type[DamagedBatch]) -> None:
        """Report a batch that cannot be used and remove its marker: it runs again."""
        self.damaged.append(reason)
        damage = "not this run's" if category is ForeignBatch else "damaged"
        batch, _, why = reason.partition(": ")
        warnings.warn(
            f"{self.folder}: batch {batch} is {damage} ({why}); running it again",
            category,
            stacklevel=4,
        )
        with contextlib.suppress(OSError):  # a marker that is not a file was refused
            marker.unlink(missing_ok=True)

    def covered(self, key: str, timeseries: bool) -> set[int]:
        """Replications of ``key`` whose results are on disk."""
        return {r for first, stop in self.finished(key, timeseries) for r in range(first, stop)}

    def write(self, result: BatchResult) -> None:
        """Store a finished batch; the marker goes last, with the batch's
        identity, and marks it finished."""
        key, first, stop = result.key, result.first, result.stop
        parts = {"parameters": result.parameters}
        if result.timeseries is not None:
            parts["timeseries"] = result.timeseries
        if result.yearly is not None:
            parts["yearly"] = result.yearly
        parts["summary"] = result.summaries
        sums = {}
        for part, frame in parts.items():
            data = frame.to_csv(index=False).encode("utf-8")
            write_bytes(batch_path(self.folder, key, first, stop, part), data, within=self.folder)
            sums[part] = hashlib.sha256(data).hexdigest()
        marker = {"batch": self.identity(key, first, stop), "files": sums}
        write_text(
            batch_path(self.folder, key, first, stop, "checksums"),
            json.dumps(marker, indent=1),
            within=self.folder,
        )
        self._parts[key, first, stop] = set(sums)

    def read(
        self,
        key: str,
        replications: Iterable[int],
        timeseries: bool,
        skip: Collection[tuple[int, int]] = (),
    ) -> list[BatchResult]:
        """The stored batches of ``key`` that hold any of ``replications``,
        except those whose ``(first, stop)`` is in ``skip``."""
        wanted = set(replications)
        out = []
        for first, stop in self.finished(key, timeseries):
            if (first, stop) in skip or wanted.isdisjoint(range(first, stop)):
                continue
            out.append(
                BatchResult(
                    key=key,
                    first=first,
                    stop=stop,
                    summaries=self._part(key, first, stop, "summary"),
                    parameters=self._part(key, first, stop, "parameters"),
                    timeseries=self._part(key, first, stop, "timeseries") if timeseries else None,
                    yearly=self._part(key, first, stop, "yearly"),
                )
            )
        return out

    def _part(self, key: str, first: int, stop: int, name: str) -> Any:
        """One part of a verified batch as a frame (``None`` if it has none)."""
        if name not in self._parts[key, first, stop]:
            return None
        return read_csv(batch_path(self.folder, key, first, stop, name))


def plan(
    store: ResultStore | None,
    scenarios: Mapping[str, Scenario],
    *,
    seed: int,
    replications: int,
    batch_size: int,
    timeseries: bool,
    salts: Mapping[str, tuple[int, ...]] | None = None,
    have: Mapping[str, Collection[int]] | None = None,
) -> list[Task]:
    """Tasks for every replication not already in ``store`` (nor, per key, in
    ``have``: replications held in memory): contiguous runs of missing
    replications cut into batches of at most ``batch_size``."""
    tasks = []
    for key, scenario in scenarios.items():
        done = store.covered(key, timeseries) if store is not None else set()
        done = done | set((have or {}).get(key, ()))
        missing = [r for r in range(replications) if r not in done]
        salt = (salts or {}).get(key, ())
        start = 0
        while start < len(missing):
            stop = start + 1
            while (
                stop < len(missing)
                and missing[stop] == missing[stop - 1] + 1
                and stop - start < batch_size
            ):
                stop += 1
            first = missing[start]
            tasks.append(Task(key, scenario, seed, first, first + stop - start, timeseries, salt))
            start = stop
    return tasks
