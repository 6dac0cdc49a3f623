"""Validation errors as located problems, and what the schema says of a key path.

Each function takes the model the data is checked against (``Scenario``) as
its first argument: this module knows the schema's shape, not the schema.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from .interventions import REGISTRY, InterventionSpec
from .merging import TAGS
from .positions import Key, Positions, located
from .problems import Problem, ScenarioError, did_you_mean


def validate_as(
    model: type[BaseModel],
    data: dict,
    positions: Positions | None = None,
    default_source: str = "<scenario>",
) -> Any:
    """Validate plain data as a ``model``, reporting every problem at once: the
    schema's and those across keys (:mod:`.rules`), each at its line."""
    positions = positions or {}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(model, err, data, positions, default_source) for err in exc.errors()]
        raise ScenarioError(_in_order(problems)) from None


def lists_of(model: type[BaseModel]) -> set[str]:
    """The keys of ``model`` whose value is a list of items (``interventions``)."""
    return {
        name for name, f in model.model_fields.items() if typing.get_origin(f.annotation) is tuple
    }


def whole_number_path(scenario: BaseModel, dotted: str) -> bool:
    """Whether the value at ``dotted`` (``volunteers.bezoekers.size``,
    ``interventions.0.capacity``) of ``scenario`` must be a whole number, by its schema."""
    model: Any = type(scenario)
    node: Any = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    for text in dotted.split("."):
        part: str | int = int(text) if text.isdigit() else text
        if isinstance(node, list) and isinstance(part, str):  # a named item
            names = [item.get("name") if isinstance(item, dict) else None for item in node]
            part = names.index(part) if part in names else part
        try:
            node = node[part] if isinstance(node, dict | list) else None  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            node = None
        model = _field_type(model, part, node)
        if model is None:
            return False
    return model is int


def path_problem(root: type[BaseModel], data: Mapping[str, Any], dotted: str) -> str | None:
    """What is wrong with ``dotted`` as the path of a value of the ``root``
    model's ``data`` (an ``uncertain:`` value, a sweep's parameter), or None.

    A key the schema does not know (``team.ftee``) is wrong. A named item that
    is not there (a provision the scenario leaves out) is not: a scenario may
    drop a provision and keep the uncertain values of its effects (they are
    refused, by name, only if an experiment is run with them)."""
    model: Any = root
    node: Any = data
    parts = dotted.split(".")
    for depth, text in enumerate(parts):
        part: str | int = int(text) if text.isdigit() else text
        where = ".".join(parts[:depth]) or "the scenario"
        if isinstance(node, list):
            names = [item.get("name") if isinstance(item, dict) else None for item in node]
            if part in names:
                part = names.index(part)
            elif not (isinstance(part, int) and part < len(node)):
                return None  # an item left out: its type, and so its keys, unknown
            found: Any = node[part]
        elif isinstance(node, dict):
            found = node.get(part)
        elif node is None:
            found = None
        else:
            return f"{where} is a single value: it has no {text!r}"
        own = _own_type(model, node if isinstance(node, dict) else None)
        if isinstance(own, type) and issubclass(own, BaseModel):
            fields = [f.alias or name for name, f in own.model_fields.items()]
            if part not in fields:
                return f"{where} has no key {text!r}{did_you_mean(text, fields)}"
        model = _field_type(model, part, found)
        if model is None:
            return None  # below a value whose type the data does not tell
        node = found
    return None


def _in_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.source, p.line or 0, p.path))


def _problem(
    root: type[BaseModel],
    err: Mapping[str, Any],
    data: Any,
    positions: Positions,
    default_source: str,
) -> Problem:
    key = _data_key(err["loc"], data)
    kind, message = err["type"], err["msg"]
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "extra_forbidden":
        known = _known_keys(root, key[:-1], data)
        message = "unknown key" + did_you_mean(key[-1], known)
        if known and message == "unknown key":
            message += f" (expected one of: {', '.join(known)})"
    elif kind == "missing":
        message = "required key is missing"
    elif kind == "union_tag_invalid":
        message = f"unknown distribution; {message.split(': ', 1)[-1]}"
    elif kind in ("model_type", "dict_type"):
        message = "expected a mapping of keys"
        if isinstance(err.get("input"), str):
            message += _missing_colon(err["input"])
    return located(positions, key, default_source, message)


_KEY_VALUE = re.compile(r"\s*([A-Za-z_][\w.]*)\s+(\S.*)")


def _missing_colon(text: str) -> str:
    """A hint when a mapping was expected and ``text`` reads like ``key value``
    (a line such as ``fte 7`` lacks the colon that makes it a key)."""
    found = _KEY_VALUE.fullmatch(text)
    if found is None:
        return ""
    key, value = found.groups()
    value = value.split()[0]
    return f"; a colon missing? write '{key}: {value}', not '{key} {value}'"


def _data_key(loc: tuple, data: Any) -> Key:
    """The path of ``loc`` in the data: drops union tags that pydantic inserts."""
    key: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        ):
            node = node[part]
            key.append(part)
        elif i == len(loc) - 1 and isinstance(node, dict) and not _is_tag(node, part):
            key.append(part)  # a key missing; a list or a scalar has none (a tag is no key)
    return tuple(key)


def _is_tag(node: Any, part: object) -> bool:
    """Pydantic names the member of a tagged union in ``loc``; it is not a key."""
    return isinstance(node, dict) and any(node.get(tag) == part for tag in TAGS)


def _known_keys(root: type[BaseModel], key: Key, data: Any) -> list[str]:
    """Field names of the model found at ``key`` (for 'did you mean')."""
    model: Any = root
    node: Any = data
    for part in key:
        # a list is indexed by position, a mapping by name: the key's parts say which
        node = node[part] if isinstance(node, dict | list) else None  # type: ignore[index]
        model = _field_type(model, part, node)
        if model is None:
            return []
    model = _own_type(model, node)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or name for name, f in model.model_fields.items()]
    return []


def _own_type(model: Any, node: Any) -> Any:
    """The class registered for the ``type`` an intervention names (its own keys),
    else ``model``."""
    if isinstance(model, type) and issubclass(model, InterventionSpec) and isinstance(node, dict):
        kind = node.get("type")
        return REGISTRY.get(kind, model) if isinstance(kind, str) else model
    return model


def _field_type(model: Any, part: str | int, node: Any) -> Any:
    model = _own_type(model, node)
    if isinstance(model, type) and issubclass(model, BaseModel):
        field = model.model_fields.get(str(part))
        return _unwrap(field.annotation, node) if field else None
    origin = typing.get_origin(model)
    args = typing.get_args(model)
    if origin is dict and len(args) == 2:
        return _unwrap(args[1], node)
    if origin is tuple and args:
        return _unwrap(args[0], node)
    return None


def _unwrap(tp: Any, node: Any) -> Any:
    """Strip Annotated/Optional and pick the union member that the data names."""
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    members = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        for member in members:
            inner = _unwrap(member, node)
            tag = getattr(inner, "model_fields", {}).get("dist")
            if tag is not None and isinstance(node, dict) and node.get("dist") == tag.default:
                return inner
        return _unwrap(members[0], node) if len(members) == 1 else None
    return tp
