"""A decision stated as data: the ``decision:`` block of a scenario file.

A municipality's question is rarely "what does provision X do?" but "we have
this budget for prevention: which provisions, at what scale, give the team and
its residents the most?". A ``decision:`` block lists the *choices* (each
provision on or off or at scale levels, the team's composition, how long a
provision is funded), a *budget*, an *objective* and *constraints* on other
figures; ``wijksim advise`` runs the portfolios it allows and selects the best
with a stated guarantee (:mod:`wijksim.analysis.advice`). The rest of the file
is the scenario every portfolio starts from: ``wijksim run`` runs it as
written, as it runs the middle of a ``sweep:``.

::

    decision:
      choices:
        - name: SchuldHulpMaatje
          provision: SchuldHulpMaatje      # 'off' (left out) is an option of its own
          levels:
            - name: 12 maatjes               # as the scenario writes it
            - name: 24 maatjes
              set: {volunteers.maatjes.size: 24}
        - name: Verbinder
          levels:
            - name: geen
            - name: 1 fte verbinder
              set: {team.disciplines: {...}}
      budget: {per_year: 250000}
      objective: {minimise: share_wait_over_6_weeks, delta: 0.02}
      constraints:
        - {figure: net, at_least: 0}

A *portfolio* takes one option of every choice. The portfolio with the first
option of every choice (a provision left out, where it may be) is the
*reference*: the zero alternative the social balance (``net``) is counted
against. This module holds the parameters and builds the scenario of each
portfolio (:func:`portfolio_scenario`); it runs nothing.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import Field, field_validator, model_validator

from .base import Count, Flag, Frozen, NonNegative, Number, Positive
from .interventions import Payer
from .problems import unknown

Key = tuple[str | int, ...]
Found = list[tuple[Key, str]]


class Figure(NamedTuple):
    """A figure a decision can optimise or constrain: its unit, the default
    indifference zone (``delta``; ``None``: the decision must give one) and
    whether a run reports it (``run``) or the cost-benefit analysis (``value``)."""

    unit: str
    delta: float | None
    source: Literal["run", "value"]


#: Figures an objective or constraint may name. The default deltas are the
#: headline tolerances of :mod:`wijksim.analysis.headline` (a difference too
#: small to matter, in the figure's unit); a test keeps the two alike.
FIGURES: Mapping[str, Figure] = {
    "mean_waiting_list": Figure("persons", 1.0, "run"),
    "mean_wait_weeks": Figure("weeks", 0.2, "run"),
    "p90_wait_weeks": Figure("weeks", None, "run"),
    "share_wait_over_6_weeks": Figure("share", 0.01, "run"),
    "share_waited": Figure("share", None, "run"),
    "reneged": Figure("persons", None, "run"),
    "escalations": Figure("persons", None, "run"),
    "mean_caseload": Figure("clients", 1.0, "run"),
    "intakes": Figure("persons", None, "run"),
    "professional_hours": Figure("hours", None, "run"),
    # against the reference portfolio, present value over the run (wijksim.value)
    "net": Figure("euro", 25_000.0, "value"),
    # the portfolio's own cost as wijksim.value books it, undiscounted
    "cost_per_year": Figure("euro", None, "value"),
    "cost_total": Figure("euro", None, "value"),
}

#: Keys a level may not change: they are the same for every portfolio (the
#: neighbourhood, today's caseload, the period, the prices), or not a value.
FIXED = (
    "name",
    "description",
    "start_date",
    "horizon",
    "warmup",
    "neighbourhood",
    "initial_state",
    "costs",
    "shocks",
    "uncertain",
    "sweep",
    "decision",
)

#: Most portfolios a decision may describe: at ten replications each, a menu this
#: large already takes hours; a larger one is a slip of the options.
MAX_PORTFOLIOS = 5_000

#: The selection procedures (see :mod:`wijksim.analysis.advice.procedures`).
Procedure = Literal["kn++", "kn", "ocba"]


class Level(Frozen):
    """One option of a choice: a name and the values it sets."""

    name: str = Field(min_length=1, description="shown in tables and reports")
    overrides: dict[str, Any] = Field(
        default_factory=dict,
        alias="set",
        description="values this option sets, by dotted path as --set writes them "
        "(none: the scenario as written)",
    )


class Choice(Frozen):
    """One thing the decision chooses: a provision (left out or at one of its
    levels) or anything else (one of its levels)."""

    name: str = Field(min_length=1, description="shown in tables and reports")
    provision: str | None = Field(
        default=None,
        description="the intervention this choice is about (by name); leaving it out is "
        "an option of its own",
    )
    off: Flag | None = Field(
        default=None,
        description="with provision: whether leaving it out is an option (default true)",
    )
    levels: tuple[Level, ...] = Field(
        min_length=1, description="the options, the first being the one a reference takes"
    )

    @model_validator(mode="after")
    def _off_with_a_provision(self) -> Choice:
        if self.off is not None and self.provision is None:
            raise ValueError("off: only a choice about a provision can leave it out")
        return self

    @property
    def can_be_off(self) -> bool:
        """Whether leaving the provision out is one of the options (the first)."""
        return self.provision is not None and self.off is not False

    @property
    def options(self) -> tuple[Option, ...]:
        """The options in order: ``off`` first where the provision may be left out."""
        found = [Option(level.name, False, level.overrides) for level in self.levels]
        if self.can_be_off:
            found.insert(0, Option(OFF, True, {}))
        return tuple(found)


#: The name of the option that leaves a provision out.
OFF = "off"


class Option(NamedTuple):
    """One option of a choice as a portfolio takes it."""

    name: str
    off: bool
    overrides: Mapping[str, Any]


class Budget(Frozen):
    """The money available, on cost as :mod:`wijksim.analysis.value` books it
    (each provision's fixed costs, costs per participant and volunteer
    expenses, undiscounted), for the years after the warm-up."""

    per_year: NonNegative | None = Field(
        default=None,
        description="euro a year: the portfolio's cost over the years after the "
        "warm-up divided by their number",
    )
    total: NonNegative | None = Field(
        default=None, description="euro over all years after the warm-up together"
    )
    payer: Payer = Field(default="municipality", description="whose costs count")
    tolerance: Positive | None = Field(
        default=None,
        description="euro (a year, for per_year) by which a cost may exceed the budget and "
        "still count as within it (default: 2% of the budget)",
    )

    @model_validator(mode="after")
    def _some_budget(self) -> Budget:
        if self.per_year is None and self.total is None:
            raise ValueError("give per_year, total or both")
        return self


Weights = dict[str, Number]


class Objective(Frozen):
    """What the decision optimises: one figure, or a weighted score of figures
    in their own units, with the smallest difference worth telling apart."""

    minimise: str | Weights | None = Field(
        default=None, description="a figure, or weights per figure of a score, to minimise"
    )
    maximise: str | Weights | None = Field(
        default=None, description="a figure, or weights per figure of a score, to maximise"
    )
    delta: Positive | None = Field(
        default=None,
        description="the indifference zone: a difference in the objective smaller than "
        "this does not matter (default: the figure's tolerance; a score needs one)",
    )

    @field_validator("minimise", "maximise")
    @classmethod
    def _known(cls, target: str | Weights | None) -> str | Weights | None:
        names = [target] if isinstance(target, str) else list(target or {})
        for name in names:
            if name not in FIGURES:
                raise ValueError(unknown("figure", name, FIGURES))
        if isinstance(target, dict) and not target:
            raise ValueError("a weighted score needs at least one figure")
        return target

    @model_validator(mode="after")
    def _one_goal(self) -> Objective:
        if (self.minimise is None) == (self.maximise is None):
            raise ValueError("give either minimise or maximise")
        if self.delta is None and self.figure is None:
            raise ValueError("a weighted score has no default delta: give delta in its units")
        if self.delta is None and FIGURES[self.figure or ""].delta is None:
            raise ValueError(
                f"{self.figure!r} has no default delta: give delta (the smallest difference "
                "that matters, in its unit)"
            )
        return self

    @property
    def goal(self) -> Literal["minimise", "maximise"]:
        return "minimise" if self.minimise is not None else "maximise"

    @property
    def weights(self) -> dict[str, float]:
        """The objective as a weighted sum of figures (one figure: weight 1)."""
        target = self.minimise if self.minimise is not None else self.maximise
        if isinstance(target, str):
            return {target: 1.0}
        return {name: float(w) for name, w in (target or {}).items()}

    @property
    def figure(self) -> str | None:
        """The one figure optimised, or ``None`` for a weighted score."""
        target = self.minimise if self.minimise is not None else self.maximise
        return target if isinstance(target, str) else None

    @property
    def indifference(self) -> float:
        """``delta``, or the figure's default."""
        if self.delta is not None:
            return float(self.delta)
        figure = self.figure
        default = FIGURES[figure].delta if figure is not None and figure in FIGURES else None
        if default is None:
            raise ValueError("the objective has no default delta")
        return default


