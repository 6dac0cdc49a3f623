"""The headline figures of a comparison and the precision their intervals reach.

A comparison reports paired differences (alternative minus baseline), so the
precision that matters is that of a difference, not of one scenario's mean.
The headline figures (:data:`HEADLINE_FIGURES`) are the first figures of the
relief table -- mean caseload, mean waiting list, mean wait -- the share who
waited over six weeks, and the social balance (``net``: the net present value
of :meth:`wijksim.analysis.value.Value.totals`).

Precision is usually stated relative to the figure: the interval's half-width
over the absolute mean (Law, *Simulation Modeling and Analysis*, 5th ed.,
§9.4.1). For a difference near zero that target moves away as fast as the
interval narrows and is never reached; yet a difference that small is known
well enough once its interval is narrower than what would matter. So a
headline figure's interval has **reached** the stated precision when its
half-width ``h`` is at most

    max(precision × |difference|,  tolerance of the figure)

-- *relative* when ``h <= precision × |difference|``, else *absolute* when
``h <= tolerance``. The tolerances (:data:`TOLERANCES`) are differences too
small to matter for a team or a municipality, in each figure's own unit:

==========================  ===========  =======================================
figure                      tolerance    why
==========================  ===========  =======================================
``mean_caseload``           1 client     of a caseload of ~200
``mean_waiting_list``       1 person
``mean_wait_weeks``         0.2 weeks    one working day
``share_wait_over_6_weeks`` 0.01         one percentage point
``net``                     EUR 25,000   present value over the whole period:
                                         less than two years' fixed costs of
                                         one shipped provision
==========================  ===========  =======================================

The social balance of one replication spreads widely (it carries the
``uncertain:`` assumptions drawn for that replication as well as the
simulation's noise), so its tolerance weighs heavily on the replications a
comparison needs.

The default precision is 0.10 (:data:`PRECISION`): a 95% interval of the
difference within ±10% of it.

:func:`precision_reached` tells, per alternative and headline figure, whether
the interval reached a :class:`Target`, by which criterion, and how many
replications it would need (from its interval now: :func:`estimated_needed`).
:func:`wijksim.compare` with ``until_precision=True`` adds replications until
every figure has reached it (:func:`next_replications`); replication ``r`` always
has seed ``(seed, r)``, so the result is that of a fixed run of the size it ends
at, bit for bit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from ..experiment.intervals import CONFIDENCE, replications_for_half_width, t_quantile
from ..experiment.plain import plain
from .value import Value

if TYPE_CHECKING:
    from ..experiment.replications import Experiment

#: The social balance among the headline figures: ``net`` of ``Value.totals()``.
SOCIAL_BALANCE = "net"

#: The figures whose precision a comparison states, in reporting order.
HEADLINE_FIGURES: tuple[str, ...] = (
    "mean_caseload",
    "mean_waiting_list",
    "mean_wait_weeks",
    "share_wait_over_6_weeks",
    SOCIAL_BALANCE,
)

#: Default precision: the 95% interval's half-width within 10% of |difference|.
PRECISION = 0.10

#: Default tolerances: a difference too small to matter, in the figure's unit
#: (clients, persons, weeks, a share, euro present value); see the module docstring.
TOLERANCES: Mapping[str, float] = MappingProxyType(
    {
        "mean_caseload": 1.0,
        "mean_waiting_list": 1.0,
        "mean_wait_weeks": 0.2,
        "share_wait_over_6_weeks": 0.01,
        SOCIAL_BALANCE: 25_000.0,
    }
)

#: Default upper limit of a run to precision (:func:`wijksim.compare`).
MAX_REPLICATIONS = 1000

#: A run to precision grows by at least this factor a step (and at most doubles):
#: few looks at the data, each a step worth a pool of workers.
MIN_GROWTH = 1.25

#: Columns of :func:`precision_reached`.
PRECISION_COLUMNS = [
    "scenario",
    "metric",
    "replications",
    "difference",
    "ci_low",
    "ci_high",
    "half_width",
    "relative_half_width",
    "tolerance",
    "target",
    "reached",
    "criterion",
    "needed",
]


@dataclass(frozen=True)
class Target:
    """A stated precision for the headline figures of a comparison.

    ``precision``: the largest half-width of a 95% interval (at ``confidence``)
    as a share of the absolute difference; ``tolerances``: per figure, the
    half-width that is small enough whatever the difference (given ones replace
    the defaults of :data:`TOLERANCES`; a figure without one has 0, so only the
    relative criterion); ``figures``: the figures judged (relief-table figures
    and ``net``). Holds parameters only; :func:`precision_reached` does the work.
    """

    precision: float = PRECISION
    tolerances: Mapping[str, float] = field(default_factory=dict)
    figures: tuple[str, ...] = HEADLINE_FIGURES
    confidence: float = CONFIDENCE

    def __post_init__(self) -> None:
        if not _number(self.precision) or not 0 < self.precision < 1:
            raise ValueError(
                f"precision is a fraction between 0 and 1 (0.10: ±10%), not {self.precision!r}"
            )
        if not _number(self.confidence) or not 0 < self.confidence < 1:
            raise ValueError(f"confidence is between 0 and 1 (0.95), not {self.confidence!r}")
        given = dict(self.tolerances)
        for name, tolerance in given.items():
            if not _number(tolerance) or not 0 <= tolerance < math.inf:
                raise ValueError(
                    f"the tolerance of {name!r} is a number of at least 0, not {tolerance!r}"
                )
        figures = tuple(self.figures)
        if not figures or len(set(figures)) != len(figures):
            raise ValueError("figures: name each figure once, and at least one")
        merged = {**TOLERANCES, **{k: float(v) for k, v in given.items()}}
        object.__setattr__(self, "tolerances", MappingProxyType(merged))
        object.__setattr__(self, "figures", figures)
        object.__setattr__(self, "precision", float(self.precision))

    def __hash__(self) -> int:
        return hash(
            (self.precision, tuple(sorted(self.tolerances.items())), self.figures, self.confidence)
        )

    def __reduce__(self):  # a mappingproxy cannot be pickled; the mapping it shows can
        return (Target, (self.precision, dict(self.tolerances), self.figures, self.confidence))

    def tolerance(self, figure: str) -> float:
        """The tolerance of ``figure`` (0 when it has none)."""
        return float(self.tolerances.get(figure, 0.0))

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "confidence": self.confidence,
            "tolerances": {f: self.tolerance(f) for f in self.figures},
            "figures": list(self.figures),
        }


def _number(value: Any) -> bool:
    return isinstance(value, int | float | np.number) and not isinstance(value, bool)


def as_target(precision: float | Target | None = None) -> Target:
    """A :class:`Target` from a number (the relative precision, default
    tolerances), a target, or ``None`` (the defaults)."""
    if precision is None:
        return Target()
    if isinstance(precision, Target):
        return precision
    return Target(precision=precision)


class Compared(Protocol):
    """What :func:`precision_reached` reads of a comparison (a
    :class:`~wijksim.analysis.comparison.Comparison`, which builds on this
    module): the experiments by label, the baseline's label, the alternatives'
    labels, the replications, and the paired differences of figures."""

    @property
    def experiments(self) -> Mapping[str, Experiment]: ...

    @property
    def baseline(self) -> str: ...

    @property
    def alternatives(self) -> list[str]: ...

    @property
    def replications(self) -> int: ...

    def differences(
        self, metrics: Sequence[str] | None = None, confidence: float = CONFIDENCE
    ) -> pd.DataFrame: ...


def precision_reached(comparison: Compared, target: Target | None = None) -> pd.DataFrame:
    """Whether each headline figure's interval has reached ``target`` (default:
    the comparison's own, else :class:`Target` ()).

    One row per alternative and figure (:data:`PRECISION_COLUMNS`): the mean
    difference (alternative minus baseline) with its interval as the
    comparison reports it, ``half_width`` (half the interval's width, in the
    figure's unit), ``relative_half_width`` (over |difference|), the figure's
    ``tolerance``, ``target`` (the half-width that would do:
    ``max(precision × |difference|, tolerance)``), ``reached``, ``criterion``
    (``relative``, ``absolute``, or empty when not reached) and ``needed``
    (:func:`estimated_needed`).
    """
    target = target or getattr(comparison, "target", None) or Target()
    metrics = [f for f in target.figures if f != SOCIAL_BALANCE]
    known = set(comparison.experiments[comparison.baseline].metrics)
    unknown = [m for m in metrics if m not in known]
    if unknown:
        raise KeyError(
            f"no figure {', '.join(map(repr, unknown))} in the comparison "
            f"(headline figures: {', '.join(HEADLINE_FIGURES)})"
        )
    n = comparison.replications
    intervals: dict[tuple[str, str], tuple[float, float, float]] = {}
    if metrics:
        table = comparison.differences(metrics, target.confidence)
        for row in table.itertuples():
            intervals[(row.scenario, row.metric)] = (row.difference, row.ci_low, row.ci_high)
    if SOCIAL_BALANCE in target.figures:
        totals = Value(comparison.experiments, comparison.baseline).totals(target.confidence)
        for row in totals.to_dict(orient="records"):
            intervals[(row["scenario"], SOCIAL_BALANCE)] = (
                row["net"],
                row["net_low"],
                row["net_high"],
            )
    rows = []
    for alternative in comparison.alternatives:
        for figure in target.figures:
            nan = (math.nan, math.nan, math.nan)
            difference, low, high = intervals.get((alternative, figure), nan)
            rows.append(_judge(alternative, figure, n, float(difference), low, high, target))
    frame = pd.DataFrame(rows, columns=PRECISION_COLUMNS)
    frame["reached"] = frame["reached"].astype(bool)
    frame["needed"] = frame["needed"].astype("Int64")
    return frame


def _judge(
    alternative: str,
    figure: str,
    n: int,
    difference: float,
    low: float,
    high: float,
    target: Target,
) -> dict[str, Any]:
    half = (high - low) / 2
    size = abs(difference)
    tolerance = target.tolerance(figure)
    wanted = max(target.precision * size, tolerance) if math.isfinite(size) else tolerance
    criterion = ""
    if math.isfinite(half) and math.isfinite(size) and half <= target.precision * size:
        criterion = "relative"
    elif math.isfinite(half) and half <= tolerance:
        criterion = "absolute"
    return {
        "scenario": alternative,
        "metric": figure,
        "replications": n,
        "difference": difference,
        "ci_low": float(low),
        "ci_high": float(high),
        "half_width": float(half),
        "relative_half_width": half / size if size else (0.0 if half == 0 else math.inf),
        "tolerance": tolerance,
        "target": wanted,
        "reached": bool(criterion),
        "criterion": criterion,
        "needed": estimated_needed(half, wanted, n, target.confidence),
    }


def estimated_needed(
    half_width: float, target: float, replications: int, confidence: float = CONFIDENCE
) -> int | None:
    """Replications an interval of ``half_width`` after ``replications`` would
    need to be at most ``target`` wide on each side: the standard deviation it
    implies, ``half_width × sqrt(n) / t(n - 1)``, carried forward (Law 2015,
    §9.4.1); ``None`` when it cannot be told. An estimate: the spread of the
    next replications is not known yet."""
    if replications < 2 or not (math.isfinite(half_width) and math.isfinite(target)):
        return None
    sd = half_width * math.sqrt(replications) / t_quantile(replications, confidence)
    return replications_for_half_width(sd, target, confidence)


def next_replications(table: pd.DataFrame, replications: int, maximum: int) -> int | None:
    """The size of the next step of a run to precision, or ``None`` to stop
    (every figure of ``table``, a :func:`precision_reached` frame, has reached
    it, or ``replications`` is already ``maximum``).

    The next size is what the figures not yet there need by
    :func:`estimated_needed`, but at least :data:`MIN_GROWTH` times and at most
    twice the present size, and never above ``maximum``: an estimate from few
    replications may be far off, and each step is a look at the data.
    """
    open_rows = table[~table["reached"].astype(bool)]
    if open_rows.empty or replications >= maximum:
        return None
    wanted = open_rows["needed"].max()
    wanted = 2 * replications if pd.isna(wanted) else int(wanted)
    size = max(math.ceil(MIN_GROWTH * replications), min(2 * replications, wanted))
    return min(maximum, size)


def summary(table: pd.DataFrame, target: Target) -> dict[str, Any]:
    """The precision of a comparison as plain data (for JSON and the manifest)."""

    return {
        **target.to_dict(),
        "reached": bool(table["reached"].all()),
        "replications": int(table["replications"].max()) if len(table) else None,
        "figures_reached": int(table["reached"].sum()),
        "figures_judged": len(table),
        "per_figure": [
            {key: plain(value) for key, value in record.items()}
            for record in table.to_dict(orient="records")
        ],
    }


__all__ = [
    "HEADLINE_FIGURES",
    "MAX_REPLICATIONS",
    "PRECISION",
    "PRECISION_COLUMNS",
    "SOCIAL_BALANCE",
    "TOLERANCES",
    "Target",
    "as_target",
    "estimated_needed",
    "next_replications",
    "precision_reached",
    "summary",
]
