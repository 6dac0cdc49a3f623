"""Social costs and benefits (in the spirit of a Dutch MKBA) of scenarios
against a baseline, with their uncertainty.

For every alternative and replication, year by year after the warm-up:

*Costs* (alternative minus baseline, so a provision the baseline already has
costs nothing extra): each intervention's fixed costs per funded year, costs
per started participant, its volunteers' expenses (booked to the
municipality), and the team hours it takes (``costs.team_hour``; booked to the
wijkteam's capacity). Collective hours of the team that no intervention uses
are booked to the team as well.

*Benefits* (baseline minus alternative, replication by replication under
common random numbers):

- casework capacity freed: requests the team no longer gets, per theme, times
  the expected casework hours of a request of that theme (intake, plus
  contact hours over the mean case duration per severity), at
  ``costs.team_hour`` (wijkteam). This values averting, diverting, fewer
  recurrences, referrals back and hidden need alike; requests made lighter are
  not valued.
- heavier care avoided: escalations avoided per theme times
  ``costs.heavier_care`` (municipality).
- debt assistance avoided: requests taken on by debt buddies
  (``buddy_programme``) and not referred back, times ``costs.debt_assistance``
  (debt assistance).
- declared outcomes: each intervention's ``outcomes`` (per participant,
  averted or diverted request), booked to the payer the scenario names.

All unit values are the alternative's. Years are discounted at
``costs.discount_rate``: year ``k`` after the warm-up (from 0) by
``(1 + rate) ** -k``. Totals carry 95% intervals over replications: Student's
t for costs, benefits and net value (differences from the baseline, which may
take either sign), the percentile bootstrap for ratios, and the Wilson
interval (within [0, 1]) for the share of replications with a positive net
value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..experiment.intervals import (
    CONFIDENCE,
    bootstrap_interval,
    t_interval,
    wilson_interval,
)
from ..experiment.replications import Experiment
from ..model.yearly import TEAM
from ..scenario import Scenario
from ..scenario.units import HOURS_PER_WEEK, WEEKS_PER_YEAR

#: Payers in reporting order.
PAYERS = ("municipality", "wijkteam", "debt_assistance", "health_insurer", "participants")

#: Ledger items and whether each is a cost or a benefit.
ITEMS = {
    "fixed": "cost",
    "per_participant": "cost",
    "volunteer_expenses": "cost",
    "team_hours": "cost",
    "collective_hours": "cost",
    "capacity_freed": "benefit",
    "heavier_care_avoided": "benefit",
    "debt_assistance_avoided": "benefit",
    "outcome": "benefit",
}

LEDGER_COLUMNS = [
    "scenario",
    "replication",
    "year",
    "intervention",
    "item",
    "kind",
    "payer",
    "quantity",
    "euro",
]


def hours_per_request(scenario: Scenario) -> dict[str, float]:
    """Expected casework hours of one request, per theme: intake time plus
    contact hours per week over the mean case duration, by severity mix (the
    lightest requests settled at intake take only the intake)."""
    team = scenario.team
    intake = team.intake_time * HOURS_PER_WEEK
    lightest = scenario.severities[0] if scenario.severities else None
    settled = scenario.neighbourhood.settled_at_intake
    out = {}
    for theme in scenario.themes:
        hours = intake
        for severity, share in scenario.severity_mix(theme).items():
            taken_on = 1 - settled if severity == lightest else 1.0
            weeks = scenario.duration(theme, severity).mean()
            hours += share * taken_on * team.contact_hours_per_week[severity] * weeks
        out[theme] = hours
    return out


def _yearly(experiment: Experiment) -> pd.DataFrame:
    """The experiment's yearly figures (an error in words when it has none)."""
    runs = experiment.yearly_runs
    if runs is None:
        raise ValueError(
            f"{experiment.label}: no yearly figures (results stored by an older wijksim); "
            "run the comparison again into a fresh folder"
        )
    return runs


def _quantities(experiment: Experiment) -> pd.DataFrame:
    """Yearly figures, wide: index (replication, year), columns (source, quantity)."""
    return _yearly(experiment).pivot_table(
        index=["replication", "year"],
        columns=["source", "quantity"],
        values="value",
        aggfunc="sum",
    )


def _get(table: pd.DataFrame, source: str, quantity: str) -> pd.Series:
    if (source, quantity) in table.columns:
        return table[(source, quantity)].fillna(0.0)
    return pd.Series(0.0, index=table.index)


