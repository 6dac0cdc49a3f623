"""The ``replications`` command of ``wijksim``: how many replications scenarios
need, for the mean of one scenario's figures or for the paired differences of
a comparison.
"""

from __future__ import annotations

import json
import textwrap

import click

from ..report import labels
from ..report.text import language, number
from .common import (
    echo,
    force_option,
    format_value,
    json_option,
    lang_option,
    load,
    metric_option,
    percent,
    progress_bar,
    seed_option,
    set_option,
    strict_json,
    workers_option,
)
from .headline import parse_tolerances, tolerance_option
from .words import say


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
