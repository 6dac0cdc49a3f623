"""The values a calibration fits: an :class:`Estimate` (a value and its
standard error), a case duration's fit (:func:`fit_duration`, against the
Kaplan-Meier curve), a theme's request rate (:class:`ThemeFit`), and all of
them together (:class:`Fitted`). Fitted from a registration by
:func:`wijksim.analysis.calibration.calibrate`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from scipy import optimize, special, stats

from ..scenario.units import DAYS_PER_YEAR

#: Fewer closed cases than this, or fewer different durations than
#: :data:`MIN_DISTINCT`, and a duration is not fitted: see :func:`fit_duration`.
MIN_CLOSED = 10
MIN_DISTINCT = 3
#: Standard normal quantile at 0.9 (lognormal written as median and p90).
Z90 = float(stats.norm.ppf(0.9))


@dataclass(frozen=True)
class Estimate:
    """A fitted value and its standard error, in the value's own unit."""

    value: float
    se: float

    def __format__(self, spec: str) -> str:
        return f"{self.value:{spec}} ± {self.se:{spec}}"


# -- durations -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    """A distribution family: start values, the log-density of closed cases and
    log-survival of open ones from unconstrained parameters (logarithms of the
    positive ones), the scipy distribution they make, and the parameters a
    scenario file takes.

    The log-likelihood is written out in numpy: scipy's distributions check
    their arguments on every call, which made a fit 30 times slower.
    """

    name: str
    start: Callable[[np.ndarray], np.ndarray]  # times -> unconstrained parameters
    log: Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
    frozen: Callable[[np.ndarray], Any]  # parameters -> scipy frozen distribution
    written: Callable[[np.ndarray], dict[str, float]]  # parameters -> file's (weeks)


def _exp(x: float) -> float:
    return float(np.exp(x))  # inf, not OverflowError, where the search strays


def _exponential_log(th, done, later):
    scale = _exp(th[0])
    return -np.log(scale) - done / scale, -later / scale


def _gamma_log(th, done, later):
    shape, scale = _exp(th[0]), _exp(th[1])
    z = done / scale
    logpdf = (shape - 1) * np.log(z) - z - special.gammaln(shape) - np.log(scale)
    return logpdf, np.log(special.gammaincc(shape, later / scale))


def _lognormal_log(th, done, later):
    mu, sigma = th[0], _exp(th[1])
    z = (np.log(done) - mu) / sigma
    logpdf = -0.5 * z * z - np.log(sigma * done) - 0.5 * math.log(2 * math.pi)
    with np.errstate(divide="ignore"):  # log(0) = -inf: a case open for 0 weeks, sf 1
        return logpdf, special.log_ndtr((mu - np.log(later)) / sigma)


def _weibull_log(th, done, later):
    shape, scale = _exp(th[0]), _exp(th[1])
    z = done / scale
    return np.log(shape / scale) + (shape - 1) * np.log(z) - z**shape, -((later / scale) ** shape)


def _lognormal_written(theta):
    return {"median": _exp(theta[0]), "p90": _exp(theta[0] + Z90 * _exp(theta[1]))}


def _gamma_written(theta):
    shape, scale = _exp(theta[0]), _exp(theta[1])
    return {"mean": shape * scale, "sd": math.sqrt(shape) * scale}


CANDIDATES = (
    _Candidate(
        "exponential",
        lambda t: np.array([math.log(t.mean())]),
        _exponential_log,
        lambda th: stats.expon(scale=_exp(th[0])),
        lambda th: {"mean": _exp(th[0])},
    ),
    _Candidate(
        "gamma",
        lambda t: np.array([0.0, math.log(t.mean())]),
        _gamma_log,
        lambda th: stats.gamma(_exp(th[0]), scale=_exp(th[1])),
        _gamma_written,
    ),
    _Candidate(
        "lognormal",
        lambda t: np.array([np.log(t).mean(), math.log(max(np.log(t).std(), 0.1))]),
        _lognormal_log,
        lambda th: stats.lognorm(_exp(th[1]), scale=_exp(th[0])),
        _lognormal_written,
    ),
    _Candidate(
        "weibull",
        lambda t: np.array([0.0, math.log(t.mean())]),
        _weibull_log,
        lambda th: stats.weibull_min(_exp(th[0]), scale=_exp(th[1])),
        lambda th: {"shape": _exp(th[0]), "scale": _exp(th[1])},
    ),
)


@dataclass(frozen=True)
class DurationFit:
    """The chosen distribution of case durations (weeks) and how it was chosen."""

    dist: str
    params: dict[str, Estimate]
    aic: dict[str, float]  # every candidate's AIC, lowest first
    closed: int
    open: int
    _frozen: Any = field(repr=False, compare=False)

    def survival(self, weeks: np.ndarray) -> np.ndarray:
        """The fitted share of cases still open after ``weeks``."""
        return self._frozen.sf(weeks)

    def scenario_value(self) -> dict:
        """The fit as written in a scenario file (durations in weeks)."""
        out: dict = {"dist": self.dist}
        for key, estimate in self.params.items():
            out[key] = estimate.value if key == "shape" else f"{estimate.value:.3g} weeks"
        return out


def fit_duration(closed: np.ndarray, still_open: np.ndarray) -> DurationFit:
    """Fit case durations (weeks) of closed cases, with the weeks so far of
    cases still open as right-censored observations; the lowest AIC wins.

    Standard errors come from the inverse Hessian of the log-likelihood, carried
    to the written parameters by the delta method. Refused (``ValueError``, saying
    how much is needed) with fewer than :data:`MIN_CLOSED` closed cases or fewer
    than :data:`MIN_DISTINCT` different durations among them: each family has two
    parameters, and telling the families apart needs the skew of the durations,
    which two values cannot show; with one value the spread is zero and the
    shapes run off to infinity.
    """
    closed = np.asarray(closed, dtype=float)
    still_open = np.asarray(still_open, dtype=float)
    for times in (closed, still_open):
        if not np.isfinite(times).all() or (times < 0).any():
            raise ValueError("durations must be finite, non-negative numbers of weeks")
    problem = too_little(closed)
    if problem:
        raise ValueError(problem)
    closed = np.maximum(closed, 1e-3)  # a case closed the day it started
    # the likelihood summed over distinct values, each counted: exact, and as
    # quick for a million cases as for the few hundred days they take
    done, done_n = np.unique(closed, return_counts=True)
    later, later_n = np.unique(still_open, return_counts=True)
    fits = []
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for candidate in CANDIDATES:

            def nll(theta, candidate=candidate):
                logpdf, logsf = candidate.log(theta, done, later)
                value = -(done_n @ logpdf + later_n @ logsf)
                return value if np.isfinite(value) else 1e300

            result = optimize.minimize(
                nll,
                candidate.start(closed),
                method="Nelder-Mead",
                options={"xatol": 1e-8, "fatol": 1e-8, "maxiter": 4000},
            )
            theta = result.x
            fits.append((2 * len(theta) + 2 * result.fun, candidate, theta, nll))
        fits.sort(key=lambda f: f[0])
        _, best, theta, nll = fits[0]
        cov = np.linalg.pinv(_hessian(nll, theta))
        jac = _jacobian(lambda th: np.array(list(best.written(th).values())), theta)
        se = np.sqrt(np.maximum(np.diag(jac @ cov @ jac.T), 0.0))
        written = best.written(theta)
    values = np.array(list(written.values()))
    if not (np.isfinite(values).all() and (values > 0).all() and np.isfinite(se).all()):
        raise ValueError(
            f"the fit did not settle ({best.name}: {', '.join(f'{v:.3g}' for v in values)})"
        )
    params = {k: Estimate(v, float(s)) for (k, v), s in zip(written.items(), se, strict=True)}
    return DurationFit(
        best.name,
        params,
        {c.name: float(a) for a, c, _, _ in fits},
        len(closed),
        len(still_open),
        best.frozen(theta),
    )


def too_little(closed: np.ndarray) -> str | None:
    """Why ``closed`` (weeks) is too little to fit a duration to, or ``None``."""
    distinct = len(np.unique(closed))
    if len(closed) >= MIN_CLOSED and distinct >= MIN_DISTINCT:
        return None
    held = (
        f"{len(closed)} closed cases with {distinct} different durations"
        if distinct
        else "no closed cases"
    )
    return (
        f"{held}; a duration is"
        f" fitted from at least {MIN_CLOSED} closed cases with {MIN_DISTINCT} different"
        " durations (two parameters, and the skew that tells the families apart)"
    )


def _hessian(f, x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    n = len(x)
    out = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            ei, ej = np.eye(n)[i] * h, np.eye(n)[j] * h
            out[i, j] = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (
                4 * h * h
            )
    return out


def _jacobian(g, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    columns = [(g(x + e) - g(x - e)) / (2 * h) for e in np.eye(len(x)) * h]
    return np.column_stack(columns)


def kaplan_meier(closed: np.ndarray, still_open: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Kaplan-Meier estimate of the share of cases still open: (weeks, share)."""
    times = np.concatenate([closed, still_open])
    events = np.concatenate([np.ones(len(closed)), np.zeros(len(still_open))])
    order = np.argsort(times, kind="stable")
    times, events = times[order], events[order]
    at_risk = len(times) - np.arange(len(times))
    share = np.cumprod(1.0 - events / at_risk)
    return times, share


