"""Strip outputs, execution counts and extra metadata from the notebooks, so
they are committed as a reader should first see them (`make strip-notebooks`)."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.validator import normalize

KEEP = ("kernelspec", "language_info")


def strip(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        cell.metadata = {}
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook.metadata = {k: v for k, v in notebook.metadata.items() if k in KEEP}
    _, clean = normalize(notebook)
    nbformat.write(nbformat.from_dict(clean), path)


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted(Path("notebooks").glob("*.ipynb"))
    for path in paths:
        strip(path)
        print(f"stripped {path}", file=sys.stderr)
