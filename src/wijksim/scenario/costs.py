"""Who pays and gains, and the unit values of the social cost-benefit analysis.

What a provision gains outside the team's hours (:class:`Outcome`, declared on
the provision), the team's own effects a scenario chooses to value
(:class:`TeamOutcome`) and the prices of the team's work (:class:`Costs`).
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from .base import Euro, Flag, Frozen, Share
from .units import WEEKS_PER_YEAR, Duration

#: The longest period an outcome's value may accrue over: a lifetime.
MOST_SPREAD_YEARS = 100

#: Euro per escalation: one number for every theme, or a mapping by theme. Told
#: apart by the shape of the value, so that a wrong value is reported once, in the
#: form written, not a second time as the other form (under pydantic's label).
PerTheme = Annotated[
    Annotated[Euro, Tag("all")] | Annotated[dict[str, Euro], Tag("themes")],
    Discriminator(lambda value: "themes" if isinstance(value, dict) else "all"),
]

#: Who pays a cost or gains a benefit, in a cost-benefit analysis.
Payer = Literal[
    "municipality", "wijkteam", "debt_assistance", "health_insurer", "participants", "residents"
]


class Outcome(Frozen):
    """An outcome of an intervention outside the team's own hours, declared with
    its unit value, payer and source: counted only when a scenario declares it.

    An outcome is what happens to people (a debt-assistance trajectory that is
    not needed, health care not used), not what the provision does (who is
    offered a buddy): ``share`` is the share of the simulated units (``per``)
    that have the outcome, from the outcome's own source. ``spread`` books its
    value evenly over a period after each unit (the part after the horizon is
    a residual value, see ``costs.residual_value``). With ``transfer_from`` it
    is money moving between parties (an own contribution, a benefit payment):
    shown in who pays and who gains, never in the social balance.
    """

    name: str = Field(min_length=1, description="what is gained, e.g. 'health care avoided'")
    per: Literal["participant", "averted", "diverted"] = Field(
        description="the simulated quantity it is counted per (started participants, "
        "requests averted, requests diverted)"
    )
    value: Euro = Field(description="euro per unit that has the outcome")
    share: Share = Field(
        default=1.0, description="share of the units that have the outcome (its source's share)"
    )
    payer: Payer = Field(description="who gains it")
    source: str = Field(default="", description="where the share and unit value come from")
    spread: Duration = Field(
        default=0.0, description="period over which the value accrues after each unit (0: at once)"
    )
    transfer_from: Payer | None = Field(
        default=None,
        description="a transfer: the party the money comes from (not in the social balance)",
    )

    @field_validator("spread")
    @classmethod
    def _a_lifetime_at_most(cls, weeks: float) -> float:
        if weeks > MOST_SPREAD_YEARS * WEEKS_PER_YEAR:  # the ledger has a column a year
            raise ValueError(f"a spread of at most {MOST_SPREAD_YEARS} years, not {weeks:g} weeks")
        return weeks

    @model_validator(mode="after")
    def _two_parties(self):
        if self.transfer_from is not None and self.transfer_from == self.payer:
            raise ValueError("a transfer needs two parties: transfer_from equals payer")
        return self


def distinct_names(outcomes: tuple[Any, ...]) -> tuple[Any, ...]:
    """``outcomes`` if no two share a name as a reader sees it (case, spaces and
    Unicode forms aside): the ledger books an outcome under its name, and two
    that look alike would be read as one item counted twice."""
    seen: dict[str, str] = {}
    for outcome in outcomes:
        key = _as_read(outcome.name)
        if key in seen:
            same = "" if seen[key] == outcome.name else f" and {seen[key]!r}"
            raise ValueError(
                f"two outcomes are named {outcome.name!r}{same}: give each its own name "
                "(each is booked as one item, with its own payer)"
            )
        seen[key] = outcome.name
    return outcomes


def _as_read(name: str) -> str:
    """A name as a reader tells names apart: Unicode compatibility form, case
    folded, invisible characters dropped, runs of spaces as one."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Cc"))
    return " ".join(text.casefold().split())


class TeamOutcome(Frozen):
    """A valued effect of the team's own figures for residents (fewer people who
    give up waiting, fewer weeks waited): counted only when declared, with its
    unit value and source. Undeclared, these effects stay in their own units
    (PM posts); the team's hours are never valued a second time through them."""

    name: str = Field(min_length=1, description="what is gained")
    per: Literal["give_up_avoided", "waiting_week_avoided"] = Field(
        description="a person fewer giving up waiting, or a week fewer waited by one person"
    )
    value: Euro = Field(description="euro per unit")
    payer: Payer = Field(description="who gains it")
    source: str = Field(min_length=1, description="where the unit value comes from")


class Costs(Frozen):
    """Unit values in euro for the social cost-benefit analysis (``wijksim.value``).

    Every field is used: ``team_hour`` prices the hours the team works (casework
    and collective work; what it no longer works is a saving, what it works more
    a cost); ``heavier_care`` prices escalations avoided; ``outcomes`` values the
    team's effects for residents that a scenario chooses to value (waits, people
    who give up), each with its source; ``residual_value`` says whether outcome
    value that accrues after the horizon counts; ``discount_rate`` discounts
    later years. Outcomes of a provision (a debt-assistance trajectory avoided)
    are declared on the provision (``interventions[].outcomes``).
    """

    team_hour: Euro = Field(
        default=48.0,
        description=(
            "euro per paid hour of a wijkteam professional (an FTE's cost over its paid "
            "hours, not its productive hours; docs/sources.md#cost-team-hour)"
        ),
    )
    heavier_care: PerTheme = Field(
        default=0.0,
        description=(
            "euro per escalation (a problem that grew heavier while waiting): the expected "
            "cost of the heavier care it leads to; a number for every theme, or per theme "
            "(themes not named: 0)"
        ),
    )
    outcomes: tuple[TeamOutcome, ...] = Field(
        default=(),
        description="the team's effects for residents valued in euro (default: none; they "
        "are reported in their own units)",
    )
    residual_value: Flag = Field(
        default=True,
        description="count declared outcome value that accrues after the horizon, "
        "discounted (false: leave it out and name it in the report)",
    )
    discount_rate: Annotated[float, Field(ge=0, le=0.2)] = Field(
        default=0.0225,
        description="real discount rate per year (Dutch MKBA guidance standard: 2.25%)",
    )

    _distinct = field_validator("outcomes")(classmethod(lambda cls, v: distinct_names(v)))

    @model_validator(mode="before")
    @classmethod
    def _moved(cls, data: Any) -> Any:
        if isinstance(data, dict) and "debt_assistance" in data:
            raise ValueError(
                "costs.debt_assistance is gone: it booked a whole trajectory for every "
                "buddy client. Declare the outcome on the buddy programme with the share "
                "of clients its source says stay out of debt assistance, e.g. outcomes: "
                "[{name: schuldhulpverlening vermeden, per: participant, share: 0.4, "
                "value: 2500, payer: debt_assistance}]"
            )
        return data

    def prices_heavier_care(self) -> bool:
        """Whether an escalation avoided on some theme is worth more than EUR 0."""
        cares = self.heavier_care
        return any(v > 0 for v in cares.values()) if isinstance(cares, dict) else cares > 0

    def heavier_care_for(self, theme: str) -> float:
        """Euro per escalation on ``theme``."""
        if isinstance(self.heavier_care, dict):
            return self.heavier_care.get(theme, 0.0)
        return self.heavier_care
