"""Results on disk: manifest, atomic batch files, and resuming an interrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import wijksim
from wijksim.cli import main
from wijksim.experiment import SerialExecutor
from wijksim.experiment.storage import DamagedBatch, read_csv
from wijksim.experiment.sweep import run_sweep

REPO = Path(__file__).resolve().parents[2]
BASELINE = REPO / "scenarios" / "baseline.yaml"
SHORT = {"horizon": "2 years", "warmup": "26 weeks"}
GRID = [{"team.fte": 8}, {"team.fte": 10}, {"team.fte": 12}]
#: The file that marks a batch finished, with the checksums of its files.
MARKER = ".checksums.json"


@pytest.fixture(scope="module")
def base() -> wijksim.Scenario:
    return wijksim.load_scenario(BASELINE, SHORT)


class Killed(Exception):
    pass


class DyingExecutor(SerialExecutor):
    """Runs ``lives`` tasks, then dies as a killed process would: mid-sweep."""

    def __init__(self, lives: int):
        self.lives = lives

    def submit(self, fn, /, *args, **kwargs):
        if self.lives == 0:
            raise Killed
        self.lives -= 1
        return super().submit(fn, *args, **kwargs)


def batch_files(folder: Path) -> dict[str, tuple[int, int]]:
    """Every batch file with its inode and modification time."""
    return {
        str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted((folder / "batches").rglob("r*.*"))
    }


def test_an_interrupted_sweep_resumes_without_redoing_or_losing_work(base, tmp_path):
    out = tmp_path / "sweep"
    kwargs = {"replications": 4, "batch_size": 2, "out": out}
    with pytest.raises(Killed):
        run_sweep(base, GRID, executor=DyingExecutor(3), **kwargs)
    finished = batch_files(out)
    summaries = [name for name in finished if name.endswith(MARKER)]
    assert 1 <= len(summaries) < 6  # some, not all, of the 3 points x 2 batches
    assert not (out / "summary.csv").exists()
    assert json.loads((out / "manifest.json").read_text())["finished"] is False

    ran = []

    class Counting(SerialExecutor):
        def submit(self, fn, /, *args, **kwargs):
            ran.append(args[0])
            return super().submit(fn, *args, **kwargs)

    resumed = run_sweep(base, GRID, executor=Counting(), **kwargs)
    assert len(ran) == 6 - len(summaries)  # only the missing batches ran
    after = batch_files(out)
    for name, stamp in finished.items():  # finished files were not written again
        assert after[name] == stamp, name
    assert json.loads((out / "manifest.json").read_text())["finished"] is True

    whole = run_sweep(base, GRID, replications=4, workers=1)
    pd.testing.assert_frame_equal(resumed.results, whole.results, check_exact=True)
    on_disk = read_csv(out / "summary.csv")
    assert len(on_disk) == len(whole.results)
    assert (
        on_disk["value"].tolist()
        == pd.concat(e.results for e in whole.experiments.values())["value"].tolist()
    )


def test_a_killed_cli_sweep_resumes(tmp_path):
    """The real thing: SIGKILL the command half-way, run it again."""
    out = tmp_path / "killed"
    arguments = [
        "sweep",
        str(BASELINE),
        "--set",
        'horizon="2 years"',
        "--set",
        'warmup="26 weeks"',
        "--grid",
        "team.fte=8,10,12",
        "-n",
        "6",
        "--workers",
        "1",
        "--batch-size",
        "1",
        "--json",
        "--out",
    ]
    command = [sys.executable, "-c", "import wijksim.cli as c; c.main()", *arguments]
    process = subprocess.Popen(
        [*command, str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done = list((out / "batches").rglob(f"*{MARKER}")) if out.exists() else []
        if len(done) >= 4 or process.poll() is not None:
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the sweep finished before it could be killed"
    finished = batch_files(out)
    n_done = sum(name.endswith(MARKER) for name in finished)
    assert 4 <= n_done < 18

    again = subprocess.run([*command, str(out)], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    after = batch_files(out)
    for name, stamp in finished.items():
        if name.endswith(MARKER):
            assert after[name] == stamp, name
    assert sum(name.endswith(MARKER) for name in after) == 18
    assert not list(out.rglob("*.tmp"))

    fresh = CliRunner().invoke(main, [*arguments, str(tmp_path / "fresh")])
    assert json.loads(again.stdout) == json.loads(fresh.output)


def test_manifest_records_what_was_run(base, tmp_path):
    alt = base.with_overrides({"team.fte": 12, "name": "meer fte"})
    wijksim.compare([base, alt], replications=2, seed=4, workers=1, out=tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["wijksim"] == wijksim.__version__
    assert manifest["seed"] == 4
    assert manifest["common_random_numbers"] is True
    assert "[seed, r]" in manifest["seeds"]
    assert manifest["finished"] is True
    entries = list(manifest["scenarios"].values())
    assert [e["name"] for e in entries] == [base.name, "meer fte"]
    reread = wijksim.load_scenario(tmp_path / entries[1]["file"])
    assert reread == alt
    for name in ("summary", "statistics", "differences", "relief", "timeseries"):
        assert (tmp_path / f"{name}.csv").exists(), name
    relief = read_csv(tmp_path / "relief.csv")
    assert "mean_wait_weeks" in set(relief["metric"])


def test_parquet_copies_when_pyarrow_is_installed(base, tmp_path):
    pytest.importorskip("pyarrow")
    experiment = wijksim.run_experiment(base, replications=2, workers=1, out=tmp_path)
    frame = pd.read_parquet(tmp_path / "summary.parquet")
    pd.testing.assert_frame_equal(frame, read_csv(tmp_path / "summary.csv"), check_dtype=False)
    assert frame["value"].tolist() == experiment.results["value"].tolist()


def test_a_folder_of_another_experiment_is_refused(base, tmp_path):
    wijksim.run_experiment(base, replications=2, workers=1, out=tmp_path, timeseries=False)
    other = base.with_overrides({"team.fte": 11})
    with pytest.raises(wijksim.ScenarioError, match="another scenario"):
        wijksim.run_experiment(other, replications=2, workers=1, out=tmp_path)
    with pytest.raises(wijksim.ScenarioError, match="seed"):
        wijksim.run_experiment(base, replications=2, seed=1, workers=1, out=tmp_path)


def test_more_replications_reuse_the_finished_ones(base, tmp_path):
    wijksim.run_experiment(base, replications=3, workers=1, out=tmp_path, timeseries=False)
    before = batch_files(tmp_path)
    ran = []

    class Counting(SerialExecutor):
        def submit(self, fn, /, *args, **kwargs):
            ran.append(args[0])
            return super().submit(fn, *args, **kwargs)

    more = wijksim.run_experiment(
        base, replications=5, executor=Counting(), out=tmp_path, timeseries=False
    )
    assert sorted(r for t in ran for r in t.replications) == [3, 4]
    assert all(batch_files(tmp_path)[name] == stamp for name, stamp in before.items())
    whole = wijksim.run_experiment(base, replications=5, workers=1, timeseries=False)
    pd.testing.assert_frame_equal(more.results, whole.results, check_exact=True)


def test_writes_leave_no_temporary_files(base, tmp_path):
    wijksim.run_experiment(base, replications=2, workers=1, out=tmp_path)
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert os.listdir(tmp_path / "scenarios")


# -- folders that cannot lie ---------------------------------------------------------------


def _damage_truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-20])


def _damage_alter(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-5] = ord("7") if data[-5] != ord("7") else ord("3")
    path.write_bytes(bytes(data))


def _damage_empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize(
    "damage",
    [_damage_truncate, _damage_alter, _damage_empty, Path.unlink],
    ids=lambda f: f.__name__,
)
@pytest.mark.parametrize("part", ["summary", "parameters", "timeseries", "checksums"])
def test_a_damaged_batch_is_reported_and_redone(base, tmp_path, damage, part):
    first = wijksim.run_experiment(base, replications=3, batch_size=1, workers=1, out=tmp_path)
    (batch,) = (tmp_path / "batches").glob(f"*/r00001-00001.{part}.*")
    damage(batch)
    # a missing marker means 'not finished' (no warning); an unreadable one warns
    expected = pytest.warns(DamagedBatch, match="replications 1-1")
    with expected if part != "checksums" else warnings.catch_warnings(record=True):
        again = wijksim.run_experiment(base, replications=3, batch_size=1, workers=1, out=tmp_path)
    pd.testing.assert_frame_equal(again.results, first.results, check_exact=True)
    pd.testing.assert_frame_equal(
        read_csv(tmp_path / "summary.csv"), first.results.reset_index(drop=True), check_dtype=False
    )
    assert len(list(tmp_path.glob(f"batches/*/*{MARKER}"))) == 3


@pytest.mark.parametrize("text", ["[1, 2]", "{}", '{"scenarios": [1]}', "{not json", "\x00"])
def test_a_manifest_of_the_wrong_shape_is_refused_in_words(base, tmp_path, text):
    (tmp_path / "manifest.json").write_text(text)
    with pytest.raises(wijksim.ScenarioError, match=r"manifest\.json"):
        wijksim.run_experiment(base, replications=2, workers=1, out=tmp_path)


def test_a_folder_with_a_users_files_is_refused_before_any_work(base, tmp_path):
    (tmp_path / "summary.csv").write_text("my own figures\n")
    ran = []

    class Counting(SerialExecutor):
        def submit(self, fn, /, *args, **kwargs):
            ran.append(args[0])
            return super().submit(fn, *args, **kwargs)

    with pytest.raises(wijksim.ScenarioError, match="holds other files"):
        wijksim.run_experiment(base, replications=2, executor=Counting(), out=tmp_path)
    assert ran == []
    assert (tmp_path / "summary.csv").read_text() == "my own figures\n"


@pytest.mark.parametrize("where", ["", "file", "file/below"])
def test_an_out_that_is_not_a_folder_is_refused(base, tmp_path, where):
    (tmp_path / "file").write_text("x")
    out = str(tmp_path / where) if where else ""
    with pytest.raises(wijksim.ScenarioError, match=r"folder|cannot write"):
        wijksim.run_experiment(base, replications=2, workers=1, out=out)


def test_fewer_replications_leave_manifest_and_summary_in_agreement(base, tmp_path):
    wijksim.run_experiment(base, replications=4, workers=1, out=tmp_path, timeseries=False)
    wijksim.run_experiment(base, replications=2, workers=1, out=tmp_path, timeseries=False)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    summary = read_csv(tmp_path / "summary.csv")
    assert manifest["replications"] == summary["replication"].nunique() == 2


def test_a_changed_csv_input_is_noticed_on_resume(tmp_path):
    data = base_with_empirical(tmp_path)
    wijksim.run_experiment(data, replications=2, workers=1, out=tmp_path / "out")
    (tmp_path / "weeks.csv").write_text("weeks\n3\n5\n")  # same path, other content
    changed = base_with_empirical(tmp_path)
    with pytest.raises(wijksim.ScenarioError, match="another scenario"):
        wijksim.run_experiment(changed, replications=2, workers=1, out=tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    (entry,) = manifest["scenarios"].values()
    assert list(entry["files"]) == [str(tmp_path / "weeks.csv")]


def base_with_empirical(folder: Path) -> wijksim.Scenario:
    csv = folder / "weeks.csv"
    if not csv.exists():
        csv.write_text("weeks\n2\n4\n")
    text = f"""\
extends: {BASELINE}
horizon: 1 year
warmup: 10 weeks
team:
  patience: {{dist: empirical, csv: weeks.csv, column: weeks}}
"""
    (folder / "s.yaml").write_text(text)
    return wijksim.load_scenario(folder / "s.yaml")


def test_a_second_run_leaves_the_temporary_files_of_a_running_one_alone(base, tmp_path):
    busy = tmp_path / "batches" / "s000-x" / f".r00000-00000.summary.csv.{os.getpid()}.tmp"
    dead = busy.with_name(".r00001-00001.summary.csv.999999999.tmp")
    wijksim.run_experiment(base, replications=1, workers=1, out=tmp_path, timeseries=False)
    busy.parent.mkdir(parents=True)
    busy.write_text("being written")
    dead.write_text("left behind")
    wijksim.run_experiment(base, replications=1, workers=1, out=tmp_path, timeseries=False)
    assert busy.exists()
    assert not dead.exists()
