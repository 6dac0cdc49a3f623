"""Paired comparison of scenarios: :func:`compare` and its :class:`Comparison`.

Replication ``r`` of every scenario runs with the same seed ``(seed, r)``, and
each source of randomness has its own stream (see
:mod:`wijksim.streams`): the scenarios see the same residents asking for
help at the same moments. The difference between two scenarios is then taken
replication by replication, and its confidence interval is usually far
narrower than that of independent runs (common random numbers; Law,
*Simulation Modeling and Analysis*, §11.2).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Unpack

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
from ..experiment.replications import Experiment, run_scenarios
from ..experiment.storage import write_frame
from ..scenario import Scenario, as_scenario
from ..scenario.calendar import year_label

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
    """Replications of a baseline and alternatives, and their paired differences."""

    def __init__(
        self,
        experiments: Mapping[str, Experiment],
        baseline: str,
        common_random_numbers: bool = True,
    ):
        if baseline not in experiments:
            raise KeyError(f"no scenario {baseline!r} to compare with")
        self.experiments = dict(experiments)
        self.baseline = baseline
        self.common_random_numbers = common_random_numbers

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
        costs = pd.Series(dtype=float)
        if "cost" in metrics:
            ledger = value(self).ledger
            ledger = ledger[ledger["kind"] == "cost"]
            costs = ledger.groupby(["scenario", "year", "replication"])["euro"].sum()
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

    def to_dict(self, confidence: float = CONFIDENCE) -> dict:
        """The comparison as plain data (for JSON): same inputs, same text."""

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
        }

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
    **execution: Unpack[Execution],
) -> Comparison:
    """Run every scenario ``replications`` times and compare each with ``baseline``.

    ``scenarios``: scenarios or YAML paths, as a list (labelled by their
    ``name``) or a mapping from label to scenario. ``baseline``: a label or a
    position (default: the first). Replication ``r`` of every scenario runs with
    seed ``(seed, r)`` (common random numbers); ``common_random_numbers=False``
    gives each scenario its own seeds instead, for reference. Other arguments
    as for :func:`wijksim.run_experiment`.
    """
    labelled = _labelled(scenarios)
    if len(labelled) < 2:
        raise ValueError("compare needs at least two scenarios")
    if isinstance(baseline, int):
        if not -len(labelled) <= baseline < len(labelled):
            raise ValueError(f"baseline position {baseline} is out of range")
        baseline = list(labelled)[baseline]
    elif baseline not in labelled:
        raise ValueError(f"baseline {baseline!r} is not among {', '.join(labelled)}")
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
    experiments = run_scenarios(
        labelled,
        replications=replications,
        seed=seed,
        timeseries=timeseries,
        independent=not common_random_numbers,
        kind="comparison",
        **execution,
    )
    comparison = Comparison(experiments, baseline, common_random_numbers)
    out = execution.get("out")
    if out is not None:
        folder = Path(out)
        write_frame(comparison.differences(), folder, "differences")
        write_frame(comparison.relief(), folder, "relief")
    return comparison


class UnpairedUncertainty(UserWarning):
    """Compared scenarios declare different ``uncertain:`` values: replication
    ``r`` draws them in one scenario and not (or otherwise) in the other."""


def unpaired_uncertainty(baseline: Scenario, alternative: Scenario) -> list[str]:
    """How the ``uncertain:`` blocks of two scenarios differ, in words (empty if alike)."""
    base, alt = baseline.uncertain or {}, alternative.uncertain or {}
    out = []
    if base.keys() - alt.keys():
        out.append(f"only the baseline: {', '.join(sorted(base.keys() - alt.keys()))}")
    if alt.keys() - base.keys():
        out.append(f"only the alternative: {', '.join(sorted(alt.keys() - base.keys()))}")
    differ = sorted(p for p in base.keys() & alt.keys() if base[p] != alt[p])
    if differ:
        out.append(f"declared otherwise: {', '.join(differ)}")
    return out


def paired_difference(metric: str, alternative, baseline, confidence: float = CONFIDENCE):
    """The paired interval of ``alternative - baseline``, kept within the bounds
    the difference can take: every figure is at least 0 (a share at most 1), so
    the mean difference cannot fall below minus the baseline's mean (or rise
    above 1 minus it); a t interval that would is replaced by the bootstrap."""
    a = np.asarray(alternative, dtype=float)
    b = np.asarray(baseline, dtype=float)
    if a.shape != b.shape:
        raise ValueError("paired arrays must have the same length (one value per replication)")
    level = float(np.nanmean(b)) if np.isfinite(b).any() else 0.0
    upper = 1.0 - level if metric in SHARES else np.inf
    interval = bounded_interval(a - b, -level, upper, confidence)[0]
    # a bootstrap resample may still pass the bound by a little: cut it there
    low, high = max(interval.low, -level), min(interval.high, upper)
    return Interval(interval.mean, interval.sd, interval.n, low, high)


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
    """Scenarios by a unique label (their name, numbered when names repeat)."""
    items = scenarios.items() if isinstance(scenarios, Mapping) else ((None, s) for s in scenarios)
    out: dict[str, Scenario] = {}
    for label, scenario in items:
        scenario = as_scenario(scenario)
        label = label or scenario.name
        unique, k = label, 2
        while unique in out:
            unique, k = f"{label} ({k})", k + 1
        out[unique] = scenario
    return out
