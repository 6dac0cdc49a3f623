"""``wijksim calibrate``: a scenario fitted to a team's registration."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from .common import BAD_INPUT, strict_json


@click.command()
@click.argument("registration", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="Write the scenario here (default: print it); the fit plot goes beside it.",
)
@click.option(
    "--residents", type=click.FloatRange(min=0, min_open=True), help="Residents of the wijk."
)
@click.option(
    "--extends",
    "base",
    type=click.Path(exists=True, dir_okay=False),
    help="Scenario to take the team and everything not fitted from.",
)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day of the period.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Day of the export.")
@click.option("--name", default="Mijn wijk (gekalibreerd)", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the fitted values as JSON.")
def calibrate(registration, out, residents, base, since, until, name, as_json):
    """Fit arrival rates, durations, the severity mix, the share settled at
    intake and the share coming back to REGISTRATION (a CSV, one row per request:
    requested, theme, start, end, optionally severity and returning; no names or
    addresses). Writes a scenario YAML with each value's standard error."""
    from ..analysis.calibration import calibrate as fit
    from ..scenario import ScenarioError, load_scenario

    severities: tuple[str, ...] = ("light", "regular", "complex")
    if base:
        severities = load_scenario(base).severities
    try:
        result = fit(
            registration,
            residents,
            since=since.date() if since else None,
            until=until.date() if until else None,
            severities=severities,
        )
    except ValueError as exc:
        click.echo(str(exc), err=True)
        sys.exit(BAD_INPUT)
    extends = None
    if base:
        folder = Path(out).resolve().parent if out else Path.cwd()
        extends = Path(os.path.relpath(Path(base).resolve(), folder)).as_posix()
    text = result.to_yaml(extends=extends, name=name)
    if as_json:
        click.echo(json.dumps(strict_json(_as_data(result)), indent=2))
    elif not out:
        click.echo(text, nl=False)
    if out:
        Path(out).write_text(text, encoding="utf-8")
        plot = Path(out).with_name(Path(out).stem + "-fit.png")
        if result.durations:
            result.plot_durations(plot)
        if not as_json:
            click.echo(f"{out} written; durations fitted: {plot}", err=True)
        if extends:
            try:
                load_scenario(out)
            except ScenarioError as exc:
                for problem in exc.problems:
                    click.echo(str(problem), err=True)
                sys.exit(BAD_INPUT)


def _as_data(result) -> dict:
    """The fitted values with standard errors, as plain data."""

    def est(e):
        return {"value": e.value, "se": e.se}

    return {
        "period": [str(result.first_day), str(result.last_day)],
        "themes": {
            t: {
                "requests_per_1000": est(f.requests_per_1000),
                "monthly_profile": [est(e) for e in f.monthly_profile or ()] or None,
            }
            for t, f in result.themes.items()
        },
        "severity_mix": {s: est(e) for s, e in (result.severity_mix or {}).items()} or None,
        "settled_at_intake": est(result.settled_at_intake),
        "durations": {
            s: {"dist": f.dist, **{k: est(e) for k, e in f.params.items()}, "aic": f.aic}
            for s, f in result.durations.items()
        },
        "recurrence": est(result.recurrence) if result.recurrence else None,
        "waits": result.waits,
    }


__all__ = ["calibrate"]
