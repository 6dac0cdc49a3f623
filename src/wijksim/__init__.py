"""wijksim: how much relief do collective, preventive provisions give an
overloaded neighbourhood social team (sociaal wijkteam)?

    >>> import wijksim
    >>> run = wijksim.simulate("scenarios/baseline.yaml", seed=1)  # doctest: +SKIP
    >>> run.summary()["mean_wait_weeks"]  # doctest: +SKIP

Everything below is imported on first use, so ``import wijksim`` is quick.
"""

from typing import TYPE_CHECKING

from ._lazy import lazy_exports

_EXPORTS = {
    # parameters
    "Problem": ".scenario",
    "Scenario": ".scenario",
    "ScenarioError": ".scenario",
    "load_scenario": ".scenario",
    "InterventionSpec": ".scenario.interventions",
    "register_intervention": ".model.interventions",
    # the model and one run
    "Request": ".model",
    "WijkteamModel": ".model",
    "Intervention": ".model.interventions",
    "Streams": ".streams",
    "Run": ".simulation",
    "simulate": ".simulation",
    # experiments and analysis
    "Experiment": ".experiment",
    "run_experiment": ".experiment",
    "SweepResult": ".experiment.sweep",
    "run_sweep": ".experiment.sweep",
    "Comparison": ".analysis.comparison",
    "compare": ".analysis.comparison",
    "recommend_replications": ".analysis.precision",
    "recommend_warmup": ".analysis.warmup",
    "analytic": ".analysis.analytic",
    "calibrate": ".analysis.calibration",
    "value": ".analysis.value",
    "Advice": ".analysis.advice",
    "advise": ".analysis.advice",
    "write_report": ".report.document",
    # presentation (wijksim 0.1 names)
    "INTERVENTION_LABELS": ".report.labels",
    "SERIES_LABELS": ".report.labels",
    "SUMMARY_LABELS": ".report.labels",
    # subpackages
    "analysis": ".analysis",
    "experiment": ".experiment",
    "model": ".model",
    "report": ".report",
    "plots": ".report.plots",
    "scenario": ".scenario",
}

_exported, __dir__ = lazy_exports(__name__, _EXPORTS, globals())


def __getattr__(name: str):
    if name == "__version__":
        from ._version import installed_version

        globals()[name] = found = installed_version()
        return found
    return _exported(name)


__all__ = [
    "INTERVENTION_LABELS",
    "SERIES_LABELS",
    "SUMMARY_LABELS",
    "Advice",
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
    "advise",
    "analysis",
    "analytic",
    "calibrate",
    "compare",
    "load_scenario",
    "plots",
    "recommend_replications",
    "recommend_warmup",
    "register_intervention",
    "run_experiment",
    "run_sweep",
    "simulate",
    "value",
    "write_report",
]

if TYPE_CHECKING:  # what type checkers and editors see
    from .analysis import analytic, value
    from .analysis.advice import Advice, advise
    from .analysis.calibration import calibrate
    from .analysis.comparison import Comparison, compare
    from .analysis.precision import recommend_replications
    from .analysis.warmup import recommend_warmup
    from .experiment import Experiment, run_experiment
    from .experiment.sweep import SweepResult, run_sweep
    from .model import Request, WijkteamModel
    from .model.interventions import Intervention, register_intervention
    from .report import plots
    from .report.document import write_report
    from .report.labels import INTERVENTION_LABELS, SERIES_LABELS, SUMMARY_LABELS
    from .scenario import Problem, Scenario, ScenarioError, load_scenario
    from .scenario.interventions import InterventionSpec
    from .simulation import Run, simulate
    from .streams import Streams
