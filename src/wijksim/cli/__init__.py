"""The ``wijksim`` command: thin, it parses arguments, calls the API and prints.

Exit codes: 0 success, 1 unexpected failure, 2 bad input (usage, missing file,
invalid scenario). Commands live in modules of their own; this module only
assembles the group. Shell completion: see the README.
"""

from __future__ import annotations

import warnings

import click

from ..scenario.problems import DrawError, ScenarioError
from . import advise, calibrate, experiments, run, value
from .common import BAD_INPUT, echo, for_terminal


class WijksimGroup(click.Group):
    """Turns a :class:`ScenarioError` anywhere into a clean message and exit 2;
    no message reaches the terminal with a control character of a file's text."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.ClickException as exc:
            raise _escaped(exc) from None

    def invoke(self, ctx: click.Context):
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            try:
                return super().invoke(ctx)
            except click.ClickException as exc:  # e.g. a file name or a scenario's names
                raise _escaped(exc) from None
            except ScenarioError as exc:
                for problem in exc.problems:
                    echo(problem, err=True)
                ctx.exit(BAD_INPUT)
            except DrawError as exc:
                echo(f"error: {exc}; the run was stopped", err=True)
                ctx.exit(1)
            except Exception as exc:
                from concurrent.futures import BrokenExecutor  # not at start-up: it is slow

                if not isinstance(exc, BrokenExecutor):
                    raise
                echo(f"error: {exc}", err=True)
                ctx.exit(1)


def _escaped(exc: click.ClickException) -> click.ClickException:
    """``exc`` with its message fit for a terminal (click prints it as it is)."""
    # click declares message Final, yet prints the attribute as it is then
    exc.message = for_terminal(exc.message)  # type: ignore[misc]
    return exc


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning in words (a damaged batch run again), without a source line."""
    echo(f"warning: {message}", err=True)


@click.group(cls=WijksimGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wijksim", prog_name="wijksim")
def main() -> None:
    """Simulate a sociaal wijkteam and the relief that collective,
    preventive provisions give it.

    Help, errors and warnings are in English. What a command reports (tables,
    verdicts, what was written where, reports, plots) is in the language of
    --lang: nl (the default) or en; set it once for every command with the
    environment variable WIJKSIM_LANG=en. --json is the same in either language.
    """


for command in (
    run.run,
    run.validate,
    run.schema,
    experiments.compare,
    experiments.sweep,
    experiments.warmup,
    experiments.replications,
    value.breakeven,
    calibrate.calibrate,
    advise.advise,
):
    main.add_command(command)

__all__ = ["main"]
