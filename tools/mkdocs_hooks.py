"""MkDocs hooks: pages generated from the code, so that they cannot go stale.

``<!-- scenario-keys -->`` becomes the scenario-key reference (from the JSON
Schema), ``<!-- changelog -->`` the project's CHANGELOG.md and ``<!-- cli -->``
the ``--help`` of every command.
"""

from __future__ import annotations

import re
from itertools import groupby
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def on_page_markdown(markdown: str, page, config, files) -> str:
    if "<!-- scenario-keys -->" in markdown:
        markdown = markdown.replace("<!-- scenario-keys -->", scenario_keys_markdown())
    if "<!-- changelog -->" in markdown:
        text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
        body = text.split("\n", 1)[1]  # the page has its own title
        markdown = markdown.replace("<!-- changelog -->", body)
    if "<!-- cli -->" in markdown:
        markdown = markdown.replace("<!-- cli -->", cli_markdown())
    return markdown


def scenario_keys_markdown() -> str:
    from wijksim.scenario.reference import scenario_keys

    parts = []
    for section, keys in groupby(scenario_keys(), key=lambda k: k.section):
        parts.append(f"## {section[0].upper()}{section[1:]}\n")
        parts.append("| key | type | unit | default | description |")
        parts.append("|---|---|---|---|---|")
        for key in keys:
            default = f"`{key.default}`" if key.default else ""
            cells = [f"`{key.path}`", key.type, key.unit, default, key.description]
            parts.append("| " + " | ".join(table_cell(c) for c in cells) + " |")
        parts.append("")
    return "\n".join(parts)


def table_cell(text: str) -> str:
    """``text`` as one cell of a Markdown table row: a row is one line, so its
    lines are joined, its paragraphs kept apart by a line break, its bars escaped."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "<br><br>".join(p for p in paragraphs if p).replace("|", "\\|")


def cli_markdown() -> str:
    import click

    from wijksim.cli import main

    context = click.Context(main, info_name="wijksim")
    parts = ["## wijksim\n", "```text", main.get_help(context), "```\n"]
    for name in sorted(main.list_commands(context)):
        command = main.get_command(context, name)
        sub = click.Context(command, info_name=f"wijksim {name}", parent=context)
        parts += [f"## wijksim {name}\n", "```text", command.get_help(sub), "```\n"]
    return "\n".join(parts)
