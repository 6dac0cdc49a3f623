"""What the ``wijksim`` commands share: options, loading with ``--set``, number
formatting, tables and the progress bar.

Kept light: nothing here imports pandas, scipy or simpy, so that ``wijksim
--help`` and shell completion start at once.
"""

from __future__ import annotations

import math
import numbers
import sys
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..report import labels
from ..report.text import figure, language, number

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
#: The most workers a pool may have: :data:`wijksim.experiment.executors.MOST_WORKERS`
#: (not imported: that loads pandas at start-up; a test keeps the two alike), so
#: that ``--workers 100000`` is a usage error, not a traceback.
MOST_WORKERS = 4096


class FiniteFloatRange(click.FloatRange):
    """A :class:`click.FloatRange` that refuses ``nan`` (which passes every bound)
    and infinity, as the option's own error rather than a scenario value's."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{number} is not a finite number", param, ctx)
        return number


workers_option = click.option(
    "--workers",
    type=click.IntRange(min=1, max=MOST_WORKERS),
    default=None,
    help="Processes to run replications in (default: all cores; 1: no pool).",
)
batch_option = click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=None,
    help="Replications per task (default: about eight tasks per worker).",
)


def not_empty(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse an empty path: ``Path("")`` is the current folder, which would
    take a run's files unasked."""
    if value is not None and not value.strip():
        raise click.BadParameter("an empty path: give a folder or file name")
    return value


out_option = click.option(
    "--out",
    type=click.Path(file_okay=False),
    callback=not_empty,
    help="Write results to this folder; run again to resume an interrupted run.",
)
metric_option = click.option(
    "--metric", "metrics", multiple=True, help="Figure to report (repeatable)."
)


force_option = click.option(
    "--force", is_flag=True, help="Run even when the estimated work is absurdly large."
)

#: The environment variable that sets ``--lang`` once for every command.
LANG_ENV = "WIJKSIM_LANG"

lang_option = click.option(
    "--lang",
    type=click.Choice(["nl", "en"], case_sensitive=False),
    default="nl",
    envvar=LANG_ENV,
    show_default=True,
    show_envvar=True,
    help="Language of everything the command reports: tables, verdicts, what was written "
    "where, reports and plots (numbers written as the language writes them). Help, errors "
    "and warnings stay English.",
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


def format_value(value: float, unit: str, lang: str = "nl") -> str:
    """A figure as ``lang`` writes it (:func:`wijksim.report.text.figure`: one
    minus sign, U+2212, shares as percentages), whole when a count is whole."""
    if unit in _WHOLE_UNITS and isinstance(value, int | float) and float(value).is_integer():
        return number(value, lang, 0)
    return figure(value, unit, lang)


def format_interval(low: float, high: float, unit: str, lang: str = "nl") -> str:
    if math.isnan(low) or math.isnan(high):
        return "–"
    return f"[{format_value(low, unit, lang)}; {format_value(high, unit, lang)}]"


def signed(value: float, unit: str, lang: str = "nl") -> str:
    """:func:`format_value` with a plus before a positive figure."""
    text = format_value(value, unit, lang)
    return f"+{text}" if value > 0 and any(c in "123456789" for c in text) else text


def percent(share: float, lang: str = "nl") -> str:
    """A share such as a target precision: ``10%``, ``2,5%`` (whole when it is)."""
    digits = 0 if float(100 * share).is_integer() else 1
    return number(100 * share, lang, digits) + "%"


def general(value: object, lang: str = "nl") -> str:
    """A parameter's value in a table: a number to four significant digits as
    ``lang`` writes it, anything else as it is."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return str(value)
    text = f"{value:.4g}" if isinstance(value, float) else str(value)
    if lang == "nl":
        text = text.replace(".", ",")
    return text.replace("-", "\u2212")  # the one minus sign, also in an exponent


def summary_table(
    summary: dict,
    title: str,
    table: dict[str, labels.Label] = labels.SUMMARY,
    lang: str = "nl",
) -> str:
    """A readable table: label, value and unit in ``lang`` (numbers only). The
    figures' keys, words of neither language, are in ``--json`` and the CSV files."""
    chosen = language(lang)
    lines = [title, "─" * len(title)]
    for key, value in summary.items():
        if not isinstance(value, int | float):
            continue
        label = labels.label(key, table)
        text = format_value(value, label.unit, lang)
        lines.append(f"{label.text(chosen):<42} {text:>12}  {label.unit_text(chosen)}")
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


# -- the terminal ---------------------------------------------------------------------------

#: Unicode categories a terminal may act on rather than show: controls (the
#: escape that starts a colour or cursor sequence, a carriage return that
#: overwrites a line), format characters (right-to-left overrides) and line
#: or paragraph separators. A no-break space (the Dutch ``€ 12``) is shown.
_ACTED_ON = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def for_terminal(text: str) -> str:
    """``text`` with every character a terminal would act on shown escaped
    (``\\x1b``), but new lines and tabs: a scenario's name, a CSV's theme or a
    file name reach the terminal as text, never as a command to it."""
    if text.isprintable():
        return text
    return "".join(
        repr(c)[1:-1] if unicodedata.category(c) in _ACTED_ON and c not in "\n\t" else c
        for c in text
    )


def echo(text: object = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` through :func:`for_terminal`: what every command prints."""
    click.echo(for_terminal(str(text)), err=err, nl=nl)


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
                desc=for_terminal(description),  # a scenario's name, from its file
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
