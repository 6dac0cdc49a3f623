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
which assumptions drive it). Years are discounted at ``costs.discount_rate``:
year ``k`` after the warm-up (from 0) by ``(1 + rate) ** -k``. Totals carry 95%
intervals over replications: Student's t for costs, benefits and net value, the
percentile bootstrap for ratios, and the Wilson interval for the share of
replications with a positive balance.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..experiment.intervals import (
    CONFIDENCE,
    Interval,
    bootstrap_interval,
    paired_interval,
    t_interval,
    t_quantile,
    wilson_interval,
)
from ..experiment.replications import Experiment
from ..model.yearly import TEAM
from ..scenario import Scenario
from ..scenario.calendar import year_label
from ..scenario.interventions import Booking, InterventionSpec, Outcome
from ..scenario.units import WEEKS_PER_YEAR
from ..scenario.valuation import valuation_gaps

#: Payers in reporting order.
PAYERS = (
    "municipality",
    "wijkteam",
    "debt_assistance",
    "health_insurer",
    "participants",
    "residents",
)

#: Ledger items (declared outcomes and transfers carry their name after a colon)
#: and whether each is a cost, a benefit or a transfer.
ITEMS = {
    "fixed": "cost",
    "per_participant": "cost",
    "volunteer_expenses": "cost",
    "team_hours": "benefit",
    "heavier_care_avoided": "benefit",
    "outcome": "benefit",
    "team_outcome": "benefit",
    "transfer": "transfer",
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
    "unit",
    "euro",
    "after_horizon",
]

#: What :meth:`Value.totals` says its probability covers.
CERTAINTY = {
    False: "replications",  # the model's chance only; the assumptions taken as given
    True: "replications and assumptions",
}


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


def _summed(table: pd.DataFrame, source: str, prefix: str) -> pd.Series:
    """The sum of ``source``'s quantities ``<prefix>.<theme>`` (all themes)."""
    out = pd.Series(0.0, index=table.index)
    for src, quantity in table.columns:
        if src == source and quantity.startswith(f"{prefix}."):
            out = out + table[(src, quantity)].fillna(0.0)
    return out


def _figure(table: pd.DataFrame, source: str, figure: str) -> pd.Series:
    """Figure ``figure`` of ``source`` (``<prefix>.*``: summed over the themes)."""
    if figure.endswith(".*"):
        return _summed(table, source, figure[:-2])
    return _get(table, source, figure)


class Realised:
    """The scenario each replication of an experiment ran with: its uncertain
    values set to what was drawn (the scenario as written where it has none)."""

    def __init__(self, experiment: Experiment):
        self.scenario = experiment.scenario
        self._by_replication: dict[int, Scenario] = {}
        uncertain = self.scenario.uncertain or {}
        parameters = experiment.parameters
        if uncertain and not parameters.empty:
            for replication, rows in parameters.groupby("replication"):
                drawn = {
                    path: uncertain[path].written(float(number))
                    for path, number in zip(rows["parameter"], rows["value"], strict=True)
                    if path in uncertain
                }
                self._by_replication[int(replication)] = self.scenario.with_overrides(drawn)

    @property
    def uncertain(self) -> bool:
        """Whether any replication drew a value."""
        return bool(self._by_replication)

    def __getitem__(self, replication: int) -> Scenario:
        return self._by_replication.get(int(replication), self.scenario)

    def values(self, index: pd.Index, unit: Callable[[Scenario], float]) -> np.ndarray:
        """``unit(scenario)`` for each row of ``index`` (its level ``replication``)."""
        replications = index.get_level_values("replication")
        if not self._by_replication:
            return np.full(len(index), float(unit(self.scenario)))
        by_replication = {r: float(unit(self[r])) for r in set(replications)}
        return np.array([by_replication[r] for r in replications], dtype=float)


def _own_spec(scenario: Scenario, name: str) -> InterventionSpec:
    """Intervention ``name`` of ``scenario`` (one a replication ran with)."""
    spec = _spec(scenario, name)
    if spec is None:  # a drawn value cannot remove an intervention
        known = ", ".join(s.name for s in scenario.interventions) or "none"
        raise KeyError(f"no intervention {name!r} in {scenario.name!r} (known: {known})")
    return spec