class Constraint(Frozen):
    """A bound on another figure's mean: ``at_most`` or ``at_least``."""

    figure: str = Field(description="a figure (see the decision's figures)")
    at_most: Number | None = Field(default=None, description="the mean must not exceed this")
    at_least: Number | None = Field(default=None, description="the mean must reach this")
    tolerance: Positive | None = Field(
        default=None,
        description="a mean within this of the bound may count either way (default: the "
        "figure's tolerance)",
    )

    @field_validator("figure")
    @classmethod
    def _known(cls, figure: str) -> str:
        if figure not in FIGURES:
            raise ValueError(unknown("figure", figure, FIGURES))
        return figure

    @model_validator(mode="after")
    def _one_bound(self) -> Constraint:
        if (self.at_most is None) == (self.at_least is None):
            raise ValueError("give either at_most or at_least")
        if self.tolerance is None and FIGURES[self.figure].delta is None:
            raise ValueError(f"{self.figure!r} has no default tolerance: give tolerance")
        return self

    @property
    def bound(self) -> float:
        return float(self.at_most if self.at_most is not None else self.at_least)  # type: ignore[arg-type]

    @property
    def upper(self) -> bool:
        """Whether the bound is an upper bound (``at_most``)."""
        return self.at_most is not None

    @property
    def epsilon(self) -> float:
        """``tolerance``, or the figure's default."""
        if self.tolerance is not None:
            return float(self.tolerance)
        default = FIGURES[self.figure].delta if self.figure in FIGURES else None
        if default is None:
            raise ValueError("the constraint has no default tolerance")
        return default


