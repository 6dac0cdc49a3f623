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
against. This module builds the scenario of each portfolio
(:func:`portfolio_scenario`); it runs nothing. The parameters are in
:mod:`.decision_spec`, what a decision must fit of its scenario in
:mod:`.decision_checks`; both are importable from here.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .decision_checks import Found as Found
from .decision_checks import Key as Key
from .decision_checks import decision_problems
from .decision_spec import (
    FIGURES,
    FIXED,
    MAX_PORTFOLIOS,
    OFF,
    Alpha,
    Budget,
    Choice,
    Constraint,
    Decision,
    Figure,
    Level,
    Limit,
    Objective,
    Option,
    Procedure,
    Selection,
    Weights,
    options_of,
)
from .loading import apply_overrides, validate
from .problems import Problem, ScenarioError

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
    data = _plain_copy(base)
    for key in ("decision", "sweep"):
        data.pop(key, None)
    chosen = portfolio.chosen(decision)
    left_out = {choice.provision for choice, option in chosen if option.off}
    _leave_out(data, {name for name in left_out if name is not None})
    source = f"portfolio {portfolio.key} ({portfolio.label})"
    # each value set, as validation names it (``interventions.4.stop``), and the
    # key of the option that sets it in the decision: a problem of a value an
    # option sets is that option's, located at its line by the caller
    owners: dict[str, str] = {}
    try:
        for at, key, value in _sets(decision, portfolio):
            try:
                where = apply_overrides(data, {key: value})
            except ScenarioError as exc:
                raise ScenarioError(
                    [Problem(source, None, at + p.path, p.message) for p in exc.problems]
                ) from None
            owners.update({".".join(map(str, w)): at + key for w in where})
        if decision.collective_hours == "follow":
            hours = sum(
                float(item.get("team_hours_per_week", 0.0)) for item in data["interventions"]
            )
            data.setdefault("team", {})["collective_hours_per_week"] = hours
        data["name"] = portfolio.label
        return validate(data, default_source=source)
    except ScenarioError as exc:
        problems = []
        for p in exc.problems:
            if p.path.startswith("decision."):  # already the option's
                problems.append(p)
                continue
            set_at = next((k for k in owners if p.path == k or p.path.startswith(k + ".")), "")
            path = owners[set_at] + p.path[len(set_at) :] if set_at else p.path
            problems.append(Problem(source, None, path, p.message))
        raise ScenarioError(problems) from None


def _sets(decision: Decision, portfolio: Portfolio) -> list[tuple[str, str, Any]]:
    """The values ``portfolio``'s options set, in the order they apply (a path
    two options set: where the first put it, with the last one's value): the
    key path of the option's ``set`` in the decision
    (``decision.choices.0.levels.1.set.``), the value's dotted path and the value."""
    found: dict[str, tuple[str, Any]] = {}
    for i, (choice, j) in enumerate(zip(decision.choices, portfolio.options, strict=True)):
        level = j - 1 if choice.can_be_off else j
        if level < 0:
            continue  # left out: sets nothing
        at = f"decision.choices.{i}.levels.{level}.set."
        found.update({key: (at, value) for key, value in choice.levels[level].overrides.items()})
    return [(at, key, value) for key, (at, value) in found.items()]


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


__all__ = [
    "FIGURES",
    "FIXED",
    "MAX_PORTFOLIOS",
    "OFF",
    "POOL_KEYS",
    "Alpha",
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
    "Procedure",
    "Selection",
    "Weights",
    "decision_problems",
    "label",
    "options_of",
    "portfolio_scenario",
    "portfolios",
]
