"""wijksim: how much relief do collective, preventive provisions give an
overloaded neighbourhood social team (sociaal wijkteam)?

    >>> import wijksim
    >>> run = wijksim.simulate("scenarios/baseline.yaml", seed=1)  # doctest: +SKIP
    >>> run.summary()["mean_wait_weeks"]  # doctest: +SKIP
"""

from importlib.metadata import PackageNotFoundError, version

from .analysis import analytic
from .analysis.comparison import Comparison, compare
from .analysis.precision import recommend_replications
from .analysis.warmup import recommend_warmup
from .experiment import Experiment, run_experiment
from .experiment.sweep import SweepResult, run_sweep
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
    "Comparison",
    "Experiment",
    "Intervention",
    "InterventionSpec",
    "Problem",
    "Request",
    "Run",
    "Scenario",
    "ScenarioError",
    "Streams",
    "SweepResult",
    "WijkteamModel",
    "analytic",
    "compare",
    "load_scenario",
    "recommend_replications",
    "recommend_warmup",
    "register_intervention",
    "run_experiment",
    "run_sweep",
    "simulate",
]
