"""Experiment commands of ``wijksim``: compare, sweep, warmup, replications.

Thin: parse, call the public API, print. A progress bar (tqdm, on a terminal
only) shows work that takes more than a moment.
"""

from __future__ import annotations

import json
import math
import textwrap
from typing import TYPE_CHECKING

import click

from ..report import labels
from ..report.text import language, number
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
    percent,
    progress_bar,
    seed_option,
    set_option,
    signed,
    strict_json,
    workers_option,
)
from .value import (
    breakeven_for,
    check_reports,
    print_by_year,
    print_value,
    value_dict,
    write_reports,
)
from .words import say

# -- compare -----------------------------------------------------------------------------

#: The headline figures' default precision and tolerances, for the help texts.
PRECISION_DEFAULT = 0.10
MAX_REPLICATIONS_DEFAULT = 1000

precision_option = click.option(
    "--precision",
    type=click.FloatRange(min=0, max=1, min_open=True, max_open=True),
    default=PRECISION_DEFAULT,
    show_default=True,
    help="Stated precision of the headline figures: a difference's 95% interval reaches it "
    "when its half-width is at most this share of the difference, or within the figure's "
    "tolerance.",
)
tolerance_option = click.option(
    "--tolerance",
    "tolerances",
    multiple=True,
    metavar="FIGURE=VALUE",
    help="A difference too small to matter, in the figure's unit (defaults: mean_caseload=1, "
    "mean_waiting_list=1, mean_wait_weeks=0.2, share_wait_over_6_weeks=0.01, net=25000); "
    "repeatable.",
)


def parse_tolerances(texts: tuple[str, ...]) -> dict[str, float]:
    """``("net=5000",)`` -> ``{"net": 5000.0}``, for the headline figures only."""
    from ..analysis.headline import HEADLINE_FIGURES

    out = {}
    for text in texts:
        name, sep, number = text.partition("=")
        name = name.strip()
        try:
            value = float(number)
        except ValueError:
            value = math.nan
        if not sep or name not in HEADLINE_FIGURES:
            known = ", ".join(HEADLINE_FIGURES)
            raise click.BadParameter(
                f"expected FIGURE=VALUE with FIGURE one of {known}, got {text!r}",
                param_hint="--tolerance",
            )
        if not (math.isfinite(value) and value >= 0):
            raise click.BadParameter(
                f"{text!r}: the tolerance is a number of at least 0", param_hint="--tolerance"
            )
        out[name] = value
    return out


@click.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "-n",
    "--replications",
    default=20,
    show_default=True,
    type=click.IntRange(min=2),
    help="Replications (with --until-precision: the first step).",
)
@precision_option
@tolerance_option
@click.option(
    "--until-precision",
    is_flag=True,
    help="Add replications in steps until every headline figure reaches --precision, or "
    "--max-replications; the same results as a fixed run of the size it ends at. With "
    "--out, running it again resumes where it stopped.",
)
@click.option(
    "--max-replications",
    default=MAX_REPLICATIONS_DEFAULT,
    show_default=True,
    type=click.IntRange(min=2),
    help="The most replications --until-precision runs.",
)
@seed_option
@workers_option
@batch_option
@set_option
@out_option
@click.option(
    "--independent",
    is_flag=True,
    help="Give each scenario its own seeds (no common random numbers); for reference.",
)
@click.option(
    "--by",
    type=click.Choice(["run", "year"]),
    default="run",
    show_default=True,
    help="The relief table over the whole run, or per year after the warm-up.",
)
@click.option(
    "--report",
    "reports",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Write a report: report.html (self-contained) or report.md; add :en or :nl for "
    "another language than --lang (repeatable).",
)
@click.option(
    "--breakeven",
    "breakevens",
    multiple=True,
    metavar="NAME",
    help="Also find the break-even effect of intervention NAME, for the report (repeatable).",
)
@lang_option
@force_option
@json_option
def compare(
    scenarios,
    replications,
    precision,
    tolerances,
    until_precision,
    max_replications,
    seed,
    workers,
    batch_size,
    overrides,
    out,
    independent,
    by,
    reports,
    breakevens,
    lang,
    force,
    as_json,
):
    """Compare SCENARIOS with the first (the baseline), replication by replication.

    Prints the relief table: the mean difference of each figure with its 95%
    confidence interval, paired by common random numbers; then the costs and
    benefits per payer (present value), and whether each headline figure's
    interval reached the stated --precision. --until-precision adds replications
    until they all do. --by year shows the relief per year; --report writes a
    report for a municipality.
    """
    from ..analysis.comparison import compare as run_compare
    from ..analysis.headline import Target

    if len(scenarios) < 2:
        raise click.UsageError("give a baseline and at least one alternative scenario")
    if until_precision and max_replications < replications:
        raise click.BadParameter(
            f"{max_replications} is below -n {replications}", param_hint="--max-replications"
        )
    target = Target(precision=precision, tolerances=parse_tolerances(tolerances))
    loaded = [load(path, overrides, force) for path in scenarios]
    check_reports(reports, lang)  # a report onto a pipe or a device: refused before the run
    with progress_bar("compare") as progress:
        comparison = run_compare(
            loaded,
            replications=replications,
            seed=seed,
            workers=workers,
            force=force,
            batch_size=batch_size,
            progress=progress,
            out=out,
            timeseries=out is not None or bool(reports),
            common_random_numbers=not independent,
            precision=target,
            until_precision=until_precision,
            max_replications=max_replications,
        )
    if out:
        label_csv_files(out, lang)
    found = [
        breakeven_for(comparison, name, replications, seed, workers, out, force)
        for name in breakevens
    ]
    if as_json:
        payload = {**comparison.to_dict(), **value_dict(comparison, by == "year", found)}
        echo(json.dumps(strict_json(payload), indent=2))
    else:
        print_relief(comparison, comparison.replications, seed, independent, lang)
        if by == "year":
            print_by_year(comparison, lang)
        print_value(comparison, lang)
        print_precision(comparison, lang)
        if out:
            echo(say("results_written", lang, path=out))
    if reports:
        from ..scenario import parse_override

        files = dict(zip(comparison.experiments, scenarios, strict=True))
        sets = dict(map(parse_override, overrides))
        write_reports(comparison, reports, lang, files, sets, found, err=as_json)


