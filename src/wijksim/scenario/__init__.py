"""Parameters only: the scenario schema, YAML loading and errors, units,
distributions, and the experiment designs (sweeps, uncertain values) a file may hold.

Names are imported on first use, so that :class:`Problem` and
:class:`ScenarioError` cost nothing to import.
"""

from typing import TYPE_CHECKING

from .._lazy import lazy_exports
from .problems import Problem, ScenarioError

_EXPORTS = {
    "Distribution": ".distributions",
    "as_scenario": ".loading",
    "load_scenario": ".loading",
    "parse_override": ".loading",
    "validate": ".loading",
    "Scenario": ".schema",
    "json_schema": ".schema",
    "WEEKS_PER_YEAR": ".units",
    "parse_duration": ".units",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())

__all__ = [
    "WEEKS_PER_YEAR",
    "Distribution",
    "Problem",
    "Scenario",
    "ScenarioError",
    "as_scenario",
    "json_schema",
    "load_scenario",
    "parse_duration",
    "parse_override",
    "validate",
]

if TYPE_CHECKING:
    from .distributions import Distribution
    from .loading import as_scenario, load_scenario, parse_override, validate
    from .schema import Scenario, json_schema
    from .units import WEEKS_PER_YEAR, parse_duration