def _spec(scenario: Scenario, name: str) -> InterventionSpec | None:
    for spec in scenario.interventions:
        if spec.name == name:
            return spec
    return None


class _Book:
    """Rows of a ledger in the making, one frame per item."""

    def __init__(self) -> None:
        self.frames: list[pd.DataFrame] = []

    def add(self, intervention, item, kind, payer, quantity, unit, euro, after=False) -> None:
        frame = pd.DataFrame(
            {
                "intervention": intervention,
                "item": item,
                "kind": kind,
                "payer": payer,
                "quantity": quantity,
                "unit": unit,
                "euro": euro,
                "after_horizon": after,
            }
        )
        self.frames.append(frame.reset_index())

    def frame(self) -> pd.DataFrame:
        columns = ["replication", "year", *LEDGER_COLUMNS[3:]]
        frames = [f for f in self.frames if not f.empty]
        if not frames:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        return pd.concat(frames, ignore_index=True)[columns]


def costs(experiment: Experiment, realised: Realised | None = None) -> pd.DataFrame:
    """The cost ledger of one scenario (not yet against a baseline): one row per
    replication, year, intervention and item, in euro (undiscounted), with the
    costs each replication ran with."""
    scenario = experiment.scenario
    realised = realised or Realised(experiment)
    table = _quantities(experiment)
    book = _Book()
    index = table.index
    for spec in scenario.interventions:
        name = spec.name
        for booking in spec.bookings():

            def price(s: Scenario, name: str = name, booking: Booking = booking) -> float:
                return booking.price(_own_spec(s, name), s)

            quantity = _figure(table, name, booking.figure)
            if booking.per != 1.0:
                quantity = quantity / booking.per
            euro = quantity * realised.values(index, price)
            book.add(name, booking.item, booking.kind, booking.payer, quantity, booking.unit, euro)
    return book.frame()


def _team_hours(table: pd.DataFrame, realised: Realised) -> pd.Series:
    """Paid hours the team used: the occupied share of its caseload ceiling
    times the hours it had for casework, plus its collective work. The ceiling
    is in slots that stand for paid hours (contact, intake, reporting and
    consultation alike), and collective hours are taken from them, so hours
    moved from casework to collective work are the same hours. Without a
    ceiling, the casework hours measured (contact and intake)."""
    weeks = _get(table, TEAM, "weeks")
    collective = _get(table, TEAM, "collective_hours")
    per_week = realised.values(table.index, lambda s: s.team.fte * s.team.hours_per_fte_per_week)
    if (TEAM, "ceiling_slot_weeks") not in table.columns:  # stored by an older wijksim
        return _get(table, TEAM, "professional_hours") + collective
    with np.errstate(divide="ignore", invalid="ignore"):
        occupancy = _get(table, TEAM, "load_slot_weeks") / table[(TEAM, "ceiling_slot_weeks")]
    casework = (per_week * weeks - collective) * occupancy
    measured = _get(table, TEAM, "professional_hours")
    return casework.where(np.isfinite(occupancy), measured) + collective


def _waiting_weeks(table: pd.DataFrame) -> pd.Series:
    """Weeks waited by all people together (mean waiting list times weeks)."""
    return _get(table, TEAM, "mean_waiting_list").fillna(0.0) * _get(table, TEAM, "weeks")


