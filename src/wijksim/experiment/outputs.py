"""Every file wijksim writes, written one way: only to a regular file or a new
path, atomically, never through a symbolic link.

An output name given by a user (``--report``, ``--out``, a calibrated scenario)
may already name a named pipe, a device, a folder or a link. Writing through it
would block on the pipe, replace a device node (run as root, a system one) or
write outside the folder the user chose; so anything there but a regular file
is refused, in words, naming the path. A file is written to a new temporary
name in the same folder (created exclusively, never following a link), flushed
to disk and renamed over its target: a reader never sees half a file, and a
full disk, a file-size limit (``ulimit -f``) or a read-only folder leaves the
old file as it was and says which file could not be written. The error is an
:class:`OutputError`, a :class:`~wijksim.scenario.ScenarioError` naming the
path, so the command line answers with exit 2 and the next run starts clean.

Reading back what wijksim wrote (:func:`open_regular`) refuses the same things:
a pipe would block a reader for ever, a link could point anywhere.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from ..scenario import Problem, ScenarioError

#: Flags every open by name adds: no link followed, not inherited by workers.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class OutputError(ScenarioError):
    """A file could not be written (or read back) where it should be: the path
    and the reason, in words (exit 2 from the command line)."""

    def __init__(self, path: str | os.PathLike[str], message: str):
        self.path = Path(path)
        super().__init__([Problem(str(path), None, "", message)])


def not_a_file(mode: int) -> str | None:
    """What a file of ``mode`` (from ``lstat``) is in words, when it is not a
    regular file; ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something else"


def check_target(path: str | os.PathLike[str], *, folder: bool = False) -> None:
    """Refuse (:class:`OutputError`) to write ``path`` unless it is a new path or
    a regular file (with ``folder``: a real folder, to write files in); checked
    before the work whose result goes there."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(path, f"cannot write: {exc.strerror}") from None
    what = not_a_file(mode)
    if folder and what != "a folder":
        raise OutputError(path, _NOT_A_FOLDER.format(what or "a file"))
    if not folder and what is not None:
        raise OutputError(
            path, f"{what}, not a regular file: not replaced (remove it or write elsewhere)"
        )


_NOT_A_FOLDER = "{} where a folder should be: not followed or replaced (remove it)"


def write_bytes(
    path: str | os.PathLike[str], data: bytes, *, within: str | os.PathLike[str] | None = None
) -> None:
    """Write ``data`` to ``path`` atomically (see the module docstring).

    ``within``: a folder that ``path`` lies in (a results folder); every folder
    between it and ``path`` is made when missing and must be a real folder, not
    a link (so nothing is written outside it). Without it the parent folders
    are made as needed, as given.
    """
    path = Path(path)
    check_target(path)
    try:
        if within is None:
            path.parent.mkdir(parents=True, exist_ok=True)
        else:
            _real_folders(path.parent, Path(within))
        handle, tmp = temporary(path.parent, path.name)
    except OSError as exc:
        raise OutputError(path, f"cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            # the data on disk before the rename makes it visible: a crash leaves
            # the old file or the new one, never half of one (a lost rename only
            # means a batch runs again)
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(path, f"cannot write: {exc.strerror}") from None


def write_text(
    path: str | os.PathLike[str], text: str, *, within: str | os.PathLike[str] | None = None
) -> None:
    """``text`` as UTF-8, written as :func:`write_bytes` writes (line ends as given)."""
    write_bytes(path, text.encode("utf-8"), within=within)


def temporary(folder: Path, name: str) -> tuple[int, Path]:
    """A new, empty file in ``folder`` for ``name``, open for writing: created
    exclusively (never an existing file, pipe or link) with ordinary permissions.

    Named ``.<name>.<random>.<pid>.tmp``: hidden, and ending in the id of the
    process writing it, so that a later run removes it only once that process
    has ended (:func:`wijksim.experiment.result_folder.stale`).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW
    while True:
        tmp = folder / f".{name[:180]}.{secrets.token_hex(4)}.{os.getpid()}.tmp"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:  # taken (by chance or on purpose): another name
            continue


def _real_folders(folder: Path, within: Path) -> None:
    """Make every folder from ``within`` down to ``folder``; each must be a real
    folder (a link, a file or a pipe in the way is refused in words)."""
    here = within
    for part in folder.relative_to(within).parts:
        here = here / part
        with suppress(FileExistsError):
            os.mkdir(here)
        what = not_a_file(os.lstat(here).st_mode)
        if what != "a folder":
            raise OutputError(here, _NOT_A_FOLDER.format(what or "a file"))


@contextmanager
def open_regular(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """``path`` open for reading, if it is a regular file (not through a link);
    otherwise an :class:`OSError` whose ``strerror`` says what it is.

    A named pipe opened for reading blocks until someone writes to it, and a
    device may do anything when opened; both are recognised before opening.
    """
    what = not_a_file(os.lstat(path).st_mode)
    if what is None:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW)
        # checked again on the open file: it may have been swapped in between
        what = not_a_file(os.fstat(handle).st_mode)
        if what is None:
            with os.fdopen(handle, "rb") as file:
                yield file
            return
        os.close(handle)
    raise OSError(errno.EINVAL, f"{what}, not a regular file", str(path))


def read_regular(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The content of a regular file (see :func:`open_regular`); one larger than
    ``limit`` bytes raises an :class:`OSError` rather than filling memory."""
    with open_regular(path) as file:
        data = file.read() if limit is None else file.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit:,} bytes", str(path))
    return data


__all__ = [
    "OutputError",
    "check_target",
    "not_a_file",
    "open_regular",
    "read_regular",
    "temporary",
    "write_bytes",
    "write_text",
]
