"""Value commands and the parts of ``compare`` that show money, years and the
report: ``wijksim breakeven``, the cost-benefit and per-year tables, and
``--report`` files. Thin: the sums are in :mod:`wijksim.analysis.value`."""

from __future__ import annotations

import json
import math
from pathlib import Path

import click

from .common import (
    echo,
    force_option,
    json_option,
    lang_option,
    load,
    progress_bar,
    seed_option,
    set_option,
    strict_json,
    workers_option,
)
from .words import say


def print_value(comparison, lang: str = "nl") -> None:
    """The social balance per alternative (with what its certainty covers),
    who pays and who gains, and the effects not valued in euro (PM), present
    value."""
    from ..analysis.value import Value
    from ..report.text import certainty, effect_label, effect_unit, euro, figure, number, word

    value = Value(comparison.experiments, comparison.baseline)
    rate = comparison.experiments[comparison.baseline].scenario.costs.discount_rate
    title = say("value_title", lang, rate=f"{number(100 * rate, lang, 2)}%")
    lines = [title, "─" * len(title)]
    payers = value.by_payer()
    effects = value.effects()
    for row in value.totals().to_dict(orient="records"):
        lines.append(row["scenario"])
        lines.append(
            f"  {word('cost', lang):<28} {euro(row['cost'], lang):>14}   "
            f"{word('benefit', lang):<8} {euro(row['benefit'], lang):>14}"
        )
        lines.append(
            f"  {say('social_balance', lang):<28} "
            f"{euro(row['net'], lang):>14}   [{euro(row['net_low'], lang)}; "
            f"{euro(row['net_high'], lang)}]"
        )
        lines.append(
            f"  {say('net_without_freed_hours', lang):<28} "
            f"{euro(row['net_without_freed_hours'], lang):>14}   "
            f"[{euro(row['net_without_freed_hours_low'], lang)}; "
            f"{euro(row['net_without_freed_hours_high'], lang)}]"
        )
        lines.append(
            f"  {say('ratio', lang):<28} "
            f"{number(row['ratio'], lang, 2):>14}   [{number(row['ratio_low'], lang, 2)}; "
            f"{number(row['ratio_high'], lang, 2)}]"
        )
        lines.append(
            f"  {say('p_positive', lang):<28} "
            f"{figure(row['p_positive'], 'share', lang):>14}   "
            f"[{figure(row['p_positive_low'], 'share', lang)}; "
            f"{figure(row['p_positive_high'], 'share', lang)}] (Wilson; {certainty(row, lang)})"
        )
        if abs(row["residual"]) >= 0.5:
            counted = say("counted" if row["residual_counted"] else "not_counted", lang)
            lines.append(
                f"  {say('residual', lang):<28} {euro(row['residual'], lang):>14}   ({counted})"
            )
        lines.append(f"  {say('who_pays', lang)}:")
        for payer in payers[payers["scenario"] == row["scenario"]].to_dict(orient="records"):
            transfer = ""
            if abs(payer["transfer"]) >= 0.5:
                transfer = f"  {word('transfer', lang).lower()} {euro(payer['transfer'], lang):>10}"
            lines.append(
                f"    {word(payer['payer'], lang):<30} {word('cost', lang).lower()} "
                f"{euro(payer['cost'], lang):>12}  {word('benefit', lang).lower()} "
                f"{euro(payer['benefit'], lang):>12}{transfer}  {word('net', lang).lower()} "
                f"{euro(payer['net'], lang):>12}"
            )
        pm = effects[(effects["scenario"] == row["scenario"]) & (effects["valued_as"] == "")]
        if not pm.empty:
            lines.append(f"  {word('pm', lang)}:")
        for effect in pm.to_dict(orient="records"):
            label, unit = effect_label(effect, lang)
            if not unit:
                lines.append(f"    {effect['intervention']}: {label}")
                continue
            shown = effect_unit(effect)
            suffix = "" if shown == "pp" else f" {unit}"
            lines.append(
                f"    {label:<44} {figure(effect['difference'], shown, lang, signed=True):>12}"
                f"{suffix}  [{figure(effect['ci_low'], shown, lang)}; "
                f"{figure(effect['ci_high'], shown, lang)}]"
            )
    echo("\n".join(lines) + "\n")


