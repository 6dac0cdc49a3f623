"""Results on disk, written so that an interrupted experiment can resume.

Layout of an output folder::

    manifest.json                 what was run: scenarios, seeds, wijksim version
    scenarios/<key>.yaml          each scenario as resolved (extends and --set applied)
    batches/<key>/r00000-00004.*  one set of files per finished task
    summary.csv, statistics.csv,  the combined results, written at the end
    timeseries.csv, ...           (and .parquet copies when pyarrow is installed)

Every file is written to a temporary name and then renamed, so a reader (or a
resumed run) never sees half a file. A task's ``.summary.csv`` is written last:
its presence means the task is finished. Running the same experiment again on
the folder skips finished tasks; a folder holding a different experiment is
refused rather than mixed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from ruamel.yaml import YAML

from ..scenario import Problem, Scenario, ScenarioError
from .tasks import BatchResult, Task

MANIFEST = "manifest.json"
_BATCH = re.compile(r"^r(\d{5,})-(\d{5,})\.summary\.csv$")


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


class ResultStore:
    """The batches of one experiment in ``folder``; see the module docstring."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

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

        texts = {key: scenario_yaml(s) for key, s in scenarios.items()}
        entries = {
            key: {
                "name": scenarios[key].name,
                "file": f"scenarios/{key}.yaml",
                "sha256": hashlib.sha256(texts[key].encode()).hexdigest(),
            }
            for key in scenarios
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
        old = self.manifest()
        if old is not None:
            self._check(old, manifest)
            entries = {**old.get("scenarios", {}), **entries}
            manifest["scenarios"] = entries
            manifest["created"] = old.get("created")
            manifest["replications"] = max(replications, old.get("replications", 0))
        else:
            manifest["created"] = datetime.now(UTC).isoformat(timespec="seconds")
        manifest["finished"] = False
        for stale in (self.folder / "batches").glob("*/.*.tmp"):  # left by a killed run
            stale.unlink(missing_ok=True)
        for key, text in texts.items():
            path = self.folder / "scenarios" / f"{key}.yaml"
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                write_text(path, text)
        self._write_manifest(manifest)

    def manifest(self) -> dict | None:
        path = self.folder / MANIFEST
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise self._refuse(f"cannot read {MANIFEST}: {exc}") from None

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
        return self.folder / "batches" / key / f"r{first:05d}-{stop - 1:05d}.{part}.csv"

    def finished(self, key: str, timeseries: bool) -> list[tuple[int, int]]:
        """``(first, stop)`` of the finished batches of ``key``, in order."""
        folder = self.folder / "batches" / key
        if not folder.is_dir():
            return []
        spans = []
        for entry in os.scandir(folder):
            match = _BATCH.match(entry.name)
            if match:
                first, stop = int(match[1]), int(match[2]) + 1
                if not timeseries or self._batch_path(key, first, stop, "timeseries").exists():
                    spans.append((first, stop))
        return sorted(spans)

    def covered(self, key: str, timeseries: bool) -> set[int]:
        """Replications of ``key`` whose results are on disk."""
        return {r for first, stop in self.finished(key, timeseries) for r in range(first, stop)}

    def write(self, result: BatchResult) -> None:
        """Store a finished batch; the summary goes last and marks it finished."""
        key, first, stop = result.key, result.first, result.stop
        if result.timeseries is not None:
            write_csv(result.timeseries, self._batch_path(key, first, stop, "timeseries"))
        write_csv(result.parameters, self._batch_path(key, first, stop, "parameters"))
        if result.yearly is not None:
            write_csv(result.yearly, self._batch_path(key, first, stop, "yearly"))
        write_csv(result.summaries, self._batch_path(key, first, stop, "summary"))

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
) -> list[Task]:
    """Tasks for every replication not already in ``store``: contiguous runs of
    missing replications cut into batches of at most ``batch_size``."""
    tasks = []
    for key, scenario in scenarios.items():
        done = store.covered(key, timeseries) if store is not None else set()
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
