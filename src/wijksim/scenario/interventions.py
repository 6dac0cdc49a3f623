"""Collective, preventive interventions, volunteer pools and costs: parameters.

Each intervention type is a frozen spec with a ``type`` tag. A scenario may
name the built-in types below and every type added with
:func:`wijksim.register_intervention`, which pairs a spec with the model class
that runs it (the model layer keeps that pairing; this layer only knows the
specs, so a scenario can be validated without the model).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, NamedTuple, NoReturn

from pydantic import Field, PlainSerializer, PlainValidator, WithJsonSchema, model_validator

from .base import Count, Flag, Frozen, NonNegative, Positive, Share
from .calendar import Moment
from .distributions import Distribution
from .problems import did_you_mean, unknown
from .units import WEEKS_PER_YEAR, Duration

if TYPE_CHECKING:
    from .schema import Scenario

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
    value: NonNegative = Field(description="euro per unit that has the outcome")
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

    @model_validator(mode="after")
    def _two_parties(self):
        if self.transfer_from is not None and self.transfer_from == self.payer:
            raise ValueError("a transfer needs two parties: transfer_from equals payer")
        return self


class TeamOutcome(Frozen):
    """A valued effect of the team's own figures for residents (fewer people who
    give up waiting, fewer weeks waited): counted only when declared, with its
    unit value and source. Undeclared, these effects stay in their own units
    (PM posts); the team's hours are never valued a second time through them."""

    name: str = Field(min_length=1, description="what is gained")
    per: Literal["give_up_avoided", "waiting_week_avoided"] = Field(
        description="a person fewer giving up waiting, or a week fewer waited by one person"
    )
    value: NonNegative = Field(description="euro per unit")
    payer: Payer = Field(description="who gains it")
    source: str = Field(min_length=1, description="where the unit value comes from")


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
    price: Callable[[InterventionSpec, Scenario], float]  # euro per unit
    per: float = 1.0  # units of the figure per unit of the quantity (weeks per year)
    kind: Literal["cost", "benefit"] = "cost"
    payer: Payer = "municipality"


def _fixed_cost(spec: InterventionSpec, scenario: Scenario) -> float:
    return spec.fixed_cost_per_year


def _participant_cost(spec: InterventionSpec, scenario: Scenario) -> float:
    return spec.cost_per_participant


def _volunteer_expenses(spec: InterventionSpec, scenario: Scenario) -> float:
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
    fixed_cost_per_year: NonNegative = Field(default=0.0, description="euro per funded year")
    cost_per_participant: NonNegative = Field(default=0.0, description="euro")
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

    def work(self, scenario: Scenario) -> dict[str, float]:
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


#: Left by ``extends`` on an item whose name is not in the base file (see
#: loading.py): the names that are, for the message when it has no type either.
NAMES_IN_BASE = "__names_in_base__"


def _dispatch(value: Any) -> InterventionSpec:
    if isinstance(value, InterventionSpec):
        return value
    if not isinstance(value, dict):
        raise ValueError("an intervention is a mapping with a 'type'")
    value = dict(value)
    in_base = value.pop(NAMES_IN_BASE, None)
    kind, known = value.get("type"), ", ".join(REGISTRY)
    if kind is None and in_base:
        name = value.get("name")
        raise ValueError(
            f"no intervention named {name!r} in the base file to change"
            f"{did_you_mean(name, in_base)} (there: {', '.join(map(str, in_base))}); "
            f"a new one needs a 'type' (one of: {known})"
        )
    if kind is None:
        raise ValueError(f"an intervention needs a 'type' (one of: {known})")
    spec = REGISTRY.get(kind) if isinstance(kind, str) else None
    if spec is None:
        _unknown_type(kind, value)
    return spec.model_validate(value)


def _unknown_type(kind: Any, value: dict) -> NoReturn:
    """Refuse an intervention of a type that is not known, with the problems of
    the keys every type has (its name, themes, dates, pool, costs) beside it."""
    from pydantic import ValidationError
    from pydantic_core import PydanticCustomError

    from .rules import field_errors

    if isinstance(kind, str):
        message = unknown("intervention type", kind, REGISTRY)
    else:
        names = ", ".join(REGISTRY)
        message = f"unknown intervention type not a name (intervention types: {names})"
    message = message.replace("{", "{{").replace("}", "}}")
    errors: list[Any] = [
        {"type": PydanticCustomError("unknown_type", message), "loc": ("type",), "input": kind}
    ]
    common = {k: v for k, v in value.items() if k != "type"}
    errors += field_errors(InterventionSpec, common)
    raise ValidationError.from_exception_data("Intervention", errors)


#: One intervention in a scenario: validated by the class registered for its type.
AnyIntervention = Annotated[
    InterventionSpec,
    PlainValidator(_dispatch),
    PlainSerializer(lambda v: v.model_dump(mode="json", by_alias=True, exclude_none=True)),
    WithJsonSchema({"type": "object", "required": ["type", "name"]}),
]


