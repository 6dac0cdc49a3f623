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
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np
from scipy.special import ndtr, stdtrit

Status = Literal["selected", "eliminated", "outside", "screened", "left", "stopped"]


class Sampler(Protocol):
    """Replications of ``k`` systems, on demand.

    ``extend(systems, size)`` makes sure each of ``systems`` has at least
    ``size`` replications (replication ``r`` of every system paired with
    replication ``r`` of every other; it may run others along, and they are
    counted as spent); ``outputs(i)`` is an array of shape
    ``(replications of i, 1 + limits)``: the objective, then each limit's
    figure, as the simulation reports them (not oriented).
    """

    @property
    def systems(self) -> int: ...

    def extend(self, systems: Sequence[int], size: int) -> None: ...

    def outputs(self, system: int) -> np.ndarray: ...


@dataclass(frozen=True)
class Bound:
    """A limit on a figure's mean: at most ``bound`` (``upper``) or at least,
    told apart within ``epsilon``."""

    bound: float
    upper: bool
    epsilon: float


@dataclass(frozen=True)
class Settings:
    """The parameters of a selection (see the module docstring)."""

    delta: float
    maximise: bool = True
    procedure: Literal["kn++", "kn", "ocba"] = "kn++"
    alpha: float = 0.05
    first_stage: int = 10
    max_replications: int = 200
    limits: tuple[Bound, ...] = ()
    screen_above: int = 200
    #: OCBA: replications of all systems together (default: 4 x first_stage each)
    total: int | None = None
    #: KN and KN++ look at every r; replications are asked for in steps that
    #: grow by this share of r (a step's replications of systems eliminated
    #: within it are spent but change no decision)
    growth: float = 0.25

    def __post_init__(self) -> None:
        if not (math.isfinite(self.delta) and self.delta > 0):
            raise ValueError(f"delta must be a positive number, not {self.delta!r}")
        if not 0 < self.alpha < 0.5:
            raise ValueError(f"alpha must lie between 0 and 0.5, not {self.alpha!r}")
        if self.first_stage < 3:
            raise ValueError("first_stage must be at least 3")
        if self.max_replications < self.first_stage:
            raise ValueError("max_replications must be at least first_stage")
        for limit in self.limits:
            if not (math.isfinite(limit.epsilon) and limit.epsilon > 0):
                raise ValueError(f"a limit's tolerance must be positive, not {limit.epsilon!r}")


@dataclass
class Selection:
    """What a selection found.

    ``status[i]``: ``selected``, ``eliminated`` (a better system within the
    limits beat it), ``outside`` (outside a limit), ``screened`` (dropped by
    the screen), ``left`` (in contention when the procedure stopped) or
    ``stopped`` (OCBA: every system not selected). ``at[i]``: the replication
    at which its status was settled; ``by[i]``: the system that eliminated it.
    ``within[i, c]``: +1 within limit ``c``, -1 outside, 0 not decided.
    ``guaranteed``: whether the procedure's guarantee applies (KN or KN++,
    stopped by its own rule); ``notes``: what the run did that a reader
    should know, each ``{"code": ..., **numbers}`` (words are the report's):
    ``capped`` (stopped at ``max_replications`` with ``left`` in contention),
    ``screened`` (``kept`` of ``of`` after the first stage), ``cut`` (only the
    ``most`` best went on, without a guarantee), ``ocba`` (``total``
    replications, ``step`` a round).
    """

    procedure: str
    k: int
    selected: int | None
    status: list[Status]
    at: list[int]
    by: list[int | None]
    within: np.ndarray
    replications: list[int]
    alphas: dict[str, float]
    constants: dict[str, float]
    guaranteed: bool
    notes: list[dict[str, Any]] = field(default_factory=list)
    looks: list[tuple[int, int]] = field(default_factory=list)
    good: list[int] = field(default_factory=list)
    pcs_estimate: float | None = None
    #: the one-sided level of each comparison of the good set, ``1 - alpha/(m - 1)``
    good_level: float | None = None

    @property
    def spent(self) -> int:
        """Replications run, of all systems together."""
        return int(sum(self.replications))


# -- constants ----------------------------------------------------------------------


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


