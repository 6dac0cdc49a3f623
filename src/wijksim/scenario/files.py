"""Reading the files a scenario names, safely: only regular files of a sane size.

A scenario may name any path (``extends:``, ``csv:``); a device such as
``/dev/zero`` would be read forever, a FIFO would block, a huge file would
fill memory. Each is refused in words before it is opened.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: Largest scenario file read (bytes): scenarios are a few kilobytes.
MAX_SCENARIO_BYTES = 1 << 20
#: Largest CSV file read (bytes): a registration export or observed durations.
MAX_CSV_BYTES = 64 << 20


class UnreadableFile(ValueError):
    """A named file cannot be read as one; the message says why, in words."""


def checked_path(path: str | Path, limit: int) -> Path:
    """``path`` if it names a regular file of at most ``limit`` bytes."""
    text = str(path)
    if "\0" in text:
        raise UnreadableFile("a file name cannot hold a NUL character")
    try:
        info = os.stat(text)
    except FileNotFoundError:
        raise UnreadableFile("file not found") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFile("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile("is not a regular file (a device or a pipe?)")
    if info.st_size > limit:
        raise UnreadableFile(f"is too large ({info.st_size:,} bytes; at most {limit:,})")
    return Path(text)


def read_bytes(path: str | Path, limit: int) -> bytes:
    """The content of a regular file of at most ``limit`` bytes.

    Opened without blocking and checked again once open: a FIFO put in the
    file's place after the check cannot make the read wait for a writer.
    """
    checked = checked_path(path, limit)
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(checked, flags)
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnreadableFile("is not a regular file (a device or a pipe?)")
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise UnreadableFile(f"cannot read file: {exc.strerror}") from None
    if len(data) > limit:  # grew since it was checked
        raise UnreadableFile(f"is too large (at most {limit:,} bytes)")
    return data


def read_text(path: str | Path, limit: int = MAX_SCENARIO_BYTES) -> str:
    """The text (UTF-8) of a regular file of at most ``limit`` bytes."""
    data = read_bytes(path, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableFile("is not UTF-8 text") from None
