"""Outputs go only where they should (issue 19, part 5).

Before, ``--report`` onto a named pipe or a device replaced it with a regular
file (exit 0; run as root, a system device node), as did every other output:
an ``--out`` folder's tables and scenario copies, ``wijksim run --out`` and a
calibrated scenario written over a link. Now every file wijksim writes goes only
to a regular file or a new path, atomically, never through a link, with an error
naming the path (exit 2) otherwise; the thing that was there is left as it was.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import event, given, note, settings
from hypothesis import strategies as st

import wijksim
from helpers import SMALL_YAML, write
from helpers.folders import Counting, can_make, make_special, no_hang
from helpers.registration import steady
from wijksim.cli import main
from wijksim.experiment.storage import write_frame
from wijksim.scenario import ScenarioError

#: What may be where an output should go: kinds of special file, and links.
NODES = ("fifo", "device", "folder", "link out", "dangling link")


def make_node(path: Path, kind: str, scratch: Path) -> None:
    """A special file or a link at ``path`` (a link points into ``scratch``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "link out":
        target = scratch / f"target-{path.name}"
        target.write_text("a user's file outside\n")
        path.symlink_to(target)
    elif kind == "dangling link":
        path.symlink_to(scratch / f"nowhere-{path.name}")
    else:
        make_special(path, kind)


def unchanged(path: Path, kind: str) -> bool:
    mode = path.lstat().st_mode
    return {
        "fifo": stat.S_ISFIFO,
        "device": stat.S_ISCHR,
        "folder": stat.S_ISDIR,
        "link out": stat.S_ISLNK,
        "dangling link": stat.S_ISLNK,
    }[kind](mode)


def usable(kind: str) -> bool:
    return can_make(kind) if kind in ("fifo", "device", "folder") else True


def _files(tmp_path: Path) -> list[str]:
    write(tmp_path / "s.yaml", SMALL_YAML)
    write(tmp_path / "a.yaml", "extends: s.yaml\nname: krap\nteam:\n  fte: 1\n")
    return [str(tmp_path / "s.yaml"), str(tmp_path / "a.yaml")]


def _invoke(*args: str):
    with no_hang():
        result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.mark.parametrize("kind", ["fifo", "device", "link out"])
def test_a_report_onto_a_pipe_a_device_or_a_link_is_refused_before_the_run(tmp_path, kind):
    if not usable(kind):
        pytest.skip(f"cannot make a {kind} here")
    report = tmp_path / "report.html"
    make_node(report, kind, tmp_path)
    result = _invoke(
        "compare", *_files(tmp_path), "-n", "2", "--workers", "1", "--report", str(report)
    )
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"{report}: "), result.output
    assert "not a regular file" in result.output
    assert unchanged(report, kind)
    assert not list(tmp_path.glob("report_plots")) and not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("kind", ["fifo", "device", "link out"])
@pytest.mark.parametrize("name", ["summary.csv", "scenarios/s000-test.yaml", "statistics.csv"])
def test_an_output_of_a_results_folder_that_is_not_a_file_is_refused_before_any_work(
    tmp_path, kind, name
):
    if not usable(kind):
        pytest.skip(f"cannot make a {kind} here")
    scenario = wijksim.load_scenario(write(tmp_path / "s.yaml", SMALL_YAML))
    out = tmp_path / "out"
    wijksim.run_experiment(scenario, 2, workers=1, out=out, timeseries=False)
    path = out / name
    path.unlink()
    make_node(path, kind, tmp_path)
    executor = Counting()
    with no_hang(), pytest.raises(ScenarioError) as caught:
        wijksim.run_experiment(scenario, 3, executor=executor, out=out, timeseries=False)
    assert str(path) in str(caught.value)
    assert executor.ran == []
    assert unchanged(path, kind)
    if kind == "link out":
        assert path.resolve().read_text() == "a user's file outside\n"


@pytest.mark.parametrize("kind", ["fifo", "link out"])
def test_wijksim_run_out_leaves_a_pipe_or_a_link_alone(tmp_path, kind):
    out = tmp_path / "out"
    out.mkdir()
    path = out / "summary.csv"
    make_node(path, kind, tmp_path)
    result = _invoke("run", write(tmp_path / "s.yaml", SMALL_YAML).as_posix(), "--out", str(out))
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"{path}: "), result.output
    assert unchanged(path, kind)
    assert not (out / "timeseries.csv").exists(), "written before the refusal"