class Window(Frozen):
    min: Duration = Field(description="earliest, after the event")
    max: Duration = Field(description="latest, after the event")

    @model_validator(mode="after")
    def _ordered(self):
        if self.max < self.min:
            raise ValueError("max must not be smaller than min")
        return self


class Protection(Frozen):
    """Participants ask for help less on the targeted themes, for a while."""

    relative_risk: NonNegative = Field(
        default=1.0, description="participants' request rate relative to an average resident"
    )
    effect: Share = Field(default=0.0, description="relative reduction of their requests")
    effect_period: Duration = Field(default=52.0, description="how long the effect lasts")


class VisitingService(InterventionSpec, Protection):
    """Bezoekdienst: volunteer peers visit the recently widowed."""

    type: Literal["visiting_service"] = "visiting_service"
    effect_fields: ClassVar[tuple[str, ...]] = ("effect",)
    trigger_per_1000: NonNegative = Field(
        default=3.6, description="trigger events (widowings) per 1,000 residents per year"
    )
    eligibility_window: Window = Field(description="when after the event visits are offered")
    uptake: Share = Field(description="share of those eligible who take part")
    visits_per_month: NonNegative = Field(default=1.5, description="visits per participant")
    visit_period: Duration = Field(description="how long a participant is visited")
    high_risk_share: Share = Field(default=1.0, description="share of participants who benefit")

    def work(self, scenario: Scenario) -> dict[str, float]:
        # trigger events come all run long (funded or not), each with an offer;
        # a participant enters, leaves and is protected for a while
        years = scenario.horizon / WEEKS_PER_YEAR
        triggers = scenario.neighbourhood.residents / 1000.0 * self.trigger_per_1000 * years
        return {"trigger_per_1000": triggers * (2.0 + 3.0 * self.uptake)}


class CohortSize(Frozen):
    min: Annotated[Count, Field(ge=1)] = Field(description="fewest participants")
    max: Annotated[Count, Field(ge=1)] = Field(description="most participants")

    @model_validator(mode="after")
    def _ordered(self):
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) must not be smaller than min ({self.min})")
        return self


def cohort_work(spec: GroupCourse | GroupTrajectory, horizon: float) -> dict[str, float]:
    """A cohort starts every ``1 / cohorts_per_year`` while funded; each
    participant enters, leaves and is protected (three events): the work of a
    provision in cohorts."""
    if spec.cohorts_per_year <= 0:
        return {}
    cohorts = spec.funded_weeks(horizon) * spec.cohorts_per_year / WEEKS_PER_YEAR + 1.0
    size = float(spec.cohort_size.max)
    if spec.capacity is not None:
        size = min(size, float(spec.capacity))
    return {"cohorts_per_year and cohort_size.max": cohorts * (1.0 + 3.0 * size)}


class GroupCourse(InterventionSpec, Protection):
    """Grip & Glans: a group course in cohorts, with a return session."""

    type: Literal["group_course"] = "group_course"
    effect_fields: ClassVar[tuple[str, ...]] = ("effect",)
    cohorts_per_year: NonNegative = Field(description="groups that start per year")
    cohort_size: CohortSize = Field(description="participants per group")
    sessions: Annotated[Count, Field(ge=1)] = Field(default=6, description="meetings per group")
    session_interval: Duration = Field(default=1.0, description="time between meetings")
    return_session_after: Duration | None = Field(
        default=None, description="a return meeting this long after the last (none: no return)"
    )
    referral_share: Share = Field(
        default=0.0, description="share of the team's closed cases on the themes referred here"
    )
    network_share: Share = Field(default=0.0, description="share who keep an informal network")
    network_effect_period: Duration = Field(default=0.0, description="their longer effect")

    def work(self, scenario: Scenario) -> dict[str, float]:
        return cohort_work(self, scenario.horizon)


class BuddyProgramme(InterventionSpec):
    """SchuldHulpMaatje: a volunteer buddy takes on a request at the front door."""

    type: Literal["buddy_programme"] = "buddy_programme"
    effect_fields: ClassVar[tuple[str, ...]] = ("diversion_share",)
    diversion_share: Share = Field(description="share of requests on the themes offered a buddy")
    trajectory: Distribution
    referral_share: Share = Field(default=0.0, description="share referred on to the team")


class HiddenNeed(Frozen):
    """Need that surfaces when neighbours start noticing: extra requests at first."""

    extra_share: NonNegative = Field(description="extra inflow on the themes, at the start")
    half_life: Duration = Field(description="how fast the extra inflow fades")

    @model_validator(mode="after")
    def _fading(self):
        # the model divides by it: a half-life of nothing is no fading at all
        if self.half_life <= 0:
            raise ValueError("half_life must be longer than zero")
        return self


