"""Pieces of work that ``reference.py`` times in this tree and in the reference.

Each returns a fingerprint of its result (exact ``repr`` of every number), so
the two trees can be checked to agree bit for bit.
"""

from __future__ import annotations

import wijksim
from wijksim.experiment.tasks import Task, run_task

_scenarios: dict[str, wijksim.Scenario] = {}


def _scenario(path: str) -> wijksim.Scenario:
    if path not in _scenarios:
        _scenarios[path] = wijksim.load_scenario(path)
    return _scenarios[path]


def replication(path: str, replication: int) -> str:
    """One replication of a scenario file as ``compare`` runs it (seed ``(0, r)``,
    no weekly series kept)."""
    task = Task("bench", _scenario(path), 0, replication, replication + 1, timeseries=False)
    summaries = run_task(task).summaries
    return repr(list(zip(summaries["metric"], summaries["value"].map(repr), strict=True)))


def load(path: str, times: int) -> str:
    """Read and validate a scenario file ``times`` times (each tree reads its own
    version of the file, so only the name is compared)."""
    for _ in range(times):
        scenario = wijksim.load_scenario(path)
    return scenario.name


def scaled_baseline(factor: float, years: float) -> wijksim.Scenario:
    """The baseline with ``factor`` times the residents, team and starting caseload
    (no warm-up: all of the run is timed work)."""
    base = _scenario("scenarios/baseline.yaml")
    init = base.initial_state
    return base.with_overrides(
        {
            "horizon": f"{years!r} years",
            "warmup": "0 weeks",
            "neighbourhood.residents": base.neighbourhood.residents * factor,
            "team.fte": base.team.fte * factor,
            "initial_state.caseload": round(init.caseload * factor),
            "initial_state.waiting_list": round(init.waiting_list * factor),
        }
    )


def per_request(factor: float, years: float) -> str:
    """One run of the scaled baseline; its requests (CPU time is taken outside)."""
    run = wijksim.simulate(scaled_baseline(factor, years), seed=1)
    return repr(float(run.summary()["requests"]))


def fingerprint(path: str, seed: int, series: bool) -> str:
    """A digest of every figure of one run of ``path`` (``"mmc"``: the M/M/10
    run of ``bench_engine.py``): the summary, the weekly series, the cases, the
    intervention figures and their weekly series, the yearly rows; the exact
    ``repr`` of every number."""
    import hashlib

    from wijksim.model.yearly import yearly

    if path == "mmc":
        from bench_engine import mmc_scenario

        scenario = mmc_scenario(20_000)
    else:
        scenario = _scenario(path)
    run = wijksim.simulate(scenario, seed=seed, series=series, record_cases=True)
    parts = [repr(run.to_dict()), run.cases.to_csv(float_format=repr)]
    parts.append(yearly(run.model).to_csv(float_format=repr))
    if series:
        parts.append(run.timeseries.to_csv(float_format=repr))
        parts.append(run.intervention_timeseries.to_csv(float_format=repr))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def mmc(arrivals: int, seed: int, series: bool) -> str:
    """The M/M/10 run of ``bench_engine.py`` through ``simulate`` (timed whole:
    building, running, the summary); its summary's exact ``repr``."""
    from bench_engine import mmc_scenario

    run = wijksim.simulate(mmc_scenario(arrivals), seed=seed, series=series)
    return repr(run.to_dict()["summary"])