def print_relief(
    comparison, replications: int, seed: int, independent: bool, lang: str = "nl"
) -> None:
    """The relief table of every alternative, in ``lang``."""
    relief = comparison.relief()
    chosen = language(lang)
    pairing = say("unpaired" if independent else "paired", lang)
    for alternative in comparison.alternatives:
        title = say(
            "relief_title",
            lang,
            alternative=alternative,
            baseline=comparison.baseline,
            n=replications,
            seed=seed,
            pairing=pairing,
        )
        lines = [title, "─" * len(title)]
        lines.append(
            f"{'':<36} {say('baseline', lang):>11} {say('alternative', lang):>11} "
            f"{say('difference', lang):>11}  {say('ci_difference', lang):<25} "
            f"{say('unit', lang)}"
        )
        for row in relief[relief["scenario"] == alternative].itertuples():
            label = labels.label(row.metric)
            unit = label.unit
            change = "pp" if unit == "share" else unit  # a difference of shares
            lines.append(
                f"{label.text(chosen):<36} {format_value(row.baseline, unit, lang):>11} "
                f"{format_value(row.value, unit, lang):>11} "
                f"{signed(row.difference, change, lang):>11}  "
                f"{format_interval(row.ci_low, row.ci_high, change, lang):<25} "
                f"{label.unit_text(chosen)}"
            )
        echo("\n".join(lines) + "\n")


def print_precision(comparison, lang: str = "nl") -> None:
    """Per alternative and headline figure: whether its interval reached the
    stated precision (see :mod:`wijksim.analysis.headline`)."""
    from ..report.precision import precision_note, precision_rows

    title = say("precision_title", lang, n=comparison.replications)
    lines = [title, "─" * len(title)]
    lines.append(
        f"{'':<42} {say('difference', lang):>14} {say('now', lang):>14} "
        f"{say('target', lang):>14}  {say('reached', lang)}"
    )
    for block in precision_rows(comparison, lang):
        lines.append(block["scenario"])
        for row in block["rows"]:
            lines.append(
                f"  {row['label']:<40} {row['difference']:>14} {row['half_width']:>14} "
                f"{row['target']:>14}  {row['verdict']}"
            )
    lines.append(textwrap.fill(precision_note(comparison, lang), width=100))
    if not comparison.precision()["reached"].all():
        lines.append(say("until_precision", lang))
    echo("\n".join(lines) + "\n")


# -- sweep ---------------------------------------------------------------------------------


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