class ResidentInitiative(InterventionSpec):
    """Coffee mornings and neighbours who notice: requests earlier and lighter."""

    type: Literal["resident_initiative"] = "resident_initiative"
    effect_fields: ClassVar[tuple[str, ...]] = ("lighter_share", "prevention")
    lighter_share: Share = Field(default=0.0, description="requests that arrive earlier, lighter")
    duration_factor: Annotated[float, Field(gt=0, le=1)] = Field(
        default=0.7, description="duration of an earlier, lighter case relative to usual"
    )
    prevention: dict[str, Share] = Field(
        default_factory=dict, description="share of requests averted, per theme"
    )
    volunteers_needed: NonNegative = Field(
        default=0.0, description="volunteers for the full effect (fewer: in proportion)"
    )
    hidden_need: HiddenNeed | None = None

    def work(self, scenario: Scenario) -> dict[str, float]:
        # hidden need is a thinned Poisson stream at its starting rate for as long
        # as the provision is funded; the requests that surface fade with the half-life
        need = self.hidden_need
        if need is None or need.extra_share <= 0 or not self.themes:
            return {}
        hood = scenario.neighbourhood
        per_week = sum(
            hood.residents / 1000.0 * hood.themes[t].requests_per_1000 / WEEKS_PER_YEAR
            for t in self.themes
            if t in hood.themes
        )
        rate, weeks = need.extra_share * per_week, self.funded_weeks(scenario.horizon)
        fading = math.log(2) / need.half_life
        surfacing = -math.expm1(-weeks * fading) / fading
        return {"hidden_need.extra_share": rate * (weeks + 3.0 * surfacing)}


class WarmHandover(InterventionSpec):
    """Step-down: a closed case is handed to a volunteer; fewer come back."""

    type: Literal["warm_handover"] = "warm_handover"
    effect_fields: ClassVar[tuple[str, ...]] = ("recurrence_reduction",)
    needs_themes: ClassVar[bool] = False
    handover_share: Share = Field(description="share of closed cases handed to a volunteer")
    support_period: Duration = Field(description="how long a volunteer supports them")
    recurrence_reduction: Share = Field(description="relative reduction of coming back")


class FrontDoor(InterventionSpec):
    """Volunteers as the front door: requests on the themes first come to a
    platform of trained volunteers. A share is resolved nearby, a share is
    referred up to the team with a warm referral (a shorter intake, a clearer
    question), the rest goes to the team as before. A full door sends requests
    straight to the team."""

    type: Literal["front_door"] = "front_door"
    effect_fields: ClassVar[tuple[str, ...]] = ("resolved_share",)
    time_at_door: Duration = Field(description="how long a request takes a place at the door")
    resolved_share: Share = Field(description="share resolved nearby, without the team")
    referred_share: Share = Field(
        default=0.0, description="share referred up to the team with a warm referral"
    )
    lighter_share: Share = Field(
        default=0.0, description="share of warm referrals that arrive one severity lighter"
    )
    intake_factor: Annotated[float, Field(ge=0, le=1)] = Field(
        default=1.0, description="intake time of a warm referral relative to an ordinary one"
    )

    @model_validator(mode="after")
    def _shares(self):
        if self.resolved_share + self.referred_share > 1 + 1e-9:
            raise ValueError("resolved_share and referred_share add up to more than 1")
        return self


class GroupTrajectory(InterventionSpec):
    """Thematic group trajectories (Wijkacademie Opvoeden): cohorts of residents
    that run for months with a professional facilitator; the effect lasts after
    the trajectory and fades with a half-life; some participants go on to support
    others (they join a volunteer pool)."""

    type: Literal["group_trajectory"] = "group_trajectory"
    effect_fields: ClassVar[tuple[str, ...]] = ("effect",)
    cohorts_per_year: NonNegative = Field(description="groups that start per year")
    cohort_size: CohortSize = Field(description="participants per group")
    length: Duration = Field(description="how long a cohort runs")
    effect: Share = Field(description="relative reduction of participants' requests")
    relative_risk: NonNegative = Field(
        default=1.0, description="request rate of participants known to the team (vs average)"
    )
    unknown_share: Share = Field(
        default=0.0, description="share of participants not known to the team"
    )
    unknown_relative_risk: NonNegative = Field(
        default=1.0, description="request rate of participants not known to the team"
    )
    half_life: Duration = Field(description="how fast the effect fades after the trajectory")
    network_share: Share = Field(default=0.0, description="share who later support others")
    network_pool: str | None = Field(default=None, description="the volunteer pool they join")

    def work(self, scenario: Scenario) -> dict[str, float]:
        return cohort_work(self, scenario.horizon)

    @model_validator(mode="after")
    def _fading(self):
        if self.half_life <= 0:
            raise ValueError("half_life must be longer than zero")
        return self


