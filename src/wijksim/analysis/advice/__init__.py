"""What to fund with this budget: portfolio advice with a guaranteed chance of
picking the best, the good set and the cost-relief frontier.

- :mod:`.procedures`: ranking and selection (KN, KN++, OCBA, screening, the
  good set), apart from the simulation;
- :mod:`.sampling`: the simulation as their source of replications;
- :mod:`.frontier`: the cost-relief frontier;
- :mod:`.advisor`: :func:`advise` and its :class:`Advice`;
- :mod:`.stand_in`: normal outputs with a known answer (tests, benchmark).

Names are imported on first use.
"""

from typing import TYPE_CHECKING

from ..._lazy import lazy_exports

_EXPORTS = {
    "Advice": ".advisor",
    "advise": ".advisor",
    "fixed_cost_floor": ".advisor",
    "load_decision": ".advisor",
    "Selection": ".procedures",
    "Settings": ".procedures",
    "select": ".procedures",
    "NormalSampler": ".stand_in",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())

__all__ = [
    "Advice",
    "NormalSampler",
    "Selection",
    "Settings",
    "advise",
    "fixed_cost_floor",
    "load_decision",
    "select",
]

if TYPE_CHECKING:
    from .advisor import Advice, advise, fixed_cost_floor, load_decision
    from .procedures import Selection, Settings, select
    from .stand_in import NormalSampler
