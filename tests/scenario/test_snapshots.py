"""Key figures of every shipped scenario for a fixed seed, checked against a
stored snapshot so that a change in the model's results is always deliberate.

After an intended change, update the snapshot with ``make snapshots`` and say
why in the commit message.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

import wijksim

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "scenarios.json"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
KEYS = (
    "potential_requests",
    "averted",
    "diverted",
    "requests",
    "intakes",
    "closures",
    "reneged",
    "mean_caseload",
    "mean_waiting_list",
    "mean_wait_weeks",
    "p90_wait_weeks",
    "professional_hours",
    "collective_hours",
)


def figures(path: Path) -> dict[str, float]:
    summary = wijksim.simulate(path, seed=0).summary()
    return {key: summary[key] for key in KEYS}


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_shipped_scenario_matches_its_snapshot(path):
    stored = json.loads(SNAPSHOT.read_text())
    assert path.name in stored, f"no snapshot for {path.name}: run `make snapshots`"
    now = figures(path)
    for key, expected in stored[path.name].items():
        assert math.isclose(now[key], expected, rel_tol=1e-9, abs_tol=1e-9), (
            f"{path.name}: {key} is {now[key]!r}, snapshot says {expected!r}"
        )


def test_every_snapshot_has_a_scenario():
    assert set(json.loads(SNAPSHOT.read_text())) == {p.name for p in SCENARIOS}


if __name__ == "__main__":  # make snapshots
    SNAPSHOT.write_text(json.dumps({p.name: figures(p) for p in SCENARIOS}, indent=2) + "\n")
    print(f"wrote {SNAPSHOT.relative_to(ROOT)}", file=sys.stderr)