# -- warmup ---------------------------------------------------------------------------------


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("-n", "--replications", default=10, show_default=True, type=click.IntRange(min=2))
@seed_option
@click.option(
    "--as-is",
    is_flag=True,
    help="Judge the scenario with its provisions and planned changes (default: the team "
    "as it stands at the start, held still).",
)
@click.option(
    "--metric",
    "metrics",
    multiple=True,
    help="Weekly series to judge (default: caseload and waiting_list).",
)
@click.option("--window", type=click.IntRange(min=1), help="Welch moving-average half-width.")
@workers_option
@set_option
@lang_option
@force_option
@json_option
def warmup(
    scenario, replications, seed, as_is, metrics, window, workers, overrides, lang, force, as_json
):
    """Suggest a warm-up for SCENARIO: Welch's method and MSER-5 on pilot runs.

    The pilots run the team as it stands at the start, without the scenario's
    provisions, trends, shocks and tenders (what the warm-up must let settle);
    seasonal demand is taken out before judging.
    """
    from ..analysis.warmup import WARMUP_METRICS, recommend_warmup

    model_scenario = load(scenario, overrides, force)
    with progress_bar("warmup") as progress:
        try:
            report = recommend_warmup(
                model_scenario,
                replications,
                seed,
                metrics or WARMUP_METRICS,
                window,
                as_is=as_is,
                workers=workers,
                force=force,
                progress=progress,
            )
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    if as_json:
        echo(json.dumps(strict_json(report.to_dict()), indent=2))
        return
    echo(warmup_text(report, lang))


def warmup_text(report, lang: str = "nl") -> str:
    """The warm-up advice of a :class:`~wijksim.analysis.warmup.WarmupReport`
    in words: per series and method the weeks, and what a verdict means."""
    from ..report.text import metric_label

    title = say(
        "warmup_title",
        lang,
        scenario=report.scenario,
        n=report.replications,
        window=report.window,
    )
    judged = say("judged_as_is" if report.as_is else "judged_held_still", lang)
    lines = [title, "─" * len(title), say("judged", lang, what=judged), ""]
    lines.append(f"{say('series', lang):<24} {say('method', lang):<8} {say('weeks', lang):>6}")
    for row in report.table.itertuples():
        series = metric_label(row.metric, lang)[0]
        method = {"welch": "Welch", "mser-5": "MSER-5"}.get(row.method, row.method)
        note = warmup_verdict(row, report.tolerance, lang)
        note = f"  ({note})" if note else ""
        lines.append(f"{series:<24} {method:<8} {row.warmup_weeks:>6}{note}")
    lines.append("")
    if report.recommended_weeks == 0:
        lines.append(say("advice_none", lang))
    else:
        lines.append(say("advice_weeks", lang, weeks=report.recommended_weeks))
    lines.append(say("current_warmup", lang, weeks=number(report.current_weeks, lang, 0)))
    if report.current_weeks == 0:
        lines.append(say("no_warmup_note", lang))
    return "\n".join(lines)


def warmup_verdict(row, tolerance: float, lang: str = "nl") -> str:
    """What a row of the warm-up table means when its method did not settle
    (``""`` when it did). Welch did not settle when its smoothed series enters
    the band only in the run's last quarter: the series settles late. MSER-5
    did not when its own cut (``detected_weeks``) lies at the end of the half
    of the run it may cut; when the warm-up that matters is shorter, the rest
    is a slow drift within the tolerance, not a start-up effect that lasts."""
    if row.settled:
        return ""
    if row.method == "welch":
        return say("welch_late", lang)
    if row.warmup_weeks >= row.detected_weeks:
        return say("mser_late", lang)
    return say(
        "mser_drift",
        lang,
        detected=row.detected_weeks,
        weeks=row.warmup_weeks,
        tolerance=percent(tolerance, lang),
    )


# -- replications ------------------------------------------------------------------------------


