"""Calibration from a team's registration: one row per help request in, a
scenario with fitted values and their standard errors out.

The registration CSV needs no names or addresses, and the result holds only
aggregates. Columns (dates as ``YYYY-MM-DD``):

``requested``
    the date the request came in (required)
``theme``
    the request's theme, e.g. ``debts`` (required)
``start``
    the date support started; empty while waiting or when the person gave up
``end``
    the date support ended (or the person gave up waiting); empty while open
``severity`` (optional)
    e.g. ``light``, ``regular``, ``complex``
``returning`` (optional)
    ``yes`` when the person came back after earlier support by the team

A request settled at intake (information, advice) has ``start`` and ``end``
on the day it came in. What is fitted:

* arrival rates per theme (new requests per 1,000 residents per year) and a
  monthly profile where the months differ (chi-square test at 5%);
* case durations per severity: exponential, gamma, lognormal and Weibull by
  maximum likelihood with right-censoring for cases still open, chosen by AIC;
* the severity mix, the share of light requests settled at intake and the
  share that comes back after closure (binomial standard errors);
* waiting times as observed, to check a model run against (an outcome, not an
  input).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from ..scenario.units import DAYS_PER_YEAR

REQUIRED = ("requested", "theme", "start", "end")
OPTIONAL = ("severity", "returning")
YES = {"yes", "y", "ja", "j", "true", "1"}
NO = {"no", "n", "nee", "false", "0", ""}
#: Fewer closed cases than this and a duration is not fitted.
MIN_CLOSED = 10
#: Standard normal quantile at 0.9 (lognormal written as median and p90).
Z90 = float(stats.norm.ppf(0.9))


@dataclass(frozen=True)
class Estimate:
    """A fitted value and its standard error, in the value's own unit."""

    value: float
    se: float

    def __format__(self, spec: str) -> str:
        return f"{self.value:{spec}} ± {self.se:{spec}}"


# -- reading -------------------------------------------------------------------------


def read_requests(path: str | Path) -> pd.DataFrame:
    """The registration as a frame with dates, checked row by row.

    Raises ``ValueError`` with ``file:line: column: what is wrong``.
    """
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None
    raw.columns = [c.strip().lower() for c in raw.columns]
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise ValueError(f"{path}: missing columns: {', '.join(missing)}")
    if raw.empty:
        raise ValueError(f"{path}: no requests")
    frame = pd.DataFrame(index=raw.index)
    for column in ("requested", "start", "end"):
        text = raw[column].str.strip()
        parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
        bad = parsed.isna() & (text != "")
        if column == "requested":
            bad |= text == ""
        if bad.any():
            line = int(bad.idxmax()) + 2
            raise ValueError(f"{path}:{line}: {column}: not a date (YYYY-MM-DD)")
        frame[column] = parsed
    frame["theme"] = raw["theme"].str.strip()
    if (frame["theme"] == "").any():
        raise ValueError(f"{path}:{int((frame['theme'] == '').idxmax()) + 2}: theme: missing")
    for column, message, bad in (
        ("start", "before the request", frame["start"] < frame["requested"]),
        ("end", "before the start", frame["end"] < frame["start"]),
        ("end", "before the request", frame["end"] < frame["requested"]),
    ):
        if bad.any():
            raise ValueError(f"{path}:{int(bad.idxmax()) + 2}: {column}: {message}")
    if "severity" in raw.columns:
        frame["severity"] = raw["severity"].str.strip()
    if "returning" in raw.columns:
        text = raw["returning"].str.strip().str.lower()
        bad = ~text.isin(YES | NO)
        if bad.any():
            raise ValueError(f"{path}:{int(bad.idxmax()) + 2}: returning: give yes or no")
        frame["returning"] = text.isin(YES)
    return frame


