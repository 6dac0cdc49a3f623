"""Confidence intervals over replications.

Replications are independent, identically distributed draws of a figure, so a
Student-t interval is the standard choice (Law, *Simulation Modeling and
Analysis*, ch. 9). A paired comparison under common random numbers takes the
interval of the per-replication differences; without common random numbers
two arms are independent and Welch's interval applies.

A share of one scenario (:data:`SHARES`, within [0, 1]) gets the t interval on
the logit scale instead (:func:`share_interval`), which stays within its
bounds; a difference of shares (within [-1, 1]) keeps the t interval unless
that passes -1 or 1. No interval is clipped.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy.special import expit, logit, ndtri, stdtrit

CONFIDENCE = 0.95


def upper_quantile(confidence: float) -> float:
    """The quantile of a two-sided interval, ``0.5 + confidence / 2``.

    Every interval's confidence passes here (or :func:`tail_share`), so that 95 for
    0.95, NaN or text is refused in words, not a quantile error of numpy's or
    an interval of no meaning (a confidence of 0 or below gave one silently)."""
    if isinstance(confidence, bool) or not isinstance(confidence, int | float | np.number):
        raise TypeError(f"confidence is a fraction between 0 and 1 (0.95), not {confidence!r:.80}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence is a fraction between 0 and 1 (0.95), not {confidence!r}")
    return 0.5 + confidence / 2


def tail_share(confidence: float) -> float:
    """Each tail's share outside a two-sided interval, ``(1 - confidence) / 2``."""
    upper_quantile(confidence)  # checked, as every interval's
    return (1 - confidence) / 2


@dataclass(frozen=True)
class Interval:
    """A mean with its confidence interval, in the unit of the figure."""

    mean: float
    sd: float
    n: int
    low: float
    high: float

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2

    @property
    def relative_precision(self) -> float:
        """Half-width divided by the absolute mean (NaN for a zero mean)."""
        return self.half_width / abs(self.mean) if self.mean else math.nan

    def to_dict(self) -> dict[str, float]:
        return {**asdict(self), "half_width": self.half_width}


def t_quantile(n: int, confidence: float = CONFIDENCE) -> float:
    """The two-sided Student-t quantile for ``n`` observations (NaN below 2)."""
    if n < 2:
        return math.nan
    return float(stdtrit(n - 1, upper_quantile(confidence)))


def t_interval(values, confidence: float = CONFIDENCE) -> Interval:
    """Mean and t interval of independent observations; NaNs are left out."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return Interval(math.nan, math.nan, 0, math.nan, math.nan)
    mean = float(np.mean(x))
    sd = float(np.std(x, ddof=1)) if n > 1 else math.nan
    half = t_quantile(n, confidence) * sd / math.sqrt(n)
    return Interval(mean, sd, n, mean - half, mean + half)


def replications_for_half_width(
    sd: float, half_width: float, confidence: float = CONFIDENCE, maximum: int = 100_000
) -> int | None:
    """The smallest number of replications ``n`` (at least 2) whose t interval
    of the mean, ``t(n - 1) * sd / sqrt(n)``, is at most ``half_width`` wide on
    each side; ``None`` beyond ``maximum`` or when it cannot be told (NaN)."""
    if not (math.isfinite(sd) and math.isfinite(half_width)) or sd < 0 or half_width < 0:
        return None

    def within(n: int) -> bool:
        return t_quantile(n, confidence) * sd / math.sqrt(n) <= half_width

    if within(2):
        return 2
    if not within(maximum):
        return None
    low, high = 2, maximum  # within(low) is False, within(high) is True; it falls with n
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if within(middle) else (middle, high)
    return high


def share_interval(values, confidence: float = CONFIDENCE) -> Interval:
    """Mean of replications of a share (each within [0, 1]) with an interval
    that stays within (0, 1): Student's t on the logit scale, by the delta
    method (standard error ``se / (m (1 - m))`` around ``logit(m)``), taken back.

    Near 0 or 1 the interval is asymmetric, as the spread of a share there is;
    near 1/2 it is the t interval. When every replication has the same value
    (all 0, say) the interval is that value, as the t interval would be. Values
    outside [0, 1] are no share: they get the t interval. NaNs are left out.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    interval = t_interval(x, confidence)
    if interval.n < 2 or not ((x >= 0).all() and (x <= 1).all()):
        return interval
    low, high = _logit_bounds(
        np.array([interval.mean]), np.array([interval.sd]), np.array([interval.n]), confidence
    )
    return Interval(interval.mean, interval.sd, interval.n, float(low[0]), float(high[0]))


