"""wijksim: how much relief do collective, preventive provisions give an
overloaded neighbourhood social team (sociaal wijkteam)?

    >>> import wijksim
    >>> run = wijksim.simulate("scenarios/baseline.yaml", seed=1)  # doctest: +SKIP
    >>> run.summary()["mean_wait_weeks"]  # doctest: +SKIP
"""

from importlib.metadata import PackageNotFoundError, version

from .analysis import analytic
from .model import Request, Streams, WijkteamModel
from .model.interventions import Intervention
from .model.results import INTERVENTION_LABELS, SERIES_LABELS, SUMMARY_LABELS
from .scenario import Problem, Scenario, ScenarioError, load_scenario
from .scenario.interventions import InterventionSpec, register_intervention
from .simulation import Run, simulate

try:
    __version__ = version("wijksim")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "INTERVENTION_LABELS",
    "SERIES_LABELS",
    "SUMMARY_LABELS",
    "Intervention",
    "InterventionSpec",
    "Problem",
    "Request",
    "Run",
    "Scenario",
    "ScenarioError",
    "Streams",
    "WijkteamModel",
    "analytic",
    "load_scenario",
    "register_intervention",
    "simulate",
]