def print_by_year(comparison, lang: str = "nl") -> None:
    """The relief table per year: differences from the baseline with 95% CIs."""
    from ..report.text import difference_unit, figure, metric, metric_label

    table = comparison.by_year()
    for alternative in comparison.alternatives:
        part = table[table["scenario"] == alternative]
        years = sorted(set(part["year"]))
        title = say("by_year_title", lang, alternative=alternative, baseline=comparison.baseline)
        head = "".join(f"{say('year', lang) + ' ' + str(y):>33}" for y in years)
        lines = [title, "─" * len(title), f"{'':<34}{head}"]
        for key in dict.fromkeys(part["metric"]):
            label = metric(key)
            unit = label.unit if key == "cost" else difference_unit(label.unit)
            cells = []
            for year in years:
                r = part[(part["metric"] == key) & (part["year"] == year)].iloc[0]
                shown = r["value"] if key == "cost" else r["difference"]
                text = (
                    f"{figure(shown, unit, lang, signed=key != 'cost')} "
                    f"[{figure(r['ci_low'], unit, lang)}; {figure(r['ci_high'], unit, lang)}]"
                )
                cells.append(f"{text:>33}")
            lines.append(f"{metric_label(key, lang)[0][:33]:<34}" + "".join(cells))
        echo("\n".join(lines) + "\n")