def costs(experiment: Experiment, unit: Scenario | None = None) -> pd.DataFrame:
    """The cost ledger of one scenario (not yet against a baseline): one row per
    replication, year, intervention and item, in euro (undiscounted)."""
    scenario = experiment.scenario
    unit = unit or scenario
    table = _quantities(experiment)
    frames = []

    def book(intervention: str, item: str, payer: str, quantity: pd.Series, euro: pd.Series):
        frames.append(
            pd.DataFrame(
                {
                    "intervention": intervention,
                    "item": item,
                    "kind": ITEMS[item],
                    "payer": payer,
                    "quantity": quantity,
                    "euro": euro,
                }
            )
        )

    attributed = pd.Series(0.0, index=table.index)
    for spec in scenario.interventions:
        name = spec.name
        funded = _get(table, name, "funded_weeks") / WEEKS_PER_YEAR
        book(name, "fixed", "municipality", funded, funded * spec.fixed_cost_per_year)
        started = _get(table, name, "participants")
        book(name, "per_participant", "municipality", started, started * spec.cost_per_participant)
        if spec.volunteers is not None:
            pool = scenario.volunteers[spec.volunteers]
            years = _get(table, name, "volunteer_weeks") / WEEKS_PER_YEAR
            expenses = years * pool.expenses_per_volunteer_per_year
            book(name, "volunteer_expenses", "municipality", years, expenses)
        hours = _get(table, name, "team_hours")
        attributed = attributed + hours
        book(name, "team_hours", "wijkteam", hours, hours * unit.costs.team_hour)
    rest = (_get(table, TEAM, "collective_hours") - attributed).clip(lower=0.0)
    book("", "collective_hours", "wijkteam", rest, rest * unit.costs.team_hour)
    frame = pd.concat(frames).reset_index()
    return frame


def benefits(alternative: Experiment, baseline: Experiment) -> pd.DataFrame:
    """The benefit ledger of ``alternative`` against ``baseline``, replication
    by replication (paired): one row per replication, year, intervention and
    item, in euro (undiscounted)."""
    scenario = alternative.scenario
    unit = scenario.costs
    alt, base = _quantities(alternative), _quantities(baseline)
    index = alt.index.union(base.index)
    alt, base = alt.reindex(index), base.reindex(index)
    frames = []

    def book(intervention, item, payer, quantity, euro, name=""):
        frames.append(
            pd.DataFrame(
                {
                    "intervention": intervention,
                    "item": item if not name else f"outcome:{name}",
                    "kind": "benefit",
                    "payer": payer,
                    "quantity": quantity,
                    "euro": euro,
                }
            )
        )

    hours = hours_per_request(scenario)
    freed_hours = pd.Series(0.0, index=index)
    avoided_care = pd.Series(0.0, index=index)
    avoided_escalations = pd.Series(0.0, index=index)
    for theme in scenario.themes:
        fewer = _get(base, TEAM, f"requests.{theme}") - _get(alt, TEAM, f"requests.{theme}")
        freed_hours = freed_hours + fewer * hours[theme]
        escalations = _get(base, TEAM, f"escalations.{theme}")
        escalations = escalations - _get(alt, TEAM, f"escalations.{theme}")
        avoided_escalations = avoided_escalations + escalations
        avoided_care = avoided_care + escalations * unit.heavier_care_for(theme)
    book("", "capacity_freed", "wijkteam", freed_hours, freed_hours * unit.team_hour)
    book("", "heavier_care_avoided", "municipality", avoided_escalations, avoided_care)

    specs = {s.name: s for s in scenario.interventions}
    specs.update({s.name: s for s in baseline.scenario.interventions if s.name not in specs})
    for name, spec in specs.items():

        def net(table, quantity, name=name):
            if quantity == "participant":
                return _get(table, name, "participants")
            return sum(
                (
                    _get(table, name, q)
                    for (src, q) in table.columns
                    if src == name and q.startswith(f"{quantity}.")
                ),
                pd.Series(0.0, index=index),
            )

        if spec.type == "buddy_programme":
            kept = net(alt, "diverted") - _get(alt, name, "referred_to_team")
            kept = kept - (net(base, "diverted") - _get(base, name, "referred_to_team"))
            book(
                name,
                "debt_assistance_avoided",
                "debt_assistance",
                kept,
                kept * unit.debt_assistance,
            )
        for outcome in spec.outcomes:
            units = (net(alt, outcome.per) - net(base, outcome.per)) * outcome.share
            book(name, "outcome", outcome.payer, units, units * outcome.value, outcome.name)
    return pd.concat(frames).reset_index()


def ledger(alternative: Experiment, baseline: Experiment) -> pd.DataFrame:
    """Costs and benefits of ``alternative`` against ``baseline``: one row per
    replication, year, intervention and item (columns :data:`LEDGER_COLUMNS`
    plus ``discounted``: euro discounted to the first year after the warm-up)."""
    own = costs(alternative)
    other = costs(baseline, unit=alternative.scenario)
    keys = ["replication", "year", "intervention", "item", "kind", "payer"]
    merged = own.merge(other, on=keys, how="outer", suffixes=("", "_base")).fillna(0.0)
    merged["quantity"] -= merged.pop("quantity_base")
    merged["euro"] -= merged.pop("euro_base")
    frame = pd.concat([merged, benefits(alternative, baseline)], ignore_index=True)
    frame.insert(0, "scenario", alternative.label)
    frame = frame[LEDGER_COLUMNS]
    rate = alternative.scenario.costs.discount_rate
    frame["discounted"] = frame["euro"] * (1.0 + rate) ** -frame["year"].astype(float)
    return frame


