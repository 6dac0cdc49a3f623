"""The ``warmup`` command of ``wijksim``: a warm-up suggested from pilot runs
(Welch's method and MSER-5), and that advice in words.
"""

from __future__ import annotations

import json

import click

from ..report.text import number
from .common import (
    echo,
    force_option,
    json_option,
    lang_option,
    load,
    percent,
    progress_bar,
    seed_option,
    set_option,
    strict_json,
    workers_option,
)
from .words import say


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