Alpha = Annotated[float, Field(gt=0.0, lt=0.5)]


class Selection(Frozen):
    """How the best portfolio is selected (see ``docs/advice.md``)."""

    procedure: Procedure = Field(
        default="kn++",
        description="kn++ (Kim & Nelson 2006, variances updated), kn (Kim & Nelson 2001) or "
        "ocba (Chen et al. 2000, a fixed number of replications, no guarantee)",
    )
    alpha: Alpha = Field(
        default=0.05,
        description="chance of a wrong selection that is allowed (1 - alpha: the guaranteed "
        "chance of a correct one)",
    )
    first_stage: Annotated[Count, Field(ge=3)] = Field(
        default=10, description="replications of every portfolio before the first look"
    )
    max_replications: Annotated[Count, Field(ge=3)] = Field(
        default=200, description="the most replications of one portfolio"
    )
    replications: Annotated[Count, Field(ge=1)] | None = Field(
        default=None,
        description="ocba: replications of all portfolios together (default: 4 x first_stage "
        "per portfolio)",
    )
    screen_above: Annotated[Count, Field(ge=2)] = Field(
        default=200,
        description="menus of more portfolios are screened after the first stage",
    )

    @model_validator(mode="after")
    def _room(self) -> Selection:
        if self.max_replications < self.first_stage:
            raise ValueError("max_replications must be at least first_stage")
        return self