# -- the whole calibration -----------------------------------------------------------


@dataclass(frozen=True)
class ThemeFit:
    requests_per_1000: Estimate
    new_requests: int
    monthly_profile: tuple[Estimate, ...] | None
    flat_p_value: float  # chi-square test of equal months


@dataclass(frozen=True)
class Fitted:
    """The numbers fitted from one registration (aggregates only): what a
    :class:`~wijksim.analysis.calibration.Calibration` holds, which adds its
    plot and its scenario file (:mod:`wijksim.analysis.calibration_file` writes
    the file from these numbers).

    A figure the registration holds too little of is ``None`` (or missing from
    ``durations``) and says why in ``unfitted`` or ``notes``; ``notes`` also
    counts the rows left out (outside ``since``/``until``).
    """

    source: str
    first_day: date
    last_day: date
    residents: int | None
    themes: dict[str, ThemeFit]
    severity_mix: dict[str, Estimate] | None
    settled_at_intake: Estimate | None
    settled_of: str  # "new light requests" or "new requests"
    severities: tuple[str, ...]  # the scenario's, lightest first
    durations: dict[str, DurationFit]
    recurrence: Estimate | None
    waits: dict[str, float]
    _samples: dict[str, tuple[np.ndarray, np.ndarray]] = field(repr=False, compare=False)
    unfitted: dict[str, str] = field(default_factory=dict)  # severity: why no duration
    notes: tuple[str, ...] = ()

    @property
    def years(self) -> float:
        return ((self.last_day - self.first_day).days + 1) / DAYS_PER_YEAR
