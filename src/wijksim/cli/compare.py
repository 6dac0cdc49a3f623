"""The ``compare`` command of ``wijksim``: scenarios against the first, replication
by replication; it prints the relief table, the costs and benefits and the
precision its headline figures reached, and writes the reports.
"""

from __future__ import annotations

import json
import textwrap

import click

from ..report import labels
from ..report.text import language
from .common import (
    batch_option,
    echo,
    force_option,
    format_interval,
    format_value,
    json_option,
    label_csv_files,
    lang_option,
    load,
    out_option,
    progress_bar,
    seed_option,
    set_option,
    signed,
    strict_json,
    workers_option,
)
from .headline import (
    MAX_REPLICATIONS_DEFAULT,
    parse_tolerances,
    precision_option,
    tolerance_option,
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
