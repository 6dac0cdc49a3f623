"""Paired comparison of scenarios: :func:`compare` and its :class:`Comparison`.

Replication ``r`` of every scenario runs with the same seed ``(seed, r)``, and
each source of randomness has its own stream (see
:mod:`wijksim.streams`): the scenarios see the same residents asking for
help at the same moments. The difference between two scenarios is then taken
replication by replication, and its confidence interval is usually far
narrower than that of independent runs (common random numbers; Law,
*Simulation Modeling and Analysis*, §11.2).

A comparison states the precision of its headline figures
(:mod:`wijksim.analysis.headline`, :meth:`Comparison.precision`), and
:func:`compare` can add replications until they reach it.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Unpack

import numpy as np
import pandas as pd

from ..experiment.executors import Execution
from ..experiment.intervals import (
    CONFIDENCE,
    SHARES,
    Interval,
    bounded_interval,
    t_interval,
    welch_interval,
)
from ..experiment.replications import Experiment, check_arguments, run_scenarios
from ..experiment.storage import write_frame
from ..scenario import Scenario, ScenarioError, as_scenario
from ..scenario.calendar import year_label
from ..scenario.problems import check_flags
from ..scenario.size import check_experiment, estimate_work
from .headline import MAX_REPLICATIONS, Target, as_target, next_replications, precision_reached

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The figures of the relief table, in order: what a team would feel.
RELIEF_METRICS = (
    "mean_caseload",
    "mean_waiting_list",
    "mean_wait_weeks",
    "p90_wait_weeks",
    "share_wait_over_6_weeks",
    "averted",
    "diverted",
    "professional_hours",
)

#: Figures of the relief table per year (:meth:`Comparison.by_year`).
YEARLY_METRICS = (
    "mean_caseload",
    "mean_waiting_list",
    "mean_wait_weeks",
    "requests",
    "escalations",
    "professional_hours",
    "collective_hours",
    "cost",
)


class Comparison:
    """Replications of a baseline and alternatives, and their paired differences.

    ``target``: the precision stated for the headline figures
    (:class:`~wijksim.analysis.headline.Target`; default: its defaults).
    """

    def __init__(
        self,
        experiments: Mapping[str, Experiment],
        baseline: str,
        common_random_numbers: bool = True,
        target: Target | None = None,
    ):
        if baseline not in experiments:
            raise KeyError(f"no scenario {baseline!r} to compare with")
        self.experiments = dict(experiments)
        self.baseline = baseline
        self.common_random_numbers = common_random_numbers
        self.target = target or Target()
        self._precision: dict[Target, pd.DataFrame] = {}

    @property
    def alternatives(self) -> list[str]:
        return [label for label in self.experiments if label != self.baseline]

    @property
    def replications(self) -> int:
        return self.experiments[self.baseline].replications

    def _values(self, label: str, metric: str) -> np.ndarray | None:
        experiment = self.experiments[label]
        if metric in experiment.metrics:
            return experiment.values(metric)
        return None

    def difference(self, alternative: str, metric: str, confidence: float = CONFIDENCE) -> Interval:
        """Mean of ``alternative - baseline`` for ``metric`` with its interval
        (paired under common random numbers, Welch's otherwise)."""
        base = self._values(self.baseline, metric)
        alt = self._values(alternative, metric)
        if base is None or alt is None:
            raise KeyError(f"no figure {metric!r} in both {self.baseline!r} and {alternative!r}")
        if not self.common_random_numbers:
            return welch_interval(alt, base, confidence)
        return paired_difference(metric, alt, base, confidence)

    def differences(
        self, metrics: Sequence[str] | None = None, confidence: float = CONFIDENCE
    ) -> pd.DataFrame:
        """One row per alternative and figure: baseline and alternative means,
        the mean difference (alternative minus baseline) with its interval, and
        the relative change (difference / baseline mean)."""
        rows = []
        for alternative in self.alternatives:
            names = metrics
            if names is None:
                names = list(
                    dict.fromkeys(
                        self.experiments[self.baseline].metrics
                        + self.experiments[alternative].metrics
                    )
                )
            for metric in names:
                base = self._values(self.baseline, metric)
                alt = self._values(alternative, metric)
                if base is None or alt is None:
                    continue
                diff = self.difference(alternative, metric, confidence)
                base_mean = float(np.nanmean(base)) if np.isfinite(base).any() else np.nan
                alt_mean = float(np.nanmean(alt)) if np.isfinite(alt).any() else np.nan
                rows.append(
                    {
                        "scenario": alternative,
                        "metric": metric,
                        "baseline": base_mean,
                        "value": alt_mean,
                        "difference": diff.mean,
                        "sd": diff.sd,
                        "n": diff.n,
                        "ci_low": diff.low,
                        "ci_high": diff.high,
                        "relative": diff.mean / base_mean if base_mean else np.nan,
                    }
                )
        return pd.DataFrame(rows)

    def relief(self, confidence: float = CONFIDENCE) -> pd.DataFrame:
        """The relief table: :data:`RELIEF_METRICS` that the scenarios report."""
        return self.differences(RELIEF_METRICS, confidence)

    def by_year(
        self, metrics: Sequence[str] = YEARLY_METRICS, confidence: float = CONFIDENCE
    ) -> pd.DataFrame:
        """Relief per year after the warm-up: per alternative, year and figure
        (:data:`YEARLY_METRICS`), the baseline and alternative means and the
        paired difference with its interval. ``mean_wait_weeks`` per year is
        estimated by Little's law (mean waiting list over the rate at which
        people leave the list); ``cost`` is the alternative's extra cost in euro
        (undiscounted, see :mod:`wijksim.analysis.value`)."""
        from .value import value

        tables = {label: _yearly_table(e) for label, e in self.experiments.items()}
        base = tables[self.baseline]
        if isinstance(metrics, str | bytes):  # a single name would be read letter by letter
            raise TypeError(f"metrics is a list of figure names, e.g. [{metrics!r:.80}]")
        unknown = [m for m in metrics if m != "cost" and m not in base.columns]
        if unknown:  # else a KeyError of pandas' for the first
            known = ", ".join([*base.columns, "cost"])
            raise ValueError(f"no yearly figure {unknown[0]!r:.80} (known: {known})")
        costs = pd.Series(dtype=float)
        if "cost" in metrics:
            ledger = value(self).ledger
            ledger = ledger[ledger["kind"] == "cost"]
            # by the count from 0, as the yearly figures below are keyed
            costs = ledger.groupby(["scenario", "year_index", "replication"])["euro"].sum()
        rows = []
        for alternative in self.alternatives:
            alt = tables[alternative]
            # on a calendar, years are called by their calendar year (2028, 2029)
            calendar = self.experiments[self.baseline].scenario
            if calendar.start_date is None:
                calendar = self.experiments[alternative].scenario
            for year in sorted(set(base.index.get_level_values("year"))):
                for metric in metrics:
                    if metric == "cost":
                        b = np.zeros(self.replications)
                        a = costs.get((alternative, year), pd.Series(dtype=float))
                        a = a.reindex(range(self.replications), fill_value=0.0).to_numpy()
                    else:
                        b = base.xs(year, level="year")[metric].to_numpy()
                        a = alt.xs(year, level="year")[metric].to_numpy()
                    diff = (
                        t_interval(a, confidence)  # extra cost: either sign
                        if metric == "cost"
                        else paired_difference(metric, a, b, confidence)
                    )
                    rows.append(
                        {
                            "scenario": alternative,
                            "year": year_label(calendar.start_date, calendar.warmup, int(year)),
                            "metric": metric,
                            "baseline": float(np.nanmean(b)),
                            "value": float(np.nanmean(a)),
                            "difference": diff.mean,
                            "n": diff.n,
                            "ci_low": diff.low,
                            "ci_high": diff.high,
                        }
                    )
        return pd.DataFrame(rows)

    def precision(self, target: Target | None = None) -> pd.DataFrame:
        """Whether the interval of each headline figure has reached ``target``
        (default: :attr:`target`): one row per alternative and figure, see
        :func:`~wijksim.analysis.headline.precision_reached`."""
        target = target or self.target
        if target not in self._precision:
            self._precision[target] = precision_reached(self, target)
        return self._precision[target].copy()

    def to_dict(self, confidence: float = CONFIDENCE) -> dict:
        """The comparison as plain data (for JSON): same inputs, same text."""
        from .headline import summary

        def records(frame: pd.DataFrame) -> list[dict]:
            return [
                {k: (int(v) if k == "n" else v if isinstance(v, str) else float(v)) for k, v in r}
                for r in (row.items() for _, row in frame.iterrows())
            ]

        return {
            "baseline": self.baseline,
            "scenarios": list(self.experiments),
            "replications": self.replications,
            "seed": self.experiments[self.baseline].seed,
            "common_random_numbers": self.common_random_numbers,
            "confidence": confidence,
            "relief": records(self.relief(confidence)),
            "differences": records(self.differences(confidence=confidence)),
            "precision": summary(self.precision(), self.target),
        }

    def plot(self, kind: str = "forest", **kwargs) -> Figure:
        """``kind``: ``"forest"`` (relief per figure), ``"timeseries"`` (with
        ``metric=``) or ``"payers"`` (costs and benefits per payer); see
        :mod:`wijksim.plots`."""
        from ..report import plots  # the report sits above: imported on use

        if kind == "forest":
            return plots.forest(self, **kwargs)
        if kind == "timeseries":
            return plots.timeseries(self, **kwargs)
        if kind == "payers":
            from .value import value

            return plots.payers(value(self), **kwargs)
        raise ValueError(f"unknown kind {kind!r} (forest, timeseries, payers)")

    def __repr__(self) -> str:
        return (
            f"<Comparison of {', '.join(map(repr, self.alternatives))} with "
            f"{self.baseline!r}: {self.replications} replications>"
        )


def compare(
    scenarios: Sequence[Scenario | str | Path] | Mapping[str, Scenario | str | Path],
    baseline: str | int = 0,
    replications: int = 10,
    seed: int = 0,
    *,
    timeseries: bool = True,
    common_random_numbers: bool = True,
    precision: float | Target | None = None,
    until_precision: bool = False,
    max_replications: int = MAX_REPLICATIONS,
    **execution: Unpack[Execution],
) -> Comparison:
    """Run every scenario ``replications`` times and compare each with ``baseline``.

    ``scenarios``: scenarios or YAML paths, as a list (labelled by their
    ``name``) or a mapping from label to scenario. ``baseline``: a label or a
    position (default: the first). Replication ``r`` of every scenario runs with
    seed ``(seed, r)`` (common random numbers); ``common_random_numbers=False``
    gives each scenario its own seeds instead, for reference. Other arguments
    as for :func:`wijksim.run_experiment`.

    ``precision``: the precision stated for the headline figures, a
    :class:`~wijksim.analysis.headline.Target` or a number (its relative
    precision, default 0.10); :meth:`Comparison.precision` tells whether each
    figure reached it. ``until_precision=True`` runs to it: ``replications``
    first, then more in steps (:func:`~wijksim.analysis.headline.next_replications`)
    until every headline figure has reached it or ``max_replications`` have
    run. The result is that of a fixed run of the size it ends at, bit for bit;
    with ``out``, a stopped run resumes where it was when started again.
    """
    target = as_target(precision)
    check_arguments(replications, seed, execution.get("batch_size"))
    check_flags(
        timeseries=timeseries,
        common_random_numbers=common_random_numbers,
        until_precision=until_precision,
    )
    if until_precision and (
        isinstance(max_replications, bool)
        or not isinstance(max_replications, int | np.integer)
        or max_replications < replications
    ):
        raise ValueError(
            f"max_replications ({max_replications!r}) must be a whole number of at least "
            f"replications ({replications})"
        )
    labelled = _labelled(scenarios)
    if len(labelled) < 2:
        raise ValueError("compare needs at least two scenarios")
    if until_precision:  # the most it may run, judged before the first step
        check_experiment(
            {label: estimate_work(s) for label, s in labelled.items()},
            int(max_replications),
            timeseries=timeseries,
            force=bool(execution.get("force", False)),
            fewer="max_replications (--max-replications)",
            source="comparison",
        )
    if isinstance(baseline, bool) or not isinstance(baseline, str | int | np.integer):
        raise TypeError(f"baseline is a label or a position (0: the first), not {baseline!r:.80}")
    if isinstance(baseline, int | np.integer):
        baseline = int(baseline)
        if not -len(labelled) <= baseline < len(labelled):
            raise ValueError(f"baseline position {baseline} is out of range")
        baseline = list(labelled)[baseline]
    elif baseline not in labelled:
        raise ValueError(f"baseline {baseline!r} is not among {', '.join(labelled)}")
    rate = labelled[baseline].costs.discount_rate
    for label, scenario in labelled.items():
        if scenario.costs.discount_rate != rate:
            warnings.warn(
                f"{label!r} sets costs.discount_rate {scenario.costs.discount_rate:.4g}, the "
                f"baseline {baseline!r} {rate:.4g}: a comparison discounts every alternative "
                "at one rate, the baseline's",
                OneDiscountRate,
                stacklevel=2,
            )
    if common_random_numbers:
        for label, scenario in labelled.items():
            unpaired = unpaired_uncertainty(labelled[baseline], scenario)
            if unpaired:
                warnings.warn(
                    f"{label!r} and the baseline {baseline!r} do not declare the same "
                    f"uncertain: values ({'; '.join(unpaired)}): their draws are not shared, "
                    "so the paired differences also carry that spread; declare the same "
                    "uncertain: block in both to pair them",
                    UnpairedUncertainty,
                    stacklevel=2,
                )

    def run(size: int, reuse: Mapping[str, Experiment] | None = None) -> Comparison:
        experiments = run_scenarios(
            labelled,
            replications=size,
            seed=seed,
            timeseries=timeseries,
            independent=not common_random_numbers,
            kind="comparison",
            reuse=reuse,
            finish=not until_precision,
            **execution,
        )
        return Comparison(experiments, baseline, common_random_numbers, target)

    comparison = run(replications)
    while until_precision:
        # the steps depend on the results only, so a resumed run takes the same ones
        size = next_replications(comparison.precision(), comparison.replications, max_replications)
        if size is None:
            break
        comparison = run(size, reuse=comparison.experiments)
    out = execution.get("out")
    if out is not None:
        folder = Path(out)
        if until_precision:
            finish_folder(folder, comparison)
        write_frame(comparison.differences(), folder, "differences")
        write_frame(comparison.relief(), folder, "relief")
        write_frame(comparison.precision(), folder, "precision")
    return comparison


def finish_folder(folder: Path, comparison: Comparison) -> None:
    """The combined tables of a run to precision, written once at its end, and
    the folder marked finished with the precision reached in its manifest."""
    from ..experiment.replications import write_experiments
    from ..experiment.storage import ResultStore
    from .headline import summary

    write_experiments(folder, comparison.experiments.values())
    ResultStore(folder).finish(precision=summary(comparison.precision(), comparison.target))


class OneDiscountRate(UserWarning):
    """A compared scenario sets another ``costs.discount_rate`` than the
    baseline: the comparison discounts every alternative at the baseline's."""


class UnpairedUncertainty(UserWarning):
    """Compared scenarios declare different ``uncertain:`` values: replication
    ``r`` draws them in one scenario and not (or otherwise) in the other."""


def unpaired_uncertainty(baseline: Scenario, alternative: Scenario) -> list[str]:
    """How the ``uncertain:`` blocks of two scenarios differ, in words (empty if
    alike). A value one scenario draws for something the other does not have
    (the effect of a provision only the alternative runs) pairs with nothing
    and is no difference."""
    base, alt = baseline.uncertain or {}, alternative.uncertain or {}
    out = []
    only_base = sorted(p for p in base.keys() - alt.keys() if _has(alternative, p, base[p]))
    if only_base:
        out.append(f"only the baseline: {', '.join(only_base)}")
    only_alt = sorted(p for p in alt.keys() - base.keys() if _has(baseline, p, alt[p]))
    if only_alt:
        out.append(f"only the alternative: {', '.join(only_alt)}")
    differ = sorted(p for p in base.keys() & alt.keys() if base[p] != alt[p])
    if differ:
        out.append(f"declared otherwise: {', '.join(differ)}")
    return out


def _has(scenario: Scenario, path: str, spec) -> bool:
    """Whether ``scenario`` has the parameter at ``path`` (an intervention it
    runs, a pool it has), tried with the value's median."""
    try:
        scenario.with_overrides({path: spec.central})
    except ScenarioError:
        return False
    return True


def paired_difference(metric: str, alternative, baseline, confidence: float = CONFIDENCE):
    """The paired interval of ``alternative - baseline``: Student's t of the
    differences replication by replication.

    A difference can take either sign, and the baseline's mean is an estimate,
    not a bound: the interval is never cut there. The only bounds are those of
    the figure itself: a difference of shares lies within [-1, 1], and a t
    interval that would pass one of them is replaced by the percentile
    bootstrap, which stays within them.
    """
    a = np.asarray(alternative, dtype=float)
    b = np.asarray(baseline, dtype=float)
    if a.shape != b.shape:
        raise ValueError("paired arrays must have the same length (one value per replication)")
    if metric in SHARES:
        return bounded_interval(a - b, -1.0, 1.0, confidence)[0]
    return t_interval(a - b, confidence)


def _yearly_table(experiment: Experiment) -> pd.DataFrame:
    """The team's yearly figures, one row per (replication, year), with the
    mean wait per year by Little's law."""
    runs = experiment.yearly_runs
    if runs is None:
        raise ValueError(f"{experiment.label}: no yearly figures; run the comparison again")
    team = runs[runs["source"] == "team"]
    table = team.pivot_table(
        index=["replication", "year"], columns="quantity", values="value", aggfunc="sum"
    )
    leaving = (table["intakes"] + table["reneged"]) / table["weeks"]
    table["mean_wait_weeks"] = table["mean_waiting_list"] / leaving.where(leaving > 0)
    return table.sort_index()


def _labelled(scenarios) -> dict[str, Scenario]:
    """Scenarios by a unique label (their name, numbered when names repeat);
    a ``TypeError`` in words for anything but a list of scenarios or paths or a
    mapping from label to one (a single path is not a list of them)."""
    if isinstance(scenarios, str | bytes | os.PathLike | Scenario):
        raise TypeError(
            "scenarios must be a list of scenarios or paths (or a mapping from label to "
            f"one), not a single {type(scenarios).__name__}: compare([baseline, alternative])"
        )
    if isinstance(scenarios, Mapping):
        bad = [label for label in scenarios if not isinstance(label, str) or not label]
        if bad:
            raise TypeError(
                f"the labels of a mapping of scenarios are names (non-empty strings), "
                f"not {bad[0]!r:.80}"
            )
        items = list(scenarios.items())
    elif isinstance(scenarios, Iterable):
        items = [(None, s) for s in scenarios]
    else:
        raise TypeError(
            "scenarios must be a list of scenarios or paths (or a mapping from label to "
            f"one), not {type(scenarios).__name__}"
        )
    out: dict[str, Scenario] = {}
    for label, scenario in items:
        scenario = as_scenario(scenario)
        label = label or scenario.name
        unique, k = label, 2
        while unique in out:
            unique, k = f"{label} ({k})", k + 1
        out[unique] = scenario
    return out
