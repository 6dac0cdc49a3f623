"""The same experiment on a dask cluster (``pip install wijksim[dask]``)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import wijksim

distributed = pytest.importorskip("dask.distributed")

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.yaml"


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
