"""Social costs and benefits of scenarios against a baseline, after the Dutch
guidance for social cost-benefit analysis (MKBA): a project alternative against
a zero alternative, effects first, then their valuation; welfare effects and
budget effects apart; each effect counted once; outcomes, not outputs; what
cannot be valued kept in its own units. ``docs/value.md`` explains the method.

For every alternative and replication, year by year after the warm-up, each
side computed with its own scenario (alternative minus baseline, replication
by replication under common random numbers):

*Costs* (municipality): what each intervention's spec books
(:meth:`~wijksim.InterventionSpec.bookings`): its fixed costs per funded year,
costs per started participant and its volunteers' expenses, and any item a
type declares of its own.

*Benefits*, each a real change in resource use or a valued outcome:

- ``team_hours``: the hours the team no longer works, casework and collective
  work together, at ``costs.team_hour`` (wijkteam). These are the hours the
  simulation shows, not requests times expected hours: a team at its ceiling
  that gets fewer requests takes on people who waited instead, and works as
  many hours; collective work taken from casework is the same hours moved.
  Negative when the team works more. Shorter waits and fewer people giving up
  are not valued through the hours again.
- ``heavier_care_avoided``: escalations avoided per theme times
  ``costs.heavier_care`` (municipality).
- ``outcome:<name>``: an intervention's declared outcomes (``outcomes``): units
  (participants, averted or diverted requests) times the share that has the
  outcome times its value, booked to its payer, spread over ``spread`` after
  each unit. Value that accrues after the horizon is a residual value: counted
  with ``costs.residual_value`` (the default), reported either way.
- ``team_outcome:<name>``: the team's effects for residents a scenario values
  itself (``costs.outcomes``: people who no longer give up, weeks no longer
  waited), each with its source.

*Transfers* (``transfer:<name>``, an outcome with ``transfer_from``): money that
moves between parties; booked to both, it shows in :meth:`Value.by_payer` and
cancels out of the social balance.

Unit values, shares and costs are those each replication ran with: a value in
the scenario's ``uncertain:`` block is drawn once per replication, so the
spread over replications is the uncertainty of the model's chance *and* of the
assumptions (:meth:`Value.totals` says which it covers, :meth:`Value.drivers`
which assumptions drive it). Years are discounted at the baseline's
``costs.discount_rate`` (one rate for every alternative of a comparison):
year ``k`` after the warm-up (from 0) by ``(1 + rate) ** -k``. Totals carry 95%
intervals over replications: Student's t for costs, benefits and net value, the
percentile bootstrap for ratios, and the Wilson interval for the share of
replications with a positive balance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..experiment.intervals import CONFIDENCE, bootstrap_interval, t_interval, wilson_interval
from ..experiment.replications import Experiment
from ..model.yearly import TEAM
from ..scenario.valuation import valuation_gaps

# This module holds Value, the balance and its summaries. What it is made of are
# modules of their own, their names still importable from here: the figures it
# reads and the scenarios the replications ran with (value_figures), the
# ledger's booking (value_ledger), how value falls into years (value_accrual),
# the effects in their own units (value_effects) and the assumptions that drive
# the balance (value_drivers).
from .value_accrual import accrual
from .value_drivers import drawn, swings
from .value_effects import EFFECT_COLUMNS, effect_rows
from .value_figures import Realised, yearly
from .value_ledger import ITEMS, LEDGER_COLUMNS, PAYERS, ledger
from .value_ledger import benefits as benefits
from .value_ledger import costs as costs

#: What :meth:`Value.totals` says its probability covers.
CERTAINTY = {
    False: "replications",  # the model's chance only; the assumptions taken as given
    True: "replications and assumptions",
}


class Value:
    """Costs and benefits of alternatives against a baseline (see the module
    docstring), per replication in :attr:`ledger`, with summaries: the social
    balance (:meth:`totals`), who pays and who gains (:meth:`by_payer`), the
    effects in their own units (:meth:`effects`) and the assumptions that
    drive the balance (:meth:`drivers`)."""

    def __init__(self, experiments: Mapping[str, Experiment], baseline: str):
        if not isinstance(experiments, Mapping) or not all(
            isinstance(e, Experiment) for e in experiments.values()
        ):
            raise TypeError(
                "Value takes a mapping from label to Experiment (a comparison's "
                f".experiments), not {type(experiments).__name__}; for a comparison "
                "call wijksim.value(comparison)"
            )
        if baseline not in experiments:
            known = ", ".join(map(repr, experiments)) or "none"
            raise ValueError(f"no experiment {baseline!r} to take as the baseline (known: {known})")
        self.baseline = baseline
        self.experiments = dict(experiments)
        base = self.experiments[baseline]
        # the scenario each replication ran with, made once per experiment
        self._realised = {label: Realised(e) for label, e in self.experiments.items()}
        frames = [
            ledger(e, base, {"alt": self._realised[label], "base": self._realised[baseline]})
            for label, e in self.experiments.items()
            if label != baseline
        ]
        self.ledger = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    @property
    def alternatives(self) -> list[str]:
        return [label for label in self.experiments if label != self.baseline]

    def _counted(self, scenario: str) -> pd.DataFrame:
        """The ledger rows of ``scenario`` that count in its balance (a residual
        value only when its scenario counts it)."""
        rows = self.ledger[self.ledger["scenario"] == scenario]
        if not self.experiments[scenario].scenario.costs.residual_value:
            rows = rows[~rows["after_horizon"]]
        return rows

    def per_replication(self, scenario: str, by: Sequence[str] = ()) -> pd.DataFrame:
        """The present value (euro) that counts in the balance of ``scenario``,
        per replication (and per ``by``, e.g. ``["payer"]``): columns ``cost,
        benefit, transfer, net`` (``net = benefit - cost``), one row for every
        replication when ``by`` is empty (zero where nothing was booked). The
        numbers :meth:`totals` and :meth:`by_payer` average."""
        rows = self._counted(scenario)
        keys = ["replication", *by]
        table = rows.pivot_table(
            index=keys, columns="kind", values="discounted", aggfunc="sum", fill_value=0.0
        )
        replications = range(self.experiments[scenario].replications)
        if not by:
            table = table.reindex(replications, fill_value=0.0)
        for kind in ("cost", "benefit", "transfer"):
            if kind not in table:
                table[kind] = 0.0
        table["net"] = table["benefit"] - table["cost"]
        return table

    def certainty(self, scenario: str) -> str:
        """What the chance of a positive balance of ``scenario`` covers: the
        replications only, or the replications and the assumptions (values
        drawn from the ``uncertain:`` block)."""
        drawn = any(
            not self.experiments[label].parameters.empty for label in (scenario, self.baseline)
        )
        return CERTAINTY[drawn]

    def totals(self, confidence: float = CONFIDENCE) -> pd.DataFrame:
        """The social balance per alternative: present value of costs and
        benefits, net present value (euro), benefit per euro, cost per request
        averted or diverted (euro), the share of replications with a positive
        balance, and ``net_without_freed_hours``: the net present value without
        the team's hours no longer used (they are capacity, not cash, unless
        the municipality uses them otherwise), each with its interval (columns ``<figure>``,
        ``<figure>_low``, ``<figure>_high``); ``residual``: the present value
        that accrues after the horizon (``residual_counted``: whether it is in
        the balance); ``certainty``: what the chance covers (:data:`CERTAINTY`)
        and ``assumptions``: how many uncertain values were drawn. Transfers are
        not in it (see :meth:`by_payer`)."""
        rows = []
        for scenario in self.alternatives:
            table = self.per_replication(scenario)
            reps = table.index.to_numpy()
            kept = self._requests_kept(scenario, reps)
            row: dict = {"scenario": scenario, "replications": len(table)}
            for figure in ("cost", "benefit", "net"):
                interval = t_interval(table[figure].to_numpy(), confidence)
                row.update(_columns(figure, interval))
            # the balance without the team's freed hours: what is left when the
            # municipality neither harvests nor redeploys them (capacity, not cash)
            cash = table["net"].to_numpy() - self._freed_hours(scenario, reps)
            row.update(_columns("net_without_freed_hours", t_interval(cash, confidence)))
            pair = np.c_[table["benefit"].to_numpy(), table["cost"].to_numpy()]
            row.update(_columns("ratio", bootstrap_interval(pair, _ratio, confidence)))
            pair = np.c_[table["cost"].to_numpy(), kept]
            row.update(_columns("cost_per_request", bootstrap_interval(pair, _ratio, confidence)))
            positive = int((table["net"] > 0).sum())
            row.update(_columns("p_positive", wilson_interval(positive, len(table), confidence)))
            residual = self.ledger[
                (self.ledger["scenario"] == scenario)
                & self.ledger["after_horizon"]
                & (self.ledger["kind"] == "benefit")
            ]
            row["residual"] = float(residual["discounted"].sum()) / max(1, len(table))
            row["residual_counted"] = bool(self.experiments[scenario].scenario.costs.residual_value)
            row["certainty"] = self.certainty(scenario)
            row["assumptions"] = len(drawn(self.experiments[scenario]).columns)
            rows.append(row)
        return pd.DataFrame(rows)

    def _freed_hours(self, scenario: str, replications) -> np.ndarray:
        """Present value of the team's hours no longer used, per replication."""
        rows = self.ledger[
            (self.ledger["scenario"] == scenario) & (self.ledger["item"] == "team_hours")
        ]
        by_replication = rows.groupby("replication")["discounted"].sum()
        return by_replication.reindex(replications, fill_value=0.0).to_numpy(dtype=float)

    def _requests_kept(self, scenario: str, replications) -> np.ndarray:
        """Requests averted or diverted (alternative minus baseline), per replication."""
        out = []
        for experiment in (self.experiments[scenario], self.experiments[self.baseline]):
            runs = yearly(experiment)
            rows = runs[(runs["source"] == TEAM) & runs["quantity"].isin(["averted", "diverted"])]
            out.append(
                rows.groupby("replication")["value"].sum().reindex(replications, fill_value=0)
            )
        return (out[0] - out[1]).to_numpy(dtype=float)

    def by_payer(self, confidence: float = CONFIDENCE) -> pd.DataFrame:
        """Who pays and who gains (the budget view), per alternative and payer:
        present value of costs, benefits, transfers received (paid: negative)
        and the balance (benefit - cost + transfer), in euro, with t intervals.
        The balances add up to the social balance: transfers cancel out."""
        rows = []
        for scenario in self.alternatives:
            table = self.per_replication(scenario, ["payer"])
            table["net"] = table["net"] + table["transfer"]
            for payer in PAYERS:
                if payer not in table.index.get_level_values("payer"):
                    continue
                part = table.xs(payer, level="payer").reindex(
                    range(self.experiments[scenario].replications), fill_value=0.0
                )
                row: dict[str, object] = {"scenario": scenario, "payer": payer}
                for figure in ("cost", "benefit", "transfer", "net"):
                    row.update(_columns(figure, t_interval(part[figure].to_numpy(), confidence)))
                rows.append(row)
        return pd.DataFrame(rows)

    def by_item(self, confidence: float = CONFIDENCE) -> pd.DataFrame:
        """Per alternative, intervention and item: the quantity (alternative minus
        baseline, summed over the years, in ``unit``) and its present value in
        euro, with intervals; ``after_horizon`` rows are the residual value."""
        frame = self.ledger
        keys = ["scenario", "intervention", "item", "kind", "payer", "unit", "after_horizon"]
        sums = frame.groupby([*keys, "replication"], sort=False)[["quantity", "discounted"]].sum()
        rows = []
        for key, values in sums.groupby(level=keys, sort=False):
            n = self.experiments[key[0]].replications
            quantity = values["quantity"].to_numpy()
            euro = values["discounted"].to_numpy()
            if len(euro) < n:  # replications without the row had none of it
                quantity = np.r_[quantity, np.zeros(n - len(quantity))]
                euro = np.r_[euro, np.zeros(n - len(euro))]
            row = dict(zip(keys, key, strict=True))
            row.update(_columns("quantity", t_interval(quantity, confidence)))
            row.update(_columns("euro", t_interval(euro, confidence)))
            rows.append(row)
        return pd.DataFrame(rows)

    def by_year(self, confidence: float = CONFIDENCE) -> pd.DataFrame:
        """Per alternative and year of the run: costs, benefits and net value in
        euro (undiscounted), with t intervals. Years are called as in
        :meth:`~wijksim.Comparison.by_year` (calendar years with a start date,
        else 1, 2, ... after the warm-up); value after the horizon is not in
        it (see :meth:`totals`, ``residual``)."""
        rows = []
        for scenario in self.alternatives:
            part = self.ledger[
                (self.ledger["scenario"] == scenario) & ~self.ledger["after_horizon"]
            ]
            table = part.pivot_table(
                index=["year", "replication"],  # years as the ledger calls them
                columns="kind",
                values="euro",
                aggfunc="sum",
                fill_value=0.0,
            )
            for kind in ("cost", "benefit"):
                if kind not in table:
                    table[kind] = 0.0
            table["net"] = table["benefit"] - table["cost"]
            for year, values in table.groupby(level="year"):
                row = {"scenario": scenario, "year": int(year)}
                for figure in ("cost", "benefit", "net"):
                    interval = t_interval(values[figure].to_numpy(), confidence)
                    row.update(_columns(figure, interval))
                rows.append(row)
        return pd.DataFrame(rows)

    def effects(self, confidence: float = CONFIDENCE) -> pd.DataFrame:
        """The effects in their own units, per alternative (alternative minus
        baseline, paired, per year of the run where a rate): waits, people who
        give up, escalations, people taken on, the team's hours, each
        provision's participants, and each provision's declared unvalued
        effects (text, no number). ``valued_as`` names the ledger item that
        values a figure, or is empty for a PM post (not valued in euro)."""
        rows = []
        base = self.experiments[self.baseline]
        for scenario in self.alternatives:
            realised = {"alt": self._realised[scenario], "base": self._realised[self.baseline]}
            rows.extend(
                effect_rows(scenario, self.experiments[scenario], base, realised, confidence)
            )
        return pd.DataFrame(rows, columns=EFFECT_COLUMNS)

    def drivers(self, confidence: float = CONFIDENCE) -> pd.DataFrame:
        """Which assumptions drive the social balance, from the replications
        themselves (no extra runs): per alternative with drawn values, a linear
        regression of the net present value on the values drawn, and for each
        parameter the change of the balance between its 10th and 90th
        percentile, the others at their mean (the bars of a tornado:
        ``low_difference``, ``high_difference``, ``swing`` with its interval;
        ``clear``: the interval excludes no swing at all). A regression needs
        observations: an alternative with fewer than five replications per
        coefficient (``5 * (parameters + 1)``) gets no rows."""
        rows = []
        for scenario in self.alternatives:
            values = drawn(self.experiments[scenario])
            net = self.per_replication(scenario)["net"].reindex(values.index).to_numpy()
            rows.extend(swings(scenario, values, net, confidence))
        table = pd.DataFrame(rows)
        if table.empty:
            return table
        return table.sort_values(["scenario", "swing"], ascending=[True, False]).reset_index(
            drop=True
        )

    def __repr__(self) -> str:
        return f"<Value of {', '.join(map(repr, self.alternatives))} against {self.baseline!r}>"


def _ratio(pair: np.ndarray) -> float:
    """Ratio of the means of two paired columns (NaN when the second is 0)."""
    denominator = pair[:, 1].mean()
    return pair[:, 0].mean() / denominator if denominator > 0 else math.nan


def _columns(figure: str, interval) -> dict[str, float]:
    return {figure: interval.mean, f"{figure}_low": interval.low, f"{figure}_high": interval.high}


def value(comparison) -> Value:
    """The costs and benefits of a :class:`~wijksim.Comparison`'s alternatives."""
    return Value(comparison.experiments, comparison.baseline)


__all__ = [
    "CERTAINTY",
    "ITEMS",
    "LEDGER_COLUMNS",
    "PAYERS",
    "Realised",
    "Value",
    "accrual",
    "ledger",
    "valuation_gaps",
    "value",
]
