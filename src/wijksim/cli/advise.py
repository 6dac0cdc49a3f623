"""``wijksim advise``: which portfolio of a decision to fund.

Thin: parses arguments, calls :func:`wijksim.advise`, prints the advice (its
words are in :mod:`wijksim.report.advice`) and writes the report.
"""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from .common import (
    FiniteFloatRange,
    batch_option,
    echo,
    force_option,
    json_option,
    lang_option,
    out_option,
    seed_option,
    set_option,
    strict_json,
    workers_option,
)
from .value import check_reports, report_language

#: Lines are wrapped at this width.
WIDTH = 100


@click.command()
@click.argument("decision", type=click.Path(dir_okay=False))
@click.option(
    "--procedure",
    type=click.Choice(["kn++", "kn", "ocba"]),
    default=None,
    help="Selection procedure (default: the file's, else kn++): KN++ or KN select with a "
    "guaranteed chance of a correct selection; OCBA spends a fixed number of replications.",
)
@click.option(
    "--alpha",
    type=FiniteFloatRange(min=0, max=0.5, min_open=True, max_open=True),
    default=None,
    help="Chance of a wrong selection allowed (default: the file's, else 0.05).",
)
@click.option(
    "--delta",
    type=FiniteFloatRange(min=0, min_open=True),
    default=None,
    help="Indifference zone in the objective's unit: a smaller difference does not matter "
    "(default: the file's, else the figure's tolerance).",
)
@click.option(
    "--first-stage",
    type=click.IntRange(min=3),
    default=None,
    help="Replications of every portfolio before the first look (default: the file's, else 10).",
)
@click.option(
    "--max-replications",
    type=click.IntRange(min=3),
    default=None,
    help="The most replications of one portfolio (default: the file's, else 200).",
)
@click.option(
    "--replications",
    type=click.IntRange(min=1),
    default=None,
    help="OCBA: replications of all portfolios together (default: 4 x first stage each).",
)
@seed_option
@workers_option
@batch_option
@set_option
@out_option
@click.option(
    "--report",
    "reports",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Write a report: advies.html (self-contained) or advies.md; add :en or :nl for "
    "another language than --lang (repeatable).",
)
@lang_option
@force_option
@json_option
def advise(
    decision,
    procedure,
    alpha,
    delta,
    first_stage,
    max_replications,
    replications,
    seed,
    workers,
    batch_size,
    overrides,
    out,
    reports,
    lang,
    force,
    as_json,
):
    """Advise which portfolio of DECISION to fund: a scenario file with a
    decision: block (choices, budget, objective, constraints).

    Runs the portfolios the choices allow (those whose fixed costs alone exceed
    the budget are left out first) and selects the best with a guaranteed
    chance of a correct selection (KN++ by default), eliminating portfolios as
    the evidence comes in. Prints the recommended portfolio, the good set (the
    portfolios that cannot be told apart from the best at delta) and the
    cost-relief frontier. With --out every batch is kept, so a stopped run
    resumes; the same seed gives the same advice on any number of workers.
    """
    from ..analysis.advice import advise as run_advise
    from ..scenario import parse_override

    if first_stage is not None and max_replications is not None and max_replications < first_stage:
        raise click.BadParameter(
            f"{max_replications} is below --first-stage {first_stage}",
            param_hint="'--max-replications'",
        )
    sets = dict(parse_override(text) for text in overrides)
    check_reports(reports, lang)  # a report onto a pipe or a device: refused before the run
    with _progress("advise") as progress:
        advice = run_advise(
            decision,
            seed,
            overrides=sets,
            procedure=procedure,
            alpha=alpha,
            delta=delta,
            first_stage=first_stage,
            max_replications=max_replications,
            replications=replications,
            workers=workers,
            batch_size=batch_size,
            progress=progress,
            out=out,
            force=force,
        )
    if as_json:
        echo(json.dumps(strict_json(advice.to_dict()), indent=2, ensure_ascii=False))
    else:
        print_advice(advice, lang)
    for given in reports:
        from ..report.advice import write_report
        from ..report.text import language
        from .words import say

        path, chosen = report_language(given, lang)
        written = write_report(advice, path, language(chosen))
        echo(say("report_written", chosen, path=written.resolve()), err=as_json)


def print_advice(advice, lang: str = "nl") -> None:
    """The advice on the terminal: the sentence and its guarantee, the good
    set, the frontier and the method."""
    from ..report.advice import (
        entering_text,
        frontier_rows,
        good_rows,
        guarantee,
        method_line,
        say,
        sentence,
    )

    title = f"{say('title', lang)}: {advice.scenario.name}"
    lines = [title, "─" * min(len(title), WIDTH)]
    if advice.decision.question.strip():
        lines += [*_wrap(advice.decision.question.strip()), ""]
    lines += _wrap(sentence(advice, lang))
    for paragraph in guarantee(advice, lang):
        lines += ["", *_wrap(paragraph)]
    good = good_rows(advice, lang)
    heading = f"{say('good_set', lang)} ({len(good)})"
    lines += ["", heading, "─" * len(heading)]
    lines += _wrap(say("good_set_intro", lang, delta=_delta(advice, lang)))
    for row in good:
        mark = "★" if row["recommended"] else "•"
        lines.append(f"{mark} {row['label']}")
        if row["versus"]:
            lines.append(f"    {say('versus', lang)}: {row['versus']}")
        net = f" · {say('net', lang)} {row['net']}" if row["net"] else ""
        lines.append(
            f"    {row['objective']} {row['interval']} · {say('cost_per_year', lang)} "
            f"{row['cost']}{net} · {row['replications']} {say('replications', lang).lower()}"
        )
    heading = say("frontier", lang)
    lines += ["", heading, "─" * len(heading)]
    lines += _wrap(say("frontier_intro", lang))
    for row in frontier_rows(advice, lang):
        over = f" ({say('over_budget', lang)})" if row["over_budget"] else ""
        lines.append(
            f"{row['cost']:>12}  {row['objective']:>8} {row['interval']:<20} {row['label']}{over}"
        )
        if row["changes"]:
            relief = f"{say('relief_per_10k', lang)}: {row['relief']} · " if row["relief"] else ""
            lines.append(f"{'':>14}{relief}{row['changes']}")
    lines += _wrap(entering_text(advice, lang))
    heading = say("method", lang)
    lines += ["", heading, "─" * len(heading)]
    lines += _wrap(method_line(advice, lang))
    echo("\n".join(lines) + "\n")


def _delta(advice, lang: str) -> str:
    from ..report.advice import delta_text

    return delta_text(advice, lang)


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, width=WIDTH, break_long_words=False, break_on_hyphens=False) or [""]


@contextmanager
def _progress(description: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar (tqdm, on stderr, after half a second) counting the
    replications run, with the portfolios still being run beside it: a
    sequential selection does not know its total in advance."""
    from tqdm import tqdm

    from .common import for_terminal

    tqdm.monitor_interval = 0  # no monitor thread: workers may then be forked safely
    bar = None

    def update(spent: int, left: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(
                desc=for_terminal(description),
                unit="run",
                disable=None,
                leave=False,
                delay=0.5,
                file=sys.stderr,
            )
        bar.set_postfix_str(f"{left} portfolios in the step", refresh=False)
        bar.update(max(0, spent - bar.n))

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()


__all__ = ["advise", "print_advice"]
