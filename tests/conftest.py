"""Fixtures and the hypothesis profile; plain helpers live in the ``helpers`` package."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from helpers import make_mmc

# On a developer's machine each run tries new examples (and keeps failures in
# .hypothesis/); in CI (CI=true) the examples are fixed, so a run there repeats
# one that has passed here.
settings.register_profile(
    "ci",
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=os.environ.get("CI", "").lower() == "true",
)
settings.load_profile("ci")


@pytest.fixture(scope="session")
def docs_site(tmp_path_factory):
    """The documentation site, built once for the whole test run (its workers
    included): see :mod:`helpers.site`."""
    from helpers.site import docs_site

    # with pytest-xdist the base folder is the worker's own, inside the run's
    workers = os.environ.get("PYTEST_XDIST_WORKER")
    shared = tmp_path_factory.getbasetemp().parent if workers else None
    return docs_site(tmp_path_factory.mktemp("site"), shared)


@pytest.fixture
def own_registry(monkeypatch):
    """Registrations made by a test are undone after it (the registry is global)."""
    from wijksim.scenario import interventions

    monkeypatch.setattr(interventions, "REGISTRY", dict(interventions.REGISTRY))
    monkeypatch.setattr(interventions, "MODELS", dict(interventions.MODELS))


@pytest.fixture(scope="session")
def mmc_scenario():
    """Factory: ``mmc_scenario(servers, load, mean_service=..., horizon=..., warmup=...)``."""
    return make_mmc