def _logit_bounds(
    mean: np.ndarray, sd: np.ndarray, n: np.ndarray, confidence: float
) -> tuple[np.ndarray, np.ndarray]:
    """The ends of :func:`share_interval` for many groups at once (``n >= 2``)."""
    q = stdtrit(np.maximum(n - 1, 1), upper_quantile(confidence))
    inside = (mean > 0) & (mean < 1) & (sd > 0)
    m = np.where(inside, mean, 0.5)
    spread = q * sd / np.sqrt(n) / (m * (1 - m))
    centre = logit(m)
    low = np.where(inside, expit(centre - spread), mean)
    high = np.where(inside, expit(centre + spread), mean)
    return low, high


def paired_interval(alternative, baseline, confidence: float = CONFIDENCE) -> Interval:
    """Interval of the mean difference ``alternative - baseline``, pair by pair.

    Both arrays are indexed by replication; a pair with a NaN is left out.
    """
    a = np.asarray(alternative, dtype=float)
    b = np.asarray(baseline, dtype=float)
    if a.shape != b.shape:
        raise ValueError("paired arrays must have the same length (one value per replication)")
    return t_interval(a - b, confidence)


def welch_interval(alternative, baseline, confidence: float = CONFIDENCE) -> Interval:
    """Interval of ``mean(alternative) - mean(baseline)`` for independent samples.

    ``sd`` is the standard error of the difference times ``sqrt(n)`` with ``n``
    the smaller sample, so that it is comparable with a paired ``sd``.
    """
    a = np.asarray(alternative, dtype=float)
    b = np.asarray(baseline, dtype=float)
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    if len(a) < 2 or len(b) < 2:
        mean = float(np.mean(a) - np.mean(b)) if len(a) and len(b) else math.nan
        return Interval(mean, math.nan, min(len(a), len(b)), math.nan, math.nan)
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    se = math.sqrt(va + vb)
    mean = float(np.mean(a) - np.mean(b))
    if se == 0:
        return Interval(mean, 0.0, min(len(a), len(b)), mean, mean)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = float(stdtrit(df, upper_quantile(confidence))) * se
    n = min(len(a), len(b))
    return Interval(mean, se * math.sqrt(n), n, mean - half, mean + half)


#: Figures that are shares, within [0, 1]; every other figure of wijksim is a
#: count, an average of counts, hours or weeks, so never below 0.
SHARES = frozenset(
    {
        "ceiling_occupancy",
        "share_waited",
        "share_wait_over_6_weeks",
        "share_weeks_squeezed",
        "occupancy",
    }
)


def describe(
    frame: pd.DataFrame, by: list[str], value: str = "value", confidence: float = CONFIDENCE
) -> pd.DataFrame:
    """Per group of ``by``: ``mean, sd, n, ci_low, ci_high, ci_method`` of column ``value``.

    The interval is Student's t; for a share (:data:`SHARES`, by the group's
    ``metric``) the t interval on the logit scale (:func:`share_interval`,
    ``ci_method`` ``logit``), which stays within [0, 1]; where a t interval
    would fall below 0, which no figure can, the percentile bootstrap instead
    (``bootstrap``). Groups keep the order in which they first appear; NaNs are
    left out.
    """
    grouped = frame.groupby(by, sort=False, observed=True)[value]
    out = grouped.agg(["mean", "std", "count"]).rename(columns={"std": "sd", "count": "n"})
    n = out["n"].to_numpy()
    q = np.where(n >= 2, stdtrit(np.maximum(n - 1, 1), upper_quantile(confidence)), np.nan)
    half = q * out["sd"].to_numpy() / np.sqrt(np.maximum(n, 1))
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    out["n"] = out["n"].astype(int)
    out["ci_method"] = "t"
    upper: float | np.ndarray = np.inf
    if "metric" in by:
        metrics = out.index.get_level_values("metric")
        share = np.asarray(metrics.isin(list(SHARES)))
        upper = np.where(share, 1.0, np.inf)
        # a share's groups with values in [0, 1]: the logit interval (never crosses)
        if share.any():
            ends = grouped.agg(["min", "max"])
            within = (ends["min"].to_numpy() >= 0) & (ends["max"].to_numpy() <= 1)
            logit_rows = np.flatnonzero(share & within & (n >= 2))
        else:
            logit_rows = np.zeros(0, dtype=int)
        if len(logit_rows):
            low, high = _logit_bounds(
                out["mean"].to_numpy()[logit_rows],
                out["sd"].to_numpy()[logit_rows],
                n[logit_rows],
                confidence,
            )
            out.iloc[logit_rows, out.columns.get_loc("ci_low")] = low
            out.iloc[logit_rows, out.columns.get_loc("ci_high")] = high
            out.iloc[logit_rows, out.columns.get_loc("ci_method")] = "logit"
    crossing = (out["ci_low"].to_numpy() < 0) | (out["ci_high"].to_numpy() > upper)
    if crossing.any():
        values = grouped.apply(lambda x: x.dropna().to_numpy(dtype=float))
        positions = np.flatnonzero(crossing)
        low, high = _bootstrap_means([values.iloc[p] for p in positions], confidence)
        out.iloc[positions, out.columns.get_loc("ci_low")] = low
        out.iloc[positions, out.columns.get_loc("ci_high")] = high
        out.iloc[positions, out.columns.get_loc("ci_method")] = "bootstrap"
    return out.reset_index()


