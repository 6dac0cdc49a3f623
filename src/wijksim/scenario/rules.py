"""Rules that span several keys (severity names, shares that add up, known themes).

:class:`~wijksim.scenario.schema.Scenario` runs them on every way of making a
scenario (a file, ``Scenario.model_validate({...})``, ``Scenario(...)``), and
runs them even when some keys are wrong: on a *partial* scenario, in which each
part that validated on its own is known and the rest is :data:`UNKNOWN`. A rule
that needs an unknown part is skipped, so the problems it would find come after
the schema problems are fixed, never instead of them (:mod:`.partial`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .decision_checks import decision_problems
from .fields import as_error as as_error
from .fields import field_errors as field_errors
from .located import path_problem
from .partial import UNKNOWN, Unknowable
from .partial import partial as partial
from .problems import unknown
from .units import WEEKS_PER_YEAR

Key = tuple[str | int, ...]
Found = list[tuple[Key, str]]


def cross_field_problems(s: Any) -> Found:
    """Problems of a scenario (or a partial one) that span several keys."""
    out: Found = []
    rules = (_severity_names, _registration_rows, _themes, _times, _initial_state)
    later = (
        _interventions,
        _theme_names,
        _team_hours,
        _time_advances,
        _design_paths,
        _pools,
        _decision,
    )
    for rule in (*rules, *later):
        try:
            out.extend(rule(s))
        except Unknowable:
            continue
    return out


def _each(items: Iterator, check: Callable[..., Found]) -> Found:
    """``check(*item)`` for every item, skipping those that touch an unknown part."""
    out: Found = []
    for item in items:
        try:
            out.extend(check(*item))
        except Unknowable:
            continue
    return out


def _names_check(severities: list[str]) -> Callable[..., Found]:
    known = ", ".join(severities)

    def check(key: Key, names, complete: bool = False) -> Found:
        out: Found = [
            ((*key, name), f"unknown severity (team.case_weight has {known})")
            for name in names
            if name not in severities
        ]
        missing = [x for x in severities if x not in names]
        if complete and missing:
            out.append((key, f"missing severities: {', '.join(missing)}"))
        return out

    return check


def _mix_check(names: Callable[..., Found]) -> Callable[..., Found]:
    def check(key: Key, mix: Mapping[str, float]) -> Found:
        out = names(key, mix)
        total = sum(mix.values())
        if not math.isclose(total, 1.0, abs_tol=1e-6):
            out.append((key, f"shares must add up to 1 (they add up to {total:g})"))
        return out

    return check


def _severity_names(s: Any) -> Found:
    severities = list(s.team.case_weight)
    if not severities:
        return [(("team", "case_weight"), "name at least one severity")]
    names = _names_check(severities)
    mix = _mix_check(names)
    hood, team = s.neighbourhood, s.team
    checks: list[tuple] = [
        (names, ("team", "contact_hours_per_week"), lambda: team.contact_hours_per_week, True),
        (mix, ("neighbourhood", "severity_mix"), lambda: hood.severity_mix),
        (names, ("neighbourhood", "duration"), lambda: hood.duration, True),
    ]
    if team.priority is not None:
        checks.append((names, ("team", "priority"), lambda: team.priority, True))
    for name, theme in hood.themes.items():
        key = ("neighbourhood", "themes", name)
        if theme is UNKNOWN:
            continue
        if theme.severity_mix is not None:
            checks.append((mix, (*key, "severity_mix"), lambda t=theme: t.severity_mix))
        if theme.duration is not None:
            checks.append((names, (*key, "duration"), lambda t=theme: t.duration))
    return _each(iter(checks), lambda check, key, get, *flag: check(key, get(), *flag))


def _registration_rows(s: Any) -> Found:
    """Themes and severities of a registration CSV (not echoed: it is not a scenario)."""
    init, themes, severities = s.initial_state, s.neighbourhood.themes, list(s.team.case_weight)
    out: Found = []
    for row in init.rows:
        if row.theme not in themes:
            message = f"{init.csv}:{row.line}: unknown theme (themes: {', '.join(themes)})"
            out.append((("initial_state", "csv"), message))
        if row.severity not in severities:
            message = f"{init.csv}:{row.line}: unknown severity ({', '.join(severities)})"
            out.append((("initial_state", "csv"), message))
    return out


def _themes(s: Any) -> Found:
    themes = s.neighbourhood.themes
    out: Found = []
    if "all" in themes:
        out.append((("neighbourhood", "themes", "all"), "'all' is reserved for totals"))

    def profile(name: str, theme: Any) -> Found:
        values = theme.monthly_profile
        key = ("neighbourhood", "themes", name, "monthly_profile")
        if values is not None and (len(values) != 12 or sum(values) <= 0):
            return [(key, "give 12 factors, not all zero")]
        if values is not None and not math.isfinite(sum(values)):
            # normalised by their mean, every factor would come out as nothing
            return [
                (
                    key,
                    "the factors add up to more than a number holds; they are relative "
                    "(1.25: a quarter above the year's mean)",
                )
            ]
        return []

    return out + _each(iter(themes.items()), profile)


def _times(s: Any) -> Found:
    if s.warmup >= s.horizon:
        return [(("warmup",), "the warm-up must be shorter than the horizon")]
    return _calendar_ends(s)


def _calendar_ends(s: Any) -> Found:
    """With a start date, every date a run names (weeks, and the middle of its
    last year) is one the calendar has: Python's ends on 31 December 9999."""
    start = s.start_date
    if start is None:
        return []
    days_left = (dt.date.max - start).days
    needed = (s.horizon + WEEKS_PER_YEAR) * 7  # the last year is named by its middle
    if needed <= days_left:
        return []
    last = dt.date.max.isoformat()
    return [
        (
            ("start_date",),
            f"a run of {s.horizon / WEEKS_PER_YEAR:.3g} years from {start.isoformat()} would "
            f"run past {last}, the calendar's last date (a year of margin kept); give an "
            "earlier start_date or a shorter horizon",
        )
    ]


