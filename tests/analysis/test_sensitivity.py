"""One-way sensitivity (tornado data) and Sobol/Morris through SALib."""

from __future__ import annotations

from pathlib import Path

import pytest

import wijksim
from wijksim.analysis.sensitivity import morris, one_way, sobol

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"


@pytest.fixture(scope="module")
def base():
    return wijksim.load_scenario(BASELINE, {"horizon": "2 years", "warmup": "26 weeks"})


def test_one_way_ranks_staff_above_intake_time_for_the_wait(base):
    table = one_way(
        base,
        {"team.fte": (8, 12), "team.intake_time": {"min": 1, "max": 2, "unit": "hours"}},
        replications=4,
        workers=1,
        metrics=["mean_waiting_list", "mean_caseload"],
    )
    wait = table[table["metric"] == "mean_waiting_list"]
    assert list(wait["parameter"]) == ["team.fte", "team.intake_time"]  # widest bar first
    fte = wait.iloc[0]
    assert fte["low"] > fte["base"] > fte["high"]  # fewer staff, longer list
    assert fte["low_value"] == 8 and fte["high_value"] == 12
    assert fte["swing"] == pytest.approx(abs(fte["high"] - fte["low"]))


def test_sobol_and_morris_through_salib(base):
    pytest.importorskip("SALib")
    ranges = {"team.fte": (8, 12), "team.intake_time": {"min": 1, "max": 3, "unit": "hours"}}
    s = sobol(base, ranges, samples=8, workers=1, metrics=["professional_hours"])
    assert set(s["parameter"]) == set(ranges)
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(s.columns)
    m = morris(base, ranges, trajectories=4, workers=1, metrics=["professional_hours"])
    assert set(m["parameter"]) == set(ranges)
    assert (m["mu_star"] >= 0).all()


def test_sensitivity_is_reachable_after_import_wijksim():
    import subprocess
    import sys

    code = "import wijksim; print(wijksim.analysis.sensitivity.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "wijksim.analysis.sensitivity"


def test_whole_number_parameters_are_rounded_at_every_point():
    """A pool's size and an intervention's capacity take whole numbers: the
    design's fractional points are rounded, not refused."""
    pytest.importorskip("SALib")
    path = BASELINE.parent / "bezoekdienst.yaml"
    scenario = wijksim.load_scenario(path, {"horizon": "1 year", "warmup": "13 weeks"})
    ranges = {"volunteers.bezoekers.size": (4, 9), "interventions.0.capacity": (5, 20)}
    m = morris(scenario, ranges, trajectories=2, workers=1, metrics=["professional_hours"])
    assert set(m["parameter"]) == set(ranges)
    table = one_way(scenario, {"volunteers.bezoekers.size": (4.4, 9.6)}, replications=2, workers=1)
    assert set(table["low_value"]) == {4} and set(table["high_value"]) == {10}
