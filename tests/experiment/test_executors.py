"""The same experiment on a dask cluster (``pip install wijksim[dask]``)."""

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

import wijksim

distributed = pytest.importorskip("dask.distributed")

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_a_dask_cluster_gives_the_same_numbers(client):
    base = wijksim.load_scenario(BASELINE, {"horizon": "2 years", "warmup": "26 weeks"})
    alt = base.with_overrides(
        {
            "team.fte": 12,
            "name": "meer fte",
            "uncertain": {"team.caseload_ceiling_per_fte": {"dist": "normal", "mean": 25, "sd": 2}},
        }
    )
    kwargs = {"replications": 6, "seed": 2}
    on_cluster = wijksim.compare(
        [base, alt], executor=client.get_executor(pure=False), batch_size=2, **kwargs
    )
    here = wijksim.compare([base, alt], workers=1, **kwargs)
    assert json.dumps(on_cluster.to_dict()) == json.dumps(here.to_dict())  # NaN-safe
    for label in here.experiments:
        a, b = on_cluster.experiments[label], here.experiments[label]
        pd.testing.assert_frame_equal(a.results, b.results, check_exact=True)
        pd.testing.assert_frame_equal(a.parameters, b.parameters, check_exact=True)
        pd.testing.assert_frame_equal(a.timeseries_runs, b.timeseries_runs, check_exact=True)
    # the work was really spread over the cluster's workers
    assert len(client.scheduler_info()["workers"]) == 2


# -- workers never outlive their parent ------------------------------------------------------


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found |= {int(p) for p in text.split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _sweep_with_workers(out: Path) -> subprocess.Popen:
    arguments = ["sweep", str(BASELINE), "--grid", "team.fte=8,10,12", "-n", "40"]
    arguments += ["--workers", "2", "--batch-size", "1", "--out", str(out)]
    return subprocess.Popen(
        [sys.executable, "-c", "import wijksim.cli as c; c.main()", *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _workers_of(process: subprocess.Popen) -> set[int]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        workers = _children(process.pid)
        if len(workers) >= 2:
            return workers
        time.sleep(0.05)
    pytest.fail("the sweep started no workers")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_the_parent_leaves_no_orphaned_workers(tmp_path, sig):
    process = _sweep_with_workers(tmp_path / "out")
    workers = _workers_of(process)
    process.send_signal(sig)
    process.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "workers outlived their parent"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_a_worker_killed_by_the_system_is_reported_and_its_work_redone(tmp_path):
    process = _sweep_with_workers(tmp_path / "out")
    workers = _workers_of(process)
    os.kill(min(workers), signal.SIGKILL)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert "a worker process was killed" in stderr
    assert "run again on fresh workers" in stderr
    assert "Traceback" not in stderr
    # every point of the sweep has all its replications, none twice
    summary = pd.read_parquet(tmp_path / "out" / "summary.parquet")
    pairs = summary[["scenario", "replication"]].drop_duplicates()
    assert pairs.groupby("scenario").size().to_dict() == {"p0": 40, "p1": 40, "p2": 40}
    assert not summary.duplicated(["scenario", "replication", "metric"]).any()
