"""The ``wijksim`` command: thin, it parses arguments, calls the API and prints.

Exit codes: 0 success, 1 unexpected failure, 2 bad input (usage, missing file,
invalid scenario). Commands live in modules of their own; this module only
assembles the group. Shell completion: see the README.
"""

from __future__ import annotations

import warnings

import click

from ..scenario.problems import DrawError, ScenarioError
from . import calibrate, experiments, run, value
from .common import BAD_INPUT


class WijksimGroup(click.Group):
    """Turns a :class:`ScenarioError` anywhere into a clean message and exit 2."""

    def invoke(self, ctx: click.Context):
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            try:
                return super().invoke(ctx)
            except ScenarioError as exc:
                for problem in exc.problems:
                    click.echo(str(problem), err=True)
                ctx.exit(BAD_INPUT)
            except DrawError as exc:
                click.echo(f"error: {exc}; the run was stopped", err=True)
                ctx.exit(1)
            except Exception as exc:
                from concurrent.futures import BrokenExecutor  # not at start-up: it is slow

                if not isinstance(exc, BrokenExecutor):
                    raise
                click.echo(f"error: {exc}", err=True)
                ctx.exit(1)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning in words (a damaged batch run again), without a source line."""
    click.echo(f"warning: {message}", err=True)


@click.group(cls=WijksimGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wijksim", prog_name="wijksim")
def main() -> None:
    """Simulate a sociaal wijkteam and the relief that collective,
    preventive provisions give it."""


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
):
    main.add_command(command)

__all__ = ["main"]
