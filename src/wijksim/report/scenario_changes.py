"""The report's scenarios: each with the parameters that differ from the
baseline, where they were set and the comment beside them, and the comment
that says how the warm-up was chosen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .labels import Language

#: Keys whose difference says nothing about the policy (names, text).
_SKIP_KEYS = ("name", "description")


def scenario_changes(comparison, files, overrides, lang: Language) -> list[dict]:
    """Each scenario with the parameters that differ from the baseline and their sources."""
    from ..scenario.provenance import provenance

    files = dict(files or {})
    notes = {}
    for label, experiment in comparison.experiments.items():
        if label in files:
            notes[label] = provenance(files[label], overrides)
        else:
            notes[label] = _flat(experiment.scenario.to_dict())
    base = notes.get(comparison.baseline, {})
    out = []
    for label, experiment in comparison.experiments.items():
        changes = []
        if label != comparison.baseline:
            for key, note in notes[label].items():
                if key.split(".")[0] in _SKIP_KEYS or key.endswith(".type"):
                    continue
                before = base.get(key)
                if before is not None and before.value == note.value:
                    continue
                changes.append(
                    {
                        "key": key,
                        "value": _show(note.value),
                        "baseline": "—" if before is None else _show(before.value),
                        "source": _where(note),
                        "comment": note.comment,
                    }
                )
        out.append(
            {
                "label": label,
                "description": experiment.scenario.description.strip(),
                "baseline": label == comparison.baseline,
                "changes": changes,
                "interventions": [s.name for s in experiment.scenario.interventions],
            }
        )
    return out


def _where(note) -> str:
    if note.source in ("", "--set"):
        return note.source
    return f"{Path(note.source).name}:{note.line}"


def _show(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _flat(data: Any, key: str = "") -> dict:
    """Provenance-like notes for a scenario without a file (no source comments)."""
    from ..scenario.provenance import Provenance, leaves

    return {
        ".".join(str(k) for k in path): Provenance(".".join(str(k) for k in path), v, "", None, "")
        for path, v in leaves(data)
    }


def warmup_note(files, overrides, baseline: str) -> str:
    """The comment beside ``warmup`` in the baseline's file: how it was chosen."""
    if not files or baseline not in files:
        return ""
    from ..scenario.provenance import provenance

    note = provenance(files[baseline], overrides).get("warmup")
    return "" if note is None else note.comment