def _initial_state(s: Any) -> Found:
    init = s.initial_state
    if init.csv is not None and (init.caseload or init.waiting_list):
        return [(("initial_state",), "give counts or a CSV file, not both")]
    return _initial_load(s)


#: How far the cases in care at the start may exceed the ceiling: a team over
#: its ceiling is overloaded (the model drains it before taking anyone on); one
#: ten times over it even at the lightest weight never carried them (a typo, or
#: those who wait written as in care).
MOST_INITIAL_LOAD = 10.0


def _initial_load(s: Any) -> Found:
    init, team = s.initial_state, s.team
    cases = init.caseload + sum(row.status == "in_care" for row in init.rows)
    capacity = team.capacity
    if not cases or not team.case_weight or not 0 < capacity < math.inf:
        return []
    lightest = min(team.case_weight.values())
    if cases * lightest <= MOST_INITIAL_LOAD * capacity:
        return []
    key = ("initial_state", "caseload") if init.caseload else ("initial_state", "csv")
    return [
        (
            key,
            f"{cases:,} cases in care take at least {cases * lightest:,.6g} slots, more than "
            f"{MOST_INITIAL_LOAD:g} times the team's ceiling of {capacity:,.6g} slots: the team "
            "could not have carried them; give those who wait as initial_state.waiting_list",
        )
    ]


def _interventions(s: Any) -> Found:
    """Names in interventions are known: themes, volunteer pools, the
    interventions a tender names; unique names. Each is checked on its own, so
    that a part of an intervention that is wrong (a type not known, a missing
    key) hides none of the problems of its other parts."""
    names: list[Any] = []  # every intervention's name, UNKNOWN where it did not validate
    out: Found = []
    for i, spec in enumerate(s.interventions):
        key: Key = ("interventions", i)
        names.append(_name_of(spec))
        checks: list[tuple[Callable[..., Found], Any]] = [
            (_duplicate, names),
            (_named_themes, "themes"),
            (_named_themes, "prevention"),
            (_named_pool, "volunteers"),
            (_named_pool, "network_pool"),
            (_group_size, None),
        ]
        out += _each(iter(checks), lambda check, arg, key=key, spec=spec: check(s, key, spec, arg))

    def tender(i: int, spec: Any) -> Found:
        if any(name is UNKNOWN for name in names):
            raise Unknowable  # it may name the intervention whose name is unknown
        return [
            (("tenders", i, "interventions"), unknown("intervention", name, names))
            for name in spec.interventions
            if name not in names
        ]

    return out + _each(enumerate(s.tenders), tender)


