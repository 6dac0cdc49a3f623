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
import io
import json
import os
import re
import uuid
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel
from ruamel.yaml import YAML

from ..scenario import Problem, Scenario, ScenarioError
from ..scenario.problems import escape_controls
from .outputs import (
    OutputError,
    not_a_file,
    open_regular,
    read_regular,
    temporary,
    write_bytes,
    write_text,
)
from .tasks import BatchResult, Task

MANIFEST = "manifest.json"
_BATCH = re.compile(r"^r(\d{5,})-(\d{5,})\.checksums\.json$")
#: Any file of a batch (its parts and its marker).
_PART = re.compile(r"^r\d{5,}-\d{5,}\.\w+\.(csv|json)$")
_TMP = re.compile(r"^\..+\.(\d+)\.tmp$")
#: A batch's marker holds a few hundred bytes; a larger one is not read whole.
_MARKER_LIMIT = 1 << 20
#: A manifest holds a few hundred bytes per scenario (a sweep of 100,000 points: ~50 MB).
_MANIFEST_LIMIT = 1 << 28


class DamagedBatch(UserWarning):
    """A stored batch did not match its checksums; it is run again."""


class ForeignBatch(DamagedBatch):
    """A stored batch belongs to another run (another folder, scenario, seed,
    kind of run, version or range of replications) or is a link; it is run again."""


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's content, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sha256_of_regular(path: Path) -> str:
    """As :func:`sha256_of`, of a regular file only (see :func:`~.outputs.open_regular`)."""
    digest = hashlib.sha256()
    with open_regular(path) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_files(scenario: Scenario) -> list[str]:
    """The files a scenario reads besides its own text: registration and
    empirical CSVs (its ``extends`` bases are merged into the resolved text)."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, BaseModel):
            csv = getattr(value, "csv", None)
            if isinstance(csv, str) and csv not in found:
                found.append(csv)
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(scenario)
    return found


def check_folder(folder: str | Path, *, own: Callable[[str], bool]) -> Path:
    """``folder`` as a place to write results, checked before any work is done.

    Refused (a :class:`ScenarioError`, exit 2 from the CLI): an empty name, a
    path that is not a folder, a folder that cannot be written, and a folder
    holding files for which ``own(name)`` is false (a user's files are never
    overwritten).
    """
    text = str(folder)
    if not text.strip() or "\0" in text:
        raise ScenarioError([Problem("--out", None, "", f"not a folder name: {text!r}")])
    path = Path(folder)
    where = str(path)
    if path.exists() and not path.is_dir():
        raise ScenarioError([Problem(where, None, "", "exists and is not a folder")])
    if path.is_dir():
        try:
            entries = list(os.scandir(path))
        except OSError as exc:
            raise OutputError(path, f"cannot read: {exc.strerror}") from None
        others = sorted(e.name for e in entries if not own(e.name))
        if others:
            shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
            message = f"holds other files ({shown}); use a new or empty folder"
            raise ScenarioError([Problem(where, None, "", message)])
        for entry in entries:
            # what wijksim writes here goes only to files and folders of its own:
            # a link or a pipe under one of its names is refused before any work
            # (hidden names are temporary files, never written by name)
            try:
                what = not_a_file(entry.stat(follow_symlinks=False).st_mode)
            except FileNotFoundError:  # gone since the folder was listed
                continue
            if what not in (None, "a folder") and not entry.name.startswith("."):
                raise OutputError(
                    path / entry.name, f"{what}, not a regular file: not replaced (remove it)"
                )
    try:
        path.mkdir(parents=True, exist_ok=True)
        handle, probe = temporary(path, "probe")
        os.close(handle)
        probe.unlink()
    except OSError as exc:
        raise ScenarioError(
            [Problem(where, None, "", f"cannot write here: {exc.strerror}")]
        ) from None
    return path


def _stale(name: str) -> bool:
    """A temporary file left by a process that is no longer running."""
    match = _TMP.match(name)
    if not match:
        return False
    try:
        os.kill(int(match[1]), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False


def scenario_yaml(scenario: Scenario) -> str:
    """The scenario as YAML text, valid input for :func:`wijksim.load_scenario`
    wherever it is saved: the files it reads are named by their absolute paths
    (a path relative to the working directory would name another file
    elsewhere, and make the same scenario look changed from another directory)."""
    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.width = 100
    buffer = io.StringIO()
    yaml.dump(_absolute_files(scenario.to_dict()), buffer)
    return buffer.getvalue()


def _absolute_files(value: Any) -> Any:
    """``value`` with every ``csv:`` path made absolute (the loader resolves them
    against the scenario file, the working directory when the file was relative)."""
    if isinstance(value, dict):
        return {
            key: os.path.abspath(item)
            if key == "csv" and isinstance(item, str)
            else _absolute_files(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_absolute_files(item) for item in value]
    return value


def write_csv(frame: pd.DataFrame, path: Path, *, within: Path | None = None) -> None:
    """A frame as CSV; floats are written in full (``repr``), so they read back exactly.
    Written as :func:`~.outputs.write_bytes` writes (``within``: its results folder)."""
    write_text(path, frame.to_csv(index=False), within=within)


def read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV written by :func:`write_csv`, floats bit for bit; only a
    regular file (a pipe or a link there is refused in words, naming it)."""
    try:
        data = io.BytesIO(read_regular(path))
    except OSError as exc:
        raise OutputError(path, f"cannot read: {exc.strerror}") from None
    if int(pd.__version__.split(".")[0]) >= 3:  # round trip is the default from pandas 3
        return pd.read_csv(data)
    return pd.read_csv(data, float_precision="round_trip")


