"""A partial scenario: each part that validated on its own is known, the rest
is :data:`UNKNOWN`.

The rules across keys (:mod:`.rules`) run on it when some keys are wrong: a
rule that touches an unknown part raises :class:`Unknowable` and is skipped, so
the problems it would find come after the schema problems are fixed, never
instead of them.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import interventions as specs
from .fields import field_adapter
from .intervention_spec import InterventionSpec


class Unknowable(Exception):
    """A rule touched a part of the scenario that did not validate."""


class _Unknown:
    """A part that did not validate: every use of it skips the rule at hand."""

    def _skip(self, *args: Any, **kwargs: Any) -> Any:
        raise Unknowable

    __getattr__ = __iter__ = __contains__ = __bool__ = __len__ = __getitem__ = _skip
    __lt__ = __le__ = __gt__ = __ge__ = __mul__ = __rmul__ = __add__ = __radd__ = _skip
    __sub__ = __rsub__ = __truediv__ = __rtruediv__ = __float__ = __int__ = _skip

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


class _Partial(SimpleNamespace):
    """The fields of a model that did not validate as a whole; what a validator
    of the model would have derived (``rows``) is unknown."""

    def __getattr__(self, name: str) -> Any:
        raise Unknowable


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
        return field_adapter(model, name).validate_python(value)
    except ValidationError:
        pass
    kind, item, item_model = _items(model, name)
    if item is None:
        return UNKNOWN
    if kind is dict and isinstance(value, Mapping):  # a mapping of models: keep the valid ones
        return {k: _item(item, item_model, v, depth) for k, v in value.items()}
    if kind is tuple and isinstance(value, list | tuple):
        return tuple(_item(item, item_model, v, depth) for v in value)
    return UNKNOWN


def _item(adapter: TypeAdapter, model: type[BaseModel] | None, value: Any, depth: int) -> Any:
    """An item of a mapping or a tuple as validated; else, for an item that is a
    model, a partial one a level deeper (an intervention's by the class of its
    ``type``, or by what every type has when its type is not known)."""
    try:
        return adapter.validate_python(value)
    except ValidationError:
        pass
    if model is None:
        return UNKNOWN
    if model is InterventionSpec and isinstance(value, Mapping):
        kind = value.get("type")
        registry = specs.REGISTRY  # looked up now: a test may replace it
        model = registry.get(kind, model) if isinstance(kind, str) else model
    return partial(model, value, depth - 1, whole=False)


@functools.cache
def _items(
    model: type[BaseModel], name: str
) -> tuple[type | None, TypeAdapter | None, type[BaseModel] | None]:
    """``(dict, validator of a value, its model)`` or ``(tuple, validator of an
    item, its model)`` for a field that holds a mapping or a tuple (``None, None,
    None`` otherwise); the model is ``None`` where the items are not models."""
    field = model.model_fields[name]
    for member in (field.annotation, *typing.get_args(field.annotation)):
        args, origin = typing.get_args(member), typing.get_origin(member)
        if origin is dict and len(args) == 2:
            item = args[1]
        elif origin is tuple and args:
            item = args[0]
        else:
            continue
        inner = item
        while typing.get_origin(inner) is Annotated:
            inner = typing.get_args(inner)[0]
        own = inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None
        return origin, TypeAdapter(item), own
    return None, None, None
