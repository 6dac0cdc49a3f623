"""The notebooks run on a real Jupyter kernel, as a reader runs them, with a
small replication count (``WIJKSIM_REPLICATIONS``); they are committed with
their outputs stripped."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
#: Replications per scenario in the test run (the notebooks default to 20).
REPLICATIONS = "2"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_a_kernel(path, monkeypatch):
    monkeypatch.setenv("WIJKSIM_REPLICATIONS", REPLICATIONS)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute(env=dict(os.environ))  # raises CellExecutionError on any failing cell
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any(o.output_type in ("execute_result", "display_data") for o in outputs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_stripped(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{path.name}: outputs not stripped (run `make strip-notebooks`)"
            )
    assert set(notebook.metadata) <= {"kernelspec", "language_info"}


def test_there_are_notebooks():
    assert {p.stem for p in NOTEBOOKS} >= {
        "quickstart",
        "comparing-interventions",
        "embedding",
        "uncertainty-and-sensitivity",
        "sweep-with-dask",
    }
