"""The ``wijksim`` command: thin, it parses arguments, calls the API and prints.

Exit codes: 0 success, 1 unexpected failure, 2 bad input (usage, missing file,
invalid scenario).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import click

from . import __version__
from .model.results import INTERVENTION_LABELS, SUMMARY_LABELS
from .scenario import Scenario, ScenarioError, json_schema, load_scenario, parse_override

BAD_INPUT = 2


class WijksimGroup(click.Group):
    """Turns a :class:`ScenarioError` anywhere into a clean message and exit 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ScenarioError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            ctx.exit(BAD_INPUT)


@click.group(cls=WijksimGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wijksim")
def main() -> None:
    """Simulate a sociaal wijkteam and the relief that collective,
    preventive provisions give it."""


# -- shared options ---------------------------------------------------------------

set_option = click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a value by dotted path, e.g. --set team.fte=12 (repeatable).",
)
seed_option = click.option("--seed", default=0, show_default=True, type=click.IntRange(min=0))
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


def load(path: str, overrides: tuple[str, ...] = ()) -> Scenario:
    """Load a scenario with ``--set`` overrides applied (errors raise ScenarioError)."""
    return load_scenario(path, dict(parse_override(text) for text in overrides))


def format_value(value: float, unit: str) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "–"
    if unit == "aandeel":
        return f"{value:.1%}".replace(".", ",")
    if unit in ("aantal", "personen", "cliënten", "uren") and float(value).is_integer():
        return f"{value:,.0f}".replace(",", ".")
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def summary_table(summary: dict, title: str, labels=SUMMARY_LABELS) -> str:
    """A readable table: Dutch label, value, unit, key (numbers only)."""
    lines = [title, "─" * len(title)]
    for key, value in summary.items():
        if not isinstance(value, int | float):
            continue
        label, unit = labels.get(key, (key.replace("_", " "), "aantal"))
        lines.append(f"{label:<42} {format_value(value, unit):>12}  {unit:<10} {key}")
    return "\n".join(lines)


# -- commands --------------------------------------------------------------------------


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@seed_option
@set_option
@click.option("--out", type=click.Path(file_okay=False), help="Write CSV files to this folder.")
@click.option("--cases", "record_cases", is_flag=True, help="With --out: also write cases.csv.")
@json_option
def run(scenario, seed, overrides, out, record_cases, as_json):
    """Run SCENARIO once and print its figures after the warm-up."""
    from .simulation import simulate

    model_scenario = load(scenario, overrides)
    result = simulate(model_scenario, seed=seed, record_cases=record_cases)
    summary = result.summary()
    per_intervention = result.interventions()
    if out:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        _write_csv(result.timeseries, folder / "timeseries.csv")
        rows = "metric,value\n" + "".join(f"{k},{v!r}\n" for k, v in summary.items())
        _write_text(folder / "summary.csv", rows)
        if record_cases:
            _write_csv(result.cases, folder / "cases.csv")
        if per_intervention:
            _write_csv(result.intervention_timeseries, folder / "interventions_timeseries.csv")
            text = json.dumps(_strict_json(per_intervention), indent=2)
            _write_text(folder / "interventions.json", text)
    if as_json:
        payload = {
            "scenario": model_scenario.name,
            "seed": seed,
            "summary": summary,
            "interventions": per_intervention,
        }
        click.echo(json.dumps(_strict_json(payload), indent=2))
    else:
        click.echo(summary_table(summary, f"{model_scenario.name} — seed {seed}"))
        for name, figures in per_intervention.items():
            click.echo()
            click.echo(summary_table(figures, f"{name} ({figures['type']})", INTERVENTION_LABELS))
        if out:
            click.echo(f"\nCSV files written to {out}/")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@set_option
def validate(files, overrides):
    """Check scenario FILES; report every problem as file:line: key: message."""
    bad = 0
    for path in files:
        try:
            load(path, overrides)
        except ScenarioError as exc:
            bad += 1
            for problem in exc.problems:
                click.echo(str(problem), err=True)
        else:
            click.echo(f"{path}: ok")
    if bad:
        sys.exit(BAD_INPUT)


@main.command()
def schema():
    """Print the JSON Schema of scenario files (for editors)."""
    click.echo(json.dumps(json_schema(), indent=2))


def _strict_json(value):
    """NaN and infinity as null: JSON has no such numbers."""
    if isinstance(value, dict):
        return {key: _strict_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_strict_json(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _write_text(path: Path, text: str) -> None:
    """Write atomically: a reader never sees half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _write_csv(frame, path: Path) -> None:
    _write_text(path, frame.to_csv(index=False))


from . import cli_experiment  # noqa: E402,F401  (adds compare, sweep, warmup, replications)

if __name__ == "__main__":  # pragma: no cover
    from wijksim.cli import main as _main  # the module as imported, with every command

    _main()