# -- the data -------------------------------------------------------------------------


class _Data:
    """The oriented outputs of every system, read from the sampler: ``X[i, j]``
    the objective of replication ``j`` of system ``i``, ``D[i, j, c]`` its limit
    ``c`` (arrays padded beyond each system's ``counts``)."""

    def __init__(self, sampler: Sampler, settings: Settings):
        self.sampler = sampler
        self.settings = settings
        self.k = sampler.systems
        self.limits = settings.limits
        self.counts = np.zeros(self.k, dtype=int)
        self.X = np.zeros((self.k, 0))
        self.D = np.zeros((self.k, 0, len(self.limits)))

    def extend(self, systems: Sequence[int], size: int) -> None:
        wanted = [int(i) for i in systems if self.counts[i] < size]
        if not wanted:
            return
        self.sampler.extend(wanted, size)
        # every system: a sampler may run others along (the simulation runs the
        # reference portfolio as far as any, for the social balance)
        for i in range(self.k):
            self._read(i)

    def _read(self, i: int) -> None:
        out = np.asarray(self.sampler.outputs(i), dtype=float)
        m = len(self.limits)
        if out.ndim != 2 or out.shape[1] != 1 + m:
            raise ValueError(f"system {i}: outputs of shape {out.shape}, not (n, {1 + m})")
        n = len(out)
        if n > self.X.shape[1]:
            grown = max(n, 2 * self.X.shape[1])
            self.X = np.pad(self.X, ((0, 0), (0, grown - self.X.shape[1])))
            self.D = np.pad(self.D, ((0, 0), (0, grown - self.D.shape[1]), (0, 0)))
        sign = 1.0 if self.settings.maximise else -1.0
        self.X[i, :n] = sign * out[:, 0]
        for c, b in enumerate(self.limits):
            self.D[i, :n, c] = (out[:, 1 + c] - b.bound) if b.upper else (b.bound - out[:, 1 + c])
        self.counts[i] = n

    def count(self, i: int) -> int:
        return int(self.counts[i])

    def x(self, i: int, r: int | None = None) -> np.ndarray:
        """The objective of system ``i``, its first ``r`` replications (default: all)."""
        return self.X[i, : self.counts[i] if r is None else r]

    def d(self, i: int, r: int | None = None) -> np.ndarray:
        """The limits of system ``i`` (replications × limits), its first ``r``."""
        return self.D[i, : self.counts[i] if r is None else r]

    def matrix(self, systems: Sequence[int], r: int) -> np.ndarray:
        """The objective of ``systems`` (rows) over replications ``0..r-1``."""
        return self.X[list(systems), :r]


def _pair_variances(x: np.ndarray) -> np.ndarray:
    """``S²_il``: the variance of ``x_i - x_l`` over the columns (0 on the
    diagonal), from the centred cross products (memory of order rows²)."""
    n = x.shape[1]
    if n < 2:
        return np.full((len(x), len(x)), np.nan)
    y = x - x.mean(axis=1, keepdims=True)
    cross = y @ y.T
    diagonal = np.diag(cross)
    variances = (diagonal[:, None] + diagonal[None, :] - 2.0 * cross) / (n - 1)
    np.fill_diagonal(variances, 0.0)
    return np.maximum(variances, 0.0)


# -- KN and KN++ -------------------------------------------------------------------------


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
            return _ocba(sampler, settings, tiebreak)
        return _kn(sampler, settings, tiebreak)


def _order(tiebreak: Callable[[int], float] | None) -> Callable[[int], tuple[float, int]]:
    def key(i: int) -> tuple[float, int]:
        return ((tiebreak(i) if tiebreak else 0.0), i)

    return key