#: Spec of every intervention type a scenario may name, by its ``type`` name
#: (filled by :func:`register`).
REGISTRY: dict[str, type[InterventionSpec]] = {}
#: What runs each registered spec: the model class, or where to find it,
#: ``"module:Class"`` (imported when a run first needs it, see
#: :func:`wijksim.model.interventions.registry.model_class`).
MODELS: dict[type[InterventionSpec], type | str] = {}


def register(spec: type[InterventionSpec], model: type | str) -> None:
    """Make ``type: <name>`` usable in scenarios: ``spec`` (a subclass of
    :class:`InterventionSpec` whose ``type`` has a default) validates its
    parameters, ``model`` (a subclass of :class:`wijksim.Intervention`, or its
    ``"module:Class"``) runs it. Registering a name again replaces the earlier type.

    The one registration of every type: the built-in types below and a user's
    own (through :func:`wijksim.register_intervention`, which checks the model
    class first). The built-ins name their model class by where it is, so
    that a scenario is validated without importing the engine."""
    if not (isinstance(spec, type) and issubclass(spec, InterventionSpec)):
        raise TypeError(f"{spec!r} is not a subclass of wijksim.InterventionSpec")
    if not isinstance(model, type | str):
        raise TypeError(f"{model!r} is not a class, nor 'module:Class'")
    REGISTRY[spec.type_name()] = spec
    MODELS[spec] = model


_PROVISIONS = "wijksim.model.interventions.provisions"
register(VisitingService, f"{_PROVISIONS}:VisitingServiceModel")
register(GroupCourse, f"{_PROVISIONS}:GroupCourseModel")
register(BuddyProgramme, f"{_PROVISIONS}:BuddyProgrammeModel")
register(ResidentInitiative, f"{_PROVISIONS}:ResidentInitiativeModel")
register(WarmHandover, f"{_PROVISIONS}:WarmHandoverModel")
register(FrontDoor, f"{_PROVISIONS}:FrontDoorModel")
register(GroupTrajectory, f"{_PROVISIONS}:GroupTrajectoryModel")


class Burnout(Frozen):
    """Volunteers who carry too much for long leave sooner.

    The extra turnover builds up over ``sustained`` weeks in a row with the
    pool's occupancy above the threshold, and falls back the same way.
    """

    occupancy_above: Share = Field(default=0.9, description="share of capacity in use")
    extra_turnover_per_year: NonNegative = Field(description="extra share leaving per year")
    sustained: Duration = Field(
        default=0.0, description="weeks overloaded in a row before the full extra turnover"
    )
    substitute_weight: Annotated[float, Field(ge=1.0)] = Field(
        default=1.0,
        description="weight in the load of a participant who stands in for professional "
        "work (a regular or heavier request)",
    )
    recruitment_follows_size: Flag = Field(
        default=False,
        description="recruits come by word of mouth: a drained pool recruits in proportion",
    )


class VolunteerPool(Frozen):
    """Trained volunteers, shareable between interventions."""

    size: Count = Field(description="active volunteers at the start")
    start: Moment | None = Field(
        default=None,
        description="when the pool is coordinated (default: the first funding start of its users)",
    )
    recruitment_per_year: NonNegative = Field(default=0.0, description="new volunteers per year")
    turnover_per_year: NonNegative = Field(default=0.15, description="share leaving per year")
    burnout: Burnout | None = None
    drift_after_stop_per_year: NonNegative = Field(
        default=0.5, description="share leaving per year once coordination has stopped"
    )
    expenses_per_volunteer_per_year: NonNegative = Field(
        default=0.0, description="euro per active volunteer per year"
    )


class Tender(Frozen):
    """A change of provider: the provisions pause for a transition, their
    volunteer pools lose a share, and coordination restarts."""

    at: Moment = Field(description="when the new provider takes over (a date, with start_date)")
    transition: Duration = Field(default=0.0, description="pause before the provisions restart")
    volunteers_lost: Share = Field(default=0.0, description="share of each pool that leaves")
    interventions: tuple[str, ...] = Field(
        default=(), description="provisions re-tendered (none: all)"
    )


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

    team_hour: NonNegative = Field(
        default=75.0, description="euro per hour of a wijkteam professional, integral cost"
    )
    heavier_care: NonNegative | dict[str, NonNegative] = Field(
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

    def heavier_care_for(self, theme: str) -> float:
        """Euro per escalation on ``theme``."""
        if isinstance(self.heavier_care, dict):
            return self.heavier_care.get(theme, 0.0)
        return self.heavier_care


class Squeeze(Frozen):
    """When the waiting list passes a threshold, collective hours go back to casework."""

    waiting_list_above: NonNegative = Field(description="people waiting: hours go to casework")
    release_below: NonNegative = Field(description="people waiting: hours come back")
