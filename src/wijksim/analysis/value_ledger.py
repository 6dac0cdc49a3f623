"""The ledger of the cost-benefit analysis: each cost, benefit and transfer of an
alternative against the baseline, booked per replication, year, intervention
and item with its payer, quantity and euro (:func:`ledger`): the costs each
provision's spec books (:func:`costs`), the benefits of the team's hours,
escalations avoided and declared outcomes, and the transfers
(:func:`benefits`). See :mod:`wijksim.analysis.value` for the method.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..experiment.replications import Experiment
from ..model.yearly import TEAM
from ..scenario import Scenario
from ..scenario.calendar import year_label
from ..scenario.interventions import Booking, Outcome
from .value_accrual import spread_over_years
from .value_figures import Realised, column, figure_of, own_spec, quantities, team_hours

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
    table = quantities(experiment)
    book = _Book()
    index = table.index
    for spec in scenario.interventions:
        name = spec.name
        for booking in spec.bookings():

            def price(s: Scenario, name: str = name, booking: Booking = booking) -> float:
                return booking.price(own_spec(s, name), s)

            quantity = figure_of(table, name, booking.figure)
            if booking.per != 1.0:
                quantity = quantity / booking.per
            euro = quantity * realised.values(index, price)
            book.add(name, booking.item, booking.kind, booking.payer, quantity, booking.unit, euro)
    return book.frame()


def _waiting_weeks(table: pd.DataFrame) -> pd.Series:
    """Weeks waited by all people together (mean waiting list times weeks)."""
    return column(table, TEAM, "mean_waiting_list").fillna(0.0) * column(table, TEAM, "weeks")


def _declared(scenario: Scenario, name: str, at: int) -> Outcome:
    """Outcome number ``at`` of intervention ``name`` in ``scenario``."""
    return own_spec(scenario, name).outcomes[at]


def _outcome(table: pd.DataFrame, name: str, at: int, realised: Realised):
    """Units with outcome ``at`` of ``name`` and their euro, per (replication,
    year), spread over the outcome's period."""
    outcome = _declared(realised.scenario, name, at)
    index = table.index

    def field(key: str) -> np.ndarray:
        return realised.values(index, lambda s: getattr(_declared(s, name, at), key))

    figure = type(own_spec(realised.scenario, name)).outcome_figures[outcome.per]
    units = figure_of(table, name, figure) * field("share")
    euro = units * field("value")
    weeks = column(table, TEAM, "weeks")
    return (
        spread_over_years(units, weeks, outcome.spread),
        spread_over_years(euro, weeks, outcome.spread),
    )


def benefits(
    alternative: Experiment, baseline: Experiment, realised: Mapping[str, Realised] | None = None
) -> pd.DataFrame:
    """The benefit and transfer ledger of ``alternative`` against ``baseline``,
    replication by replication (paired): one row per replication, year,
    intervention and item, in euro (undiscounted)."""
    scenarios = dict(realised or {"alt": Realised(alternative), "base": Realised(baseline)})
    alt, base = quantities(alternative), quantities(baseline)
    index = alt.index.union(base.index)
    alt, base = alt.reindex(index), base.reindex(index)
    unit = scenarios["alt"]
    book = _Book()

    hours = team_hours(base, scenarios["base"]) - team_hours(alt, scenarios["alt"])
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
        fewer = column(base, TEAM, f"escalations.{theme}") - column(
            alt, TEAM, f"escalations.{theme}"
        )
        avoided = avoided + fewer

        def price(s: Scenario, theme: str = theme) -> float:
            return s.costs.heavier_care_for(theme)

        care = care + fewer * unit.values(index, price)
    book.add("", "heavier_care_avoided", "benefit", "municipality", avoided, "escalations", care)

    fewer_by = {
        "give_up_avoided": (
            column(base, TEAM, "reneged") - column(alt, TEAM, "reneged"),
            "persons",
        ),
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
    rate = baseline.scenario.costs.discount_rate  # one rate per comparison: the baseline's
    frame["discounted"] = frame["euro"] * (1.0 + rate) ** -frame["year"].astype(float)
    # years called as Comparison.by_year calls them: on the baseline's calendar
    calendar = baseline.scenario if baseline.scenario.start_date else alternative.scenario
    index = frame["year"]
    names = {y: year_label(calendar.start_date, calendar.warmup, int(y)) for y in index.unique()}
    frame.insert(frame.columns.get_loc("year") + 1, "year_index", index)
    frame["year"] = index.map(names).astype(int)
    return frame
