"""Analysis of experiments: paired comparison, warm-up, replications needed,
sensitivity, and analytic queueing results to check the engine against.

Submodules are imported on first use (``wijksim.analysis.sensitivity``).
"""

from .._lazy import lazy_exports

_SUBMODULES = (
    "advice",
    "analytic",
    "comparison",
    "headline",
    "precision",
    "sensitivity",
    "warmup",
)
__getattr__, __dir__ = lazy_exports(__name__, {name: f".{name}" for name in _SUBMODULES}, globals())
__all__ = list(_SUBMODULES)