def accrual(weeks: np.ndarray, spread: float) -> np.ndarray:
    """How the value of units that occur evenly within each year, and accrue
    evenly over ``spread`` weeks after each, falls into years.

    ``weeks``: the length of each year of the run (the last may be shorter).
    Returns ``shares``: ``shares[y, k]`` is the share of a unit of year ``y``
    that accrues in year ``k``, for the run's years and the whole years after
    it (``k >= len(weeks)``, each :data:`WEEKS_PER_YEAR` long); each row adds
    up to 1.
    """
    n = len(weeks)
    if spread <= 0:
        return np.eye(n)
    extra = math.ceil(spread / WEEKS_PER_YEAR) + 1
    starts = np.concatenate([[0.0], np.cumsum(weeks)])
    end = starts[-1]
    edges = np.concatenate([starts, end + WEEKS_PER_YEAR * np.arange(1, extra + 1)])
    shares = np.zeros((n, n + extra))
    for y in range(n):
        a, b = starts[y], starts[y + 1]
        for k in range(n + extra):
            shares[y, k] = _accrued(a, b, spread, edges[k], edges[k + 1])
    return shares


def _accrued(a: float, b: float, spread: float, c: float, d: float) -> float:
    """Share of a unit's value that accrues within [c, d], for a unit at a
    uniform moment in [a, b] whose value accrues evenly over the next
    ``spread`` weeks (exact: the overlap is piecewise linear in time)."""
    if b - a <= 1e-12:  # a year of no length: the unit at its start
        return max(0.0, min(a + spread, d) - max(a, c)) / spread

    def overlap(s: float) -> float:  # how many of the moments in [a, b] accrue at s
        return max(0.0, min(b, s) - max(a, s - spread))

    points = sorted({c, d, *(p for p in (a, b, a + spread, b + spread) if c < p < d)})
    total = sum(
        (right - left) * (overlap(left) + overlap(right)) / 2
        for left, right in itertools.pairwise(points)
    )
    return total / ((b - a) * spread)


def _spread_over_years(amounts: pd.Series, weeks: pd.Series, spread: float) -> pd.Series:
    """``amounts`` per (replication, year) accrued over ``spread`` weeks after
    each unit: per (replication, year), years after the run included."""
    if spread <= 0:
        return amounts
    parts = []
    for replication, values in amounts.groupby(level="replication"):
        years = values.index.get_level_values("year")
        lengths = weeks.loc[replication].reindex(years).to_numpy()
        shares = accrual(lengths, spread)
        spread_out = values.to_numpy() @ shares
        index = pd.MultiIndex.from_product(
            [[replication], range(len(spread_out))], names=["replication", "year"]
        )
        parts.append(pd.Series(spread_out, index=index))
    return pd.concat(parts)


def _declared(scenario: Scenario, name: str, at: int) -> Outcome:
    """Outcome number ``at`` of intervention ``name`` in ``scenario``."""
    return _own_spec(scenario, name).outcomes[at]


def _outcome(table: pd.DataFrame, name: str, at: int, realised: Realised):
    """Units with outcome ``at`` of ``name`` and their euro, per (replication,
    year), spread over the outcome's period."""
    outcome = _declared(realised.scenario, name, at)
    index = table.index

    def field(key: str) -> np.ndarray:
        return realised.values(index, lambda s: getattr(_declared(s, name, at), key))

    figure = type(_own_spec(realised.scenario, name)).outcome_figures[outcome.per]
    units = _figure(table, name, figure) * field("share")
    euro = units * field("value")
    weeks = _get(table, TEAM, "weeks")
    return (
        _spread_over_years(units, weeks, outcome.spread),
        _spread_over_years(euro, weeks, outcome.spread),
    )