class Decision(Frozen):
    """The choices, budget, objective and constraints of a decision."""

    question: str = Field(default="", description="the question, in a sentence, for the report")
    reference: str = Field(
        default="reference",
        min_length=1,
        description="name of the portfolio that takes the first option of every choice",
    )
    choices: tuple[Choice, ...] = Field(min_length=1, description="what is chosen, in order")
    collective_hours: Literal["follow", "as_written"] = Field(
        default="follow",
        description="follow: the team's collective hours are the sum of the chosen "
        "provisions' team_hours_per_week; as_written: as the scenario says",
    )
    budget: Budget | None = Field(default=None, description="the money available")
    objective: Objective = Field(description="what is optimised")
    constraints: tuple[Constraint, ...] = Field(
        default=(), description="bounds on other figures' means"
    )
    selection: Selection = Field(
        default_factory=Selection, description="the selection procedure and its settings"
    )

    @property
    def size(self) -> int:
        """How many portfolios the choices describe."""
        return math.prod(len(choice.options) for choice in self.choices)

    def limits(self) -> list[Limit]:
        """The budget and constraints as bounds on figures' means, in order."""
        found = [
            Limit(c.figure, c.bound, c.upper, c.epsilon, "constraint") for c in self.constraints
        ]
        budget = self.budget
        if budget is not None:
            for figure, limit in (("cost_per_year", budget.per_year), ("cost_total", budget.total)):
                if limit is not None:
                    found.append(
                        Limit(
                            figure, float(limit), True, _budget_tolerance(budget, figure), "budget"
                        )
                    )
        return found

    def figures(self) -> list[str]:
        """Every figure the decision uses: the objective's, then the limits'."""
        names = list(self.objective.weights)
        names += [limit.figure for limit in self.limits()]
        return list(dict.fromkeys(names))


def _budget_tolerance(budget: Budget, figure: str) -> float:
    limit = budget.per_year if figure == "cost_per_year" else budget.total
    if budget.tolerance is not None:
        return float(budget.tolerance)
    return max(0.02 * float(limit or 0.0), 1.0)


class Limit(NamedTuple):
    """A bound on a figure's mean: ``figure <= bound`` (``upper``) or
    ``figure >= bound``, told apart within ``epsilon``; from a constraint or the budget."""

    figure: str
    bound: float
    upper: bool
    epsilon: float
    kind: Literal["constraint", "budget"]


# -- portfolios -------------------------------------------------------------------------


@dataclass(frozen=True)
class Portfolio:
    """One option of every choice. ``index`` counts the portfolios in the order
    :func:`portfolios` gives them (the reference is number 0); ``key`` names it
    in files (``p0007``)."""

    index: int
    options: tuple[int, ...]
    label: str

    @property
    def key(self) -> str:
        return f"p{self.index:04d}"

    def chosen(self, decision: Decision) -> list[tuple[Choice, Option]]:
        """Each choice with the option this portfolio takes."""
        return [
            (choice, choice.options[i])
            for choice, i in zip(decision.choices, self.options, strict=True)
        ]


def portfolios(decision: Decision) -> list[Portfolio]:
    """Every portfolio, in order: the first choice varies slowest; the first is
    the reference (the first option of every choice)."""
    ranges = [range(len(choice.options)) for choice in decision.choices]
    return [
        Portfolio(index, options, label(decision, options))
        for index, options in enumerate(itertools.product(*ranges))
    ]


def label(decision: Decision, options: Sequence[int]) -> str:
    """A portfolio's name: what it adds to or changes in the reference, e.g.
    ``SchuldHulpMaatje (24 maatjes) + Verbinder (1 fte)``; the reference's own
    name when it is the reference."""
    parts = []
    for choice, i in zip(decision.choices, options, strict=True):
        option = choice.options[i]
        if option.off or i == 0:
            continue
        single = choice.provision is not None and len(choice.levels) == 1
        parts.append(choice.name if single else f"{choice.name} ({option.name})")
    return " + ".join(parts) or decision.reference