def test_a_calibrated_scenario_is_not_written_through_a_link(tmp_path):
    registration = tmp_path / "r.csv"
    registration.write_text(steady(30))
    out = tmp_path / "mine.yaml"
    make_node(out, "link out", tmp_path)
    result = _invoke("calibrate", str(registration), "--out", str(out))
    assert result.exit_code == 2, result.output
    assert f"{out}: a symbolic link" in result.output
    assert out.is_symlink() and out.resolve().read_text() == "a user's file outside\n"


def test_the_plots_of_a_markdown_report_are_not_written_through_a_link(tmp_path):
    scenario = wijksim.load_scenario(write(tmp_path / "s.yaml", SMALL_YAML))
    tight = scenario.with_overrides({"team.fte": 1, "name": "krap"})
    comparison = wijksim.compare([scenario, tight], replications=2, workers=1)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "report_plots").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ScenarioError, match="report_plots: a symbolic link"):
        wijksim.write_report(comparison, tmp_path / "report.md")
    assert list(elsewhere.iterdir()) == []


# -- any node at any output name (hypothesis) -------------------------------------------

FRAME = pd.DataFrame({"metric": ["a", "b"], "value": [1.0, 2.5]})


@settings(max_examples=60, deadline=None)
@given(
    nodes=st.dictionaries(
        st.sampled_from(["summary.csv", "summary.parquet", ".summary.csv.1.tmp"]),
        st.sampled_from([*NODES, "regular"]),
        max_size=3,
    )
)
def test_a_table_goes_only_to_a_regular_file_or_a_new_path(tmp_path_factory, nodes):
    """Whatever is at a table's names, it is written or refused naming the
    path; a pipe, device, folder or link is left as it was, and nothing outside
    the folder changes."""
    nodes = {name: kind for name, kind in nodes.items() if kind == "regular" or usable(kind)}
    root = tmp_path_factory.mktemp("nodes")
    folder, scratch = root / "out", root / "outside"
    folder.mkdir()
    scratch.mkdir()
    for name, kind in nodes.items():
        if kind == "regular":
            (folder / name).write_text("an older table\n")
        else:
            make_node(folder / name, kind, scratch)
    before = sorted((p.name, p.read_bytes()) for p in scratch.iterdir())
    try:
        with no_hang():
            write_frame(FRAME, folder, "summary")
    except ScenarioError as exc:
        (problem,) = exc.problems
        assert Path(problem.source).name in nodes, problem
        assert nodes[Path(problem.source).name] not in ("regular",), problem
        event("refused, naming the path")
    else:
        event("written")
        assert pd.read_csv(folder / "summary.csv").equals(FRAME)
    for name, kind in nodes.items():
        if kind != "regular" and not name.startswith("."):
            assert unchanged(folder / name, kind), (name, kind)
        note(f"{name}: {kind}")
    assert sorted((p.name, p.read_bytes()) for p in scratch.iterdir()) == before
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp") and p.name not in nodes]


def test_a_full_disk_names_the_file_keeps_the_old_one_and_the_next_run_resumes(
    tmp_path, monkeypatch
):
    """Before: the OSError of a full disk came out as a traceback (exit 1)."""
    scenario = wijksim.load_scenario(write(tmp_path / "s.yaml", SMALL_YAML))
    out = tmp_path / "out"
    wijksim.run_experiment(scenario, 2, workers=1, out=out, timeseries=False)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def full(handle: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ScenarioError, match="No space left on device") as caught:
        wijksim.run_experiment(scenario, 3, workers=1, out=out, timeseries=False)
    (problem,) = caught.value.problems
    assert problem.source.startswith(str(out)) and not problem.source.endswith(".tmp")
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    again = wijksim.run_experiment(scenario, 3, workers=1, out=out, timeseries=False)
    whole = wijksim.run_experiment(scenario, 3, workers=1, timeseries=False)
    pd.testing.assert_frame_equal(again.results, whole.results, check_exact=True)
