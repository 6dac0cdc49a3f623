"""The ``sweep`` command of ``wijksim``: one scenario at every point of a grid
or a Latin hypercube, and the parsing of its ``--grid`` and ``--range``.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

import click

from ..report import labels
from ..report.text import language
from ..scenario import Problem, ScenarioError

if TYPE_CHECKING:
    from ..scenario.designs import Range
from .common import (
    batch_option,
    echo,
    force_option,
    format_interval,
    format_value,
    general,
    json_option,
    label_csv_files,
    lang_option,
    load,
    metric_option,
    out_option,
    progress_bar,
    seed_option,
    set_option,
    strict_json,
    workers_option,
)
from .words import say


def parse_grid(texts: tuple[str, ...]) -> dict[str, list]:
    """``("team.fte=8,10,12",)`` -> ``{"team.fte": [8, 10, 12]}`` (values read as YAML)."""
    from ..scenario import parse_override

    grid = {}
    for text in texts:
        key, sep, values = text.partition("=")
        if not sep or not key.strip() or not values.strip():
            raise click.BadParameter(f"expected KEY=V1,V2,..., got {text!r}", param_hint="--grid")
        if key.strip() in grid:  # the first would be dropped without a word
            raise click.BadParameter(
                f"{key.strip()} is given twice; give all its values at once, e.g. "
                f"--grid {key.strip()}=8,10,12",
                param_hint="--grid",
            )
        grid[key.strip()] = [parse_override(f"{key}={v.strip()}")[1] for v in values.split(",")]
    return grid


def parse_range(text: str) -> tuple[str, Range]:
    """``"team.fte=8:14"`` or ``"team.intake_time=1:2:hours"``."""
    from ..scenario.designs import Range
    from ..scenario.units import UNIT_WEEKS

    key, sep, spec = text.partition("=")
    parts = spec.split(":")
    if not sep or not key.strip() or len(parts) not in (2, 3):
        raise click.BadParameter(f"expected KEY=MIN:MAX[:UNIT], got {text!r}", param_hint="--range")
    try:
        low, high = float(parts[0]), float(parts[1])
    except ValueError:
        message = f"{text!r}: MIN and MAX must be numbers"
        raise click.BadParameter(message, param_hint="--range") from None
    if not (math.isfinite(low) and math.isfinite(high)):
        raise click.BadParameter(f"{text!r}: MIN and MAX must be finite", param_hint="--range")
    if not low < high:
        raise click.BadParameter(f"{text!r}: MIN must be below MAX", param_hint="--range")
    unit = parts[2].strip() if len(parts) == 3 else None
    if unit is not None and unit.lower() not in UNIT_WEEKS:
        known = ", ".join(sorted(UNIT_WEEKS))
        raise click.BadParameter(f"{text!r}: unknown unit {unit!r} ({known})", param_hint="--range")
    return key.strip(), Range(min=low, max=high, unit=unit)


SWEEP_METRICS = ("mean_wait_weeks", "mean_waiting_list", "share_wait_over_6_weeks")


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option(
    "--grid", "grid", multiple=True, metavar="KEY=V1,V2,...", help="Values of one parameter."
)
@click.option("--lhs", type=click.IntRange(min=1), help="Latin hypercube with this many points.")
@click.option("--range", "ranges", multiple=True, metavar="KEY=MIN:MAX[:UNIT]", help="For --lhs.")
@click.option("-n", "--replications", default=10, show_default=True, type=click.IntRange(min=2))
@seed_option
@workers_option
@batch_option
@set_option
@out_option
@metric_option
@lang_option
@force_option
@json_option
def sweep(
    scenario,
    grid,
    lhs,
    ranges,
    replications,
    seed,
    workers,
    batch_size,
    overrides,
    out,
    metrics,
    lang,
    force,
    as_json,
):
    """Run SCENARIO at every point of a grid (full factorial) or a Latin hypercube.

    Points come from --grid (every combination), from --lhs with --range, or
    else from the scenario's sweep: block. With --out, running the same command
    again resumes an interrupted sweep.
    """
    from ..experiment.sweep import check_design, grid_points, latin_hypercube_points, run_sweep
    from ..scenario.loading import whole_ranges

    base = load(scenario, overrides, force)
    if grid and lhs:
        raise click.UsageError("give --grid or --lhs, not both")
    if bool(lhs) != bool(ranges):
        raise click.UsageError("--lhs and --range go together")
    points = None
    # the number of points is judged before they are made (--lhs 100000000 would
    # fill memory making them)
    if grid:
        values = parse_grid(grid)
        count = math.prod(len(v) for v in values.values())
        check_design(
            base, count, replications, force=force, fewer="points (--grid)", source=scenario
        )
        points = grid_points(values)
    elif lhs:
        chosen = whole_ranges(base, dict(map(parse_range, ranges)))
        check_design(base, lhs, replications, force=force, fewer="points (--lhs)", source=scenario)
        points = latin_hypercube_points(chosen, lhs, seed)
    elif base.sweep is None:
        raise ScenarioError(
            [Problem(scenario, None, "sweep", "no sweep: block; give --grid or --lhs")]
        )
    with progress_bar("sweep") as progress:
        result = run_sweep(
            base,
            points,
            replications=replications,
            seed=seed,
            workers=workers,
            force=force,
            batch_size=batch_size,
            progress=progress,
            out=out,
        )
    shown = list(metrics) or [m for m in SWEEP_METRICS if m in result.summary()["metric"].values]
    table = result.summary()
    known = list(dict.fromkeys(table["metric"]))
    wrong = [m for m in shown if m not in known]
    if wrong:
        from ..scenario.problems import unknown

        message = "; ".join(unknown("figure", m, known) for m in wrong)
        raise click.BadParameter(message, param_hint="--metric")
    if as_json:
        echo(json.dumps(strict_json(result.to_dict(shown)), indent=2, default=str))
        return
    in_lang = language(lang)
    parameters = [c for c in result.points.columns if c != "point"]
    for metric in shown:
        label = labels.label(metric)
        unit = label.unit
        title = say(
            "sweep_title",
            lang,
            label=label.text(in_lang),
            unit=label.unit_text(in_lang),
            n=replications,
            seed=seed,
        )
        lines = [title, "─" * len(title)]
        header = "  ".join(f"{p:>14}" for p in parameters)
        lines.append(f"{say('point', lang):<6}{header}  {say('mean', lang):>11}  {say('ci', lang)}")
        for record in table[table["metric"] == metric].to_dict(orient="records"):
            cells = "  ".join(f"{general(record[p], lang):>14}" for p in parameters)
            lines.append(
                f"{record['point']:<6}{cells}  {format_value(record['mean'], unit, lang):>11}  "
                f"{format_interval(record['ci_low'], record['ci_high'], unit, lang)}"
            )
        echo("\n".join(lines) + "\n")
    if out:
        label_csv_files(out, lang)
        echo(say("results_written", lang, path=out))
