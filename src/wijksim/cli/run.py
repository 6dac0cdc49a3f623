"""One run and scenario files: ``wijksim run``, ``validate`` and ``schema``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..report import labels
from .common import (
    BAD_INPUT,
    echo,
    force_option,
    json_option,
    label_csv_files,
    lang_option,
    load,
    progress_bar,
    seed_option,
    set_option,
    strict_json,
    summary_table,
)
from .words import say

# -- commands --------------------------------------------------------------------------


#: What ``wijksim run --out`` writes (a folder holding other files is refused).
RUN_FILES = {
    "timeseries.csv",
    "summary.csv",
    "cases.csv",
    "interventions_timeseries.csv",
    "interventions.json",
}


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@seed_option
@set_option
@click.option("--out", type=click.Path(file_okay=False), help="Write CSV files to this folder.")
@click.option("--cases", "record_cases", is_flag=True, help="With --out: also write cases.csv.")
@lang_option
@force_option
@json_option
def run(scenario, seed, overrides, out, record_cases, lang, force, as_json):
    """Run SCENARIO once and print its figures after the warm-up (--json: under
    their keys, as the API names them)."""
    from ..experiment.storage import check_folder, write_csv, write_text
    from ..simulation import simulate

    model_scenario = load(scenario, overrides, force)
    if out is not None:  # a bad folder is refused before the run, not after it
        check_folder(out, own=lambda name: name in RUN_FILES or name.startswith("."))
    with progress_bar(model_scenario.name, unit="week") as progress:
        result = simulate(  # the work was checked when loading, against --force
            model_scenario, seed=seed, record_cases=record_cases, progress=progress, force=True
        )
    plain = result.to_dict()
    summary, per_intervention = plain["summary"], plain["interventions"]
    if out is not None:
        folder = Path(out)
        write_csv(result.timeseries, folder / "timeseries.csv")
        rows = "metric,value\n" + "".join(f"{k},{v!r}\n" for k, v in summary.items())
        write_text(folder / "summary.csv", rows)
        if record_cases:
            write_csv(result.cases, folder / "cases.csv")
        if per_intervention:
            write_csv(result.intervention_timeseries, folder / "interventions_timeseries.csv")
            text = json.dumps(strict_json(per_intervention), indent=2)
            write_text(folder / "interventions.json", text)
        label_csv_files(folder, lang)
    if as_json:
        payload = {
            "scenario": model_scenario.name,
            "seed": seed,
            "summary": summary,
            "interventions": per_intervention,
        }
        echo(json.dumps(strict_json(payload), indent=2))
    else:
        echo(summary_table(summary, f"{model_scenario.name} — seed {seed}", lang=lang))
        for name, figures in per_intervention.items():
            echo()
            title = f"{name} ({figures['type']})"
            echo(summary_table(figures, title, labels.INTERVENTION, lang))
        if out is not None:
            echo()
            echo(say("csv_written", lang, path=out))


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@set_option
@lang_option
def validate(files, overrides, lang):
    """Check scenario FILES; report every problem as file:line: key: message."""
    from ..scenario import ScenarioError
    from ..scenario.size import check_work
    from ..scenario.valuation import valuation_gaps

    bad = 0
    for path in files:
        try:
            scenario = load(path, overrides)
            check_work(scenario, force=True, source=path)  # beyond any computer: not valid
        except ScenarioError as exc:
            bad += 1
            for problem in exc.problems:
                echo(problem, err=True)
        else:
            echo(f"{path}: {say('valid', lang)}")
            try:  # runs only with --force: valid, and said
                check_work(scenario, source=path)
            except ScenarioError as exc:
                for problem in exc.problems:
                    echo(f"{problem} (warning)", err=True)
            for key, message in valuation_gaps(scenario):
                echo(f"{path}: {key}: warning: {message}", err=True)
    if bad:
        sys.exit(BAD_INPUT)


@click.command()
def schema():
    """Print the JSON Schema of scenario files (for editors)."""
    from ..scenario import json_schema

    echo(json.dumps(json_schema(), indent=2))


__all__ = ["run", "schema", "validate"]