def _group_size(s: Any, key: Key, spec: Any, _: None) -> Found:
    """A group of more people than the wijk has (memory and time grow with it,
    below the event limit: a million in one cohort took gigabytes)."""
    size = getattr(spec, "cohort_size", None)
    residents = s.neighbourhood.residents
    if size is None or size.max <= residents:
        return []
    return [((*key, "cohort_size", "max"), f"more than the wijk's {residents:,} residents")]


def _name_of(spec: Any) -> Any:
    """An intervention's name, or :data:`UNKNOWN` where it did not validate."""
    try:
        return spec.name
    except Unknowable:
        return UNKNOWN


def _duplicate(s: Any, key: Key, spec: Any, names: list[Any]) -> Found:
    index = key[-1]
    assert isinstance(index, int)
    name = names[index]
    if name is UNKNOWN or name not in names[:index]:
        return []
    return [((*key, "name"), f"two interventions are called {name!r}")]


def _named_themes(s: Any, key: Key, spec: Any, field: str) -> Found:
    """The themes ``field`` names (a list, or a mapping by theme) are the scenario's."""
    themes = s.neighbourhood.themes
    named = getattr(spec, field, ())  # a type without the field: a partial one raises
    return [((*key, field), unknown("theme", t, themes)) for t in named if t not in themes]


def _named_pool(s: Any, key: Key, spec: Any, field: str) -> Found:
    pool = getattr(spec, field, None)
    if pool is not None and pool not in s.volunteers:
        return [((*key, field), unknown("volunteer pool", pool, s.volunteers))]
    return []


def _theme_names(s: Any) -> Found:
    """Themes named by shocks and by costs per theme exist."""
    themes = s.neighbourhood.themes

    def shock(i: int, spec: Any) -> Found:
        return [
            (("shocks", i, "themes"), unknown("theme", theme, themes))
            for theme in spec.themes
            if theme not in themes
        ]

    out = _each(enumerate(s.shocks), shock)
    heavier = s.costs.heavier_care
    if isinstance(heavier, dict):
        out += [
            (("costs", "heavier_care", theme), unknown("theme", theme, themes))
            for theme in heavier
            if theme not in themes
        ]
    return out


#: More case slots than any team has: the engine counts slots in thousandths as
#: whole numbers, and a ceiling this high never binds (write "unlimited").
MOST_SLOTS = 1e12


def _team_hours(s: Any) -> Found:
    team = s.team
    out: Found = [*_slots(team)]
    if team.disciplines is None:
        if team.collective_hours_per_week > team.fte * team.hours_per_fte_per_week:
            out.append((("team", "collective_hours_per_week"), "more than the team's hours"))
    else:
        out.extend(_disciplines(team, s.neighbourhood.themes))
        out.extend(_collective_disciplines(team))
    squeeze = team.squeeze
    if squeeze and squeeze.release_below > squeeze.waiting_list_above:
        out.append((("team", "squeeze"), "release_below must not exceed waiting_list_above"))
    return out


def _slots(team: Any) -> Found:
    """A finite ceiling the engine can count, and case weights that fit in it
    (a heavier case than the whole ceiling would block the waiting list for good)."""
    capacity = team.capacity
    if math.isinf(capacity):
        return []
    if capacity > MOST_SLOTS:
        return [
            (
                ("team", "caseload_ceiling_per_fte"),
                f"{capacity:.3g} case slots in all is no team's ceiling (at most "
                f"{MOST_SLOTS:.0e}); write 'unlimited' for no ceiling",
            )
        ]
    out: Found = []
    for severity, weight in team.case_weight.items():
        if capacity > 0 and weight > capacity:
            out.append(
                (
                    ("team", "case_weight", severity),
                    f"a case takes {weight:g} slots, more than the team's whole ceiling of "
                    f"{capacity:g}: it could never be taken on, and the waiting list would "
                    "stop behind it",
                )
            )
    return out


