"""The documentation site as a reader's browser shows it, offline: every page
opened in headless Chromium (served on loopback, as a web server would)."""

from __future__ import annotations

import re
from pathlib import Path

from helpers.browser import chromium_or_skip, inspect_pages
from helpers.site import served

DOCS = Path(__file__).resolve().parents[2] / "docs"
FENCE = re.compile(r"^[ \t]*(?:`{3,}|~{3,})[ \t]*mermaid[ \t]*$", re.MULTILINE)

#: What the page shows once it has settled (a script that fetches something
#: after the load event has 0.1 s to do it): mermaid's diagrams (an SVG whose
#: role mermaid describes, however it was drawn) with their size and text,
#: and the page's visible text.
SETTLED = """new Promise(done => setTimeout(() => done(JSON.stringify({
  diagrams: Array.from(document.querySelectorAll("svg[aria-roledescription]")).map(svg => {
    const box = svg.getBoundingClientRect();
    return {width: box.width, height: box.height, text: svg.textContent.trim()};
  }),
  text: document.body.innerText,
})), 100))"""


def diagrams_in_sources() -> dict[str, list[str]]:
    """Per page address (``model/``), the first line of each mermaid diagram
    its Markdown source holds (``flowchart LR``)."""
    out = {}
    for path in DOCS.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        firsts = [
            text[m.end() :].lstrip("\n").split("\n", 1)[0].strip() for m in FENCE.finditer(text)
        ]
        if firsts:
            page = path.relative_to(DOCS).with_suffix("").as_posix()
            out["" if page == "index" else page.removesuffix("/index") + "/"] = firsts
    return out


def test_the_site_renders_offline_in_a_real_browser(docs_site, tmp_path):
    """No console errors, no request outside the site, every diagram drawn as an
    SVG (none left as code), every image loaded, on every page."""
    chromium = chromium_or_skip()
    pages = sorted(
        p.relative_to(docs_site).parent.as_posix() for p in docs_site.rglob("index.html")
    )
    pages = ["" if p == "." else p + "/" for p in pages]
    expected = diagrams_in_sources()
    assert expected, "no diagram in the docs: this test would check none"
    assert set(expected) <= set(pages)
    with served(docs_site) as root:
        reports = inspect_pages(chromium, [root + p for p in pages], tmp_path, script=SETTLED)
    problems = []  # every page's, so that one run shows all that is wrong
    for page in pages:
        report = reports[root + page]
        problems += [f"{page}: console: {e[:300]}" for e in report.console_errors]
        outside = [u for u in report.requests if not u.startswith((root, "data:", "blob:"))]
        problems += [f"{page}: request outside the site: {u}" for u in outside]
        images = [i for i in report.images if not (i["complete"] and i["naturalWidth"] > 0)]
        problems += [f"{page}: image not loaded: {i['src']}" for i in images]
        drawn = report.evaluated["diagrams"]
        shown = [d for d in drawn if d["width"] > 100 and d["height"] > 50 and d["text"]]
        wanted = len(expected.get(page, []))
        if len(shown) != wanted:
            problems.append(f"{page}: {len(shown)} diagrams drawn, {wanted} in its source")
        problems += [
            f"{page}: diagram shown as code: {first}"
            for first in expected.get(page, [])
            if first in report.evaluated["text"]
        ]
    assert not problems, "\n".join(problems)