# -- durations -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    """A distribution family: start values, scipy frozen distribution from
    unconstrained parameters, and the parameters a scenario file takes."""

    name: str
    start: Callable[[np.ndarray], np.ndarray]  # times -> unconstrained parameters
    frozen: Callable[[np.ndarray], Any]  # parameters -> scipy frozen distribution
    written: Callable[[np.ndarray], dict[str, float]]  # parameters -> file's (weeks)


def _lognormal_written(theta):
    return {"median": math.exp(theta[0]), "p90": math.exp(theta[0] + Z90 * math.exp(theta[1]))}


def _gamma_written(theta):
    shape, scale = math.exp(theta[0]), math.exp(theta[1])
    return {"mean": shape * scale, "sd": math.sqrt(shape) * scale}


CANDIDATES = (
    _Candidate(
        "exponential",
        lambda t: np.array([math.log(t.mean())]),
        lambda th: stats.expon(scale=math.exp(th[0])),
        lambda th: {"mean": math.exp(th[0])},
    ),
    _Candidate(
        "gamma",
        lambda t: np.array([0.0, math.log(t.mean())]),
        lambda th: stats.gamma(math.exp(th[0]), scale=math.exp(th[1])),
        _gamma_written,
    ),
    _Candidate(
        "lognormal",
        lambda t: np.array([np.log(t).mean(), math.log(max(np.log(t).std(), 0.1))]),
        lambda th: stats.lognorm(math.exp(th[1]), scale=math.exp(th[0])),
        _lognormal_written,
    ),
    _Candidate(
        "weibull",
        lambda t: np.array([0.0, math.log(t.mean())]),
        lambda th: stats.weibull_min(math.exp(th[0]), scale=math.exp(th[1])),
        lambda th: {"shape": math.exp(th[0]), "scale": math.exp(th[1])},
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
    to the written parameters by the delta method.
    """
    closed = np.asarray(closed, dtype=float)
    still_open = np.asarray(still_open, dtype=float)
    closed = np.maximum(closed, 1e-3)  # a case closed the day it started
    if len(closed) < MIN_CLOSED:
        raise ValueError(f"too few closed cases to fit a duration ({len(closed)})")
    fits = []
    for candidate in CANDIDATES:

        def nll(theta, candidate=candidate):
            dist = candidate.frozen(theta)
            value = -(dist.logpdf(closed).sum() + dist.logsf(still_open).sum())
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
    params = {
        k: Estimate(v, float(s)) for (k, v), s in zip(best.written(theta).items(), se, strict=True)
    }
    return DurationFit(
        best.name,
        params,
        {c.name: float(a) for a, c, _, _ in fits},
        len(closed),
        len(still_open),
        best.frozen(theta),
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
class Calibration:
    """Everything fitted from one registration (aggregates only)."""

    source: str
    first_day: date
    last_day: date
    residents: float | None
    themes: dict[str, ThemeFit]
    severity_mix: dict[str, Estimate] | None
    settled_at_intake: Estimate
    settled_of: str  # "new light requests" or "new requests"
    severities: tuple[str, ...]  # the scenario's, lightest first
    durations: dict[str, DurationFit]
    recurrence: Estimate | None
    waits: dict[str, float]
    _samples: dict[str, tuple[np.ndarray, np.ndarray]] = field(repr=False, compare=False)

    @property
    def years(self) -> float:
        return ((self.last_day - self.first_day).days + 1) / DAYS_PER_YEAR

    def plot_durations(self, path: str | Path | None = None):
        """Kaplan-Meier curves of the durations against the fitted distributions;
        saved to ``path`` when given. Returns the matplotlib figure."""
        import matplotlib.pyplot as plt

        n = len(self.durations)
        fig, axes = plt.subplots(1, n, figsize=(4.2 * n, 3.4), squeeze=False, sharey=True)
        for ax, (severity, fit) in zip(axes[0], self.durations.items(), strict=True):
            closed, still_open = self._samples[severity]
            weeks, share = kaplan_meier(closed, still_open)
            ax.step(weeks, share, where="post", color="black", lw=1.2, label="registratie")
            grid = np.linspace(0, weeks.max(), 200)
            ax.plot(
                grid,
                fit.survival(grid),
                color="tab:orange",
                lw=2,
                label=f"{fit.dist} (laagste AIC)",
            )
            ax.set(title=f"{severity}: {fit.closed} gesloten, {fit.open} open", xlabel="weken")
            ax.spines[["top", "right"]].set_visible(False)
        axes[0][0].set_ylabel("aandeel nog in zorg")
        axes[0][0].legend(frameon=False)
        fig.tight_layout()
        if path is not None:
            fig.savefig(path, dpi=120)
        return fig

    def to_yaml(self, extends: str | None = None, name: str = "Mijn wijk (gekalibreerd)") -> str:
        """A scenario file with every fitted value and its standard error as a comment."""
        return _yaml(self, extends, name)


def calibrate(
    registration: str | Path | pd.DataFrame,
    residents: float | None = None,
    *,
    since: date | None = None,
    until: date | None = None,
    severities: Sequence[str] = ("light", "regular", "complex"),
) -> Calibration:
    """Fit a scenario's demand and case figures to a registration.

    ``registration`` is a CSV path (see the module docstring) or a frame as
    :func:`read_requests` returns. ``residents`` turns yearly counts into rates
    per 1,000 residents (without it, rates are for 1,000 residents: the whole
    wijk's yearly counts). ``since`` is the first day of the registration period
    (default: the first request): earlier requests are cases carried over, counted
    for closures but not for arrivals, waits or durations. ``until`` is the day of
    the export (default: the last date in the file); cases open then are
    censored there. ``severities`` names
    the lightest severity first; without a ``severity`` column one duration is
    fitted for all cases and written for each of them.
    """
    frame = registration if isinstance(registration, pd.DataFrame) else read_requests(registration)
    source = getattr(registration, "name", None) or str(registration)
    if isinstance(registration, pd.DataFrame):
        source = "a registration frame"
    first = since or frame["requested"].min().date()
    start_day = pd.Timestamp(first)
    dates = pd.concat([frame["requested"], frame["start"], frame["end"]]).dropna()
    last = until or dates.max().date()
    cut = pd.Timestamp(last)
    years = ((last - first).days + 1) / DAYS_PER_YEAR
    scale = 1000.0 / residents if residents else 1.0

    returning = frame["returning"] if "returning" in frame else pd.Series(False, frame.index)
    current = frame["requested"] >= start_day
    new = frame[current & ~returning]
    themes = {}
    for theme in new["theme"].value_counts().index:
        requested = new["requested"][new["theme"] == theme]
        themes[str(theme)] = _theme_fit(requested, first, last, years, scale)

    settled = frame["start"].notna() & (frame["start"] == frame["end"])
    has_severity = "severity" in frame
    mix = None
    if has_severity:
        counts = frame["severity"][current & ~returning].value_counts()
        order = [s for s in severities if s in counts] + [
            s for s in counts.index if s not in severities
        ]
        mix = {s: _share(int(counts[s]), int(counts.sum())) for s in order}
        # only new requests can be settled at intake: returning ones are cases
        light = current & ~returning & (frame["severity"] == severities[0])
        settled_share = _share(int((settled & light).sum()), int(light.sum()))
        settled_of = f"new {severities[0]} requests"
    else:
        fresh = current & ~returning
        settled_share = _share(int((settled & fresh).sum()), int(fresh.sum()))
        settled_of = "new requests"

    in_care = frame["start"].notna() & ~settled & (frame["start"] >= start_day)
    closed = in_care & frame["end"].notna() & (frame["end"] <= cut)
    weeks = lambda a, b: (b - a).dt.days.to_numpy(float) / 7.0  # noqa: E731
    groups = frame["severity"] if has_severity else pd.Series("all", frame.index)
    durations, samples = {}, {}
    present = set(groups[in_care])
    order = [s for s in (*severities, "all") if s in present] + sorted(present - {*severities})
    for severity in order:
        mine = groups == severity
        done = weeks(frame["start"][closed & mine], frame["end"][closed & mine])
        still = weeks(
            frame["start"][in_care & ~closed & mine],
            pd.Series(cut, frame.index)[in_care & ~closed & mine],
        )
        if len(done) >= MIN_CLOSED:
            durations[str(severity)] = fit_duration(done, still)
            samples[str(severity)] = (np.maximum(done, 1e-3), still)

    recurrence = None
    if "returning" in frame:
        # returns in the period per closure in the period: in steady state the
        # returns still to come balance those from closures before the period
        closures = frame["start"].notna() & ~settled & (frame["end"] >= start_day)
        recurrence = _share(int((returning & current).sum()), int(closures.sum()))

    waited = frame["start"].notna() & ~settled & current
    wait = weeks(frame["requested"][waited], frame["start"][waited])
    waits = {
        "taken_in": float(len(wait)),
        "mean_weeks": float(wait.mean()) if len(wait) else math.nan,
        "median_weeks": float(np.median(wait)) if len(wait) else math.nan,
        "p90_weeks": float(np.quantile(wait, 0.9)) if len(wait) else math.nan,
        "share_over_6_weeks": float((wait > 6).mean()) if len(wait) else math.nan,
        "waiting_at_export": float((frame["start"].isna() & frame["end"].isna()).sum()),
        "gave_up": float((frame["start"].isna() & frame["end"].notna() & current).sum()),
    }
    return Calibration(
        source,
        first,
        last,
        residents,
        themes,
        mix,
        settled_share,
        settled_of,
        tuple(severities),
        durations,
        recurrence,
        waits,
        samples,
    )


def _share(k: int, n: int) -> Estimate:
    if n == 0:
        return Estimate(math.nan, math.nan)
    p = k / n
    return Estimate(p, math.sqrt(p * (1 - p) / n))


def _theme_fit(requested: pd.Series, first: date, last: date, years: float, scale: float):
    n = len(requested)
    rate = Estimate(n / years * scale, math.sqrt(n) / years * scale)
    days = pd.date_range(first, last, freq="D")
    exposure = np.bincount(days.month - 1, minlength=12).astype(float)
    counts = np.bincount(requested.dt.month - 1, minlength=12).astype(float)
    if (exposure == 0).any() or n < 12:
        return ThemeFit(rate, n, None, math.nan)
    expected = n * exposure / exposure.sum()
    p_value = float(stats.chisquare(counts, expected).pvalue)
    if p_value >= 0.05:
        return ThemeFit(rate, n, None, p_value)
    per_day = counts / exposure
    mean = per_day.mean()
    profile = tuple(
        Estimate(r / mean, (r / mean) / math.sqrt(c) if c else math.nan)
        for r, c in zip(per_day, counts, strict=True)
    )
    return ThemeFit(rate, n, profile, p_value)


# -- writing -------------------------------------------------------------------------


def _yaml(cal: Calibration, extends: str | None, name: str) -> str:
    lines = [
        f"# Calibrated from {Path(cal.source).name}: {cal.first_day} to {cal.last_day}"
        f" ({cal.years:.1f} years).",
        "# Aggregates only. Every fitted value carries its standard error (±) in a",
        "# comment; check a run against the observed waits at the end of this file.",
    ]
    if extends:
        lines.append(f"extends: {extends}")
    else:
        lines += [
            "# Not complete on its own: team size, caseload ceiling, case weights and",
            "# contact hours are not in a registration; add them or use --extends.",
        ]
    lines += [f"name: {name}", "", "neighbourhood:"]
    if cal.residents:
        lines.append(f"  residents: {cal.residents:g}")
    else:
        lines.append(
            "  residents: 1000                  # unknown: rates below are the wijk's yearly counts"
        )
    lines.append(
        f"  settled_at_intake: {cal.settled_at_intake.value:.4f}"
        f"   # ± {cal.settled_at_intake.se:.4f} (share of {cal.settled_of} settled at intake)"
    )
    if cal.severity_mix:
        lines.append("  severity_mix:")
        for severity, est in cal.severity_mix.items():
            lines.append(f"    {severity}: {est.value:.4f}   # ± {est.se:.4f}")
    if cal.durations:
        lines.append(
            "  duration:                          # censored maximum likelihood, lowest AIC"
        )
        fits = cal.durations
        if list(fits) == ["all"]:
            fits = dict.fromkeys(cal.severities, fits["all"])
        for severity, fit in fits.items():
            value = ", ".join(f"{k}: {v}" for k, v in fit.scenario_value().items())
            errors = ", ".join(f"{k} ± {e.se:.3g}" for k, e in fit.params.items())
            aic = ", ".join(f"{k} {v:.1f}" for k, v in fit.aic.items())
            lines.append(f"    # {fit.closed} closed, {fit.open} open; AIC: {aic}")
            lines.append(f"    {severity}: {{{value}}}   # {errors}")
    lines.append("  themes:")
    for theme, theme_fit in cal.themes.items():
        rate = theme_fit.requests_per_1000
        lines.append(f"    {theme}:")
        lines.append(
            f"      requests_per_1000: {rate.value:.4g}   # ± {rate.se:.2g}"
            f" ({theme_fit.new_requests} new requests)"
        )
        if theme_fit.monthly_profile:
            values = ", ".join(f"{e.value:.3f}" for e in theme_fit.monthly_profile)
            errors = ", ".join(f"{e.se:.2f}" for e in theme_fit.monthly_profile)
            lines.append(
                f"      # months differ (chi-square p = {theme_fit.flat_p_value:.2g}); ± [{errors}]"
            )
            lines.append(f"      monthly_profile: [{values}]")
        elif not math.isnan(theme_fit.flat_p_value):
            lines.append(
                f"      # months do not differ (chi-square p = {theme_fit.flat_p_value:.2g}): flat"
            )
    if cal.recurrence is not None:
        est = cal.recurrence
        lines += [
            "",
            "team:",
            "  recurrence:                        # delay not in a registration: as the base",
            f"    probability: {est.value:.4f}   # ± {est.se:.4f} (returning requests per closure)",
        ]
    w = cal.waits
    lines += [
        "",
        "# Observed waits (an outcome to compare a run with, not an input):",
        f"#   taken in {w['taken_in']:.0f}, mean {w['mean_weeks']:.2f} weeks, median"
        f" {w['median_weeks']:.2f}, p90 {w['p90_weeks']:.2f}, over 6 weeks"
        f" {w['share_over_6_weeks']:.1%}",
        f"#   still waiting at the export {w['waiting_at_export']:.0f},"
        f" gave up waiting {w['gave_up']:.0f}",
    ]
    return "\n".join(lines) + "\n"


# -- a registration export of a model run ------------------------------------------


def registration(run, first_day: date = date(2020, 1, 1)) -> pd.DataFrame:
    """What the team's registration would hold after ``run`` (a :class:`wijksim.Run`
    made with ``record_cases=True``): one row per request, dates counted from
    ``first_day`` (week 0 of the run). The registration period starts after the
    run's warm-up (``first_day + warmup``): requests from before it appear only
    when still open then, as cases carried over; the initial state's requests
    are left out. For testing calibration on data with known parameters."""
    cases = run.cases
    warmup = run.scenario.warmup
    kept = cases["status"].isin(["waiting", "in_care", "closed", "reneged", "settled_at_intake"])
    open_at_start = cases["end"].isna() | (cases["end"] >= warmup)
    cases = cases[kept & (cases["origin"] != "initial") & open_at_start]
    origin = pd.Timestamp(first_day)

    def day(weeks: pd.Series) -> pd.Series:
        stamps = origin + pd.to_timedelta(np.floor(weeks * 7.0), unit="D")
        return stamps.dt.strftime("%Y-%m-%d").where(weeks.notna(), "")

    reneged = cases["status"] == "reneged"
    return pd.DataFrame(
        {
            "requested": day(cases["arrival"]),
            "theme": cases["theme"],
            "severity": cases["severity"],
            "start": day(cases["intake"]).where(~reneged, ""),
            "end": day(cases["end"]),
            "returning": np.where(cases["origin"] == "recurrence", "yes", "no"),
        }
    ).reset_index(drop=True)


__all__ = [
    "Calibration",
    "DurationFit",
    "Estimate",
    "ThemeFit",
    "calibrate",
    "fit_duration",
    "kaplan_meier",
    "read_requests",
    "registration",
]
