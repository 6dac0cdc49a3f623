"""Text from scenario files and CSVs made inert in the Markdown report.

The HTML report is autoescaped by Jinja2; Markdown has no such switch, so the
Markdown template runs every ``{{ value }}`` through :func:`finalize`: a name
with a ``|`` would end a table cell, a newline a table row, ``<script>`` would
pass as raw HTML and ``[x](javascript:...)`` would become a link. What the
template marks as already safe (:class:`Markdown`: a code span, a file path)
passes unchanged.

The rules are CommonMark's (with GitHub's tables): a backslash before ASCII
punctuation makes it a literal character, and ``\\|`` is a literal pipe even
inside a table's code span.
"""

from __future__ import annotations

import re
from urllib.parse import quote


class Markdown(str):
    """Text that is already Markdown (made by the filters below): not escaped again."""


#: Characters that start markup anywhere in a line: emphasis, code, links and
#: images, raw HTML and entities, headings, strikethrough, table cells, escapes.
_INLINE = re.compile(r"([\\`*_\[\]<>&#~|])")
#: Line breaks and other control characters: a table row must stay one line.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
#: What starts a block when it opens a line (a list item ``- x``, ``+ x``,
#: ``1. x``, ``1) x``, or a line of only ``-``/``=``: a rule or a heading's
#: underline); a number such as ``+9,6%`` in a cell is left as it is.
_BLOCK_START = re.compile(r"^(?:[-+](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|[-=](?=[-=\s]*$))")


def escape(value: object) -> str:
    """``value`` as literal text on one line of Markdown (a table cell, a list item)."""
    if isinstance(value, Markdown):
        return value
    text = _BREAKS.sub(" ", str(value)).strip()
    text = _INLINE.sub(r"\\\1", text)
    found = _BLOCK_START.match(text)
    if found:  # the marker's last character escaped: "\\- x", "1\\. x"
        end = found.end() if found[0].isdigit() else 0
        text = text[:end] + "\\" + text[end:]
    return text


def paragraphs(value: object) -> Markdown:
    """A description of several paragraphs, each escaped as one line, kept apart."""
    parts = re.split(r"\n\s*\n", str(value).strip())
    return Markdown("\n\n".join(escape(part) for part in parts if part.strip()))


def code(value: object) -> Markdown:
    """``value`` as a code span (a parameter key): a fence longer than any run of
    backticks inside, on one line, its pipes escaped for the table around it."""
    text = _BREAKS.sub(" ", str(value)).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markdown(f"{fence}{pad}{text}{pad}{fence}")


def path(value: object) -> Markdown:
    """A relative file path as a link destination (percent-encoded)."""
    return Markdown(quote(str(value)))


def finalize(value: object) -> str:
    """Jinja2's ``finalize`` for the Markdown template: every value escaped."""
    if value is None:
        return ""
    return escape(value)


FILTERS = {"paragraphs": paragraphs, "code": code, "path": path}

__all__ = ["FILTERS", "Markdown", "code", "escape", "finalize", "paragraphs", "path"]
