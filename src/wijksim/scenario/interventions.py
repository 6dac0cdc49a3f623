"""Collective, preventive interventions: the registry of their types.

Each intervention type is a frozen spec with a ``type`` tag
(:class:`InterventionSpec`, in :mod:`.intervention_spec`). A scenario may name
the built-in types below and every type added with
:func:`wijksim.register_intervention`, which pairs a spec with the model class
that runs it (the model layer keeps that pairing; this layer only knows the
specs, so a scenario can be validated without the model). Volunteer pools,
tenders and the squeeze are in :mod:`.pools`, the costs in :mod:`.costs`; all
are importable from here as before.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, ClassVar, Literal, NoReturn

from pydantic import (
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .base import Count1, Frozen, NonNegative, Share
from .costs import Costs, Outcome, Payer, TeamOutcome
from .distributions import Distribution
from .fields import field_errors
from .intervention_spec import Booking, InterventionSpec
from .pools import Burnout, Squeeze, Tender, VolunteerPool
from .problems import did_you_mean, unknown
from .units import WEEKS_PER_YEAR, Duration
from .view import ScenarioView

__all__ = [
    "MODELS",
    "NAMES_IN_BASE",
    "REGISTRY",
    "AnyIntervention",
    "Booking",
    "BuddyProgramme",
    "Burnout",
    "CohortSize",
    "Costs",
    "FrontDoor",
    "GroupCourse",
    "GroupTrajectory",
    "HiddenNeed",
    "InterventionSpec",
    "Outcome",
    "Payer",
    "Protection",
    "ResidentInitiative",
    "Squeeze",
    "TeamOutcome",
    "Tender",
    "VisitingService",
    "VolunteerPool",
    "WarmHandover",
    "Window",
    "cohort_work",
    "register",
]

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

    def work(self, scenario: ScenarioView) -> dict[str, float]:
        # trigger events come all run long (funded or not), each with an offer;
        # a participant enters, leaves and is protected for a while
        years = scenario.horizon / WEEKS_PER_YEAR
        triggers = scenario.neighbourhood.residents / 1000.0 * self.trigger_per_1000 * years
        return {"trigger_per_1000": triggers * (2.0 + 3.0 * self.uptake)}


class CohortSize(Frozen):
    min: Count1 = Field(description="fewest participants")
    max: Count1 = Field(description="most participants")

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
    sessions: Count1 = Field(default=6, description="meetings per group")
    session_interval: Duration = Field(default=1.0, description="time between meetings")
    return_session_after: Duration | None = Field(
        default=None, description="a return meeting this long after the last (none: no return)"
    )
    referral_share: Share = Field(
        default=0.0, description="share of the team's closed cases on the themes referred here"
    )
    network_share: Share = Field(default=0.0, description="share who keep an informal network")
    network_effect_period: Duration = Field(default=0.0, description="their longer effect")

    def work(self, scenario: ScenarioView) -> dict[str, float]:
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

    def work(self, scenario: ScenarioView) -> dict[str, float]:
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

    def work(self, scenario: ScenarioView) -> dict[str, float]:
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