@click.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--pilot", default=20, show_default=True, type=click.IntRange(min=2))
@click.option(
    "--precision",
    default=None,
    type=click.FloatRange(min=0, max=1, min_open=True, max_open=True),
    help="Target CI half-width relative to the mean (one scenario; default 0.05) or to the "
    "difference (a comparison; default 0.10, or within the figure's --tolerance).",
)
@tolerance_option
@seed_option
@metric_option
@workers_option
@set_option
@lang_option
@force_option
@json_option
def replications(
    scenarios, pilot, precision, tolerances, seed, metrics, workers, overrides, lang, force, as_json
):
    """How many replications SCENARIOS need: the confidence-interval method.

    With one scenario: for the mean of each of its figures (absolute). With a
    baseline and alternatives, as for compare: for the paired differences a
    comparison reports -- the headline figures and the social balance -- which
    usually need far fewer.
    """
    if len(scenarios) == 1:
        if tolerances:
            raise click.UsageError("--tolerance is for a comparison: give the alternatives too")
        _replications_of_one(
            scenarios[0], pilot, precision, seed, metrics, workers, overrides, lang, force, as_json
        )
        return
    import pandas as pd

    from ..analysis.headline import HEADLINE_FIGURES, PRECISION, Target
    from ..analysis.precision import recommend_paired_replications
    from ..report.precision import figure_label
    from ..report.text import difference_unit, figure

    try:
        target = Target(
            precision=PRECISION if precision is None else precision,
            tolerances=parse_tolerances(tolerances),
            figures=tuple(metrics) or HEADLINE_FIGURES,
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--metric") from None
    loaded = [load(path, overrides, force) for path in scenarios]
    with progress_bar(say("pilot", lang)) as progress:
        try:
            report = recommend_paired_replications(
                loaded, pilot, seed, target, workers=workers, force=force, progress=progress
            )
        except KeyError as exc:
            raise click.BadParameter(str(exc.args[0]), param_hint="--metric") from None
    if as_json:
        echo(json.dumps(strict_json(report.to_dict()), indent=2))
        return
    chosen = language(lang)
    title = say(
        "paired_replications_title",
        lang,
        baseline=report.baseline,
        pilot=pilot,
        precision=percent(target.precision, lang),
    )
    lines = [title, "─" * min(len(title), 100)]
    lines.append(
        f"{'':<42} {say('difference', lang):>14} {say('now_pm', lang):>12} "
        f"{say('target_pm', lang):>12} {say('needed', lang):>7}"
    )
    for alternative in report.alternatives:
        lines.append(alternative)
        rows = report.table[report.table["scenario"] == alternative]
        for row in rows.itertuples():
            label = figure_label(row.metric)
            unit = difference_unit(label.unit)
            needed = "–" if pd.isna(row.needed) else number(row.needed, lang, 0)
            lines.append(
                f"  {label.text(chosen):<40} {figure(row.difference, unit, lang, signed=True):>14}"
                f" {figure(row.half_width, unit, lang):>12} {figure(row.target, unit, lang):>12}"
                f" {needed:>7}"
            )
    lines.append("")
    if report.recommended is None:
        lines.append(say("no_paired_advice", lang))
    else:
        advice = say("paired_advice", lang, n=number(report.recommended, lang, 0))
        lines.append(textwrap.fill(advice, width=100, break_on_hyphens=False))
    echo("\n".join(lines))


def _replications_of_one(
    scenario, pilot, precision, seed, metrics, workers, overrides, lang, force, as_json
) -> None:
    """The absolute advice: for the mean of one scenario's figures."""
    import pandas as pd

    from ..analysis.precision import TARGET_PRECISION, recommend_replications
    from ..report.text import figure

    precision = TARGET_PRECISION if precision is None else precision
    model_scenario = load(scenario, overrides, force)
    with progress_bar(say("pilot", lang)) as progress:
        try:
            report = recommend_replications(
                model_scenario,
                pilot,
                seed,
                precision,
                list(metrics) or None,
                workers=workers,
                force=force,
                progress=progress,
            )
        except KeyError as exc:
            raise click.BadParameter(str(exc.args[0]), param_hint="--metric") from None
    if as_json:
        echo(json.dumps(strict_json(report.to_dict()), indent=2))
        return
    chosen = language(lang)
    title = say(
        "one_replications_title",
        lang,
        scenario=report.scenario,
        pilot=pilot,
        precision=percent(precision, lang),
    )
    lines = [title, "─" * min(len(title), 100)]
    lines.append(
        f"{'':<36} {say('mean', lang):>11} {say('now_pm', lang):>8} {say('needed', lang):>7}"
    )
    for row in report.table.itertuples():
        label = labels.label(row.metric)
        unit = label.unit
        needed = "–" if pd.isna(row.needed) else number(row.needed, lang, 0)
        if needed != "–" and not row.in_pilot:
            needed = f"≈{needed}"
        now = figure(row.precision_at_pilot, "share", lang)  # the same notation as the mean
        lines.append(
            f"{label.text(chosen):<36} {format_value(row.mean, unit, lang):>11} {now:>8} "
            f"{needed:>7}"
        )
    lines.append("")
    if report.recommended is None:
        lines.append(say("no_one_advice", lang))
    else:
        lines.append(say("one_advice", lang, n=number(report.recommended, lang, 0)))
    lines.append(textwrap.fill(say("one_note", lang), width=100))
    echo("\n".join(lines))


__all__ = ["compare", "replications", "sweep", "warmup"]