def benefits(
    alternative: Experiment, baseline: Experiment, realised: Mapping[str, Realised] | None = None
) -> pd.DataFrame:
    """The benefit and transfer ledger of ``alternative`` against ``baseline``,
    replication by replication (paired): one row per replication, year,
    intervention and item, in euro (undiscounted)."""
    scenarios = dict(realised or {"alt": Realised(alternative), "base": Realised(baseline)})
    alt, base = _quantities(alternative), _quantities(baseline)
    index = alt.index.union(base.index)
    alt, base = alt.reindex(index), base.reindex(index)
    unit = scenarios["alt"]
    book = _Book()

    hours = _team_hours(base, scenarios["base"]) - _team_hours(alt, scenarios["alt"])
    book.add(
        "",
        "team_hours",
        "benefit",
        "wijkteam",
        hours,
        "hours",
        hours * unit.values(index, lambda s: s.costs.team_hour),
    )

    avoided = pd.Series(0.0, index=index)
    care = pd.Series(0.0, index=index)
    for theme in alternative.scenario.themes:
        fewer = _get(base, TEAM, f"escalations.{theme}") - _get(alt, TEAM, f"escalations.{theme}")
        avoided = avoided + fewer

        def price(s: Scenario, theme: str = theme) -> float:
            return s.costs.heavier_care_for(theme)

        care = care + fewer * unit.values(index, price)
    book.add("", "heavier_care_avoided", "benefit", "municipality", avoided, "escalations", care)

    fewer_by = {
        "give_up_avoided": (_get(base, TEAM, "reneged") - _get(alt, TEAM, "reneged"), "persons"),
        "waiting_week_avoided": (_waiting_weeks(base) - _waiting_weeks(alt), "weeks"),
    }
    for at, declared in enumerate(alternative.scenario.costs.outcomes):
        fewer, what = fewer_by[declared.per]

        def per_unit(s: Scenario, at: int = at) -> float:
            return s.costs.outcomes[at].value

        euro = fewer * unit.values(index, per_unit)
        book.add("", f"team_outcome:{declared.name}", "benefit", declared.payer, fewer, what, euro)

    years = int(index.get_level_values("year").max()) + 1 if len(index) else 0
    _book_outcomes(book, {"alt": alt, "base": base}, scenarios, years)
    return book.frame()


def _book_outcomes(book: _Book, tables: dict, realised: dict, years: int) -> None:
    """Each intervention's declared outcomes: the alternative's minus the
    baseline's, each side with its own declaration (shares, values, spread).
    Years from ``years`` on are after the horizon."""
    found: dict[tuple[str, str], dict] = {}
    for side, sign in (("alt", 1.0), ("base", -1.0)):
        for spec in realised[side].scenario.interventions:
            for at, declared in enumerate(spec.outcomes):
                units, euro = _outcome(tables[side], spec.name, at, realised[side])
                entry = found.setdefault((spec.name, declared.name), {"outcome": declared})
                for key, series in (("units", units), ("euro", euro)):
                    entry[key] = (sign * series).add(entry.get(key, 0.0 * series), fill_value=0.0)
    for (name, _), entry in found.items():
        outcome: Outcome = entry["outcome"]  # the alternative's, where it has it
        units, euro = entry["units"], entry["euro"]
        after = euro.index.get_level_values("year") >= years
        if outcome.transfer_from is None:
            item, kind = f"outcome:{outcome.name}", "benefit"
            book.add(name, item, kind, outcome.payer, units, outcome.per, euro, after)
            continue
        item = f"transfer:{outcome.name}"
        book.add(name, item, "transfer", outcome.payer, units, outcome.per, euro, after)
        book.add(name, item, "transfer", outcome.transfer_from, units, outcome.per, -euro, after)


def ledger(
    alternative: Experiment, baseline: Experiment, realised: Mapping[str, Realised] | None = None
) -> pd.DataFrame:
    """Costs, benefits and transfers of ``alternative`` against ``baseline``
    (``realised``: their :class:`Realised` scenarios as ``alt`` and ``base``,
    when already made): one row per replication, year, intervention and item (columns
    :data:`LEDGER_COLUMNS` plus ``discounted``: euro discounted to the first
    year after the warm-up). ``year`` is called as in every table (calendar
    years with a start date, else 1, 2, ... after the warm-up), ``year_index``
    counts from 0 (the exponent of the discounting); rows marked
    ``after_horizon`` accrue after the run (a residual value)."""
    realised = dict(realised or {"alt": Realised(alternative), "base": Realised(baseline)})
    own = costs(alternative, realised["alt"])
    other = costs(baseline, realised["base"])
    keys = ["replication", "year", "intervention", "item", "kind", "payer", "unit", "after_horizon"]
    merged = own.merge(other, on=keys, how="outer", suffixes=("", "_base"))
    merged[["quantity", "euro", "quantity_base", "euro_base"]] = merged[
        ["quantity", "euro", "quantity_base", "euro_base"]
    ].fillna(0.0)
    merged["quantity"] -= merged.pop("quantity_base")
    merged["euro"] -= merged.pop("euro_base")
    frame = pd.concat([merged, benefits(alternative, baseline, realised)], ignore_index=True)
    frame.insert(0, "scenario", alternative.label)
    frame = frame[LEDGER_COLUMNS].astype(
        {"year": int, "replication": int, "quantity": float, "euro": float, "after_horizon": bool}
    )
    rate = alternative.scenario.costs.discount_rate
    frame["discounted"] = frame["euro"] * (1.0 + rate) ** -frame["year"].astype(float)
    # years called as Comparison.by_year calls them: on the baseline's calendar
    calendar = baseline.scenario if baseline.scenario.start_date else alternative.scenario
    index = frame["year"]
    names = {y: year_label(calendar.start_date, calendar.warmup, int(y)) for y in index.unique()}
    frame.insert(frame.columns.get_loc("year") + 1, "year_index", index)
    frame["year"] = index.map(names).astype(int)
    return frame