def _bootstrap_means(groups: list[np.ndarray], confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap intervals of the mean of many groups at once (the
    same resampling as :func:`bootstrap_interval`, vectorised per group size)."""
    low = np.full(len(groups), np.nan)
    high = np.full(len(groups), np.nan)
    tail = tail_share(confidence)
    sizes = np.array([len(g) for g in groups])
    for n in np.unique(sizes[sizes >= 2]):
        rng = np.random.default_rng(_BOOTSTRAP_SEED)
        picks = rng.integers(0, n, size=(BOOTSTRAP_RESAMPLES, n))
        members = np.flatnonzero(sizes == n)
        for chunk in np.array_split(members, max(1, len(members) // 64)):
            matrix = np.stack([groups[i] for i in chunk])
            means = matrix[:, picks].mean(axis=2)
            low[chunk], high[chunk] = np.quantile(means, [tail, 1 - tail], axis=1)
    return low, high


# -- intervals that respect the bounds of a figure -------------------------------------

#: Resamples of a bootstrap interval; the resampling has its own fixed seed, so
#: the same results always give the same interval.
BOOTSTRAP_RESAMPLES = 4000
_BOOTSTRAP_SEED = 20_240_801


def wilson_interval(successes: int, n: int, confidence: float = CONFIDENCE) -> Interval:
    """Wilson score interval of a proportion ``successes / n``: always within
    [0, 1] (Wilson 1927; Agresti & Coull 1998). ``sd`` is that of one trial."""
    if n <= 0:
        return Interval(math.nan, math.nan, 0, math.nan, math.nan)
    p = successes / n
    z = float(ndtri(upper_quantile(confidence)))
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low = 0.0 if successes <= 0 else min(p, max(0.0, centre - half))
    high = 1.0 if successes >= n else max(p, min(1.0, centre + half))
    return Interval(p, math.sqrt(p * (1 - p)), n, low, high)


def bootstrap_interval(
    values,
    statistic=np.mean,
    confidence: float = CONFIDENCE,
    resamples: int = BOOTSTRAP_RESAMPLES,
) -> Interval:
    """Percentile bootstrap interval of ``statistic`` over replications.

    ``values`` is an array with replications along the first axis (a 2-D array
    resamples whole rows: keep paired figures together); ``statistic`` maps such
    an array to a number. Percentile intervals stay within the range the
    statistic can take (Efron & Tibshirani 1993, ch. 13).
    """
    x = np.asarray(values, dtype=float)
    keep = ~np.isnan(x).reshape(len(x), -1).any(axis=1) if len(x) else np.zeros(0, bool)
    x = x[keep]
    n = len(x)
    if n == 0:
        return Interval(math.nan, math.nan, 0, math.nan, math.nan)
    estimate = float(statistic(x))
    if n < 2:
        return Interval(estimate, math.nan, n, math.nan, math.nan)
    rng = np.random.default_rng(_BOOTSTRAP_SEED)
    picks = rng.integers(0, n, size=(resamples, n))
    if statistic is np.mean and x.ndim == 1:
        draws = x[picks].mean(axis=1)
    else:
        draws = np.array([statistic(x[p]) for p in picks], dtype=float)
    draws = draws[np.isfinite(draws)]
    if not len(draws):
        return Interval(estimate, math.nan, n, math.nan, math.nan)
    tail = tail_share(confidence)
    low, high = np.quantile(draws, [tail, 1 - tail])
    return Interval(
        estimate, float(np.std(draws, ddof=1)) * math.sqrt(n), n, float(low), float(high)
    )


def bounded_interval(
    values,
    lower: float = -math.inf,
    upper: float = math.inf,
    confidence: float = CONFIDENCE,
) -> tuple[Interval, str]:
    """The t interval of the mean, or -- when it would cross ``lower`` or
    ``upper``, bounds the figure cannot cross -- the percentile bootstrap
    interval, which stays within them. Returns the interval and its method
    (``"t"`` or ``"bootstrap"``)."""
    interval = t_interval(values, confidence)
    if (interval.low < lower) or (interval.high > upper):
        return bootstrap_interval(values, confidence=confidence), "bootstrap"
    return interval, "t"