def portfolio_scenario(base: Mapping[str, Any], decision: Decision, portfolio: Portfolio):
    """The scenario of ``portfolio`` (a :class:`~wijksim.scenario.Scenario`):
    ``base`` (a scenario's plain data, :meth:`Scenario.to_dict`) without its
    ``decision``, ``sweep`` and the provisions left out (with the volunteer
    pools only they used, the ``uncertain:`` values that point into either and
    tenders of only them), each option's values set, and, when the decision's
    collective hours follow the provisions, the team's collective hours the sum
    of the chosen provisions' ``team_hours_per_week``. Raises
    :class:`~wijksim.scenario.ScenarioError` naming the portfolio when the
    result is not a valid scenario."""
    from .loading import apply_overrides, validate
    from .problems import Problem, ScenarioError

    data = _plain_copy(base)
    for key in ("decision", "sweep"):
        data.pop(key, None)
    chosen = portfolio.chosen(decision)
    left_out = {choice.provision for choice, option in chosen if option.off}
    _leave_out(data, {name for name in left_out if name is not None})
    overrides: dict[str, Any] = {}
    for _, option in chosen:
        overrides.update(option.overrides)
    if overrides:
        apply_overrides(data, overrides)
    if decision.collective_hours == "follow":
        hours = sum(float(item.get("team_hours_per_week", 0.0)) for item in data["interventions"])
        data.setdefault("team", {})["collective_hours_per_week"] = hours
    data["name"] = portfolio.label
    try:
        return validate(data, default_source=f"portfolio {portfolio.key}")
    except ScenarioError as exc:
        problems = [
            Problem(f"portfolio {portfolio.key} ({portfolio.label})", None, p.path, p.message)
            for p in exc.problems
        ]
        raise ScenarioError(problems) from None


def _plain_copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain_copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_copy(v) for v in value]
    return value


#: Keys of an intervention that name a volunteer pool.
POOL_KEYS = ("volunteers", "network_pool")


def _leave_out(data: dict, names: set[str]) -> None:
    """Remove the interventions ``names`` from scenario data, with what only they use."""
    if not names:
        return
    interventions = data.get("interventions", [])
    kept = [item for item in interventions if item.get("name") not in names]
    gone = [item for item in interventions if item.get("name") in names]
    data["interventions"] = kept
    used = {item.get(k) for item in kept for k in POOL_KEYS}
    pools = {item.get(k) for item in gone for k in POOL_KEYS} - used - {None}
    volunteers = data.get("volunteers", {})
    for pool in pools:
        volunteers.pop(pool, None)
    prefixes = [f"interventions.{name}." for name in names]
    prefixes += [f"volunteers.{pool}." for pool in pools]
    indices = [str(i) for i, item in enumerate(interventions) if item.get("name") in names]
    prefixes += [f"interventions.{i}." for i in indices]
    uncertain = data.get("uncertain")
    if uncertain:
        data["uncertain"] = {
            path: spec
            for path, spec in uncertain.items()
            if not any(path.startswith(prefix) for prefix in prefixes)
        } or None
        if data["uncertain"] is None:
            data.pop("uncertain")
    tenders = []
    for tender in data.get("tenders", []):
        named = tender.get("interventions") or []
        remaining = [name for name in named if name not in names]
        if named and not remaining:
            continue  # it re-tendered only provisions that are left out
        tenders.append({**tender, "interventions": remaining} if named else tender)
    if "tenders" in data:
        data["tenders"] = tenders


# -- checks across the scenario -------------------------------------------------------------


