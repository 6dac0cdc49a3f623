"""Rules that span several keys (severity names, shares that add up, known themes).

:class:`~wijksim.scenario.schema.Scenario` runs them on every way of making a
scenario (a file, ``Scenario.model_validate({...})``, ``Scenario(...)``), and
runs them even when some keys are wrong: on a *partial* scenario, in which each
part that validated on its own is known and the rest is :data:`UNKNOWN`. A rule
that needs an unknown part is skipped, so the problems it would find come after
the schema problems are fixed, never instead of them.
"""

from __future__ import annotations

import difflib
import functools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import SimpleNamespace
from typing import Annotated, Any, cast

from pydantic import BaseModel, TypeAdapter, ValidationError

Key = tuple[str | int, ...]
Found = list[tuple[Key, str]]


class _Unknowable(Exception):
    """A rule touched a part of the scenario that did not validate."""


class _Unknown:
    """A part that did not validate: every use of it skips the rule at hand."""

    def _skip(self, *args: Any, **kwargs: Any) -> Any:
        raise _Unknowable

    __getattr__ = __iter__ = __contains__ = __bool__ = __len__ = __getitem__ = _skip
    __lt__ = __le__ = __gt__ = __ge__ = __mul__ = __rmul__ = __add__ = __radd__ = _skip

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


class _Partial(SimpleNamespace):
    """The fields of a model that did not validate as a whole; what a validator
    of the model would have derived (``rows``) is unknown."""

    def __getattr__(self, name: str) -> Any:
        raise _Unknowable


def cross_field_problems(s: Any) -> Found:
    """Problems of a scenario (or a partial one) that span several keys."""
    out: Found = []
    rules = (_severity_names, _registration_rows, _themes, _times, _initial_state)
    for rule in (*rules, _interventions, _theme_names, _team_hours):
        try:
            out.extend(rule(s))
        except _Unknowable:
            continue
    return out


def unknown(kind: str, name: object, known: Iterable[str]) -> str:
    """``unknown theme 'schuld'; did you mean 'schulden'? (themes: ...)``: the
    valid names listed, the closest one suggested."""
    names = [str(k) for k in known]
    message = f"unknown {kind} {name!r}"
    close = difflib.get_close_matches(str(name), names, n=1)
    if close:
        message += f"; did you mean {close[0]!r}?"
    return message + f" ({kind}s: {', '.join(names) or 'none declared'})"


def _each(items: Iterator, check: Callable[..., Found]) -> Found:
    """``check(*item)`` for every item, skipping those that touch an unknown part."""
    out: Found = []
    for item in items:
        try:
            out.extend(check(*item))
        except _Unknowable:
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
        if values is not None and (len(values) != 12 or sum(values) <= 0):
            return [
                (
                    ("neighbourhood", "themes", name, "monthly_profile"),
                    "give 12 factors, not all zero",
                )
            ]
        return []

    return out + _each(iter(themes.items()), profile)


def _times(s: Any) -> Found:
    if s.warmup >= s.horizon:
        return [(("warmup",), "the warm-up must be shorter than the horizon")]
    return []


def _initial_state(s: Any) -> Found:
    init = s.initial_state
    if init.csv is not None and (init.caseload or init.waiting_list):
        return [(("initial_state",), "give counts or a CSV file, not both")]
    return []


def _interventions(s: Any) -> Found:
    seen: set[str] = set()

    def check(i: int, spec: Any) -> Found:
        key: Key = ("interventions", i)
        out: Found = []
        if spec.name in seen:
            out.append(((*key, "name"), f"two interventions are called {spec.name!r}"))
        seen.add(spec.name)
        themes = s.neighbourhood.themes
        for theme in (*spec.themes, *getattr(spec, "prevention", {})):
            if theme not in themes:
                out.append(((*key, "themes"), unknown("theme", theme, themes)))
        for field in ("volunteers", "network_pool"):
            pool = getattr(spec, field, None)
            if pool is not None and pool not in s.volunteers:
                out.append(((*key, field), unknown("volunteer pool", pool, s.volunteers)))
        return out

    out = _each(enumerate(s.interventions), check)

    def tender(i: int, spec: Any) -> Found:
        return [
            (("tenders", i, "interventions"), unknown("intervention", name, seen))
            for name in spec.interventions
            if name not in seen
        ]

    return out + _each(enumerate(s.tenders), tender)


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


def _team_hours(s: Any) -> Found:
    team = s.team
    out: Found = []
    if team.disciplines is None:
        if team.collective_hours_per_week > team.fte * team.hours_per_fte_per_week:
            out.append((("team", "collective_hours_per_week"), "more than the team's hours"))
    else:
        out.extend(_disciplines(team, s.neighbourhood.themes))
    squeeze = team.squeeze
    if squeeze and squeeze.release_below > squeeze.waiting_list_above:
        out.append((("team", "squeeze"), "release_below must not exceed waiting_list_above"))
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


# -- a partial scenario ------------------------------------------------------------------


def partial(model: type[BaseModel], data: Any, depth: int = 2, *, whole: bool = True) -> Any:
    """``data`` as ``model`` where it validates; parts that do not are :data:`UNKNOWN`.

    Fields are validated one by one, ``depth`` levels of models deep; mappings of
    models (themes) and tuples of them (interventions) item by item. With
    ``whole=False`` the model as a whole is not tried (it is known to fail).
    """
    if not isinstance(data, Mapping):
        return UNKNOWN
    if whole:
        try:
            return model.model_validate(data)
        except ValidationError:
            pass
    if depth == 0:
        return UNKNOWN
    values = {}
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key not in data:
            values[name] = (
                UNKNOWN if field.is_required() else field.get_default(call_default_factory=True)
            )
            continue
        values[name] = _partial_field(model, name, data[key], depth)
    return _Partial(**values)


def _partial_field(model: type[BaseModel], name: str, value: Any, depth: int) -> Any:
    field = model.model_fields[name]
    inner = field.annotation
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return partial(inner, value, depth - 1)
    try:
        return _adapter(model, name).validate_python(value)
    except ValidationError:
        pass
    kind, item = _items(model, name)
    if item is None:
        return UNKNOWN
    if kind is dict and isinstance(value, Mapping):  # a mapping of models: keep the valid ones
        return {k: _or_unknown(item, v) for k, v in value.items()}
    if kind is tuple and isinstance(value, list | tuple):
        return tuple(_or_unknown(item, v) for v in value)
    return UNKNOWN


def _or_unknown(adapter: TypeAdapter, value: Any) -> Any:
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return UNKNOWN


@functools.cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter:
    """A validator of one field of ``model``, with the field's constraints."""
    field = model.model_fields[name]
    metadata, annotation = field.metadata, cast(Any, field.annotation)
    return TypeAdapter(Annotated[(annotation, *metadata)] if metadata else annotation)


@functools.cache
def _items(model: type[BaseModel], name: str) -> tuple[type | None, TypeAdapter | None]:
    """``(dict, validator of a value)`` or ``(tuple, validator of an item)`` for a
    field that holds a mapping or a tuple (``None, None`` otherwise)."""
    import typing

    field = model.model_fields[name]
    for member in (field.annotation, *typing.get_args(field.annotation)):
        args, origin = typing.get_args(member), typing.get_origin(member)
        if origin is dict and len(args) == 2:
            return dict, TypeAdapter(args[1])
        if origin is tuple and args:
            return tuple, TypeAdapter(args[0])
    return None, None
