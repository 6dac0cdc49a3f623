"""The report: self-contained HTML and Markdown, escaped, in two languages,
and opened in a real browser (headless Chromium) when one is installed."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import wijksim
from helpers import REPO
from helpers.browser import chromium_or_skip, inspect_page
from wijksim.report.document import build_context, write_report

SHORT = {"horizon": "3 years", "warmup": "1 year"}
#: A name with a pipe (a table cell ends), a newline (a table row ends), raw
#: HTML and a javascript: link; a description whose lines start blocks.
HOSTILE_NAME = "Wijk Oost | West\n<script>alert('x')</script> [x](javascript:alert(1))"
HOSTILE = """\
extends: {base}
name: "Wijk Oost | West\\n<script>alert('x')</script> [x](javascript:alert(1))"
description: |
  Een <b>vet</b> & "gevaarlijk" scenario <img src=http://example.com/x.png>

  # geen kop | geen cel
  - [klik](javascript:alert(2))
team:
  fte: 11                            # <script>alert('comment')</script> | a pipe (illustrative)
"""


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    hostile = folder / "hostile.yaml"
    hostile.write_text(HOSTILE.format(base=REPO / "scenarios" / "baseline.yaml"))
    files = [REPO / "scenarios" / "baseline.yaml", REPO / "scenarios" / "schuldhulpmaatje.yaml"]
    files.append(hostile)
    scenarios = [wijksim.load_scenario(f, SHORT) for f in files]
    comparison = wijksim.compare(scenarios, replications=3, workers=1)
    labelled = dict(zip(comparison.experiments, files, strict=True))
    waits = {label: [0.0, 1.0, 2.0, 8.0] for label in comparison.experiments}
    paths, contexts = {}, {}

    def kept(*args, **kwargs):  # what the templates were given, kept for the tests
        context = build_context(*args, **kwargs)
        contexts.setdefault(context["lang"], context)
        return context

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("wijksim.report.document.build_context", kept)
        for name, lang in (("report.html", "nl"), ("report_en.html", "en"), ("report.md", "nl")):
            paths[name] = write_report(
                comparison, folder / name, lang, files=labelled, overrides=SHORT, waits=waits
            )
    return comparison, paths, labelled, contexts


@pytest.fixture(scope="module")
def contexts(reported):
    """What the templates of the HTML reports were given, in both languages."""
    return reported[3]


class _Page(HTMLParser):
    """Tags, addresses, text blocks and table cells of a page."""

    BLOCKS = frozenset({"h1", "h2", "h3", "p", "li", "td", "th", "figcaption", "title"})

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.addresses: list[str] = []
        self.texts: list[str] = []
        self.cells: list[str] = []
        self._open: list[tuple[str, int]] = []  # blocks open now, with their text's index

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.addresses += [v for k, v in attrs if k in ("src", "href", "srcset") and v]
        if tag in self.BLOCKS:
            self._open.append((tag, len(self.texts)))
            self.texts.append("")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS and self._open and self._open[-1][0] == tag:
            _, index = self._open.pop()
            if tag in ("td", "th"):
                self.cells.append(" ".join(self.texts[index].split()))

    def handle_data(self, data):
        if self._open:
            self.texts[self._open[-1][1]] += data


class _Links(HTMLParser):
    """Every address a tag of the page points to."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.addresses: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.addresses += [v for k, v in attrs if k in ("src", "href", "srcset") and v]


def test_html_is_self_contained(reported):
    _, paths, *_ = reported
    html = paths["report.html"].read_text(encoding="utf-8")
    links = _Links()
    links.feed(html)
    assert len(links.addresses) >= 5
    assert all(a.startswith("data:image/png;base64,") for a in links.addresses)
    assert "script" not in links.tags and "link" not in links.tags
    assert "default-src 'none'" in html  # the browser may fetch nothing else