def decision_problems(scenario: Any) -> Found:
    """Problems of a scenario's ``decision:`` that need the rest of it (run with
    the scenario's other rules, :mod:`.rules`): choices and options with one
    name each, provisions that are interventions of the scenario (one choice
    each), option values that are values of the scenario and may be chosen,
    and an option of one provision that changes another a portfolio may leave out."""
    decision = scenario.decision
    if decision is None:
        return []
    out: Found = []
    at: Key = ("decision", "choices")
    interventions = [spec.name for spec in scenario.interventions]
    seen: dict[str, int] = {}
    provisions: dict[str, int] = {}
    for i, choice in enumerate(decision.choices):
        if choice.name in seen:
            out.append(((*at, i, "name"), f"choice {choice.name!r} is named twice"))
        seen.setdefault(choice.name, i)
        names = [level.name for level in choice.levels]
        if choice.can_be_off:
            names.insert(0, OFF)
        for j, level in enumerate(choice.levels):
            if names.count(level.name) > 1:
                message = f"option {level.name!r} is named twice in {choice.name!r}"
                if level.name == OFF and choice.can_be_off:
                    message = f"{OFF!r} is the option that leaves the provision out: rename it"
                out.append(((*at, i, "levels", j, "name"), message))
        if choice.provision is not None:
            if choice.provision not in interventions:
                message = unknown("intervention", choice.provision, interventions)
                out.append(((*at, i, "provision"), message))
            elif choice.provision in provisions:
                first = provisions[choice.provision]
                message = f"{choice.provision!r} is already the provision of choice {first}"
                out.append(((*at, i, "provision"), message))
            provisions.setdefault(choice.provision, i)
    may_be_off = {c.provision for c in decision.choices if c.can_be_off and c.provision}
    data = None
    for i, choice in enumerate(decision.choices):
        for j, level in enumerate(choice.levels):
            for path in level.overrides:
                key = (*at, i, "levels", j, "set", path)
                problem = _path_problem(scenario, decision, choice, path, may_be_off)
                if problem is None:
                    if data is None:
                        data = scenario.to_dict()
                    problem = _value_path(data, path)
                if problem is not None:
                    out.append((key, problem))
    if decision.size > MAX_PORTFOLIOS:
        sizes = " x ".join(str(len(c.options)) for c in decision.choices)
        out.append(
            (
                ("decision", "choices"),
                f"{sizes} = {decision.size:,} portfolios (at most {MAX_PORTFOLIOS:,}): "
                "give fewer options",
            )
        )
    return out


def _path_problem(
    scenario: Any, decision: Decision, choice: Choice, path: str, may_be_off: set[str]
) -> str | None:
    """What forbids ``path`` as a value an option of ``choice`` sets, or None."""
    root = path.split(".", 1)[0]
    if root in FIXED:
        return (
            f"{root} is the same for every portfolio, not a choice (an option may set team, "
            "volunteers, interventions or tenders values)"
        )
    if decision.collective_hours == "follow" and path == "team.collective_hours_per_week":
        return (
            "the collective hours follow the chosen provisions (collective_hours: follow); "
            "set each provision's team_hours_per_week, or collective_hours: as_written"
        )
    parts = path.split(".")
    if root == "interventions" and len(parts) > 1:
        name = parts[1]
        if name.isdigit() and int(name) < len(scenario.interventions):
            name = scenario.interventions[int(name)].name
        if name in may_be_off and name != choice.provision:
            return (
                f"{name!r} is left out of some portfolios by its own choice: set its values "
                "in that choice's options"
            )
    return None


def _value_path(data: Mapping[str, Any], path: str) -> str | None:
    from .loading import path_problem

    problem = path_problem(data, path)
    return None if problem is None else f"no such value: {problem}"


def options_of(decision: Decision) -> Iterator[tuple[int, int, Option]]:
    """``(choice, option, Option)`` for every option of every choice."""
    for i, choice in enumerate(decision.choices):
        for j, option in enumerate(choice.options):
            yield i, j, option


__all__ = [
    "FIGURES",
    "MAX_PORTFOLIOS",
    "OFF",
    "Budget",
    "Choice",
    "Constraint",
    "Decision",
    "Figure",
    "Level",
    "Limit",
    "Objective",
    "Option",
    "Portfolio",
    "Selection",
    "decision_problems",
    "label",
    "portfolio_scenario",
    "portfolios",
]