class Value:
    """Costs and benefits of alternatives against a baseline (see the module
    docstring), per replication in :attr:`ledger`, with summaries."""

    def __init__(self, experiments: Mapping[str, Experiment], baseline: str):
        self.baseline = baseline
        self.experiments = dict(experiments)
        base = self.experiments[baseline]
        frames = [ledger(e, base) for label, e in self.experiments.items() if label != baseline]
        self.ledger = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    @property
    def alternatives(self) -> list[str]:
        return [label for label in self.experiments if label != self.baseline]

    def _per_replication(self, scenario: str, by: list[str] | None = None) -> pd.DataFrame:
        rows = self.ledger[self.ledger["scenario"] == scenario]
        keys = ["replication", *(by or [])]
        table = rows.pivot_table(
            index=keys, columns="kind", values="discounted", aggfunc="sum", fill_value=0.0
        )
        for kind in ("cost", "benefit"):
            if kind not in table:
                table[kind] = 0.0
        table["net"] = table["benefit"] - table["cost"]
        return table

    def totals(self, confidence: float = CONFIDENCE) -> pd.DataFrame:
        """Per alternative: present value of costs and benefits, net present value
        (euro), benefit per euro, cost per request averted or diverted (euro),
        and the share of replications with a positive net value, each with its
        interval (columns ``<figure>``, ``<figure>_low``, ``<figure>_high``)."""
        rows = []
        for scenario in self.alternatives:
            table = self._per_replication(scenario)
            reps = table.index.to_numpy()
            kept = self._requests_kept(scenario, reps)
            row: dict = {"scenario": scenario, "replications": len(table)}
            for figure in ("cost", "benefit", "net"):
                interval = t_interval(table[figure].to_numpy(), confidence)
                row.update(_columns(figure, interval))
            pair = np.c_[table["benefit"].to_numpy(), table["cost"].to_numpy()]
            row.update(_columns("ratio", bootstrap_interval(pair, _ratio, confidence)))
            pair = np.c_[table["cost"].to_numpy(), kept]
            row.update(_columns("cost_per_request", bootstrap_interval(pair, _ratio, confidence)))
            positive = int((table["net"] > 0).sum())
            row.update(_columns("p_positive", wilson_interval(positive, len(table), confidence)))
            rows.append(row)
        return pd.DataFrame(rows)

    def _requests_kept(self, scenario: str, replications) -> np.ndarray:
        """Requests averted or diverted (alternative minus baseline), per replication."""
        out = []
        for experiment in (self.experiments[scenario], self.experiments[self.baseline]):
            runs = _yearly(experiment)
            rows = runs[(runs["source"] == TEAM) & runs["quantity"].isin(["averted", "diverted"])]
            out.append(
                rows.groupby("replication")["value"].sum().reindex(replications, fill_value=0)
            )
        return (out[0] - out[1]).to_numpy(dtype=float)

    def by_payer(self, confidence: float = CONFIDENCE) -> pd.DataFrame:
        """Per alternative and payer: present value of costs, benefits and the
        balance (benefit - cost), in euro, with t intervals."""
        rows = []
        for scenario in self.alternatives:
            table = self._per_replication(scenario, ["payer"])
            for payer in PAYERS:
                if payer not in table.index.get_level_values("payer"):
                    continue
                part = table.xs(payer, level="payer")
                row: dict[str, object] = {"scenario": scenario, "payer": payer}
                for figure in ("cost", "benefit", "net"):
                    row.update(_columns(figure, t_interval(part[figure].to_numpy(), confidence)))
                rows.append(row)
        return pd.DataFrame(rows)

    def by_item(self, confidence: float = CONFIDENCE) -> pd.DataFrame:
        """Per alternative, intervention and item: present value in euro."""
        frame = self.ledger
        keys = ["scenario", "intervention", "item", "kind", "payer"]
        sums = frame.groupby([*keys, "replication"], sort=False)["discounted"].sum()
        rows = []
        for key, values in sums.groupby(level=keys, sort=False):
            interval = t_interval(values.to_numpy(), confidence)
            rows.append({**dict(zip(keys, key, strict=True)), **_columns("euro", interval)})
        return pd.DataFrame(rows)

    def by_year(self, confidence: float = CONFIDENCE) -> pd.DataFrame:
        """Per alternative and year: costs, benefits and net value in euro
        (undiscounted), with t intervals."""
        rows = []
        for scenario in self.alternatives:
            part = self.ledger[self.ledger["scenario"] == scenario]
            table = part.pivot_table(
                index=["year", "replication"],
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


__all__ = ["LEDGER_COLUMNS", "PAYERS", "Value", "hours_per_request", "ledger", "value"]