def test_text_from_scenario_files_is_escaped(reported):
    _, paths, *_ = reported
    html = paths["report.html"].read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(" in html
    assert "<b>vet</b>" not in html and "&lt;b&gt;vet&lt;/b&gt;" in html
    assert "<img src=http://example.com" not in html


def test_hostile_name_is_text_in_the_html(reported):
    _, paths, *_ = reported
    page = _Page()
    page.feed(paths["report.html"].read_text(encoding="utf-8"))
    assert "script" not in page.tags and "a" not in page.tags
    assert not [a for a in page.addresses if not a.startswith("data:image/png;base64,")]
    shown = " ".join(HOSTILE_NAME.split())
    assert sum(" ".join(t.split()) == shown for t in page.texts) >= 4  # headings and cells


def test_hostile_name_is_text_in_the_markdown(reported):
    """Rendered as GitHub renders it (CommonMark with tables), the Markdown
    report shows the name whole in every table that names the scenario, and
    none of it becomes a tag, a link or a new table row."""
    from markdown_it import MarkdownIt

    _, paths, *_ = reported
    text = paths["report.md"].read_text(encoding="utf-8")
    page = _Page()
    page.feed(MarkdownIt("commonmark").enable("table").render(text))
    assert "script" not in page.tags and "a" not in page.tags
    assert [a for a in page.addresses if "javascript" in a] == []
    assert all(a.startswith("report_plots/") for a in page.addresses)  # the plots only
    shown = " ".join(HOSTILE_NAME.split())
    cells = [c for c in page.cells if "West" in c or "alert(1)" in c]
    assert len(cells) >= 4 and all(c == shown for c in cells), cells  # one cell each
    lines = [" ".join(t.split()) for t in page.texts]
    assert lines.count(shown) >= len(cells) + 2  # and whole in headings
    assert "geen kop | geen cel" in " ".join(lines)  # a description's line starts no heading
    assert "h1" not in page.tags[1:]  # the report's title only


def test_changed_parameters_are_listed_with_their_source(contexts):
    context = contexts["nl"]
    buddies = next(s for s in context["scenarios"] if "SchuldHulpMaatje" in s["label"])
    keys = {c["key"]: c for c in buddies["changes"]}
    share = keys["interventions.SchuldHulpMaatje.diversion_share"]
    assert share["value"] == "0.4" and "offered a buddy" in share["comment"]
    lines = (REPO / "scenarios" / "schuldhulpmaatje.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "diversion_share" in text)
    assert share["source"] == f"schuldhulpmaatje.yaml:{line}"
    assert "interventions.SchuldHulpMaatje.outcomes.schuldhulpverlening vermeden.share" in keys
    assert "horizon" not in keys  # the same in both (set for all)
    hostile = next(s for s in context["scenarios"] if "script" in s["label"])
    assert [c["key"] for c in hostile["changes"]] == ["team.fte"]


def test_both_languages(reported):
    _, paths, *_ = reported
    dutch = paths["report.html"].read_text(encoding="utf-8")
    english = paths["report_en.html"].read_text(encoding="utf-8")
    assert "Ontlasting van het team" in dutch and "Maatschappelijk saldo" in dutch
    assert "Relief for the team" in english and "Social balance" in english
    assert "%-punt" in dutch and " pp" in english
    assert re.search(r"€\s\d{1,3}(\.\d{3})+", dutch)  # € 12.345 in Dutch
    assert re.search(r"€\d{1,3}(,\d{3})+", english)  # 12,345 in English


def test_markdown_report_with_plot_files(reported):
    _, paths, *_ = reported
    text = paths["report.md"].read_text(encoding="utf-8")
    assert text.startswith("# Ontlasting van het wijkteam")
    plots = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert plots
    for plot in plots:
        assert (paths["report.md"].parent / plot).stat().st_size > 1000


def test_no_interval_crosses_a_bound(reported):
    comparison, *_ = reported
    relief = comparison.relief()
    # a difference is bounded by its figure's range only, never by the baseline's
    # mean (an estimate): a difference of shares lies within [-1, 1]
    shares = relief[relief["metric"].str.startswith("share")]
    assert ((shares["ci_low"] >= -1) & (shares["ci_high"] <= 1)).all()
    for experiment in comparison.experiments.values():
        summary = experiment.summary()
        assert (summary["ci_low"].dropna() >= 0).all()
        share = summary[summary.index.str.startswith("share")]
        assert (share["ci_high"] <= 1).all()


def test_report_opens_in_a_real_browser(reported, tmp_path):
    """No console errors, every image loaded, no request left the file."""
    chromium = chromium_or_skip()  # in CI, where it could be installed, a failure
    _, paths, *_ = reported
    page = inspect_page(chromium, paths["report.html"].resolve().as_uri(), tmp_path)
    assert page.console_errors == []
    assert page.images and all(i["complete"] and i["naturalWidth"] > 0 for i in page.images)
    outside = [u for u in page.requests if not u.startswith(("file:", "data:"))]
    assert outside == []
    assert page.screenshot.stat().st_size > 10_000


def test_cli_writes_report(tmp_path):
    from click.testing import CliRunner

    from wijksim.cli import main

    files = [str(REPO / "scenarios" / "baseline.yaml")]
    files.append(str(REPO / "scenarios" / "schuldhulpmaatje.yaml"))
    out = tmp_path / "r.md"
    args = [*files, "-n", "2", "--workers", "1", "--report", str(out), "--lang", "en"]
    args += ["--set", "horizon=2 years", "--by", "year"]
    result = CliRunner().invoke(main, ["compare", *args])
    assert result.exit_code == 0, result.output
    assert "Relief per year" in result.output and "Social balance" in result.output
    assert f"Report: {out.resolve()}" in result.output
    assert "Relief for the team" in Path(out).read_text(encoding="utf-8")


# -- the first page: the answer -------------------------------------------------------

#: A figure as the report writes it, without its sign or unit: 1.234, 0,54, 12.
FIGURE = re.compile(r"\d(?:[\d.,]*\d)?")


def _strings(value) -> list[str]:
    """Every string inside a table block (rows of dicts, lists)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _strings(v)]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _strings(v)]
    return []


def test_summary_figures_are_the_tables_figures(contexts):
    """Every figure in a provision's sentence stands in one of its tables as
    written there (the issue found "0,0 euro baten per euro" in the text beside
    −0,03 in the table), and its balance, cost and chance exactly so."""
    for lang, context in contexts.items():
        assert [item["scenario"] for item in context["summary"]] == context["alternatives"]
        for item in context["summary"]:
            name = item["scenario"]
            tables = [
                block
                for key in ("relief", "pm", "payers")
                for block in context[key]
                if block["scenario"] == name
            ]
            tables += [row for row in context["totals"] if row["scenario"] == name]
            written = {f for text in _strings(tables) for f in FIGURE.findall(text)}
            sentence = item["sentence"]
            assert set(FIGURE.findall(sentence)) <= written, (lang, sentence)
            total = next(row for row in context["totals"] if row["scenario"] == name)
            for key in ("cost", "benefit", "net", "p_positive", "certainty"):
                assert total[key] in sentence, (lang, key, sentence)


def test_summary_says_what_the_balance_does_not_count(contexts, reported):
    comparison, paths, *_ = reported
    summary = {item["scenario"]: item for item in contexts["nl"]["summary"]}
    for name in comparison.alternatives:
        declared = [
            t for s in comparison.experiments[name].scenario.interventions for t in s.unvalued
        ]
        assert summary[name]["not_counted"]["words"] == declared
    buddies = next(name for name in summary if "SchuldHulpMaatje" in name)
    assert any("financiën" in text for text in summary[buddies]["not_counted"]["words"])
    labels = [row["label"] for row in summary[buddies]["not_counted"]["rows"]]
    assert "Gemiddelde wachttijd" in labels  # waits are PM posts, in weeks
    html = paths["report.html"].read_text(encoding="utf-8")
    first = html[html.index('id="summary"') : html.index('id="relief"')]
    assert first.count('class="not-counted"') == len(comparison.alternatives)
    assert "Het scenario noemt geen effecten buiten het model." in first  # the hostile one
    assert first.count('class="balance-track" role="img"') == len(comparison.alternatives)


def test_summary_sentence_in_each_language(contexts):
    dutch = " ".join(item["sentence"] for item in contexts["nl"]["summary"])
    english = " ".join(item["sentence"] for item in contexts["en"]["summary"])
    assert "wachtlijst" in dutch and "kans op een positief saldo" in dutch
    assert "waiting list" in english and "chance of a positive balance" in english
    for dutch_word in ("wachtlijst", "kosten", "saldo", "zekerheid", "inwoners"):
        assert dutch_word not in english


def test_summary_calls_an_unclear_difference_unclear():
    """A difference whose interval contains zero is not read as relief; one
    surely worse is said to be worse."""
    from wijksim.report.summary import summaries

    relief = [
        {
            "scenario": "A",
            "rows": [
                {
                    "metric": "mean_waiting_list",
                    "difference": "−3,10",
                    "unit": "personen",
                    "better": "",
                },
                {
                    "metric": "mean_wait_weeks",
                    "difference": "+0,40",
                    "unit": "weken",
                    "better": "worse",
                },
                {"metric": "diverted", "difference": "+12", "unit": "aantal", "better": "better"},
            ],
        }
    ]
    effects = [
        {
            "scenario": "A",
            "rows": [
                {"effect": "reneged", "difference": "−2,00", "unit": "per jaar", "better": "better"}
            ],
        }
    ]
    pm = [{"scenario": "A", "rows": [], "words": [{"intervention": "X", "text": "welzijn"}]}]
    totals = [
        {
            "scenario": "A",
            "cost": "€ 10",
            "benefit": "€ 4",
            "net": "€ −6",
            "net_ci": "",
            "net_sign": "worse",
            "p_positive": "5,0%",
            "certainty": "zekerheid over replicaties",
        }
    ]
    payers = [{"scenario": "A", "rows": [{"payer": "Gemeente", "net": "€ −6", "net_value": -6.0}]}]
    (item,) = summaries(relief, effects, pm, totals, payers, "nl")
    sentence = item["sentence"]
    assert "de wachtlijst verandert niet duidelijk (−3,10 personen)" in sentence
    assert "inwoners wachten gemiddeld 0,40 weken langer" in sentence
    assert "12 door vrijwilligers opgevangen" in sentence
    assert "2,00 minder per jaar haken af" in sentence
    assert "de grootste betaler Gemeente: € −6" in sentence and "winnaar" not in sentence
    assert item["not_counted"]["words"] == ["welzijn"]


def test_summary_fits_a_phone(reported, tmp_path):
    """At a phone's width (375 CSS pixels) nothing of the summary lies outside
    the screen and the page does not scroll sideways (wide tables scroll in
    their own box), in both languages."""
    from helpers.browser import inspect_pages

    chromium = chromium_or_skip()
    _, paths, *_ = reported
    script = """JSON.stringify((() => {
      const width = document.documentElement.clientWidth;
      const summary = document.querySelector('#summary');
      const all = summary === null ? [] : [summary, ...summary.querySelectorAll('*')];
      const outside = all
        .filter(e => { const r = e.getBoundingClientRect();
                       return r.width > 0 && (r.right > width + 1 || r.left < -1); })
        .map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 40));
      if (summary === null) outside.push('no summary');
      return {width, sideways: document.documentElement.scrollWidth - width, outside};
    })())"""
    urls = [paths[name].resolve().as_uri() for name in ("report.html", "report_en.html")]
    for url, page in inspect_pages(chromium, urls, tmp_path, script=script, width=375).items():
        assert page.console_errors == [], url
        assert page.evaluated["width"] == 375
        assert page.evaluated["outside"] == [], url
        assert page.evaluated["sideways"] <= 0, url


def test_report_prints_whole_rows_on_a4(reported, tmp_path):
    """Printed to PDF: A4, text on every page, the answer (every provision's
    balance) on the first page, no table row cut across pages or cut off at
    the page's edge, nothing beyond the paper's right edge."""
    from helpers.browser import print_pdf
    from helpers.pdf import page_size, pages, pdftotext_or_skip, rows_not_whole, word_right_edges

    chromium = chromium_or_skip()
    pdftotext_or_skip()
    comparison, paths, *_ = reported
    for name in ("report.html", "report_en.html"):
        pdf = print_pdf(chromium, paths[name].resolve().as_uri(), tmp_path / f"{name}.pdf")
        width, height = page_size(pdf)
        assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5  # A4
        text = pages(pdf)
        assert len(text) >= 3 and all(len(page.strip()) > 20 for page in text), name
        first = "".join(text[0].split())  # a long name wraps where the page wants
        assert ("Inhetkort" if name == "report.html" else "Inbrief") in first
        for label in comparison.alternatives:  # the balance chart
            assert "".join(label.split()) in first, (name, label)
        html = paths[name].read_text(encoding="utf-8")
        assert rows_not_whole(html, pdf) == [], name
        beyond = [w for right, w in word_right_edges(pdf) if right > width]
        assert beyond == [], name


def test_the_print_check_finds_cut_and_lost_rows(tmp_path):
    """The print check can fail: a row taller than a page is cut, and a column
    clipped at the page's edge is lost."""
    from helpers.browser import print_pdf
    from helpers.pdf import pdftotext_or_skip, rows_not_whole

    chromium = chromium_or_skip()
    pdftotext_or_skip()
    tall = "<br>".join(f"regel {i}" for i in range(90))
    html = f"""<!DOCTYPE html><html><body>
      <table><tbody><tr><td>kort</td><td>1</td></tr>
      <tr><td>lang</td><td>{tall}</td></tr></tbody></table>
      <div style="width: 200px; overflow: hidden"><table><tbody>
      <tr><td style="white-space: nowrap">links</td>
          <td style="padding-left: 2000px; white-space: nowrap">rechts verdwenen</td></tr>
      </tbody></table></div></body></html>"""
    page = tmp_path / "cut.html"
    page.write_text(html, encoding="utf-8")
    pdf = print_pdf(chromium, page.as_uri(), tmp_path / "cut.pdf")
    found = rows_not_whole(html, pdf)
    assert [row.split()[0] for row in found] == ["lang", "links"]
