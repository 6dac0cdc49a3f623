"""The documentation site builds in strict mode (a broken link, a stale API
reference or a docstring MkDocs cannot read fails), with the generated pages."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path

import pytest

from wijksim.scenario.reference import scenario_keys

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(docs_site):
    return docs_site  # one build for the whole test run (conftest.py)


def test_the_key_reference_lists_every_key(site):
    page = (site / "reference" / "scenario-keys" / "index.html").read_text(encoding="utf-8")
    missing = [k.path for k in scenario_keys() if html.escape(k.path, quote=False) not in page]
    assert not missing


class _Tables(HTMLParser):
    """The rows of a page's tables, each a list of its cells' text."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def test_every_key_is_one_row_of_the_reference(site):
    """As a reader sees it: each key of the schema is the first cell of a row of
    its own, in order, with all five cells (a description that ends a table, or
    runs on into a row of its own, shows here)."""
    tables = _Tables()
    tables.feed((site / "reference" / "scenario-keys" / "index.html").read_text(encoding="utf-8"))
    header = ["key", "type", "unit", "default", "description"]
    rows = [row for row in tables.rows if row != header]
    assert [row[0] for row in rows] == [k.path for k in scenario_keys()]
    assert all(len(row) == len(header) for row in rows)

    def letters(text: str) -> str:  # as shown: no code marks, no line breaks
        return "".join(text.replace("``", "").split())

    cut = [
        k.path
        for k, row in zip(scenario_keys(), rows, strict=True)
        if letters(row[4]) != letters(k.description)
    ]
    assert not cut  # every description whole, in its own row


def test_the_api_reference_and_the_changelog_are_filled_in(site):
    api = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    for name in (
        "simulation.simulate",
        "model.wijkteam.WijkteamModel.submit",
        "analysis.comparison.compare",
        "analysis.calibration.calibrate",
        "experiment.sweep.run_sweep",
    ):
        assert f'id="wijksim.{name}"' in api, name
    changelog = (site / "changelog" / "index.html").read_text(encoding="utf-8")
    assert "Unreleased" in changelog and "<!-- changelog -->" not in changelog
    cli = (site / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    assert "wijksim calibrate" in cli


def test_every_notebook_is_listed_in_the_docs():
    listed = (ROOT / "docs" / "notebooks.md").read_text(encoding="utf-8")
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        assert f"`{path.name}`" in listed, path.name


def test_the_readme_points_to_the_documentation():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make docs" in readme and "docs/" in readme


def test_the_citation_names_the_current_version():
    import tomllib

    from ruamel.yaml import YAML

    citation = YAML(typ="safe").load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert str(citation["version"]) == project["version"]
    assert citation["license"] == project["license"]
