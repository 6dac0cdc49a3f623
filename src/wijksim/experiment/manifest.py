"""The manifest of a results folder: what was run (each scenario as resolved,
with every file it reads hashed; seed, kind of run, wijksim version), written
once and checked against a later run on the same folder, which must be the
same experiment."""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML

from ..scenario import Problem, Scenario, ScenarioError
from .outputs import read_regular, write_text

MANIFEST = "manifest.json"
#: A manifest holds a few hundred bytes per scenario (a sweep of 100,000 points: ~50 MB).
_MANIFEST_LIMIT = 1 << 28


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


def scenario_entry(folder: Path, key: str, scenario: Scenario, text: str) -> dict[str, Any]:
    """A scenario's manifest entry: its resolved text and every file it reads,
    hashed (each file by its absolute path, whatever the working directory)."""
    files = {}
    for name in data_files(scenario):
        try:
            files[os.path.abspath(name)] = sha256_of(Path(name))
        except OSError as exc:
            raise refusal(folder, f"cannot read {name}: {exc.strerror}") from None
    digest = hashlib.sha256(text.encode())
    for name, sha in sorted(files.items()):
        digest.update(f"\n{name}\0{sha}".encode())
    entry = {"name": scenario.name, "file": f"scenarios/{key}.yaml"}
    return {**entry, "files": files, "sha256": digest.hexdigest()}


def read_manifest(folder: Path) -> dict | None:
    """The manifest of ``folder`` (``None`` if there is none); one that cannot
    be read or has the wrong shape is refused in words."""
    path = folder / MANIFEST
    if not os.path.lexists(path):
        return None
    try:
        manifest = json.loads(read_regular(path, _MANIFEST_LIMIT))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else exc
        raise refusal(folder, f"cannot read {MANIFEST}: {reason}") from None
    scenarios = manifest.get("scenarios") if isinstance(manifest, dict) else None
    if not (
        isinstance(scenarios, dict)
        and all(isinstance(e, dict) for e in scenarios.values())
        and isinstance(manifest.get("replications", 0), int)
    ):
        raise refusal(folder, f"{MANIFEST} is not a wijksim manifest; use another --out folder")
    return manifest


def write_manifest(folder: Path, manifest: dict) -> None:
    """Write ``manifest`` into ``folder`` (atomically)."""
    text = json.dumps(manifest, indent=2) + "\n"
    write_text(folder / MANIFEST, text, within=folder)


def check_same_experiment(folder: Path, old: dict, new: dict) -> None:
    """Refuse a folder whose manifest ``old`` is of another experiment than ``new``."""
    for field in ("wijksim", "kind", "seed", "common_random_numbers"):
        if old.get(field) != new.get(field):
            raise refusal(
                folder,
                f"holds results of another experiment ({field}: {old.get(field)!r}, "
                f"now {new.get(field)!r}); use another --out folder or empty this one",
            )
    for key, entry in new["scenarios"].items():
        previous = old.get("scenarios", {}).get(key)
        if previous is not None and previous.get("sha256") != entry["sha256"]:
            raise refusal(
                folder,
                f"holds results of another scenario as {key} ({previous.get('name')!r}); "
                "use another --out folder or empty this one",
            )


def refusal(folder: Path, message: str) -> ScenarioError:
    """``message`` as a refusal of ``folder``, in words."""
    return ScenarioError([Problem(str(folder), None, "", message)])
