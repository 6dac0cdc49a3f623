"""Results on disk: manifest, atomic batch files, and resuming an interrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import wijksim
from wijksim.cli import main
from wijksim.experiment import SerialExecutor
from wijksim.experiment.storage import read_csv
from wijksim.experiment.sweep import run_sweep

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "scenarios" / "baseline.yaml"
SHORT = {"horizon": "2 years", "warmup": "26 weeks"}
GRID = [{"team.fte": 8}, {"team.fte": 10}, {"team.fte": 12}]


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
        for p in sorted((folder / "batches").rglob("*.csv"))
    }


def test_an_interrupted_sweep_resumes_without_redoing_or_losing_work(base, tmp_path):
    out = tmp_path / "sweep"
    kwargs = {"replications": 4, "batch_size": 2, "out": out}
    with pytest.raises(Killed):
        run_sweep(base, GRID, executor=DyingExecutor(3), **kwargs)
    finished = batch_files(out)
    summaries = [name for name in finished if name.endswith(".summary.csv")]
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
        done = list((out / "batches").rglob("*.summary.csv")) if out.exists() else []
        if len(done) >= 4 or process.poll() is not None:
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the sweep finished before it could be killed"
    finished = batch_files(out)
    n_done = sum(name.endswith(".summary.csv") for name in finished)
    assert 4 <= n_done < 18

    again = subprocess.run([*command, str(out)], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    after = batch_files(out)
    for name, stamp in finished.items():
        if name.endswith(".summary.csv"):
            assert after[name] == stamp, name
    assert sum(name.endswith(".summary.csv") for name in after) == 18
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
