"""Ranking and selection: which of k simulated systems is best, with a guarantee.

The statistics of :func:`wijksim.advise`, apart from the simulation: a
procedure asks a :class:`Sampler` for replications of some systems and reads
their outputs; the simulation is one sampler
(:class:`~wijksim.analysis.advice.sampling.PortfolioSampler`), normal draws with
known means are another (the known-answer tests and the benchmark). Replication
``r`` of every system is paired (common random numbers): each variance below
is that of the *differences* of two systems replication by replication, which
is what makes the pairing pay.

Outputs are oriented here: the objective ``x`` is larger-is-better (a figure to
minimise is negated), and each limit (a constraint or the budget) becomes
``d = y - bound`` (an upper bound) or ``d = bound - y`` (a lower bound), so a
system meets it when the mean of ``d`` is at most 0.

**KN** (Kim & Nelson 2001) and **KN++** (Kim & Nelson 2006) are fully
sequential. After ``n0`` replications of every system, at each ``r`` system
``i`` is eliminated when some system ``l`` that is known to meet the limits has

    sum_j x_ij  <  sum_j x_lj  -  max(0, h² S²_il / (2 delta) - delta r / 2)

(sums over the first ``r`` replications, ``S²_il`` the variance of ``x_i -
x_l``). The triangle closes at ``r = h² S²_il / delta²``; the procedure stops
when one system is left, or when every triangle among those left has closed
(then the largest mean wins). With ``c = 1``,

    h² = f [ (2a)^(-2/f) - 1 ]       (= 2 eta f, eta = ((2a)^(-2/f) - 1) / 2)

KN: ``f = n0 - 1``, ``a = alpha / (k - 1)`` and ``S²`` from the first stage
only (the guarantee is exact for normal outputs). KN++: ``f = r - 1``,
``a = 1 - (1 - alpha)^(1 / (k - 1))`` and ``S²`` from all ``r`` replications,
both updated at every ``r`` (valid as the indifference zone shrinks; it stops
sooner).

**Limits** are checked as Andradóttir & Kim (2010) do, alongside the
comparison: the walk ``sum_j d_ij`` is declared within the limit when it falls
to ``-R`` and outside it when it reaches ``R``, ``R = max(0, h_f² S²_i /
(2 eps) - eps r / 2)``, with the limit's tolerance ``eps`` and ``h_f²`` as
above for ``k × (number of limits)`` tests at ``alpha_f``. A system outside a
limit is dropped; only systems known to be within every limit eliminate others.

**Screening** (more than ``screen_above`` systems): after the first stage,
system ``i`` is kept when no system ``l`` known to be within the limits has a
mean more than ``t S_il / sqrt(n0)`` above it (``t`` the one-sided Student
quantile at ``1 - alpha_s / (k - 1)``; Nelson et al. 2001); if more than
``screen_above`` are still left, the best ``screen_above`` by their first-stage
mean go on (no guarantee for that cut). The constants of the selection that
follows are those for all ``k`` systems.

``alpha`` is split evenly among the parts a run has (selection, the limits,
screening); by Bonferroni the chance that any part errs is at most ``alpha``.

**OCBA** (Chen et al. 2000) spends a fixed number of replications: ``n0``
each, then in rounds, to system ``i`` in proportion to ``(sigma_i /
(mean_b - mean_i))²`` and to the best ``b`` in proportion to ``sigma_b
sqrt(sum_i N_i² / sigma_i²)``. It maximises an approximation of the chance of
a correct selection and guarantees nothing; limits are judged by the means.

The **good set** holds every system that no other system within the limits
beats by more than ``delta`` beyond ``t S_il / sqrt(n_il)`` (one-sided Student
quantile at ``1 - alpha / (m - 1)``, ``m`` systems within the limits, ``n_il``
replications in common): a system whose mean is within ``delta`` of the best
is in it with probability at least ``1 - alpha`` (treating each system's
number of replications as fixed; see ``docs/advice.md``).

The parts, one module each: :mod:`.selection` (what a selection is asked and
finds), :mod:`.constants` and :mod:`.paired_outputs` (what the procedures
share), :mod:`.kn`, :mod:`.screening`, :mod:`.ocba` and :mod:`.good_set`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .constants import alpha_parts, h_squared, per_test
from .constants import t_one_sided as t_one_sided
from .good_set import candidates_of as candidates_of
from .good_set import good_set
from .kn import kn
from .ocba import approximate_pcs, ocba
from .selection import Bound, Sampler, Selection, Settings
from .selection import Status as Status


def select(
    sampler: Sampler, settings: Settings, tiebreak: Callable[[int], float] | None = None
) -> Selection:
    """Run the procedure ``settings.procedure`` on ``sampler`` (see the module docstring).

    ``tiebreak(i)``: among systems with exactly equal means at the end, the one
    with the smallest value wins (the cheapest); then the first.
    """
    if sampler.systems < 1:
        raise ValueError("there is nothing to choose from")
    # a tiny alpha or delta makes h² S² / (2 delta) overflow: an infinite
    # triangle decides nothing, which is the procedure's answer, not a warning
    with np.errstate(over="ignore"):
        if settings.procedure == "ocba":
            return ocba(sampler, settings, tiebreak)
        return kn(sampler, settings, tiebreak)


__all__ = [
    "Bound",
    "Sampler",
    "Selection",
    "Settings",
    "alpha_parts",
    "approximate_pcs",
    "good_set",
    "h_squared",
    "per_test",
    "select",
]