def _disciplines(team: Any, themes: Any) -> Found:
    """Disciplines take known themes, fallback names disciplines, every theme is taken."""
    out: Found = []
    disciplines = team.disciplines
    for name, discipline in disciplines.items():
        for theme in discipline.themes:
            if theme not in themes:
                key = ("team", "disciplines", name, "themes")
                out.append((key, unknown("theme", theme, themes)))
    for name in team.fallback:
        if name not in disciplines:
            out.append((("team", "fallback"), unknown("discipline", name, disciplines)))
    for theme in themes:
        takes = [n for n, d in disciplines.items() if not d.themes or theme in d.themes]
        if not takes and not team.fallback:
            out.append((("team", "disciplines"), f"no discipline takes theme {theme!r}"))
    return out


def _collective_disciplines(team: Any) -> Found:
    """In a team of disciplines only those marked ``collective`` give collective
    hours (the model takes no more than they have): hours beyond theirs would be
    cut, and with none marked dropped, without a word (a plain team refuses
    hours beyond its own)."""
    hours = team.collective_hours_per_week
    if hours <= 0:
        return []
    holders = {n: d for n, d in team.disciplines.items() if d.collective}
    key = ("team", "collective_hours_per_week")
    if not holders:
        return [(key, "no discipline holds collective hours: mark one with collective: true")]
    available = sum(d.fte for d in holders.values()) * team.hours_per_fte_per_week
    if hours > available:
        names = ", ".join(holders)
        return [
            (
                key,
                f"more than the {available:g} hours a week of the disciplines that hold "
                f"collective hours ({names})",
            )
        ]
    return []


def _time_advances(s: Any) -> Found:
    """Time can advance: not every closed case comes back at once as a case
    that takes no time (the run would repeat that moment for ever). A
    distribution whose longest draw is zero (``tail()``) always draws zero."""
    recurrence = s.team.recurrence
    if recurrence is None or recurrence.probability < 1 or recurrence.delay.tail() > 0:
        return []
    for theme in s.neighbourhood.themes:
        mix = s.severity_mix(theme)
        if all(s.duration(theme, sev).tail() == 0 for sev, share in mix.items() if share > 0):
            return [
                (
                    ("team", "recurrence"),
                    f"every closed case comes back at once (probability 1, no delay) and "
                    f"{theme!r} cases take no time: time could never advance; give the delay "
                    "or the case durations some length, or a probability below 1",
                )
            ]
    return []


#: More volunteers than a pool could have (a city has fewer people): the model
#: draws those who leave as 64-bit numbers.
MOST_VOLUNTEERS = 1e9


def _pools(s: Any) -> Found:
    """A pool's size, with what it recruits over the horizon, is a number of people."""
    years = s.horizon / WEEKS_PER_YEAR
    out: Found = []
    for name, pool in s.volunteers.items():
        recruited = pool.recruitment_per_year * years
        if pool.size + recruited > MOST_VOLUNTEERS:
            field = "size" if pool.size >= recruited else "recruitment_per_year"
            out.append(
                (
                    ("volunteers", name, field),
                    f"a pool of {pool.size + recruited:.3g} volunteers (its size and what it "
                    f"recruits over the horizon) is no pool: at most {MOST_VOLUNTEERS:.0e}",
                )
            )
    return out


def _design_paths(s: Any) -> Found:
    """The paths that ``uncertain:`` and ``sweep:`` name are values of the
    scenario (a misspelt one would be refused only once an experiment starts)."""
    named: list[tuple[Key, str]] = [(("uncertain", path), path) for path in s.uncertain or {}]
    sweep = s.sweep
    if sweep is not None and sweep.grid is not None:
        named += [(("sweep", "grid", path), path) for path in sweep.grid]
    if sweep is not None and sweep.latin_hypercube is not None:
        ranges = sweep.latin_hypercube.ranges
        named += [(("sweep", "latin_hypercube", "ranges", path), path) for path in ranges]
    if not named:
        return []
    data = s.to_dict()  # a partial scenario has none: the rule is skipped
    out: Found = []
    for key, path in named:
        problem = path_problem(type(s), data, path)
        if problem is not None:
            out.append((key, f"no such value: {problem}"))
    return out


def _decision(s: Any) -> Found:
    """A ``decision:`` block's choices fit the scenario (:mod:`.decision_checks`)."""
    return decision_problems(s)
