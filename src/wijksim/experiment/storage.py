"""Results on disk, written so that an interrupted experiment can resume.

Layout of an output folder::

    manifest.json                 what was run: scenarios, seeds, wijksim version
    scenarios/<key>.yaml          each scenario as resolved (extends and --set applied)
    batches/<key>/r00000-00004.*  one set of files per finished task
    summary.csv, statistics.csv,  the combined results, written at the end
    timeseries.csv, ...           (and .parquet copies when pyarrow is installed)

Every file is written to a temporary name and then renamed, so a reader (or a
resumed run) never sees half a file. A task's ``.checksums.json`` is written
last: it holds the SHA-256 of each of the task's files, and its presence means
the task is finished. Running the same experiment again on the folder skips
finished tasks whose files still match their checksums; a batch that is
truncated, altered, emptied or missing is reported (a warning) and redone. A
folder holding a different experiment (other scenarios, other CSV inputs, another
seed) is refused rather than mixed, and so is a folder that holds other files.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import warnings
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel
from ruamel.yaml import YAML

from ..scenario import Problem, Scenario, ScenarioError
from .tasks import BatchResult, Task

MANIFEST = "manifest.json"
_BATCH = re.compile(r"^r(\d{5,})-(\d{5,})\.checksums\.json$")
_TMP = re.compile(r"^\..+\.(\d+)\.tmp$")


class DamagedBatch(UserWarning):
    """A stored batch did not match its checksums; it is run again."""


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's content, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
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
        others = sorted(e.name for e in os.scandir(path) if not own(e.name))
        if others:
            shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
            message = f"holds other files ({shown}); use a new or empty folder"
            raise ScenarioError([Problem(where, None, "", message)])
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".probe.{os.getpid()}.tmp"
        probe.write_bytes(b"")
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
    """The scenario as YAML text, valid input for :func:`wijksim.load_scenario`."""
    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.width = 100
    buffer = io.StringIO()
    yaml.dump(scenario.to_dict(), buffer)
    return buffer.getvalue()


def write_text(path: Path, text: str) -> None:
    """Write atomically: a temporary file in the same folder, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """A frame as CSV; floats are written in full (``repr``), so they read back exactly."""
    write_text(path, frame.to_csv(index=False))


