"""The project carries its own sources: every anchor a scenario cites exists in
docs/sources.md, and nothing points outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "docs" / "sources.md"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
ANCHOR = re.compile(r"#([a-z][a-z0-9-]*)")


def anchors() -> set[str]:
    return set(re.findall(r"\{#([a-z0-9-]+)\}", SOURCES.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_cites_existing_anchors(path):
    comments = [line.split("#", 1)[1] for line in path.read_text().splitlines() if "#" in line]
    cited = {m for c in comments for m in ANCHOR.findall("#" + c)}
    assert cited, f"{path.name} cites no section of docs/sources.md"
    assert cited <= anchors(), f"{path.name}: unknown anchors {sorted(cited - anchors())}"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_opens_with_its_question_and_sources(path):
    head = path.read_text().split("\n", 12)[:12]
    assert head[0].startswith("# Question:"), f"{path.name} does not open with its question"
    assert any("docs/sources.md" in line for line in head), f"{path.name}: no sources"


def test_nothing_points_outside_the_repository():
    places = [ROOT / "README.md", ROOT / "src", ROOT / "scenarios", ROOT / "docs"]
    places += [ROOT / "notebooks"]
    files = [p for place in places for p in ([place] if place.is_file() else place.rglob("*"))]
    leaks = [
        str(f.relative_to(ROOT))
        for f in files
        if f.is_file()
        and not {"__pycache__", "wijksim.egg-info", "site"} & set(f.relative_to(ROOT).parts)
        and "shared/" in f.read_text(errors="ignore")
    ]
    assert not leaks
