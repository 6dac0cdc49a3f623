"""What every intervention's spec has: funding dates, target, capacity and
costs (:class:`InterventionSpec`), and what it books in the cost-benefit
ledger (:class:`Booking`). The built-in types and the registry of types are
in :mod:`.interventions` (which makes these importable from there too)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Literal, NamedTuple

from pydantic import Field, field_validator, model_validator

from .base import Count, Euro, Frozen, NonNegative, Positive
from .calendar import Moment
from .costs import Outcome, Payer, distinct_names
from .units import WEEKS_PER_YEAR
from .view import ScenarioView


class Booking(NamedTuple):
    """One item a provision books in the cost-benefit ledger
    (:mod:`wijksim.analysis.value`), declared by its spec
    (:meth:`InterventionSpec.bookings`): per replication and year, the
    quantity is the provision's ``figure`` (a key of its
    :meth:`~wijksim.Intervention.figures`; ``"averted.*"`` adds up the themes)
    divided by ``per``, and the euro that quantity times ``price(spec,
    scenario)`` for the spec and scenario the replication ran with (drawn
    uncertain values included). The alternative's bookings count against the
    baseline's, as every item does."""

    item: str  # the ledger's item, e.g. "fixed" (its label: report.text.WORDS)
    figure: str  # the provision's figure counted
    unit: str  # what the quantity is, in the ledger
    price: Callable[[InterventionSpec, ScenarioView], float]  # euro per unit
    per: float = 1.0  # units of the figure per unit of the quantity (weeks per year)
    kind: Literal["cost", "benefit"] = "cost"
    payer: Payer = "municipality"


def _fixed_cost(spec: InterventionSpec, scenario: ScenarioView) -> float:
    return spec.fixed_cost_per_year


def _participant_cost(spec: InterventionSpec, scenario: ScenarioView) -> float:
    return spec.cost_per_participant


def _volunteer_expenses(spec: InterventionSpec, scenario: ScenarioView) -> float:
    if spec.volunteers is None:  # pragma: no cover - booked only with a pool
        return 0.0
    return scenario.volunteers[spec.volunteers].expenses_per_volunteer_per_year


class InterventionSpec(Frozen):
    """What every intervention has: funding dates, target, capacity and costs.

    ``team_hours_per_week`` are hours of the wijkteam's collective time the
    intervention needs (coordination, facilitation); when the team takes them
    back for casework (a squeeze), the intervention loses capacity in
    proportion.
    """

    type: str = Field(description="the registered intervention type")
    name: str = Field(min_length=1, description="unique within the scenario")
    start: Moment = Field(default=0.0, description="funding starts (from the run's start)")
    stop: Moment | None = Field(default=None, description="funding stops (none: never)")
    themes: tuple[str, ...] = Field(default=(), description="targeted themes")
    volunteers: str | None = Field(default=None, description="name of the volunteer pool")
    # the engine counts volunteers in thousandths: a client per thousand volunteers at least
    clients_per_volunteer: Annotated[Positive, Field(ge=0.001)] = Field(
        default=1.0, description="at the same time"
    )
    capacity: Count | None = Field(
        default=None, description="most participants at the same time (besides volunteers)"
    )
    team_hours_per_week: NonNegative = Field(
        default=0.0, description="collective team hours it needs (coordination, facilitation)"
    )
    fixed_cost_per_year: Euro = Field(default=0.0, description="euro per funded year")
    cost_per_participant: Euro = Field(default=0.0, description="euro")
    outcomes: tuple[Outcome, ...] = Field(
        default=(), description="outcomes outside the team's hours, with unit values (euro)"
    )
    unvalued: tuple[str, ...] = Field(
        default=(),
        description="effects the model does not value in euro (PM posts), in words with "
        "their source; the report lists them beside the euros",
    )

    #: The figure of the provision that a declared outcome is counted per
    #: (``outcomes[].per``; ``"averted.*"`` adds up the themes).
    outcome_figures: ClassVar[dict[str, str]] = {
        "participant": "participants",
        "averted": "averted.*",
        "diverted": "diverted.*",
    }
    #: Subclasses that need no theme list set this to False.
    needs_themes: ClassVar[bool] = True
    #: Fields that hold the strength of its effect (a share, or a mapping of
    #: shares): a break-even analysis scales them (see :meth:`scaled`).
    effect_fields: ClassVar[tuple[str, ...]] = ()

    def scaled(self, factor: float) -> dict[str, Any]:
        """Overrides (by field name) that scale its effect by ``factor`` (shares
        capped at 1): ``{"effect": 0.3}`` for ``factor=2`` on an effect of 0.15."""
        out: dict[str, Any] = {}
        for name in self.effect_fields:
            value = getattr(self, name)
            if isinstance(value, dict):
                out[name] = {k: min(1.0, v * factor) for k, v in value.items()}
            else:
                out[name] = min(1.0, value * factor)
        return out

    def work(self, scenario: ScenarioView) -> dict[str, float]:
        """Events a run of ``scenario`` schedules for this provision besides the
        team's requests, by the field that drives them (for the work estimate,
        :mod:`wijksim.scenario.size`). A provision with a rhythm or a stream of
        its own (cohorts, trigger events) declares it here; by default none."""
        return {}

    def bookings(self) -> tuple[Booking, ...]:
        """What the provision books in the cost-benefit ledger besides its
        declared ``outcomes``: its fixed costs per funded year, its costs per
        started participant and its volunteers' expenses. A type with costs
        or benefits of its own adds its bookings to these."""
        out = (
            Booking("fixed", "funded_weeks", "funded years", _fixed_cost, per=WEEKS_PER_YEAR),
            Booking("per_participant", "participants", "participants", _participant_cost),
        )
        if self.volunteers is None:
            return out
        expenses = Booking(
            "volunteer_expenses",
            "volunteer_weeks",
            "volunteer years",
            _volunteer_expenses,
            per=WEEKS_PER_YEAR,
        )
        return (*out, expenses)

    def funded_weeks(self, horizon: float) -> float:
        """Weeks of the run between funding start and stop."""
        stop = horizon if self.stop is None else min(self.stop, horizon)
        return max(0.0, stop - max(self.start, 0.0))

    _distinct = field_validator("outcomes")(classmethod(lambda cls, v: distinct_names(v)))

    @field_validator("name")
    @classmethod
    def _no_dot(cls, name: str) -> str:
        # a path names an intervention by its name (interventions.NAME.stop in
        # --set, uncertain:, sweep:): a dot would cut the name in two there
        if "." in name:
            raise ValueError(
                f"a name without '.' (it separates the parts of a path such as "
                f"interventions.NAME.stop), not {name!r}: write {name.replace('.', '')!r}"
            )
        return name

    @model_validator(mode="after")
    def _dates(self):
        if self.stop is not None and self.stop <= self.start:
            raise ValueError("stop must come after start")
        if self.needs_themes and not self.themes:
            raise ValueError("name the targeted themes")
        return self

    @classmethod
    def type_name(cls) -> str:
        """The name a scenario file gives this type (the default of ``type``)."""
        name = cls.model_fields["type"].default
        if not isinstance(name, str) or not name:
            raise TypeError(
                f"{cls.__name__} needs a default for 'type', e.g. type: Literal['x'] = 'x'"
            )
        return name
