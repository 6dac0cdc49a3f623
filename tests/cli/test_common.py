"""What the commands share (:mod:`wijksim.cli.common`): hostile option values
are usage errors (exit code 2, the option named), never a traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from helpers import REPO
from wijksim.cli import main
from wijksim.cli.common import MOST_WORKERS
from wijksim.experiment.executors import MOST_WORKERS as EXECUTORS_MOST_WORKERS

SHIPPED = REPO / "scenarios" / "besluit-preventiebudget.yaml"
BASELINE = REPO / "scenarios" / "baseline.yaml"
#: a file that is not there: an option the command took would fail on it at once
MISSING = REPO / "scenarios" / "no-such-file.yaml"


def test_the_most_workers_are_the_executors():
    assert MOST_WORKERS == EXECUTORS_MOST_WORKERS


@pytest.mark.parametrize(
    ("args", "option", "words"),
    [
        (["advise", SHIPPED, "--workers", "100000"], "--workers", "1<=x<=4096"),
        (["compare", BASELINE, BASELINE, "--workers", "5000"], "--workers", "1<=x<=4096"),
        (["advise", SHIPPED, "--alpha", "nan"], "--alpha", "nan is not a finite number"),
        (["advise", SHIPPED, "--delta", "nan"], "--delta", "nan is not a finite number"),
        (["advise", SHIPPED, "--delta", "inf"], "--delta", "inf is not a finite number"),
        (["calibrate", BASELINE, "--residents", "nan"], "--residents", "not a finite number"),
        (["calibrate", BASELINE, "--residents", "inf"], "--residents", "not a finite number"),
        # an empty path is the current folder: never taken unasked
        (["advise", MISSING, "--out", ""], "--out", "an empty path"),
        (["compare", MISSING, MISSING, "--out", " "], "--out", "an empty path"),
        (["advise", MISSING, "--report", ""], "--report", "an empty path"),
        (["compare", BASELINE, BASELINE, "--report", ":en"], "--report", "an empty path"),
        (["calibrate", MISSING, "--out", ""], "--out", "an empty path"),
        # two flags that clash are named, not the file's line
        (
            ["advise", SHIPPED, "--first-stage", "4", "--max-replications", "3"],
            "--max-replications",
            "3 is below --first-stage 4",
        ),
        # the suffix chooses the format: a report that names none is refused
        (["compare", BASELINE, BASELINE, "--report", "r.txt"], "--report", "a .html or .md file"),
        (["advise", MISSING, "--report", "r.html:de"], "--report", "a .html or .md file"),
        (["compare", BASELINE, BASELINE, "--report", "report"], "--report", "a .html or .md file"),
    ],
)
def test_a_hostile_option_value_is_a_usage_error(args, option, words):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"Invalid value for '{option}'" in result.output and words in result.output
