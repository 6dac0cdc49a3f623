"""The documentation site builds in strict mode (a broken link, a stale API
reference or a docstring MkDocs cannot read fails), with the generated pages."""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wijksim.scenario.reference import scenario_keys

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def test_the_key_reference_lists_every_key(site):
    page = (site / "reference" / "scenario-keys" / "index.html").read_text(encoding="utf-8")
    missing = [k.path for k in scenario_keys() if html.escape(k.path, quote=False) not in page]
    assert not missing


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
