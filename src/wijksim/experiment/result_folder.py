"""The results folder itself: checked before any work (a path that is not a
folder, a folder that cannot be written, a user's files beside the results are
refused in words), and the temporary files a killed run left in it."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from ..scenario import Problem, ScenarioError
from .outputs import OutputError, not_a_file, temporary

_TMP = re.compile(r"^\..+\.(\d+)\.tmp$")

#: Names an experiment folder holds at its top (anything else is a user's file).
EXPERIMENT_FILES = re.compile(
    r"^(manifest\.json|scenarios|batches|experiments|[\w-]+\.(csv|parquet|json|md|html|png))$|^\."
    # what ``compare --breakeven`` and ``--report`` put beside the results
    r"|^(breakeven-[\w-]+|[\w-]+_plots)$"
)


def check_folder(folder: str | Path, *, own: Callable[[str], bool]) -> Path:
    """``folder`` as a place to write results, checked before any work is done.

    Refused (a :class:`ScenarioError`, exit 2 from the CLI): an empty name, a
    path that is not a folder, a folder that cannot be written, and a folder
    holding files for which ``own(name)`` is false (a user's files are never
    overwritten).
    """
    text = str(folder)
    if not text.strip() or "\0" in text:
        raise ScenarioError([Problem("--out", None, "", f"not a folder name: {text!r}")])
    path = Path(folder)
    where = str(path)
    if path.exists() and not path.is_dir():
        raise ScenarioError([Problem(where, None, "", "exists and is not a folder")])
    if path.is_dir():
        try:
            entries = list(os.scandir(path))
        except OSError as exc:
            raise OutputError(path, f"cannot read: {exc.strerror}") from None
        others = sorted(e.name for e in entries if not own(e.name))
        if others:
            shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
            message = f"holds other files ({shown}); use a new or empty folder"
            raise ScenarioError([Problem(where, None, "", message)])
        for entry in entries:
            # what wijksim writes here goes only to files and folders of its own:
            # a link or a pipe under one of its names is refused before any work
            # (hidden names are temporary files, never written by name)
            try:
                what = not_a_file(entry.stat(follow_symlinks=False).st_mode)
            except FileNotFoundError:  # gone since the folder was listed
                continue
            if what not in (None, "a folder") and not entry.name.startswith("."):
                raise OutputError(
                    path / entry.name, f"{what}, not a regular file: not replaced (remove it)"
                )
    try:
        path.mkdir(parents=True, exist_ok=True)
        handle, probe = temporary(path, "probe")
        os.close(handle)
        probe.unlink()
    except OSError as exc:
        raise ScenarioError(
            [Problem(where, None, "", f"cannot write here: {exc.strerror}")]
        ) from None
    return path


def stale(name: str) -> bool:
    """A temporary file left by a process that is no longer running."""
    match = _TMP.match(name)
    if not match:
        return False
    try:
        os.kill(int(match[1]), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False


def temporary_files(folder: Path) -> Iterator[Path]:
    """Temporary files anywhere in ``folder``, without following a link out of it."""
    for where, folders, files in os.walk(folder):
        for name in [*files, *folders]:
            if _TMP.match(name):
                yield Path(where) / name
