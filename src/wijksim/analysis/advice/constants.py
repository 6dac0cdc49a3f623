"""The constants the procedures share: KN's ``h²``, the error allowed to each
comparison, ``alpha`` split among a run's parts, and the one-sided Student
quantile (see :mod:`.procedures`)."""

from __future__ import annotations

import math

from scipy.special import stdtrit

from .selection import Settings


def h_squared(a: float, f: int) -> float:
    """``h² = f [(2a)^(-2/f) - 1]`` (Kim & Nelson 2001 with ``c = 1``): the
    constant of a triangular continuation region for one comparison at error
    ``a``, with a variance of ``f`` degrees of freedom."""
    if f < 1:
        return math.inf
    return f * ((2.0 * a) ** (-2.0 / f) - 1.0)


def per_test(alpha: float, tests: int, procedure: str) -> float:
    """The error allowed to each of ``tests`` comparisons: ``alpha / tests``
    (KN; Bonferroni) or ``1 - (1 - alpha)^(1 / tests)`` (KN++)."""
    tests = max(1, tests)
    if procedure == "kn++":
        return -math.expm1(math.log1p(-alpha) / tests)
    return alpha / tests


def alpha_parts(settings: Settings, screening: bool) -> dict[str, float]:
    """``alpha`` split evenly among selection, limits and screening (those a run has)."""
    parts = ["selection"]
    if settings.limits:
        parts.append("limits")
    if screening:
        parts.append("screening")
    return {part: settings.alpha / len(parts) for part in parts}


def t_one_sided(p: float, dof: int) -> float:
    """The one-sided Student quantile ``t_{p, dof}`` (infinite for ``dof < 1``)."""
    if dof < 1:
        return math.inf
    return float(stdtrit(dof, p))


__all__ = ["alpha_parts", "h_squared", "per_test", "t_one_sided"]
