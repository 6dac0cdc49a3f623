"""Merging a scenario with its bases (``extends``), and where each value then came from.

Mappings merge key by key, lists of named mappings (``interventions``) merge
item by ``name``, anything else is replaced whole; a mapping of another kind
(another ``dist`` or ``type``) replaces its base whole too.
"""

from __future__ import annotations

from typing import Any, TypeGuard

from .interventions import NAMES_IN_BASE
from .positions import Key, Positions

#: Keys that say which kind of thing a mapping is; a mapping of another kind
#: replaces its base whole instead of merging into it.
TAGS = ("dist", "type")


def deep_merge(base: dict, override: dict) -> dict:
    """``base`` updated by ``override``; nested mappings merge, the rest is replaced."""
    merged = dict(base)
    for key, value in override.items():
        below = merged.get(key)
        if isinstance(value, dict) and isinstance(below, dict) and _same_kind(below, value):
            merged[key] = deep_merge(below, value)
        elif _named_items(value) and _named_items(below):
            merged[key] = _merge_by_name(below, value)
        else:
            merged[key] = value
    return merged


def _named_items(value: Any) -> TypeGuard[list[dict]]:
    return isinstance(value, list) and all(isinstance(v, dict) and "name" in v for v in value)


def _slots(base: list[dict], override: list[dict]) -> list[int]:
    """Where each item of ``override`` goes when merged by name: the index of the
    base item of its name (the last, if several), or a new one after the rest.
    A name ``override`` itself gives twice gets a new slot the second time, so
    that the schema refuses the two items at their lines instead of one being
    merged into the other unseen."""
    index = {_key(item["name"]): i for i, item in enumerate(base)}
    size, slots, seen = len(base), [], set()
    for item in override:
        name = _key(item["name"])
        if name not in index or name in seen:
            index[name] = size
            size += 1
        seen.add(name)
        slots.append(index[name])
    return slots


def _key(name: Any) -> Any:
    """A name as a key (a hostile list or mapping as its text: the schema refuses it)."""
    return name if isinstance(name, str | int | float | bool | None) else repr(name)


def _merge_by_name(base: list[dict], override: list[dict]) -> list[dict]:
    """Items with a ``name`` already in ``base`` merge into it; new names append."""
    merged = list(base)
    typed = any("type" in item for item in base)
    for item, i in zip(override, _slots(base, override), strict=True):
        if i == len(merged):
            if typed and "type" not in item:  # a misspelled name? (see interventions.py)
                item = {**item, NAMES_IN_BASE: [b["name"] for b in base]}
            merged.append(item)
        elif _same_kind(merged[i], item):
            merged[i] = deep_merge(merged[i], item)
        else:
            merged[i] = item
    return merged


_MOMENTS, _QUANTILES = {"mean", "sd"}, {"median", "p90"}


def _same_kind(base: dict, override: dict) -> bool:
    """Whether ``override`` merges into ``base`` rather than replacing it: of the
    same ``dist``/``type``, and not a lognormal given by mean and sd over one by
    median and p90 (or the other way round), which must not mix."""
    for own, other in ((_MOMENTS, _QUANTILES), (_QUANTILES, _MOMENTS)):
        if own & override.keys() and other & base.keys() and not other & override.keys():
            return False
    return all(override.get(tag, base.get(tag)) == base.get(tag) for tag in TAGS)


def merge_positions(
    base: dict, base_positions: Positions, override: dict, override_positions: Positions
) -> Positions:
    """Positions after ``deep_merge(base, override)``: the base's lines survive only
    where the override merges into the base, not under a value it replaces whole."""
    kept = {k: v for k, v in base_positions.items() if not _replaced(k, base, override)}
    moved = _moved_items(base, override)
    return {**kept, **{_moved(k, moved): v for k, v in override_positions.items()}}


def _moved_items(base: Any, override: Any, at: Key = ()) -> dict[Key, Key]:
    """Where ``deep_merge`` puts the override's items of lists merged by name:
    ``at + (key, index in the override)`` -> ``at + (key, index in the result)``."""
    moved: dict[Key, Key] = {}
    if not (isinstance(base, dict) and isinstance(override, dict)):
        return moved
    for key, value in override.items():
        below = base.get(key)
        if isinstance(value, dict) and isinstance(below, dict) and _same_kind(below, value):
            moved |= _moved_items(below, value, (*at, key))
        elif _named_items(value) and _named_items(below):
            for j, i in enumerate(_slots(below, value)):
                moved[(*at, key, j)] = (*at, key, i)
    return moved


def _moved(key: Key, moved: dict[Key, Key]) -> Key:
    for n in range(len(key), 0, -1):
        if key[:n] in moved:
            return moved[key[:n]] + key[n:]
    return key


def _replaced(key: Key, base: Any, override: Any) -> bool:
    """Whether ``override`` replaces (rather than merges into) ``base`` at or above ``key``."""
    for part in key:
        if not isinstance(override, dict) or part not in override:
            return False
        below = base.get(part) if isinstance(base, dict) else None
        over = override[part]
        if not (isinstance(over, dict) and isinstance(below, dict) and _same_kind(below, over)):
            return True
        base, override = below, over
    return False