class Value:
    """Costs and benefits of alternatives against a baseline (see the module
    docstring), per replication in :attr:`ledger`, with summaries: the social
    balance (:meth:`totals`), who pays and who gains (:meth:`by_payer`), the
    effects in their own units (:meth:`effects`) and the assumptions that
    drive the balance (:meth:`drivers`)."""

    def __init__(self, experiments: Mapping[str, Experiment], baseline: str):
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
        averted or diverted (euro), and the share of replications with a
        positive balance, each with its interval (columns ``<figure>``,
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
            row["assumptions"] = len(self._drawn(scenario).columns)
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
        for scenario in self.alternatives:
            rows.extend(self._effects(scenario, confidence))
        columns = [
            "scenario",
            "intervention",
            "effect",
            "unit",
            "baseline",
            "value",
            "difference",
            "ci_low",
            "ci_high",
            "valued_as",
        ]
        return pd.DataFrame(rows, columns=columns)

    def _effects(self, scenario: str, confidence: float) -> list[dict]:
        alt, base = self.experiments[scenario], self.experiments[self.baseline]
        costs_ = alt.scenario.costs
        declared = {o.per: f"team_outcome:{o.name}" for o in costs_.outcomes}
        cares = costs_.heavier_care
        priced = any(v > 0 for v in cares.values()) if isinstance(cares, dict) else cares > 0
        figures = (
            ("mean_wait_weeks", "weeks", False, ""),
            ("share_wait_over_6_weeks", "share", False, ""),
            ("reneged", "persons per year", True, declared.get("give_up_avoided", "")),
            ("escalations", "persons per year", True, "heavier_care_avoided" if priced else ""),
            ("intakes", "persons per year", True, ""),
            ("professional_hours", "hours per year", True, "team_hours"),
            ("collective_hours", "hours per year", True, "team_hours"),
        )
        out = []
        for metric, unit, per_year, valued in figures:
            if metric not in alt.metrics or metric not in base.metrics:
                continue
            a, b = alt.values(metric), base.values(metric)
            if per_year:
                a = a / (alt.values("weeks") / WEEKS_PER_YEAR)
                b = b / (base.values("weeks") / WEEKS_PER_YEAR)
            diff = paired_interval(a, b, confidence)
            out.append(_effect(scenario, "", metric, unit, b, a, diff, valued))
        used = [
            _per_year(
                _team_hours(_quantities(self.experiments[label]), self._realised[label]),
                self.experiments[label],
            )
            for label in (scenario, self.baseline)
        ]
        diff = paired_interval(used[0], used[1], confidence)
        out.append(
            _effect(
                scenario,
                "",
                "team_hours_used",
                "hours per year",
                used[1],
                used[0],
                diff,
                "team_hours",
            )
        )
        for spec in alt.scenario.interventions:
            started = _per_year(_get(_quantities(alt), spec.name, "participants"), alt)
            before = np.zeros_like(started)
            if _spec(base.scenario, spec.name) is not None:
                before = _per_year(_get(_quantities(base), spec.name, "participants"), base)
            if started.any() or before.any():  # resident initiatives have none
                diff = paired_interval(started, before, confidence)
                out.append(
                    _effect(
                        scenario,
                        spec.name,
                        "participants",
                        "persons per year",
                        before,
                        started,
                        diff,
                        "",
                    )
                )
            nan = math.nan
            out.extend(
                _effect(
                    scenario, spec.name, text, "", [nan], [nan], Interval(nan, nan, 0, nan, nan), ""
                )
                for text in spec.unvalued
            )
        return out

    def _drawn(self, scenario: str) -> pd.DataFrame:
        """The values drawn per replication for ``scenario`` (one column per
        uncertain parameter that varied)."""
        parameters = self.experiments[scenario].parameters
        if parameters.empty:
            return pd.DataFrame(index=range(self.experiments[scenario].replications))
        wide = parameters.pivot(index="replication", columns="parameter", values="value")
        return wide.loc[:, wide.std(ddof=0) > 0]

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
            drawn = self._drawn(scenario)
            net = self.per_replication(scenario)["net"].reindex(drawn.index).to_numpy()
            k = len(drawn.columns)
            n = len(net)
            if k == 0 or n < 5 * (k + 1):
                continue
            x = drawn.to_numpy(dtype=float)
            centred = x - x.mean(axis=0)
            design = np.c_[np.ones(n), centred]
            coef, *_ = np.linalg.lstsq(design, net, rcond=None)
            residual = net - design @ coef
            dof = n - k - 1
            sigma2 = float(residual @ residual) / dof
            covariance = sigma2 * np.linalg.pinv(design.T @ design)
            t = t_quantile(dof + 1, confidence)
            for j, parameter in enumerate(drawn.columns):
                low, high = np.quantile(x[:, j], [0.1, 0.9])
                mean = x[:, j].mean()
                slope = coef[j + 1]
                half = t * math.sqrt(max(0.0, covariance[j + 1, j + 1])) * (high - low)
                swing = slope * (high - low)
                rows.append(
                    {
                        "scenario": scenario,
                        "parameter": parameter,
                        "metric": "net",
                        "low_value": float(low),
                        "high_value": float(high),
                        "low_difference": float(slope * (low - mean)),
                        "high_difference": float(slope * (high - mean)),
                        "swing": float(abs(swing)),
                        "swing_low": float(abs(swing) - half),
                        "swing_high": float(abs(swing) + half),
                        "clear": bool(abs(swing) - half > 0),
                    }
                )
        table = pd.DataFrame(rows)
        if table.empty:
            return table
        return table.sort_values(["scenario", "swing"], ascending=[True, False]).reset_index(
            drop=True
        )

    def __repr__(self) -> str:
        return f"<Value of {', '.join(map(repr, self.alternatives))} against {self.baseline!r}>"


def _per_year(values: pd.Series, experiment: Experiment) -> np.ndarray:
    """Values per (replication, year) summed per replication, per year of the run."""
    total = values.groupby(level="replication").sum()
    total = total.reindex(range(experiment.replications), fill_value=0.0).to_numpy()
    return total / _years(experiment)


def _years(experiment: Experiment) -> np.ndarray:
    """Years after the warm-up, per replication."""
    return experiment.values("weeks") / WEEKS_PER_YEAR


def _effect(scenario, intervention, effect, unit, before, after, diff: Interval, valued) -> dict:
    return {
        "scenario": scenario,
        "intervention": intervention,
        "effect": effect,
        "unit": unit,
        "baseline": _mean(before),
        "value": _mean(after),
        "difference": diff.mean,
        "ci_low": diff.low,
        "ci_high": diff.high,
        "valued_as": valued,
    }


def _mean(values) -> float:
    """The mean of the finite values (NaN when there are none)."""
    x = np.asarray(values, dtype=float)
    return float(x[np.isfinite(x)].mean()) if np.isfinite(x).any() else math.nan


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