def read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV written by :func:`write_csv`, floats bit for bit."""
    if int(pd.__version__.split(".")[0]) >= 3:  # round trip is the default from pandas 3
        return pd.read_csv(path)
    return pd.read_csv(path, float_precision="round_trip")


def has_parquet() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def write_frame(frame: pd.DataFrame, folder: Path, name: str) -> list[Path]:
    """``name.csv`` and, when pyarrow is installed, ``name.parquet``; both atomic."""
    written = [folder / f"{name}.csv"]
    write_csv(frame, written[0])
    if has_parquet():
        path = folder / f"{name}.parquet"
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, path)
        written.append(path)
    return written


#: Names an experiment folder holds at its top (anything else is a user's file).
EXPERIMENT_FILES = re.compile(
    r"^(manifest\.json|scenarios|batches|experiments|[\w-]+\.(csv|parquet|json|md|html|png))$|^\."
    # what ``compare --breakeven`` and ``--report`` put beside the results
    r"|^(breakeven-[\w-]+|[\w-]+_plots)$"
)


class ResultStore:
    """The batches of one experiment in ``folder``; see the module docstring.

    ``damaged`` lists the batches found damaged (and so run again), in words.
    """

    def __init__(self, folder: str | Path):
        if not str(folder).strip():  # Path("") would be the current folder
            raise ScenarioError([Problem("--out", None, "", "not a folder name: ''")])
        self.folder = Path(folder)
        self.damaged: list[str] = []

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
        own = EXPERIMENT_FILES.match if old is not None else (lambda name: False)
        check_folder(self.folder, own=lambda name: bool(own(name)))
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
            entries = {**old.get("scenarios", {}), **entries}
            manifest["scenarios"] = entries
            manifest["created"] = old.get("created")
        else:
            manifest["created"] = datetime.now(UTC).isoformat(timespec="seconds")
        manifest["finished"] = False
        for stale in self.folder.glob("**/.*.tmp"):  # left by a killed run, not a running one
            if _stale(stale.name):
                stale.unlink(missing_ok=True)
        for key, text in texts.items():
            path = self.folder / "scenarios" / f"{key}.yaml"
            # a damaged copy (any bytes at all) is simply written again
            if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
                write_text(path, text)
        self._write_manifest(manifest)

    def _entry(self, key: str, scenario: Scenario, text: str) -> dict[str, Any]:
        """A scenario's manifest entry: its resolved text and every file it reads, hashed."""
        files = {}
        for name in data_files(scenario):
            try:
                files[name] = sha256_of(Path(name))
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
        if not path.exists():
            return None
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise self._refuse(f"cannot read {MANIFEST}: {exc}") from None
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
        write_text(self.folder / MANIFEST, json.dumps(manifest, indent=2) + "\n")

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

    def finished(self, key: str, timeseries: bool) -> list[tuple[int, int]]:
        """``(first, stop)`` of the finished, undamaged batches of ``key``, in order.

        A batch whose files do not match its checksums is removed, reported as a
        :class:`DamagedBatch` warning and listed in ``damaged``: it will run again.
        """
        folder = self.folder / "batches" / key
        if not folder.is_dir():
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
        """The parts of a batch if all match their checksums; else ``None`` (removed)."""
        marker = self._batch_path(key, first, stop, "checksums")
        try:
            sums = json.loads(marker.read_text(encoding="utf-8"))
            if not isinstance(sums, dict) or "summary" not in sums:
                raise ValueError("no checksums")
            for part, sha in sums.items():
                if sha256_of(self._batch_path(key, first, stop, part)) != sha:
                    raise ValueError(f"{part} does not match its checksum")
        except (OSError, ValueError, UnicodeDecodeError, TypeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            what = f"{key} replications {first}-{stop - 1}"
            self.damaged.append(f"{what}: {reason}")
            warnings.warn(
                f"{self.folder}: batch {what} is damaged ({reason}); running it again",
                DamagedBatch,
                stacklevel=2,
            )
            marker.unlink(missing_ok=True)
            return None
        return set(sums)

    def covered(self, key: str, timeseries: bool) -> set[int]:
        """Replications of ``key`` whose results are on disk."""
        return {r for first, stop in self.finished(key, timeseries) for r in range(first, stop)}

    def write(self, result: BatchResult) -> None:
        """Store a finished batch; the summary goes last and marks it finished."""
        key, first, stop = result.key, result.first, result.stop
        parts = {"parameters": result.parameters}
        if result.timeseries is not None:
            parts["timeseries"] = result.timeseries
        if result.yearly is not None:
            parts["yearly"] = result.yearly
        parts["summary"] = result.summaries
        sums = {}
        for part, frame in parts.items():
            text = frame.to_csv(index=False)
            write_text(self._batch_path(key, first, stop, part), text)
            sums[part] = hashlib.sha256(text.encode()).hexdigest()
        write_text(self._batch_path(key, first, stop, "checksums"), json.dumps(sums, indent=1))

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
            series = None
            if timeseries:
                series = read_csv(self._batch_path(key, first, stop, "timeseries"))
            yearly = self._batch_path(key, first, stop, "yearly")
            out.append(
                BatchResult(
                    key=key,
                    first=first,
                    stop=stop,
                    summaries=read_csv(self._batch_path(key, first, stop, "summary")),
                    parameters=read_csv(self._batch_path(key, first, stop, "parameters")),
                    timeseries=series,
                    yearly=read_csv(yearly) if yearly.exists() else None,
                )
            )
        return out


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
