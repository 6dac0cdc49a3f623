"""Reading a team's registration CSV: every row checked, every problem located.

A registration is typed by hand and exported by tools that each have their
habits (Excel writes ``;`` between cells in a Dutch locale, a byte-order mark,
Windows-1252 text). What can be read unambiguously is read; everything else is
refused as ``file:line: column: what is wrong``, with a hint where one helps.
Nothing is guessed: a date is ``YYYY-MM-DD`` (a time after it is ignored), text
is UTF-8 (or UTF-16/32 with a byte-order mark), a theme is one printable line.

Only local regular files are read, of at most
:data:`~wijksim.scenario.files.MAX_CSV_BYTES`: a URL, a folder, a FIFO or a
device is refused before anything is opened.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ..scenario.files import MAX_CSV_BYTES, UnreadableFile, read_bytes
from ..scenario.problems import escape_controls, unknown

REQUIRED = ("requested", "theme", "start", "end")
OPTIONAL = ("severity", "returning")
YES = {"yes", "y", "ja", "j", "true", "1"}
NO = {"no", "n", "nee", "false", "0", ""}
#: Dates outside these are typos (0001, 9999) whatever the period: no team
#: registered requests before 1950, and pandas cannot hold dates past 2262.
EARLIEST, LATEST = date(1950, 1, 1), date(2150, 12, 31)
#: Longest theme or severity name (characters).
MAX_NAME = 100
#: Separators read, tried in this order on the header.
SEPARATORS = (",", ";", "\t")

_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DATE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"  # the date
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?"  # a time, ignored
    r" ?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"  # and its time zone: the date is as written
)
_DUTCH_DATE = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
_NEWLINE = re.compile(rb"\r\n|\r|\n")
_ENCODING_HINT = "save it as UTF-8 (Excel: 'CSV UTF-8')"
#: What a registration given as a frame is called in messages.
FRAME = "a registration frame"


def where(source: str, line: int) -> str:
    """``file:line``, or ``a registration frame, row N``."""
    return f"{source}, row {line}" if source == FRAME else f"{source}:{line}"


def row_lines(frame: pd.DataFrame) -> pd.Series:
    """Each row's line in the file (its index for a frame without lines)."""
    return frame["line"] if "line" in frame else pd.Series(frame.index, frame.index)


def shown(text: str, limit: int = 40) -> str:
    """A cell as a message may quote it: escaped, and cut when long."""
    cut = text if len(text) <= limit else text[: limit - 1] + "…"
    return escape_controls(repr(cut))  # repr escapes what is not printable


def read_requests(path: str | Path) -> pd.DataFrame:
    """The registration as a frame of dates, one row per request, checked row by row.

    Columns: ``requested``, ``theme``, ``start``, ``end`` (dates; ``NaT`` where
    empty), ``severity`` and ``returning`` (a bool) when the file has them, and
    ``line``: the line of the file each row starts on. Raises ``ValueError``
    with ``file:line: column: what is wrong``.
    """
    source = escape_controls(str(path))
    rows = _records(_text(path, source), source)
    header_line, header = next(rows, (0, []))
    if not header:
        raise ValueError(f"{source}: empty (no header, no requests)")
    columns = _columns(header, f"{source}:{header_line}")
    width = len(header)
    parsed: dict[str, list] = {name: [] for name in (*columns, "line")}
    read: dict[tuple[str, str], object] = {}  # each distinct cell parsed once
    for line, cells in rows:
        if len(cells) > width and not any(c.strip() for c in cells[width:]):
            cells = cells[:width]  # empty cells after the last column: Excel's habit
        if len(cells) != width:
            raise ValueError(f"{source}:{line}: {_ragged(len(cells), width)}")
        for name, index in columns.items():
            key = (name, cells[index])
            value = read.get(key, read)
            if value is read:
                value = read[key] = _cell(name, cells[index], f"{source}:{line}")
            parsed[name].append(value)
        parsed["line"].append(line)
    if not parsed["line"]:
        raise ValueError(f"{source}: no requests (only a header)")
    frame = pd.DataFrame({"line": np.array(parsed["line"], dtype=np.int64)})
    for name in ("requested", "start", "end"):
        days = np.array(parsed[name], dtype=np.int64).view("datetime64[D]")
        frame[name] = pd.to_datetime(days.astype("datetime64[ns]"))
    for name in ("theme", "severity", "returning"):
        if name in columns:
            frame[name] = parsed[name]
    if "returning" in columns:
        frame["returning"] = frame["returning"].astype(bool)
    check_requests(frame, source)
    return frame


