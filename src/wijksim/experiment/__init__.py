"""Experiments: replications, executors, sweeps, parameter uncertainty, results on disk."""

from .executors import SerialExecutor, process_pool
from .replications import Experiment, run_experiment, run_scenarios

__all__ = ["Experiment", "SerialExecutor", "process_pool", "run_experiment", "run_scenarios"]
