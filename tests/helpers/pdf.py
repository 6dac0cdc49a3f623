"""Read a printed page back: text per page and words with their boxes, from
Debian's poppler-utils (``pdftotext``), and the check that no table row of an
HTML page was cut across pages or lost when it was printed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path


def pdftotext_or_skip() -> str:
    """The ``pdftotext`` executable; skipped without it, except in CI where
    ``make browser`` installs it beside Chromium (there: a failure)."""
    import pytest

    found = shutil.which("pdftotext")
    if found is not None:
        return found
    installable = os.geteuid() == 0 and shutil.which("apt-get") is not None
    if os.environ.get("CI", "").lower() == "true" and installable:
        pytest.fail("CI=true and apt-get is usable, but poppler-utils is not installed")
    pytest.skip("pdftotext (Debian: poppler-utils) is not installed: the print check did not run")


def pages(pdf: Path) -> list[str]:
    """The text of each page, in the order it was drawn (``pdftotext -raw``)."""
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def page_size(pdf: Path) -> tuple[float, float]:
    """Width and height of the first page, in points."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info.stdout)
    assert found, info.stdout
    return float(found[1]), float(found[2])


def word_right_edges(pdf: Path) -> list[tuple[float, str]]:
    """The right edge (points) and text of every word on every page."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [(float(x), w) for x, w in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', html)]


class _Rows(HTMLParser):
    """The text of each body row of each table, in document order (header
    rows are left out: a printed table repeats them on every page)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[str] = []
        self._row: list[str] | None = None
        self._head = 0

    def handle_starttag(self, tag, attrs):
        if tag == "thead":
            self._head += 1
        elif tag == "tr" and not self._head:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._row.append(" ")  # cells apart in what a failure shows

    def handle_endtag(self, tag):
        if tag == "thead":
            self._head -= 1
        elif tag == "tr" and self._row is not None:
            self.rows.append("".join(self._row))
            self._row = None

    def handle_data(self, data):
        if self._row is not None:
            self._row.append(data)


def _squashed(text: str) -> str:
    # whitespace differs between the page and its print (wrapped cells, no-break
    # spaces, a hyphen that ends a line): compared without it
    return re.sub(r"\s+", "", text)


def rows_not_whole(html: str, pdf: Path) -> list[str]:
    """The table rows of ``html`` that its print ``pdf`` does not hold whole on
    one page: cut across two pages (a page break falls inside the row), or
    partly lost (a column cut off at the page's edge). Rows are looked for in
    order, each after the one before, in the text as it was drawn."""
    parser = _Rows()
    parser.feed(html)
    # "\x00" marks a page break; a row found across one is a row cut in two
    drawn = "\x00".join(_squashed(page) for page in pages(pdf))
    out, cursor = [], 0
    for row in parser.rows:
        wanted = _squashed(row)
        if not wanted:
            continue
        at = drawn.find(wanted, cursor)
        if at < 0:
            out.append(" ".join(row.split())[:120])
            continue
        cursor = at + len(wanted)
    return out


__all__ = ["page_size", "pages", "pdftotext_or_skip", "rows_not_whole", "word_right_edges"]