def check_requests(
    frame: pd.DataFrame, source: str, severities: Sequence[str] | None = None
) -> None:
    """Refuse what a registration cannot hold, at the first row that holds it:
    dates out of order or outside :data:`EARLIEST`–:data:`LATEST`, empty or
    unprintable themes, and (given ``severities``) unknown severities.

    ``frame`` is as :func:`read_requests` returns; without a ``line`` column a
    row is named by its index.
    """
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ValueError(f"{source}: missing columns: {', '.join(missing)}")
    for name in ("requested", "start", "end"):
        if not pd.api.types.is_datetime64_any_dtype(frame[name]):
            raise ValueError(f"{source}: {name}: expected dates (datetime64)")
        if getattr(frame[name].dt, "tz", None) is not None:
            raise ValueError(f"{source}: {name}: expected dates without a time zone")
    lines = row_lines(frame)

    def first(bad: pd.Series, message: str) -> None:
        if bad.any():
            at = lines[bad]
            more = f" (and {len(at) - 1:,} more rows)" if len(at) > 1 else ""
            raise ValueError(f"{where(source, int(at.iloc[0]))}: {message}{more}")

    first(frame["requested"].isna(), "requested: missing (the day the request came in)")
    low, high = pd.Timestamp(EARLIEST), pd.Timestamp(LATEST)
    for name in ("requested", "start", "end"):
        days = frame[name]
        outside = days.notna() & ((days < low) | (days > high))
        if outside.any():
            first(outside, implausible(name, days[outside].iloc[0].date()))
    first(frame["start"] < frame["requested"], "start: before the request")
    first(frame["end"] < frame["start"], "end: before the start")
    first(frame["end"] < frame["requested"], "end: before the request")
    for name in ("theme", "severity"):
        if name in frame:
            fine: set[str] = set()
            for at, value in zip(lines.tolist(), frame[name].tolist(), strict=True):
                if isinstance(value, str) and value in fine:
                    continue
                problem = name_problem(value)
                if problem:
                    raise ValueError(f"{where(source, int(at))}: {name}: {problem}")
                fine.add(value)
    if "returning" in frame and not pd.api.types.is_bool_dtype(frame["returning"]):
        raise ValueError(f"{source}: returning: expected true or false")
    if severities is not None and "severity" in frame:
        known = frame["severity"].isin(list(severities))
        if not known.all():
            name = frame["severity"][~known].iloc[0]
            hint = " (give --extends a scenario whose team.case_weight names it)"
            first(~known, f"severity: {unknown('severity', name, severities)}{hint}")


def name_problem(value: object) -> str | None:
    """What is wrong with a theme or severity name, or ``None``."""
    if not isinstance(value, str):
        return f"expected text, got {type(value).__name__}"
    if not value:
        return "missing"
    if not value.isprintable():
        bad = next(c for c in value if not c.isprintable())
        return (
            f"holds a control or invisible character (U+{ord(bad):04X}): "
            "a name is one line of visible text"
        )
    if len(value) > MAX_NAME:
        return f"longer than {MAX_NAME} characters"
    if value != value.strip():
        return "starts or ends with a space"
    return None


# -- bytes, text, records --------------------------------------------------------------


def _text(path: str | Path, source: str) -> str:
    text = str(path)
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", text):
        raise ValueError(f"{source}: a URL: only local files are read (download it first)")
    try:
        data = read_bytes(text, MAX_CSV_BYTES)
    except UnreadableFile as exc:
        raise ValueError(f"{source}: cannot read: {exc}") from None
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    if encoding == "utf-8" and b"\0" in data:
        line = _line_at(data, data.index(b"\0"))
        raise ValueError(
            f"{source}:{line}: holds a NUL byte: UTF-16 text without a byte-order mark,"
            f" or not text at all? {_ENCODING_HINT}"
        )
    try:
        decoded = data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = encoding.replace("-sig", "").upper()
        if encoding == "utf-8":
            line = _line_at(data, exc.start)
            byte = data[exc.start]
            raise ValueError(
                f"{source}:{line}: not UTF-8 text (byte 0x{byte:02X}; a Windows-1252 or"
                f" Latin-1 export?): {_ENCODING_HINT}"
            ) from None
        raise ValueError(f"{source}: not valid {name} text: {_ENCODING_HINT}") from None
    if "\0" in decoded:
        line = decoded[: decoded.index("\0")].count("\n") + 1
        raise ValueError(f"{source}:{line}: holds a NUL character")
    return decoded


def _line_at(data: bytes, offset: int) -> int:
    return len(_NEWLINE.findall(data, 0, offset)) + 1


