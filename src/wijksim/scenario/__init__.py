"""Parameters only: the scenario schema, YAML loading and errors, units, distributions."""

from .distributions import Distribution
from .loading import Problem, ScenarioError, load_scenario, parse_override, validate
from .schema import Scenario, json_schema
from .units import WEEKS_PER_YEAR, parse_duration

__all__ = [
    "WEEKS_PER_YEAR",
    "Distribution",
    "Problem",
    "Scenario",
    "ScenarioError",
    "json_schema",
    "load_scenario",
    "parse_duration",
    "parse_override",
    "validate",
]
