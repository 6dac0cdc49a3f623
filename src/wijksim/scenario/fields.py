"""One field of a model validated on its own: what can be checked of a mapping
when the model as a whole cannot be (an intervention whose type is not known,
a scenario with some keys wrong, :mod:`.partial`)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Annotated, Any, cast

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError


def field_errors(model: type[BaseModel], data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The errors of each key of ``data`` that is a field of ``model``, validated on
    its own (as in a partial scenario), ready to be raised again in a
    ``ValidationError``: what can be checked of a mapping when the model as a
    whole cannot be chosen (an intervention whose type is not known)."""
    errors = []
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key not in data:
            continue
        try:
            field_adapter(model, name).validate_python(data[key])
        except ValidationError as exc:
            errors += [as_error({**e, "loc": (key, *e["loc"])}) for e in exc.errors()]
    return errors


def as_error(error: Mapping[str, Any]) -> dict[str, Any]:
    """A pydantic error as it can be raised again (its own type and message kept)."""
    message = str(error["msg"]).replace("{", "{{").replace("}", "}}")
    return {
        "type": PydanticCustomError(error["type"], message),
        "loc": error["loc"],
        "input": error.get("input"),
    }


@functools.cache
def field_adapter(model: type[BaseModel], name: str) -> TypeAdapter:
    """A validator of one field of ``model``, with the field's constraints."""
    field = model.model_fields[name]
    metadata, annotation = field.metadata, cast(Any, field.annotation)
    return TypeAdapter(Annotated[(annotation, *metadata)] if metadata else annotation)
