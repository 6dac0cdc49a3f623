"""MkDocs hook: the validation page, computed from the shipped scenarios.

``<!-- validation -->`` becomes the table of checks
(:func:`wijksim.analysis.validation.validate` on ``scenarios/``) and
``<!-- validated:ID -->`` the model's value of check ``ID`` anywhere in the
docs, so that no page states a figure the model does not give. The checks run
once per build (and again only when a scenario file changes).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VALUE = re.compile(r"<!-- validated:([a-z0-9-]+) -->")


def on_page_markdown(markdown: str, page, config, files) -> str:
    if "<!-- validation -->" not in markdown and not VALUE.search(markdown):
        return markdown
    table = checks()
    markdown = markdown.replace("<!-- validation -->", validation_markdown(table))
    return VALUE.sub(lambda m: model_value(table, m.group(1)), markdown)


def checks():
    from wijksim.analysis.validation import validate

    return validate(ROOT / "scenarios")


def model_value(table, check: str) -> str:
    from wijksim.analysis.validation import formatted

    if check not in table.index:
        raise KeyError(f"<!-- validated:{check} -->: no such check")
    row = table.loc[check]
    return formatted(row["model"], row["unit"])


def validation_markdown(table) -> str:
    from wijksim.analysis.validation import formatted

    parts = [
        "| figure | scenario | cited | tolerance | model | how | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    notes = []
    for _, row in table.iterrows():
        unit = row["unit"]
        model = formatted(row["model"], unit)
        if row["half_width"] > 0:  # a simulated figure with noise (NaN: one replication)
            model += f" ± {formatted(row['half_width'], unit)}"
        tolerance = f"{formatted(row['low'], unit)} – {formatted(row['high'], unit)}"
        verdict = row["verdict"]
        if row["departure"] and not row["within"]:
            notes.append(f"{len(notes) + 1}. **{row['figure']}**: {row['departure']}")
            verdict += f" ({len(notes)})"
        cited = f"{row['cited']} ([{row['anchor']}](sources.md#{row['anchor']}))"
        cells = [row["figure"], f"`{row['scenario']}`", cited, tolerance, model]
        cells += [row["how"], f"**{verdict}**"]
        parts.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    if notes:
        parts += ["", "Departures, with the reason stated:", "", *notes]
    return "\n".join(parts) + "\n"
