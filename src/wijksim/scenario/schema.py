"""The scenario: every parameter of one run, typed and immutable.

Field names are the keys of a scenario YAML file. Rates are per year (as
municipalities report them); durations carry units and are held in weeks.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    BeforeValidator,
    Field,
    PrivateAttr,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from . import interventions as specs
from .base import Count, Flag, Frozen, NonNegative, Number, Share, finite_number
from .calendar import Moment, resolve_dates
from .costs import Costs
from .decision_spec import Decision
from .designs import Sweep, UncertainParameter
from .distributions import Distribution
from .files import MAX_CSV_BYTES, UnreadableFile, checked_path
from .interventions import AnyIntervention
from .located import lists_of, validate_as
from .overrides import apply_overrides
from .pools import Squeeze, Tender, VolunteerPool
from .rules import as_error, cross_field_problems, partial
from .units import Duration


class Theme(Frozen):
    """Demand for one theme (debts, psychosocial, loneliness, ...)."""

    requests_per_1000: NonNegative = Field(
        description="new help requests per 1,000 residents per year"
    )
    monthly_profile: tuple[NonNegative, ...] | None = Field(
        default=None,
        description="12 relative factors, January first; normalised to a mean of 1",
    )
    severity_mix: dict[str, Share] | None = Field(
        default=None, description="share of requests per severity; overrides the default mix"
    )
    duration: dict[str, Distribution] | None = Field(
        default=None, description="case duration per severity; overrides the default"
    )
    trend_per_year: Annotated[float, Field(gt=-1.0)] = Field(
        default=0.0, description="yearly growth of the requests, e.g. 0.03 for +3% a year"
    )


class Shock(Frozen):
    """A dated rise (or fall) of the requests on some themes: a crisis."""

    name: str = "shock"
    themes: tuple[str, ...] = Field(min_length=1, description="themes whose requests change")
    start: Moment = Field(description="when it starts (a date, with start_date)")
    duration: Duration = Field(description="how long it lasts")
    increase: Annotated[Number, Field(gt=-1.0)] = Field(
        description="relative change at the start, e.g. 0.4 for +40%"
    )
    fades: Flag = Field(
        default=True, description="fades linearly to nothing over its duration (else a step)"
    )


class Neighbourhood(Frozen):
    residents: Count = Field(description="residents the team serves")
    settled_at_intake: Share = Field(
        default=0.0,
        description="share of the lightest requests settled at intake (information, advice)",
    )
    severity_mix: dict[str, Share] = Field(description="default share of requests per severity")
    duration: dict[str, Distribution] = Field(description="default case duration per severity")
    themes: dict[str, Theme] = Field(min_length=1, description="demand per theme, by name")


def _unlimited(value: object) -> object:
    if isinstance(value, str) and value.strip().lower() == "unlimited":
        return math.inf
    if isinstance(value, float) and math.isinf(value) and value > 0:
        return value  # no ceiling, as a number
    return finite_number(value)


class Escalation(Frozen):
    """While a request waits, its problem may grow: at intake the case moves to
    the next heavier severity with probability ``1 - exp(-hazard * wait)``."""

    hazard_per_week: NonNegative = Field(description="chance per week of waiting")


class Recurrence(Frozen):
    """After closure a share of residents comes back with a new request."""

    probability: Share = Field(description="chance that a closed case comes back")
    delay: Distribution = Field(description="time from closure to the new request")


Ceiling = Annotated[
    float,
    Field(ge=0.0),
    BeforeValidator(_unlimited),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0}, {"const": "unlimited"}]}),
]


class Discipline(Frozen):
    """Professionals of one kind in the team: general social workers, a debt
    specialist, youth and parenting, a broad welfare worker / community builder."""

    fte: NonNegative = Field(description="full-time equivalents")
    caseload_ceiling_per_fte: Ceiling = Field(description="case slots per FTE")
    themes: tuple[str, ...] = Field(default=(), description="themes it takes (none: all)")
    collective: Flag = Field(
        default=False, description="holds the team's collective hours (the broad welfare worker)"
    )


class Team(Frozen):
    fte: NonNegative = Field(description="professionals in full-time equivalents")
    caseload_ceiling_per_fte: Ceiling = Field(
        description="case slots per FTE ('unlimited' for no ceiling)"
    )
    disciplines: dict[str, Discipline] | None = Field(
        default=None,
        description="the team by discipline; fte and caseload_ceiling_per_fte then follow from it",
    )
    fallback: tuple[str, ...] = Field(
        default=(), description="disciplines that take a request when its own are full, in order"
    )
    case_weight: dict[str, NonNegative] = Field(
        description="slots a case of each severity takes, lightest severity first"
    )
    contact_hours_per_week: dict[str, NonNegative] = Field(
        description="professional hours per week per case in care, per severity"
    )
    intake_time: Duration = Field(default=0.0, description="professional time per intake")
    queue: Literal["fifo", "priority"] = Field(
        default="fifo", description="first come first served, or by severity (see priority)"
    )
    priority: tuple[str, ...] | None = Field(
        default=None, description="severities in order of priority (default: heaviest first)"
    )
    patience: Distribution | None = Field(
        default=None, description="how long people wait before giving up (none: forever)"
    )
    escalation: Escalation | None = None
    recurrence: Recurrence | None = None
    hours_per_fte_per_week: NonNegative = Field(
        default=36.0, description="working hours of one FTE (Dutch full-time week)"
    )
    collective_hours_per_week: NonNegative = Field(
        default=0.0, description="team hours for collective work, taken from casework"
    )
    squeeze: Squeeze | None = Field(
        default=None, description="take collective hours back when the waiting list is long"
    )

    @model_validator(mode="before")
    @classmethod
    def _team_of_disciplines(cls, data: Any) -> Any:
        """With disciplines, the team's FTE and mean ceiling are their sums (any
        values given for the whole team are replaced)."""
        if not isinstance(data, dict) or not isinstance(data.get("disciplines"), dict):
            return data
        try:
            parts = [Discipline.model_validate(d) for d in data["disciplines"].values()]
        except (ValueError, TypeError):
            return data  # validating the disciplines themselves reports the problem
        fte = sum(d.fte for d in parts)
        slots = sum(d.fte * d.caseload_ceiling_per_fte for d in parts if d.fte)
        ceiling = slots / fte if fte > 0 else 0.0
        return {**data, "fte": fte, "caseload_ceiling_per_fte": ceiling}

    @property
    def capacity(self) -> float:
        """The caseload ceiling in slots."""
        if math.isinf(self.caseload_ceiling_per_fte):
            return math.inf
        return self.fte * self.caseload_ceiling_per_fte


class InitialState(Frozen):
    """The caseload and waiting list at time zero: counts, or a CSV file.

    A CSV file (one row per request, as exported from the team's registration)
    has columns ``status`` (``in_care`` or ``waiting``), ``theme``, ``severity``
    and ``weeks`` (weeks in care or on the waiting list so far). Validating
    reads the file (the only scenario part that does, with ``empirical``
    durations from a CSV file).
    """

    caseload: Count = Field(default=0, description="cases in care at the start")
    waiting_list: Count = Field(default=0, description="people waiting at the start")
    csv: str | None = Field(
        default=None, description="registration CSV of today's requests, relative to the file"
    )
    pending_returns: Flag = Field(
        default=True,
        description=(
            "start with the returns on their way (team.recurrence): residents whose case "
            "closed before the run and who come back during it, at the rate the initial "
            "caseload implies; false: a team without a past"
        ),
    )
    _rows: tuple[RegisteredRequest, ...] = PrivateAttr(default=())

    @model_validator(mode="after")
    def _read(self):
        if self.csv is not None:
            self._rows = read_registration(self.csv)
        return self

    @property
    def rows(self) -> tuple[RegisteredRequest, ...]:
        """The requests read from ``csv`` (empty without one)."""
        return self._rows


class RegisteredRequest(NamedTuple):
    line: int
    status: str
    theme: str
    severity: str
    weeks: float


def read_registration(path: str) -> tuple[RegisteredRequest, ...]:
    """Rows of a registration CSV; a bad row is reported as ``file:line: ...``."""
    try:
        with checked_path(path, MAX_CSV_BYTES).open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = {"status", "theme", "severity", "weeks"} - set(reader.fieldnames or ())
            if missing:
                raise ValueError(f"{path}: missing columns: {', '.join(sorted(missing))}")
            rows = []
            for line, row in enumerate(reader, start=2):
                status = (row["status"] or "").strip()
                if status not in ("in_care", "waiting"):
                    raise ValueError(f"{path}:{line}: status must be in_care or waiting")
                try:
                    weeks = float((row["weeks"] or "").replace(",", "."))
                except ValueError:
                    raise ValueError(f"{path}:{line}: weeks: not a number") from None
                if weeks < 0:
                    raise ValueError(f"{path}:{line}: weeks cannot be negative")
                theme, severity = (row["theme"] or "").strip(), (row["severity"] or "").strip()
                if not theme or not severity:
                    raise ValueError(f"{path}:{line}: theme and severity are required")
                rows.append(RegisteredRequest(line, status, theme, severity, weeks))
    except UnreadableFile as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None
    except UnicodeDecodeError:
        raise ValueError(f"cannot read {path}: not UTF-8 text") from None
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None
    return tuple(rows)


class Scenario(Frozen):
    """All parameters of a wijkteam simulation, immutable.

    Making one validates it; that reads only the CSV files that ``empirical``
    distributions name. Nothing is simulated until :func:`wijksim.simulate`
    or a :class:`wijksim.WijkteamModel` is given the scenario.
    """

    name: str = Field(default="scenario", description="shown in tables and reports")
    description: str = Field(default="", description="a sentence or two for readers")
    start_date: dt.date | None = Field(
        default=None, description="calendar date of the start; moments may then be dates"
    )
    horizon: Duration = Field(description="how long a run lasts, warm-up included")
    warmup: Duration = Field(default=0.0, description="left out of every figure")
    neighbourhood: Neighbourhood = Field(description="the residents and their demand")
    team: Team = Field(description="the wijkteam: staff, caseload ceiling, queue")
    initial_state: InitialState = InitialState()
    sweep: Sweep | None = Field(default=None, description="points to run (wijksim sweep)")
    uncertain: dict[str, UncertainParameter] | None = Field(
        default=None, description="values drawn once per replication, by dotted path"
    )
    volunteers: dict[str, VolunteerPool] = Field(
        default_factory=dict, description="volunteer pools by name, shared by interventions"
    )
    interventions: tuple[AnyIntervention, ...] = Field(
        default=(), description="collective provisions; list items merge by name"
    )
    shocks: tuple[Shock, ...] = Field(default=(), description="dated changes of demand")
    tenders: tuple[Tender, ...] = Field(
        default=(), description="changes of provider: provisions pause, volunteers leave"
    )
    costs: Costs = Field(default=Costs(), description="unit costs in euro")
    decision: Decision | None = Field(
        default=None, description="the choices of a decision (wijksim advise)"
    )

    @model_validator(mode="before")
    @classmethod
    def _calendar(cls, data: Any) -> Any:
        return resolve_dates(data)

    @model_validator(mode="wrap")
    @classmethod
    def _cross_field(cls, data: Any, handler) -> Scenario:
        """The rules across keys (:mod:`.rules`), on every way of making a scenario,
        reported together with the schema's own problems."""
        try:
            scenario = handler(data)
        except ValidationError as exc:
            if not isinstance(data, Mapping):
                raise
            found = cross_field_problems(partial(cls, resolve_dates(data), whole=False))
            if not found:
                raise
            errors = [as_error(e) for e in exc.errors()]
            raise _validation_error(cls, errors, found) from None
        found = cross_field_problems(scenario)
        if found:
            raise _validation_error(cls, [], found)
        return scenario

    # -- derived views -------------------------------------------------------

    @property
    def severities(self) -> tuple[str, ...]:
        """Severity names, lightest first (the order of ``team.case_weight``)."""
        return tuple(self.team.case_weight)

    @property
    def themes(self) -> tuple[str, ...]:
        return tuple(self.neighbourhood.themes)

    def severity_mix(self, theme: str) -> dict[str, float]:
        mix = self.neighbourhood.themes[theme].severity_mix or self.neighbourhood.severity_mix
        return {s: mix.get(s, 0.0) for s in self.severities}

    def duration(self, theme: str, severity: str):
        own = self.neighbourhood.themes[theme].duration or {}
        return own.get(severity) or self.neighbourhood.duration[severity]

    # -- changing a scenario ---------------------------------------------------

    def with_overrides(self, overrides: Mapping[str, Any]) -> Scenario:
        """A copy with values replaced by dotted path, e.g. ``{"team.fte": 12}``.

        Values are given as they would be written in a scenario file (``"6
        weeks"`` for a duration). Raises :class:`ScenarioError` on bad values.
        """
        data = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        positions = apply_overrides(data, overrides, lists_of(type(self)))
        return validate_as(type(self), data, positions)

    def to_dict(self) -> dict[str, Any]:
        """The scenario as plain data, valid input for :meth:`model_validate`."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def _validation_error(cls: type, errors: list, found: list) -> ValidationError:
    """One ``ValidationError`` with the schema's errors and the cross-field ones
    (type ``cross_field``; ``loc`` is the key path in the data)."""
    for key, message in found:
        text = message.replace("{", "{{").replace("}", "}}")
        errors.append({"type": PydanticCustomError("cross_field", text), "loc": key, "input": None})
    return ValidationError.from_exception_data(cls.__name__, errors)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files, for editors: every registered
    intervention type included, and ``extends``.

    A file with ``extends`` is checked as an editor sees it, before merging:
    every key is optional (the base gives the rest), unknown keys are still
    flagged. Without ``extends`` a file must be a whole scenario.
    """
    whole = Scenario.model_json_schema(by_alias=True)
    defs = whole.pop("$defs", {})
    kinds = []
    for spec in specs.REGISTRY.values():  # looked up now: a test may replace it
        own = spec.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
        defs.update(own.pop("$defs", {}))
        defs[spec.__name__] = own
        kinds.append({"$ref": f"#/$defs/{spec.__name__}"})
    whole["properties"]["interventions"]["items"] = {"oneOf": kinds}
    whole["properties"]["extends"] = {
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        "description": "base scenario file(s), relative to this one, to deep-merge",
    }
    defs["Scenario"] = whole
    defs.update({f"{PARTIAL}{name}": _partial(body) for name, body in list(defs.items())})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "wijksim scenario",
        "type": "object",
        "if": {"required": ["extends"]},
        "then": {"$ref": f"#/$defs/{PARTIAL}Scenario"},
        "else": {"$ref": "#/$defs/Scenario"},
        "$defs": defs,
    }


#: Prefix of the definitions that a file with ``extends`` is checked against.
PARTIAL = "Override"


def _partial(node: Any) -> Any:
    """A schema in which every key is optional (what a file that extends a base
    may leave out): no ``required``, references to the partial definitions, and
    ``anyOf`` for ``oneOf`` (without its tag an item may fit several types)."""
    if isinstance(node, list):
        return [_partial(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "required" and isinstance(value, list):
            continue
        if key == "$ref" and isinstance(value, str):
            out[key] = value.replace("#/$defs/", f"#/$defs/{PARTIAL}")
        elif key == "properties" and isinstance(value, dict):  # names, not keywords
            out[key] = {name: _partial(sub) for name, sub in value.items()}
        else:
            out["anyOf" if key == "oneOf" else key] = _partial(value)
    return out
