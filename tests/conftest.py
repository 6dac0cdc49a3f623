"""Fixtures and the hypothesis profile; plain helpers live in the ``helpers`` package."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from helpers import make_mmc

settings.register_profile(
    "ci",
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci")


@pytest.fixture(scope="session")
def mmc_scenario():
    """Factory: ``mmc_scenario(servers, load, mean_service=..., horizon=..., warmup=...)``."""
    return make_mmc