def has_parquet() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def write_frame(frame: pd.DataFrame, folder: Path, name: str) -> list[Path]:
    """``name.csv`` and, when pyarrow is installed, ``name.parquet``; both atomic."""
    written = [folder / f"{name}.csv"]
    write_csv(frame, written[0], within=folder)
    if has_parquet():
        path = folder / f"{name}.parquet"
        buffer = io.BytesIO()  # pyarrow would open the path itself, following a link
        frame.to_parquet(buffer, index=False)
        write_bytes(path, buffer.getvalue(), within=folder)
        written.append(path)
    return written


#: Names an experiment folder holds at its top (anything else is a user's file).
EXPERIMENT_FILES = re.compile(
    r"^(manifest\.json|scenarios|batches|experiments|[\w-]+\.(csv|parquet|json|md|html|png))$|^\."
    # what ``compare --breakeven`` and ``--report`` put beside the results
    r"|^(breakeven-[\w-]+|[\w-]+_plots)$"
)


#: What the manifest says of the batches it holds (see the module docstring).
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
        entries = {key: self._entry(key, s, texts[key]) for key, s in scenarios.items()}
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
            self._check(old, manifest)
            # the folder holds this experiment: links in its batches are not its own
            self._remove_links(scenarios)
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
        self._check_batch_files(scenarios)
        for stale in _temporary_files(self.folder):  # left by a killed run, not a running one
            if _stale(stale.name):
                with contextlib.suppress(OSError):  # a folder of that name stays
                    stale.unlink(missing_ok=True)
        for key, text in texts.items():
            path = self.folder / "scenarios" / f"{key}.yaml"
            # a damaged copy (any bytes at all) is simply written again
            try:
                same = read_regular(path) == text.encode("utf-8")
            except OSError:
                same = False
            if not same:
                write_text(path, text, within=self.folder)
        self._write_manifest(manifest)

    def _remove_links(self, keys: Collection[str]) -> None:
        """Links where this run's batch folders and files should be: reported
        and removed (never followed), so that their batches run again here."""
        found: list[Path] = []
        batches = self.folder / "batches"
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
            where = link.relative_to(self.folder).as_posix()
            self.damaged.append(f"{where}: a link (not followed)")
            warnings.warn(
                f"{self.folder}: {where} is a link to elsewhere, not part of this run: "
                "removed (not followed); its batches run again",
                ForeignBatch,
                stacklevel=3,
            )
            link.unlink()

    def _check_batch_files(self, keys: Collection[str]) -> None:
        """Refuse, before any work, anything but a file where this run's batch
        files are read and written (a pipe would block a reader, a device is not
        ours to replace, a folder cannot be), and a batch folder it cannot read."""
        batches = self.folder / "batches"
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

    def _entry(self, key: str, scenario: Scenario, text: str) -> dict[str, Any]:
        """A scenario's manifest entry: its resolved text and every file it reads,
        hashed (each file by its absolute path, whatever the working directory)."""
        files = {}
        for name in data_files(scenario):
            try:
                files[os.path.abspath(name)] = sha256_of(Path(name))
            except OSError as exc:
                raise self._refuse(f"cannot read {name}: {exc.strerror}") from None
        digest = hashlib.sha256(text.encode())
        for name, sha in sorted(files.items()):
            digest.update(f"\n{name}\0{sha}".encode())
        entry = {"name": scenario.name, "file": f"scenarios/{key}.yaml"}
        return {**entry, "files": files, "sha256": digest.hexdigest()}

    def manifest(self) -> dict | None:
        """The manifest of the folder (``None`` if there is none); one that cannot
        be read or has the wrong shape is refused in words."""
        path = self.folder / MANIFEST
        if not os.path.lexists(path):
            return None
        try:
            manifest = json.loads(read_regular(path, _MANIFEST_LIMIT))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else exc
            raise self._refuse(f"cannot read {MANIFEST}: {reason}") from None
        scenarios = manifest.get("scenarios") if isinstance(manifest, dict) else None
        if not (
            isinstance(scenarios, dict)
            and all(isinstance(e, dict) for e in scenarios.values())
            and isinstance(manifest.get("replications", 0), int)
        ):
            raise self._refuse(f"{MANIFEST} is not a wijksim manifest; use another --out folder")
        return manifest

    def finish(self, **extra: Any) -> None:
        """Mark the experiment finished in the manifest."""
        manifest = self.manifest() or {}
        manifest.update(extra, finished=True)
        self._write_manifest(manifest)

    def _write_manifest(self, manifest: dict) -> None:
        text = json.dumps(manifest, indent=2) + "\n"
        write_text(self.folder / MANIFEST, text, within=self.folder)

    def _check(self, old: dict, new: dict) -> None:
        for field in ("wijksim", "kind", "seed", "common_random_numbers"):
            if old.get(field) != new.get(field):
                raise self._refuse(
                    f"holds results of another experiment ({field}: {old.get(field)!r}, "
                    f"now {new.get(field)!r}); use another --out folder or empty this one"
                )
        for key, entry in new["scenarios"].items():
            previous = old.get("scenarios", {}).get(key)
            if previous is not None and previous.get("sha256") != entry["sha256"]:
                raise self._refuse(
                    f"holds results of another scenario as {key} ({previous.get('name')!r}); "
                    "use another --out folder or empty this one"
                )

    def _refuse(self, message: str) -> ScenarioError:
        return ScenarioError([Problem(str(self.folder), None, "", message)])

    # -- batches ----------------------------------------------------------------------

    def _batch_path(self, key: str, first: int, stop: int, part: str) -> Path:
        suffix = "json" if part == "checksums" else "csv"
        return self.folder / "batches" / key / f"r{first:05d}-{stop - 1:05d}.{part}.{suffix}"

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

    def _foreign(self, found: Any, key: str, first: int, stop: int) -> str | None:
        """Why a batch that says ``found`` of itself is not this run's, in words;
        ``None`` when it is."""
        if not isinstance(found, dict):
            return "it does not say which run made it (an older wijksim?)"
        expected = self.identity(key, first, stop)
        for field, why in _FOREIGN.items():
            if found.get(field) != expected[field]:
                shown = escape_controls(repr(found.get(field)))
                shown = shown if len(shown) <= 40 else shown[:37] + "..."
                return f"{why}: its {field} is {shown}"
        if set(found) != set(expected):
            return "it says more of itself than a batch of this run"
        return None

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
            match = _BATCH.match(entry.name)
            if match:
                first, stop = int(match[1]), int(match[2]) + 1
                parts = self._verified(key, first, stop)
                if parts is not None and (not timeseries or "timeseries" in parts):
                    spans.append((first, stop))
        return sorted(spans)

    def _verified(self, key: str, first: int, stop: int) -> set[str] | None:
        """The parts of a batch if it is this run's and all match their
        checksums; else ``None`` (its marker removed)."""
        marker = self._batch_path(key, first, stop, "checksums")
        what = f"{key} replications {first}-{stop - 1}"
        try:
            data = json.loads(read_regular(marker, _MARKER_LIMIT))
            if not isinstance(data, dict):
                raise ValueError("not a batch's checksums")
            foreign = self._foreign(data.get("batch"), key, first, stop)
            if foreign is not None:
                self._forget(marker, f"{what}: {foreign}", ForeignBatch)
                return None
            sums = data.get("files")
            if not isinstance(sums, dict) or "summary" not in sums:
                raise ValueError("no checksums")
            if not set(sums) <= set(PARTS):  # a part's name becomes a path: only these
                raise ValueError("checksums of files a batch does not have")
            for part, sha in sums.items():
                if _sha256_of_regular(self._batch_path(key, first, stop, part)) != sha:
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
            write_bytes(self._batch_path(key, first, stop, part), data, within=self.folder)
            sums[part] = hashlib.sha256(data).hexdigest()
        marker = {"batch": self.identity(key, first, stop), "files": sums}
        write_text(
            self._batch_path(key, first, stop, "checksums"),
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
        return read_csv(self._batch_path(key, first, stop, name))


def _temporary_files(folder: Path) -> Iterator[Path]:
    """Temporary files anywhere in ``folder``, without following a link out of it."""
    for where, folders, files in os.walk(folder):
        for name in [*files, *folders]:
            if _TMP.match(name):
                yield Path(where) / name


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
