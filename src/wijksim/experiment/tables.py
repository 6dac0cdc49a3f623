"""A table of results on disk: CSV whose floats read back bit for bit, and a
Parquet copy beside it when pyarrow is installed; every file written atomically
(:mod:`wijksim.experiment.outputs`)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from .outputs import OutputError, read_regular, write_bytes, write_text


def write_csv(frame: pd.DataFrame, path: Path, *, within: Path | None = None) -> None:
    """A frame as CSV; floats are written in full (``repr``), so they read back exactly.
    Written as :func:`~.outputs.write_bytes` writes (``within``: its results folder)."""
    write_text(path, frame.to_csv(index=False), within=within)


def read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV written by :func:`write_csv`, floats bit for bit; only a
    regular file (a pipe or a link there is refused in words, naming it)."""
    try:
        data = io.BytesIO(read_regular(path))
    except OSError as exc:
        raise OutputError(path, f"cannot read: {exc.strerror}") from None
    if int(pd.__version__.split(".")[0]) >= 3:  # round trip is the default from pandas 3
        return pd.read_csv(data)
    return pd.read_csv(data, float_precision="round_trip")


def has_parquet() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def write_frame(frame: pd.DataFrame, folder: Path, name: str) -> list[Path]:
    """``name.csv`` and, when pyarrow is installed, ``name.parquet``; both atomic."""
    written = [folder / f"{name}.csv"]
    write_csv(frame, written[0], within=folder)
    if has_parquet():
        path = folder / f"{name}.parquet"
        buffer = io.BytesIO()  # pyarrow would open the path itself, following a link
        frame.to_parquet(buffer, index=False)
        write_bytes(path, buffer.getvalue(), within=folder)
        written.append(path)
    return written