def _kn(sampler: Sampler, s: Settings, tiebreak: Callable[[int], float] | None) -> Selection:
    data = _Data(sampler, s)
    k, n0, m = data.k, s.first_stage, len(s.limits)
    screening = k > s.screen_above
    alphas = alpha_parts(s, screening)
    a_select = per_test(alphas["selection"], k - 1, s.procedure)
    a_limits = per_test(alphas["limits"], k * m, s.procedure) if m else 0.0
    status: list[Status] = ["left"] * k
    at = [0] * k
    by: list[int | None] = [None] * k
    within = np.zeros((k, m), dtype=int)
    notes: list[dict[str, Any]] = []
    looks: list[tuple[int, int]] = []
    active = list(range(k))
    data.extend(active, n0)
    constants = {"h2": h_squared(a_select, n0 - 1)}
    if m:
        constants["h2_limits"] = h_squared(a_limits, n0 - 1)
    if s.procedure == "kn":  # KN keeps its first-stage variances
        pair_first = _pair_variances(data.matrix(active, n0))
        limit_first = data.D[:, :n0, :].var(axis=1, ddof=1)
    else:  # KN++: h² falls towards this as r grows
        constants["h2_large_r"] = -2.0 * math.log(2.0 * a_select)
    r = available = n0
    capped = cut = False
    while True:
        h2, h2_limits = constants["h2"], constants.get("h2_limits", math.nan)
        if s.procedure == "kn++":
            h2 = h_squared(a_select, r - 1)
            h2_limits = h_squared(a_limits, r - 1) if m else math.nan
        if m:
            rows = np.array(active)
            d = data.D[rows, :r, :]
            sums = d.sum(axis=1)
            variances = d.var(axis=1, ddof=1) if s.procedure == "kn++" else limit_first[rows]
            eps = np.array([limit.epsilon for limit in s.limits])
            halves = np.maximum(0.0, h2_limits * variances / (2.0 * eps) - eps * r / 2.0)
            open_ = within[rows] == 0
            within[rows] = np.where(
                open_, np.where(sums <= -halves, 1, np.where(sums >= halves, -1, 0)), within[rows]
            )
            for i in active:
                if (within[i] < 0).any():
                    status[i], at[i] = "outside", r
            active = [i for i in active if status[i] == "left"]
        if screening and r == n0:
            active, cut = _screen(
                data, active, within, n0, alphas["screening"], s.screen_above, status, at, notes
            )
        x = data.matrix(active, r)
        if s.procedure == "kn++":
            variances = _pair_variances(x)
        else:
            variances = pair_first[np.ix_(active, active)]
        halves = np.maximum(0.0, h2 * variances / (2.0 * s.delta) - s.delta * r / 2.0)
        sums = x.sum(axis=1)
        # only systems known to be within every limit eliminate others (all at once)
        eliminators = [j for j, i in enumerate(active) if (within[i] > 0).all()]
        if eliminators:
            threshold = sums[eliminators][None, :] - halves[:, eliminators]
            beaten = sums[:, None] < threshold
            for j, i in enumerate(active):
                for column in np.nonzero(beaten[j])[0]:
                    if eliminators[column] != j:
                        status[i], at[i], by[i] = "eliminated", r, active[eliminators[column]]
                        break
        kept = [j for j, i in enumerate(active) if status[i] == "left"]
        active = [active[j] for j in kept]
        looks.append((r, len(active)))
        if not active:
            break
        decided = all((within[i] > 0).all() for i in active)
        if decided and len(active) == 1:
            break
        if decided and not halves[np.ix_(kept, kept)].any():
            break  # every triangle has closed: the largest mean wins
        if r >= s.max_replications:
            capped = True
            break
        r += 1
        if r > available:
            available = min(s.max_replications, max(r, math.ceil(available * (1.0 + s.growth))))
            data.extend(active, available)
    selected = _final(data, active, within, r, tiebreak, status, at)
    if capped:
        notes.append({"code": "capped", "max": s.max_replications, "left": len(active)})
    selection = Selection(
        procedure=s.procedure,
        k=k,
        selected=selected,
        status=status,
        at=at,
        by=by,
        within=within,
        replications=[data.count(i) for i in range(k)],
        alphas=alphas,
        constants=constants,
        guaranteed=selected is not None and not capped and not cut,
        notes=notes,
        looks=looks,
    )
    selection.good = good_set(data, selection, s)
    return selection


