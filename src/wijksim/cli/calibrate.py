"""``wijksim calibrate``: a scenario fitted to a team's registration."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from .common import BAD_INPUT, FiniteFloatRange, echo, lang_option, not_empty, strict_json
from .words import say

INCOMPLETE = (
    "not a whole scenario: the team (size, caseload ceiling, case weights, contact hours)"
    " is not in a registration; add it, or calibrate with --extends"
)


@click.command()
@click.argument("registration", type=click.Path())
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    callback=not_empty,
    help="Write the scenario here (default: print it); the fit plot goes beside it.",
)
@click.option(
    "--residents", type=FiniteFloatRange(min=0, min_open=True), help="Residents of the wijk."
)
@click.option(
    "--extends",
    "base",
    type=click.Path(dir_okay=False),
    help="Scenario to take the team and everything not fitted from.",
)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day of the period.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Day of the export.")
@click.option(
    "--name",
    help="The scenario's name (default: 'Mijn wijk (gekalibreerd)', with --lang en "
    "'My wijk (calibrated)').",
)
@lang_option
@click.option("--json", "as_json", is_flag=True, help="Print the fitted values as JSON.")
def calibrate(registration, out, residents, base, since, until, name, lang, as_json):
    """Fit arrival rates, durations, the severity mix, the share settled at
    intake and the share coming back to REGISTRATION (a CSV, one row per request:
    requested, theme, start, end, optionally severity and returning; no names or
    addresses). Writes a scenario YAML with each value's standard error, once it
    has been loaded back and found valid; a row it cannot use is reported as
    FILE:LINE: COLUMN: what is wrong (exit code 2)."""
    from ..analysis.calibration import calibrate as fit
    from ..analysis.calibration_file import (
        base_notes,
        checked_yaml,
        refuse_special,
        write_figure,
    )
    from ..scenario import ScenarioError, load_scenario

    name = say("calibrated_name", lang) if name is None else name
    try:
        severities: tuple[str, ...] = ("light", "regular", "complex")
        scenario = load_scenario(base) if base else None
        if scenario is not None:
            severities = scenario.severities
        if out and _same_file(out, registration):
            raise ValueError(f"{out}: is the registration itself (--out)")  # echo escapes
        result = fit(
            registration,
            residents,
            since=since.date() if since else None,
            until=until.date() if until else None,
            severities=severities,
        )
        notes = [*result.notes, *(base_notes(result, scenario) if scenario else [INCOMPLETE])]
        for note in notes:  # notes on the data read, like errors, are English
            echo(f"note: {note}", err=True)
        if out:
            plot = Path(out).with_name(Path(out).stem + "-fit.png")
            refuse_special(Path(out))
            if result.durations:
                refuse_special(plot)
            result.write(out, base=base, name=name)
            if result.durations:
                import matplotlib.pyplot as plt

                figure = result.plot_durations(lang=lang)
                write_figure(figure, plot)
                plt.close(figure)
            if not as_json:
                written = (
                    say("fit_written", lang, path=out, plot=plot)
                    if result.durations
                    else say("nothing_fitted", lang, path=out)
                )
                echo(written, err=True)
        text = None if out else checked_yaml(result, base, name)
    except ScenarioError as exc:
        for problem in exc.problems:
            echo(problem, err=True)
        echo("nothing written" if out else "nothing printed", err=True)
        sys.exit(BAD_INPUT)
    except ValueError as exc:
        echo(exc, err=True)
        sys.exit(BAD_INPUT)
    except OSError as exc:
        where = out or exc.filename  # the file asked for, not its temporary name
        echo(f"{where}: cannot write: {exc.strerror}", err=True)
        sys.exit(BAD_INPUT)
    if as_json:
        echo(json.dumps(strict_json(_as_data(result)), indent=2))
    elif text is not None:
        echo(text, nl=False)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


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
        "settled_at_intake": est(result.settled_at_intake) if result.settled_at_intake else None,
        "durations": {
            s: {"dist": f.dist, **{k: est(e) for k, e in f.params.items()}, "aic": f.aic}
            for s, f in result.durations.items()
        },
        "recurrence": est(result.recurrence) if result.recurrence else None,
        "waits": result.waits,
        "unfitted": result.unfitted,
        "notes": list(result.notes),
    }


__all__ = ["calibrate"]
