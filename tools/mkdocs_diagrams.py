"""MkDocs hook: every ```mermaid fence drawn as an inline SVG at build time.

The site needs no script and no outside address to show a diagram: mermaid
itself (the JavaScript library, bundled in the ``mermaidx`` package from PyPI)
lays the diagram out when the site is built, and the page carries the SVG.
Labels are SVG text, not HTML in a ``foreignObject``, so a browser whose fonts
are a little wider than the ones measured never clips them.

Rendering takes seconds, so each SVG is kept in ``.cache/diagrams/`` under a
hash of its source, the settings and mermaidx's version.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "diagrams"

#: Fonts the SVG asks for: mermaidx measures labels in DejaVu Sans; Verdana
#: has nearly the same widths where DejaVu is not installed.
FONTS = '"DejaVu Sans", Verdana, sans-serif'
CONFIG = {"fontFamily": FONTS, "htmlLabels": False, "flowchart": {"htmlLabels": False}}
#: On a page the diagram is drawn at this share of its natural size (its labels
#: then read at about 12 px), scrolling sideways where the page is narrower.
SCALE = 0.75

#: A fence at any indentation (in an admonition, a list item): its indentation,
#: its backticks or tildes, and its body.
FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*mermaid[ \t]*\n"
    r"(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)


def on_page_markdown(markdown: str, page, config, files) -> str:
    def drawn(match: re.Match) -> str:
        indent = match["indent"]
        source = "\n".join(
            line.removeprefix(indent) for line in match["body"].rstrip("\n").split("\n")
        )
        try:
            svg = diagram_svg(source)
        except Exception as exc:  # mermaid's own message, with the page that has it
            raise PluginError(f"{page.file.src_uri}: diagram not drawn: {exc}") from exc
        return indent + f'<figure class="diagram" style="overflow-x: auto">{svg}</figure>'

    return FENCE.sub(drawn, markdown)


def diagram_svg(source: str) -> str:
    """The SVG of a mermaid diagram, ready to put in a page (kept in :data:`CACHE`)."""
    try:
        import mermaidx
    except ImportError:
        raise PluginError(
            "diagrams are drawn with mermaidx: pip install -e '.[docs]' (make docs does)"
        ) from None
    settings = json.dumps([mermaidx.__version__, CONFIG, SCALE, source], sort_keys=True)
    key = hashlib.sha256(settings.encode()).hexdigest()[:16]
    cached = CACHE / f"{key}.svg"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    svg = _for_a_page(mermaidx.render(source, config=CONFIG).svg(), f"diagram-{key}")
    CACHE.mkdir(parents=True, exist_ok=True)
    # written whole or not at all: two builds at the same time may both draw it
    with tempfile.NamedTemporaryFile("w", dir=CACHE, delete=False, encoding="utf-8") as out:
        out.write(svg)
    os.replace(out.name, cached)
    return svg


def _for_a_page(svg: str, name: str) -> str:
    """mermaid's SVG made fit to sit in a page among others: an id of its own
    (its styles are scoped by id), on one line (a blank line would end the HTML
    block in Markdown), coordinates to 0.01 px and without the edges' point
    lists (a third of the size), at :data:`SCALE` of its natural width."""
    svg = re.sub(r"\bmy-svg\b", name, svg)
    svg = re.sub(r' data-points="[^"]*"', "", svg)
    svg = re.sub(r"(\d\.\d\d)\d+", r"\1", svg)
    svg = svg.replace("\r", "").replace("\n", " ")
    width = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"', svg)
    if width:
        svg = re.sub(
            r'style="max-width: [\d.]+px;',
            f'style="max-width: none; width: {float(width[1]) * SCALE:.0f}px;',
            svg,
            count=1,
        )
    return svg