def _screen(
    data: _Data,
    active: list[int],
    within: np.ndarray,
    n0: int,
    alpha: float,
    most: int,
    status: list[Status],
    at: list[int],
    notes: list[dict[str, Any]],
) -> tuple[list[int], bool]:
    """Subset selection after the first stage (see the module docstring); also
    whether the cut to ``most`` was needed."""
    k = data.k
    t = t_one_sided(1.0 - alpha / (k - 1), n0 - 1)
    feasible = [i for i in active if (within[i] > 0).all()]
    means = np.array([data.x(i, n0).mean() for i in active])
    kept = list(active)
    if feasible:
        fx = data.matrix(feasible, n0)
        fmeans = fx.mean(axis=1)
        kept = []
        chunk = 64
        for start in range(0, len(active), chunk):
            rows = active[start : start + chunk]
            x = data.matrix(rows, n0)
            diff = x[:, None, :] - fx[None, :, :]
            w = t * np.sqrt(diff.var(axis=2, ddof=1) / n0)
            gap = means[start : start + len(rows)][:, None] - fmeans[None, :]
            for j, i in enumerate(rows):
                if np.all(gap[j] >= -w[j]):
                    kept.append(i)
    for i in set(active) - set(kept):
        status[i], at[i] = "screened", n0
    notes.append({"code": "screened", "kept": len(kept), "of": len(active)})
    if len(kept) > most:
        order = sorted(kept, key=lambda i: -data.x(i, n0).mean())
        for i in order[most:]:
            status[i], at[i] = "screened", n0
        notes.append({"code": "cut", "most": most})
        return sorted(order[:most]), True
    return kept, False


def _final(
    data: _Data,
    active: list[int],
    within: np.ndarray,
    r: int,
    tiebreak: Callable[[int], float] | None,
    status: list[Status],
    at: list[int],
) -> int | None:
    """The largest mean among those left that are within the limits (by their
    means where not decided: only when stopped at the cap)."""
    candidates = [i for i in active if (within[i] > 0).all()]
    if not candidates:
        candidates = [
            i
            for i in active
            if not (within[i] < 0).any() and (data.d(i, r).mean(axis=0) <= 0).all()
        ]
    if not candidates:
        return None
    order = _order(tiebreak)
    best = max(candidates, key=lambda i: (data.x(i, r).mean(), tuple(-v for v in order(i))))
    status[best], at[best] = "selected", r
    return best


# -- OCBA -------------------------------------------------------------------------------


def _ocba(sampler: Sampler, s: Settings, tiebreak: Callable[[int], float] | None) -> Selection:
    data = _Data(sampler, s)
    k, n0, m = data.k, s.first_stage, len(s.limits)
    total = s.total if s.total is not None else 4 * n0 * k
    total = max(total, n0 * k)
    everyone = list(range(k))
    data.extend(everyone, n0)
    rounds = 20
    step = max(1, math.ceil((total - n0 * k) / rounds))
    notes: list[dict[str, Any]] = [{"code": "ocba", "total": total, "step": step}]
    while True:
        spent = sum(data.count(i) for i in everyone)
        if spent >= total:
            break
        pool = [i for i in everyone if _plausible(data, i)]
        if not pool:
            break
        add = _allocate(data, pool, min(step, total - spent), s.delta)
        if not add:
            break
        for size in sorted(set(add.values())):
            data.extend([i for i, n in add.items() if n == size], size)
    within = np.zeros((k, m), dtype=int)
    for i in everyone:
        if m:
            within[i] = np.where(data.d(i).mean(axis=0) <= 0, 1, -1)
    status: list[Status] = ["stopped"] * k
    at = [data.count(i) for i in everyone]
    candidates = [i for i in everyone if (within[i] > 0).all()]
    selected = None
    order = _order(tiebreak)
    if candidates:
        selected = max(candidates, key=lambda i: (data.x(i).mean(), tuple(-v for v in order(i))))
        status[selected] = "selected"
    for i in everyone:
        if m and (within[i] < 0).any():
            status[i] = "outside"
    selection = Selection(
        procedure="ocba",
        k=k,
        selected=selected,
        status=status,
        at=at,
        by=[None] * k,
        within=within,
        replications=[data.count(i) for i in everyone],
        alphas={"good set": s.alpha},
        constants={"total": float(total)},
        guaranteed=False,
        notes=notes,
    )
    if selected is not None:
        selection.pcs_estimate = approximate_pcs(data, selected, candidates)
    selection.good = good_set(data, selection, s)
    return selection


