"""The parameters of a ``decision:`` block: its choices, budget, objective,
constraints and selection procedure, and the figures they may name.

See :mod:`.decision` for the block as a whole and the portfolios it describes;
:mod:`.decision_checks` for what a decision must fit of the rest of the scenario.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import Field, field_validator, model_validator

from .base import Count1, Count2, Count3, Flag, Frozen, NonNegative, Number, Positive
from .costs import Payer
from .problems import unknown


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

#: The largest amount a decision may write (a budget, a bound, a tolerance, a
#: weight, delta): far beyond any wijk's euros or figures, and small enough that
#: sums and squares of replications' figures stay finite (at 1e308 they overflow
#: and the selection would compare infinities).
LARGEST = 1e12

Amount = Annotated[Number, Field(ge=-LARGEST, le=LARGEST)]
PositiveAmount = Annotated[Positive, Field(le=LARGEST)]
NonNegativeAmount = Annotated[NonNegative, Field(le=LARGEST)]

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

    per_year: NonNegativeAmount | None = Field(
        default=None,
        description="euro a year: the portfolio's cost over the years after the "
        "warm-up divided by their number",
    )
    total: NonNegativeAmount | None = Field(
        default=None, description="euro over all years after the warm-up together"
    )
    payer: Payer = Field(default="municipality", description="whose costs count")
    tolerance: PositiveAmount | None = Field(
        default=None,
        description="euro (a year, for per_year) by which a cost may exceed the budget and "
        "still count as within it (default: 2% of the budget)",
    )

    @model_validator(mode="after")
    def _some_budget(self) -> Budget:
        if self.per_year is None and self.total is None:
            raise ValueError("give per_year, total or both")
        return self


Weights = dict[str, Amount]


class Objective(Frozen):
    """What the decision optimises: one figure, or a weighted score of figures
    in their own units, with the smallest difference worth telling apart."""

    minimise: str | Weights | None = Field(
        default=None, description="a figure, or weights per figure of a score, to minimise"
    )
    maximise: str | Weights | None = Field(
        default=None, description="a figure, or weights per figure of a score, to maximise"
    )
    delta: PositiveAmount | None = Field(
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
        if isinstance(target, dict) and not any(target.values()):
            raise ValueError("every weight is 0: the score would rank no portfolio above another")
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
    at_most: Amount | None = Field(default=None, description="the mean must not exceed this")
    at_least: Amount | None = Field(default=None, description="the mean must reach this")
    tolerance: PositiveAmount | None = Field(
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


Alpha = Annotated[Number, Field(gt=0.0, lt=0.5)]  # finite, not a boolean


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
    first_stage: Count3 = Field(
        default=10, description="replications of every portfolio before the first look"
    )
    max_replications: Count3 = Field(
        default=200, description="the most replications of one portfolio"
    )
    replications: Count1 | None = Field(
        default=None,
        description="ocba: replications of all portfolios together (default: 4 x first_stage "
        "per portfolio)",
    )
    screen_above: Count2 = Field(
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


def options_of(decision: Decision) -> Iterator[tuple[int, int, Option]]:
    """``(choice, option, Option)`` for every option of every choice."""
    for i, choice in enumerate(decision.choices):
        for j, option in enumerate(choice.options):
            yield i, j, option