def _records(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank records and the line each starts on, split at the header's separator."""
    stream = io.StringIO(text, newline="")
    first = stream.readline()
    offset = 0
    match = re.fullmatch(r"sep=(.)\r?\n?", first)  # Excel's own separator line
    if match:
        separator, offset = match.group(1), 1
    else:
        header = next((line for line in io.StringIO(text, newline="") if line.strip()), "")
        separator = _separator(header)
        stream.seek(0)
    reader = csv.reader(stream, delimiter=separator, strict=True)
    previous = 0
    while True:
        line = previous + 1 + offset
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ValueError(f"{source}:{line}: {_csv_problem(str(exc))}") from None
        previous = reader.line_num
        if any(c.strip() for c in cells):
            yield line, cells


def _separator(header_line: str) -> str:
    """The separator under which the header names the most required columns."""

    def found(separator: str) -> int:
        try:
            names = next(csv.reader([header_line.rstrip("\r\n")], delimiter=separator))
        except (csv.Error, StopIteration):
            return 0
        return len({n.strip().lower() for n in names} & set(REQUIRED))

    return max(SEPARATORS, key=found)  # the first of the best: a comma unless others win


def _csv_problem(message: str) -> str:
    if "field larger than field limit" in message:
        return f"a cell longer than {csv.field_size_limit():,} characters (a quote never closed?)"
    if "unexpected end of data" in message or "EOF" in message:
        return 'a quote (") opened on this line is never closed'
    if "expected after" in message:
        return 'a quote (") inside a cell: quote the whole cell, and double each quote in it'
    return f"not CSV: {message}"


def _columns(header: list[str], at: str) -> dict[str, int]:
    """Where each column this reads is; other columns are never read."""
    names = [c.strip().lower() for c in header]
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in (*REQUIRED, *OPTIONAL):
            if name in columns:
                raise ValueError(
                    f"{at}: column {name!r} appears twice (columns {columns[name] + 1}"
                    f" and {index + 1})"
                )
            columns[name] = index
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        listed = ", ".join(shown(n, 30) for n in names[:12]) + (", …" if len(names) > 12 else "")
        hint = f" (the header has: {listed}; separate cells with , or ;)" if names else ""
        raise ValueError(f"{at}: missing columns: {', '.join(missing)}{hint}")
    return columns


def _ragged(cells: int, width: int) -> str:
    if cells > width:
        return (
            f"{cells} cells where the header has {width}: a separator inside a cell (a decimal"
            " comma such as 2,5?) needs quotes around the cell"
        )
    return f"{cells} cells where the header has {width} (cells missing, or a line broken in two?)"


#: Days since 1970-01-01 of an empty date cell (NaT as numpy holds it).
_NO_DAY = np.iinfo(np.int64).min
_EPOCH = date(1970, 1, 1).toordinal()


def _cell(name: str, text: str, at: str) -> object:
    """A cell's value: a date as days since 1970 (:data:`_NO_DAY` when empty),
    a bool for ``returning``, the stripped text of a name."""
    value = text.strip()
    if name in ("requested", "start", "end"):
        return _date(name, value, at).toordinal() - _EPOCH if value else _NO_DAY
    if name == "returning":
        answer = value.lower()
        if answer not in YES | NO:
            raise ValueError(f"{at}: returning: give yes or no, not {shown(value)}")
        return answer in YES
    return value  # a name: checked with the frame


def _date(name: str, text: str, at: str) -> date:
    match = _DATE.fullmatch(text)
    if not match:
        hint = "write YYYY-MM-DD, e.g. 2023-01-31"
        if _DUTCH_DATE.fullmatch(text):
            hint = "a day-month-year date? " + hint
        elif re.fullmatch(r"\d{5}([.,]\d+)?", text):
            hint = "an Excel day number? format the column as yyyy-mm-dd before exporting"
        raise ValueError(f"{at}: {name}: not a date: {shown(text)} ({hint})")
    year, month, day = (int(g) for g in match.groups()[:3])
    hour, minute, second = (int(g) if g else 0 for g in match.groups()[3:])
    try:
        value = date(year, month, day)
    except ValueError:
        raise ValueError(f"{at}: {name}: not a date: {shown(text)} (no such day)") from None
    if hour > 23 or minute > 59 or second > 60:
        raise ValueError(f"{at}: {name}: not a date: {shown(text)} (no such time of day)")
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"{at}: {implausible(name, value)}")
    return value


def implausible(name: str, day: date) -> str:
    """The message for a date outside :data:`EARLIEST`–:data:`LATEST`."""
    span = f"before {EARLIEST.year} or after {LATEST.year}"
    return f"{name}: {day} is not a plausible date ({span}): a typo?"


__all__ = ["EARLIEST", "LATEST", "check_requests", "read_requests"]