def breakeven_for(
    comparison, name: str, replications: int, seed: int, workers, out=None, force=False
):
    """Break-even of intervention ``name`` in the alternative with the fewest
    interventions that has it, with half the replications (at least 5); kept
    under ``out`` (when given), so that running again resumes."""
    from ..analysis.breakeven import breakeven
    from ..experiment.replications import file_key
    from ..scenario.problems import unknown

    alternatives = [
        e.scenario for label, e in comparison.experiments.items() if label != comparison.baseline
    ]
    holders = [s for s in alternatives if name in [i.name for i in s.interventions]]
    if not holders:
        names = dict.fromkeys(i.name for s in alternatives for i in s.interventions)
        raise click.BadParameter(
            unknown("intervention", name, names),
            param_hint="--breakeven",
        )
    scenario = min(holders, key=lambda s: len(s.interventions))
    rate = comparison.experiments[comparison.baseline].scenario.costs.discount_rate
    if scenario.costs.discount_rate != rate:  # the comparison's one rate, the baseline's
        scenario = scenario.with_overrides({"costs.discount_rate": rate})
    with progress_bar(f"breakeven {name}") as progress:
        return breakeven(
            scenario,
            name,
            replications=max(5, replications // 2),
            seed=seed,
            workers=workers,
            force=force,
            progress=progress,
            out=None if out is None else Path(out) / f"breakeven-{file_key(0, name)[5:]}",
        )


def value_dict(comparison, by_year: bool, breakevens=()) -> dict:
    """Costs and benefits (and the relief per year) as plain data, for --json."""
    from ..analysis.value import Value

    value = Value(comparison.experiments, comparison.baseline)
    out = {
        "value": value.totals().to_dict(orient="records"),
        "value_by_payer": value.by_payer().to_dict(orient="records"),
        "value_effects": value.effects().to_dict(orient="records"),
        "value_drivers": value.drivers().to_dict(orient="records"),
        "breakeven": [b.to_dict() for b in breakevens],
    }
    if by_year:
        out["by_year"] = comparison.by_year().to_dict(orient="records")
    return out


#: What a report may be called: HTML or Markdown (the suffix chooses).
REPORT_SUFFIXES = (".html", ".htm", ".md", ".markdown")


def report_language(path: str, lang: str) -> tuple[str, str]:
    """``PATH`` or ``PATH:nl``/``PATH:en`` -> the path and its report's language."""
    head, sep, tail = path.rpartition(":")
    if sep and tail in ("nl", "en"):
        return head, tail
    return path, lang


def check_reports(paths, lang) -> None:
    """Refuse each of ``paths`` that is not a regular file or a new path (a pipe,
    a device, a link), before the work whose report would go there."""
    from ..experiment.outputs import check_target

    for given in paths:
        path = report_language(given, lang)[0]
        if not path.strip():  # Path("") is the current folder
            raise click.BadParameter(f"{given!r}: an empty path", param_hint="'--report'")
        # The suffix chooses the format: refuse one that chooses none (r.txt
        # would get HTML, r.html:de a file of that name) before the work.
        if Path(path).suffix.lower() not in REPORT_SUFFIXES:
            raise click.BadParameter(
                f"{given!r}: a report is a .html or .md file, with :nl or :en after it "
                "for its language (report.html, report.md:en)",
                param_hint="'--report'",
            )
        check_target(path)


def write_reports(comparison, paths, lang, files, overrides, breakevens=(), err=False) -> None:
    """Write each of ``paths`` (``.html`` or ``.md``, ``:en``/``:nl`` for a
    language other than ``lang``) and say where (on stderr with ``err``)."""
    from ..report.document import waits_of, write_report
    from ..report.text import language

    waits = waits_of(comparison)  # once for every file
    for given in paths:
        path, chosen = report_language(given, lang)
        written = write_report(
            comparison,
            path,
            language(chosen),
            files=files,
            overrides=overrides,
            breakevens=breakevens,
            waits=waits,
        )
        echo(say("report_written", chosen, path=Path(written).resolve()), err=err)


# -- breakeven --------------------------------------------------------------------------------


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--intervention", required=True, help="Name of the intervention (its name:).")
@click.option("-n", "--replications", default=10, show_default=True, type=click.IntRange(min=2))
@click.option(
    "--scales",
    default="0,0.5,1,1.5,2",
    show_default=True,
    help="Effect scales to run (multiples of the scenario's effect), comma-separated.",
)
@seed_option
@workers_option
@set_option
@force_option
@lang_option
@json_option
def breakeven(
    scenario, intervention, replications, scales, seed, workers, overrides, force, lang, as_json
):
    """The smallest effect at which INTERVENTION pays for itself.

    Runs SCENARIO without the intervention and with its effect (diversion
    share, averting strength, ...) scaled from 0 to 2 times, all with the same
    seeds, and prints the net present value at each scale and where it
    crosses zero.
    """
    from ..analysis.breakeven import breakeven as run_breakeven
    from ..report.text import euro, number
    from ..scenario.problems import unknown

    try:
        factors = tuple(float(x) for x in scales.split(","))
    except ValueError:
        raise click.BadParameter(f"expected numbers like 0,0.5,1, got {scales!r}") from None
    from ..analysis.breakeven import check_scales

    try:
        factors = check_scales(factors)  # finite, increasing, each once (not 1,1,1)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--scales") from None
    model_scenario = load(scenario, overrides, force)
    names = [s.name for s in model_scenario.interventions]
    if intervention not in names:
        raise click.BadParameter(
            unknown("intervention", intervention, names),
            param_hint="--intervention",
        )
    with progress_bar("breakeven") as progress:
        result = run_breakeven(
            model_scenario,
            intervention,
            scales=factors,
            replications=replications,
            seed=seed,
            workers=workers,
            force=force,
            progress=progress,
        )
    if as_json:
        echo(json.dumps(strict_json(result.to_dict()), indent=2))
        return
    title = say("breakeven_title", lang, name=intervention, n=replications)
    lines = [title, "─" * len(title)]
    lines.append(
        f"{'effect ×':>8} {say('npv', lang):>14}  {say('ci', lang):<30} "
        f"{say('benefit_per_euro', lang)}"
    )
    for row in result.table.to_dict(orient="records"):
        interval = f"[{euro(row['net_low'], lang)}; {euro(row['net_high'], lang)}]"
        lines.append(
            f"{number(row['scale'], lang, 2):>8} {euro(row['net'], lang):>14}  {interval:<30} "
            f"{number(row['ratio'], lang, 2)}"
        )
    if result.status == "none":
        verdict = say(
            "no_breakeven", lang, low=number(factors[0], lang, 2), high=number(factors[-1], lang, 2)
        )
    elif result.status == "at_or_below":
        verdict = say("breakeven_at_or_below", lang, scale=number(factors[0], lang, 2))
    else:
        low, high = (
            "–" if math.isnan(x) else number(x, lang, 2) for x in (result.low, result.high)
        )
        scale = number(result.scale, lang, 2)
        verdict = say("breakeven_at", lang, scale=scale, low=low, high=high)
    if not math.isnan(result.capped_from):
        verdict += "\n" + say("breakeven_capped", lang, scale=number(result.capped_from, lang, 2))
    echo("\n".join([*lines, "", verdict]))