def _plausible(data: _Data, i: int) -> bool:
    """Within every limit or less than two standard errors outside it."""
    d = data.d(i)
    if d.shape[1] == 0:
        return True
    n = len(d)
    se = d.std(axis=0, ddof=1) / math.sqrt(n) if n > 1 else np.zeros(d.shape[1])
    return bool(np.all(d.mean(axis=0) - 2.0 * se <= 0))


def _allocate(data: _Data, pool: list[int], budget: int, delta: float) -> dict[int, int]:
    """Chen et al. (2000): the replications each of ``pool`` should have after
    ``budget`` more, as new sizes (only those that grow)."""
    means = np.array([data.x(i).mean() for i in pool])
    sds = np.array([data.x(i).std(ddof=1) for i in pool])
    counts = np.array([data.count(i) for i in pool], dtype=float)
    b = int(np.argmax(means))
    gaps = np.maximum(means[b] - means, 1e-3 * delta)
    ratio = np.where(sds > 0, (sds / gaps) ** 2, 0.0)
    ratio[b] = 0.0
    others = np.arange(len(pool)) != b
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(sds[others] > 0, ratio[others] ** 2 / sds[others] ** 2, 0.0)
    ratio[b] = sds[b] * math.sqrt(terms.sum())
    if ratio.sum() <= 0:
        return {}
    target = (counts.sum() + budget) * ratio / ratio.sum()
    need = np.maximum(0.0, target - counts)
    if need.sum() <= 0:
        return {}
    extra = np.floor(need * budget / need.sum()).astype(int)
    left = budget - int(extra.sum())
    for j in np.argsort(-(need * budget / need.sum() - extra), kind="stable")[:left]:
        extra[j] += 1
    return {pool[j]: int(counts[j] + extra[j]) for j in range(len(pool)) if extra[j] > 0}


def approximate_pcs(data: _Data, best: int, candidates: Sequence[int]) -> float:
    """The Bonferroni approximation of the chance that ``best`` is the best:
    ``1 - sum_i P(x_i > x_best)``, each normal with the paired variance of the
    replications in common (not below 0)."""
    total = 0.0
    for i in candidates:
        if i == best:
            continue
        n = min(data.count(i), data.count(best))
        if n < 2:
            return math.nan
        diff = data.x(best, n) - data.x(i, n)
        sd = diff.std(ddof=1)
        if sd == 0:
            total += 0.0 if diff.mean() > 0 else 0.5
            continue
        total += float(ndtr(-diff.mean() / (sd / math.sqrt(n))))
    return max(0.0, 1.0 - total)


# -- the good set -------------------------------------------------------------------------


def candidates_of(selection: Selection, data: _Data) -> list[int]:
    """The systems the good set is drawn from: those within every limit (where
    undecided, by their means), and not dropped by the screen."""
    found = []
    for i in range(selection.k):
        if selection.status[i] in ("outside", "screened") or data.count(i) == 0:
            continue
        row = selection.within[i] if selection.within.size else np.zeros(0)
        if (row < 0).any():
            continue
        undecided = row == 0
        if undecided.any() and (data.d(i).mean(axis=0)[undecided] > 0).any():
            continue
        found.append(i)
    return found


def good_set(data: _Data, selection: Selection, s: Settings) -> list[int]:
    """Systems no candidate beats by more than ``delta`` beyond its one-sided
    interval (see the module docstring), in order of their means."""
    pool = candidates_of(selection, data)
    if len(pool) < 2:
        return pool
    p = 1.0 - s.alpha / (len(pool) - 1)
    selection.good_level = p
    good = []
    for i in pool:
        kept = True
        for j in pool:
            if i == j:
                continue
            n = min(data.count(i), data.count(j))
            if n < 2:
                continue  # cannot be told apart
            diff = data.x(i, n) - data.x(j, n)
            w = t_one_sided(p, n - 1) * diff.std(ddof=1) / math.sqrt(n)
            if diff.mean() < -(w + s.delta):
                kept = False
                break
        if kept:
            good.append(i)
    return sorted(good, key=lambda i: -data.x(i).mean())


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
