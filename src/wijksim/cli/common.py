"""What the ``wijksim`` commands share: options, loading with ``--set``, number
formatting, tables and the progress bar.

Kept light: nothing here imports pandas, scipy or simpy, so that ``wijksim
--help`` and shell completion start at once.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..report import labels

if TYPE_CHECKING:
    from ..scenario import Scenario

#: Exit code for bad input: usage, a missing file, an invalid scenario.
BAD_INPUT = 2

# -- options ----------------------------------------------------------------------------

set_option = click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a value by dotted path, e.g. --set team.fte=12 (repeatable).",
)
seed_option = click.option("--seed", default=0, show_default=True, type=click.IntRange(min=0))
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
workers_option = click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to run replications in (default: all cores; 1: no pool).",
)
batch_option = click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=None,
    help="Replications per task (default: about eight tasks per worker).",
)
out_option = click.option(
    "--out",
    type=click.Path(file_okay=False),
    help="Write results to this folder; run again to resume an interrupted run.",
)
metric_option = click.option(
    "--metric", "metrics", multiple=True, help="Figure to report (repeatable)."
)


force_option = click.option(
    "--force", is_flag=True, help="Run even when the estimated work is absurdly large."
)


def load(path: str, overrides: tuple[str, ...] = (), force: bool | None = None) -> Scenario:
    """Load a scenario with ``--set`` overrides applied (errors raise ScenarioError).

    Unless ``force`` is ``None`` (only validating), the work of a run is estimated
    first and an absurd one refused without ``--force``.
    """
    from ..scenario import load_scenario, parse_override

    scenario = load_scenario(path, dict(parse_override(text) for text in overrides))
    if force is not None:
        from ..scenario.size import check_work

        check_work(scenario, force=force, source=path)
    return scenario


# -- numbers and tables -------------------------------------------------------------------

_WHOLE_UNITS = {"count", "persons", "clients", "hours"}


def format_value(value: float, unit: str) -> str:
    """A number in Dutch notation (``1.234,5``); shares as percentages."""
    if isinstance(value, float) and math.isnan(value):
        return "–"
    if unit == "share":
        return f"{value:.1%}".replace(".", ",")
    if unit == "pp":  # a difference of two shares, in percentage points
        return f"{100 * value:.1f} %-punt".replace(".", ",")
    if unit in _WHOLE_UNITS and float(value).is_integer():
        return f"{value:,.0f}".replace(",", ".")
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def format_interval(low: float, high: float, unit: str) -> str:
    if math.isnan(low) or math.isnan(high):
        return "–"
    return f"[{format_value(low, unit)}; {format_value(high, unit)}]"


def signed(value: float, unit: str) -> str:
    text = format_value(value, unit)
    return text if text.startswith("-") or text == "–" or value == 0 else f"+{text}"


def summary_table(
    summary: dict, title: str, table: dict[str, labels.Label] = labels.SUMMARY
) -> str:
    """A readable table: Dutch label, value, unit, key (numbers only)."""
    lines = [title, "─" * len(title)]
    for key, value in summary.items():
        if not isinstance(value, int | float):
            continue
        label = labels.label(key, table)
        unit = label.unit_text("nl")
        lines.append(f"{label.nl:<42} {format_value(value, label.unit):>12}  {unit:<10} {key}")
    return "\n".join(lines)


def strict_json(value: Any) -> Any:
    """NaN and infinity as null: JSON has no such numbers."""
    if isinstance(value, dict):
        return {key: strict_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [strict_json(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def label_csv_files(folder: str | Path, lang: str = "nl") -> None:
    """Add ``label`` and ``unit`` columns beside the ``metric`` column of every
    CSV table in ``folder`` (not the per-batch files)."""
    from ..experiment.storage import read_csv, write_csv
    from ..report.text import metric_label

    for path in sorted(Path(folder).glob("*.csv")):
        frame = read_csv(path)
        if "metric" not in frame or "label" in frame:
            continue
        keys = frame["metric"].astype(str)
        names = {key: metric_label(key, lang) for key in keys.unique()}
        position = int(frame.columns.get_loc("metric")) + 1
        frame.insert(position, "label", keys.map({k: v[0] for k, v in names.items()}))
        frame.insert(position + 1, "unit", keys.map({k: v[1] for k, v in names.items()}))
        write_csv(frame, path)


# -- progress ------------------------------------------------------------------------------


@contextmanager
def progress_bar(description: str, unit: str = "run") -> Iterator[Callable[[int, int], None]]:
    """A progress callback drawing a tqdm bar on stderr, shown after half a second;
    a call with a larger ``total`` than before lengthens the bar."""
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: workers may then be forked safely
    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(
                total=total,
                initial=done,
                desc=description,
                unit=unit,
                disable=None,
                leave=False,
                delay=0.5,
                file=sys.stderr,
            )
        else:
            if total != bar.total:  # a run to precision takes another step
                bar.total = total
                bar.refresh()
            bar.update(done - bar.n)

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()
