"""The notebooks run: their code cells are executed in order, as a reader would."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, monkeypatch):
    matplotlib.use("Agg")
    monkeypatch.chdir(path.parent)
    cells = json.loads(path.read_text())["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert code, "a notebook without code"
    namespace: dict = {"__name__": "__main__"}
    for source in code:
        exec(compile(source, str(path), "exec"), namespace)


def test_there_is_a_notebook():
    assert NOTEBOOKS
