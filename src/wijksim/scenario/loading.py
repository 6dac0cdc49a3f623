"""Reading scenario files, with every problem reported at once and by line.

A problem reads ``path/to/file.yaml:LINE: dotted.key.path: what is wrong``.
``extends: base.yaml`` (relative to the file; or a list of files, merged in
order) deep-merges a base (:mod:`.merging`). One file is read by
:mod:`.reading` (libyaml, typed by :mod:`.yaml12`), values are set by dotted
path by :mod:`.overrides`, and the schema's complaints are placed at their
lines by :mod:`.located`.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .designs import Range
from .files import MAX_SCENARIO_BYTES, UnreadableFile, checked_path
from .located import lists_of, validate_as
from .located import path_problem as _path_problem
from .located import whole_number_path as whole_number_path
from .merging import deep_merge, merge_positions
from .overrides import apply_overrides as _apply_overrides
from .overrides import check_overrides, parse_override
from .positions import Key, Positions, located
from .problems import ScenarioError
from .reading import MAX_DEPTH, MAX_VALUES, read_yaml
from .schema import Scenario

__all__ = [
    "MAX_DEPTH",
    "MAX_VALUES",
    "Key",
    "Positions",
    "apply_overrides",
    "as_scenario",
    "check_overrides",
    "deep_merge",
    "load_scenario",
    "parse_override",
    "path_problem",
    "read_merged",
    "read_yaml",
    "validate",
    "whole_number_path",
    "whole_ranges",
]


# -- reading -------------------------------------------------------------------


def load_scenario(
    path: str | os.PathLike[str], overrides: Mapping[str, Any] | None = None
) -> Scenario:
    """Read, merge (``extends``), override and validate a scenario file."""
    if isinstance(path, bytes) or not isinstance(path, str | os.PathLike):
        raise TypeError(f"expected the path of a scenario file, not {type(path).__name__}")
    check_overrides(overrides, none=True)
    data, positions = read_merged(Path(path))
    if overrides:
        positions.update(apply_overrides(data, overrides))
    return validate(data, positions, default_source=str(path))


def as_scenario(scenario: Scenario | str | os.PathLike[str]) -> Scenario:
    """``scenario`` itself, or the scenario file it names, loaded.

    What every function that takes "a scenario or a path" calls first.
    """
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, str | os.PathLike):
        return load_scenario(scenario)
    raise TypeError(
        f"expected a Scenario or the path of a scenario file, got {type(scenario).__name__}"
        + (" (use Scenario.model_validate for a mapping)" if isinstance(scenario, Mapping) else "")
    )


def read_merged(
    path: Path, _seen: tuple[Path, ...] = (), _read: dict | None = None
) -> tuple[dict, Positions]:
    """A scenario file's data with its ``extends`` chain merged in.

    Each file is parsed once per load, however often the chain names it
    (``alle-interventies`` reaches ``baseline.yaml`` through five provisions).
    """
    if _read is None:
        _read = {}
    data, positions = _read_once(path, _read)
    bases = data.pop("extends", None)
    if bases is None:
        return data, positions
    if isinstance(bases, str):
        bases = [bases]
    if not isinstance(bases, list) or not all(isinstance(b, str) for b in bases):
        raise ScenarioError(
            [located(positions, ("extends",), path, "expected a file name or list")]
        )
    merged: dict = {}
    merged_positions: Positions = {}
    for base in bases:
        if "\0" in base:
            message = "a file name cannot hold a NUL character"
            raise ScenarioError([located(positions, ("extends",), path, message)])
        base_path = (path.parent / base).resolve()
        if base_path in _seen or base_path == path.resolve():
            chain = " -> ".join(p.name for p in (*_seen, path.resolve(), base_path))
            message = f"extends in a cycle: {chain}"
            raise ScenarioError([located(positions, ("extends",), path, message)])
        try:
            checked_path(base_path, MAX_SCENARIO_BYTES)
        except UnreadableFile as exc:
            message = f"base file {_shown(base)}: {exc}"
            raise ScenarioError([located(positions, ("extends",), path, message)]) from None
        _check_scenario_file(base_path, base, positions, path)
        base_data, base_positions = read_merged(base_path, (*_seen, path.resolve()), _read)
        if base_data and not any(key in SCENARIO_KEYS for key in base_data):  # nothing of it shown
            message = f"{_shown(base)}: {NOT_A_SCENARIO}"
            raise ScenarioError([located(positions, ("extends",), path, message)])
        merged_positions = merge_positions(merged, merged_positions, base_data, base_positions)
        merged = deep_merge(merged, base_data)
    positions = merge_positions(merged, merged_positions, data, positions)
    return deep_merge(merged, data), positions


#: Keys that mark a file as a scenario (``name`` and ``description`` do not:
#: many YAML files have those).
SCENARIO_KEYS = {f.alias or name for name, f in Scenario.model_fields.items()} - {
    "name",
    "description",
} | {"extends"}
NOT_A_SCENARIO = "not a scenario file (a .yaml file with scenario keys such as horizon or team)"


def _check_scenario_file(base_path: Path, base: str, positions: Positions, path: Path) -> None:
    """Refuse a base that is not a YAML file before reading it: nothing of an
    arbitrary file (its lines, its keys) may reach a message."""
    if base_path.suffix.lower() not in (".yaml", ".yml"):
        problem = located(positions, ("extends",), path, f"{_shown(base)}: {NOT_A_SCENARIO}")
        raise ScenarioError([problem])


def _shown(name: str) -> str:
    """A file name as a message may show it (control characters escaped)."""
    return repr(name)[1:-1] if not name.isprintable() else name


def _read_once(path: Path, read: dict) -> tuple[dict, Positions]:
    """``read_yaml(path)``, parsed on the first call of a load; later calls get a
    copy (merging pops and shares what it is given)."""
    key = path.resolve()
    if key not in read:
        read[key] = read_yaml(path)
    data, positions = read[key]
    return copy.deepcopy(data), dict(positions)


def validate(
    data: dict, positions: Positions | None = None, default_source: str = "<scenario>"
) -> Scenario:
    """Validate plain data as a :class:`Scenario`, reporting every problem at once:
    the schema's and those across keys (:mod:`.rules`), each at its line."""
    scenario: Scenario = validate_as(Scenario, data, positions, default_source)
    return scenario


def apply_overrides(data: dict, overrides: Mapping[str, Any]) -> Positions:
    """Set values in ``data`` by dotted path; returns their positions (``--set``).

    A list of named items (``interventions``) is addressed by index or by name:
    ``interventions.SchuldHulpMaatje.stop``.
    """
    return _apply_overrides(data, overrides, _LISTS)


#: The scenario's lists of items (addressed by index or by name in ``--set``).
_LISTS = lists_of(Scenario)


def path_problem(data: Mapping[str, Any], dotted: str) -> str | None:
    """What is wrong with ``dotted`` as the path of a value of the scenario
    ``data`` (see :func:`.located.path_problem`), or None."""
    return _path_problem(Scenario, data, dotted)


def whole_ranges(scenario: Scenario, ranges: Mapping[str, Range]) -> dict[str, Range]:
    """``ranges``, those over a whole-number parameter (a pool's ``size``, an
    intervention's ``capacity``) rounding every value they give to a whole number."""
    return {
        path: spec.model_copy(update={"integer": True})
        if not spec.integer and spec.unit is None and whole_number_path(scenario, path)
        else spec
        for path, spec in ranges.items()
    }


# -- validation --------------------------------------------------------------------
