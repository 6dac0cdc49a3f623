"""Every key of a scenario file, with its type, unit, default and description,
read from the JSON Schema (the documentation's key reference is generated
from this, and a test keeps every key described)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .interventions import InterventionSpec
from .schema import json_schema

#: Names shown for the keys of a mapping, by the mapping's own key.
PLACEHOLDERS = {
    "themes": "<theme>",
    "volunteers": "<pool>",
    "uncertain": "<path>",
    "ranges": "<path>",
    "grid": "<path>",
    "prevention": "<theme>",
}
EURO = {"team_hour", "heavier_care", "debt_assistance"}
SEVERITY_MAPS = {"severity_mix", "case_weight", "contact_hours_per_week", "duration"}


@dataclass(frozen=True)
class Key:
    """One key of a scenario file."""

    section: str  # "scenario", an intervention type, "distribution: lognormal", ...
    path: str
    type: str
    unit: str
    default: str
    description: str


def scenario_keys() -> list[Key]:
    """Every key, in file order: the scenario's own, then one section per
    intervention type, per duration distribution and per uncertain distribution."""
    schema = json_schema()
    document = schema["$defs"]["Scenario"]  # a whole scenario (a file without extends)
    walker = _Walker(schema["$defs"])
    walker.walk(document, "", "scenario")
    common = set(InterventionSpec.model_fields) - {"type"}
    for i, item in enumerate(document["properties"]["interventions"]["items"]["oneOf"]):
        spec = walker.resolve(item)
        kind = spec["properties"]["type"].get("const") or spec["properties"]["type"]["default"]
        if i == 0:  # what every type has, once
            shared = {k: v for k, v in spec["properties"].items() if k in common}
            walker.walk({"properties": shared}, "interventions[]", "intervention: every type")
        own = {k: v for k, v in spec["properties"].items() if k not in common}
        walker.walk({"properties": own}, "interventions[]", f"intervention: {kind}")
    for family, refs in (("distribution", walker.distributions), ("uncertain", walker.uncertain)):
        for ref in sorted(refs):
            spec = walker.defs[ref]
            tag = spec["properties"]["dist"]
            kind = tag.get("const") or tag.get("default")
            walker.walk(spec, f"<{family}>", f"{family}: {kind}")
    return walker.keys


class _Walker:
    def __init__(self, defs: dict[str, Any]):
        self.defs = defs
        self.keys: list[Key] = []
        self.distributions: set[str] = set()
        self.uncertain: set[str] = set()

    def resolve(self, node: dict) -> dict:
        while "$ref" in node:
            node = self.defs[node["$ref"].rsplit("/", 1)[1]]
        return node

    def walk(self, node: dict, prefix: str, section: str) -> None:
        node = self.resolve(node)
        for name, prop in node.get("properties", {}).items():
            path = f"{prefix}.{name}" if prefix else name
            if section == "scenario" and path in ("interventions", "extends"):
                self._add(section, path, prop, name)
                continue
            self._add(section, path, prop, name)
            self._descend(prop, path, section, name)

    def _descend(self, prop: dict, path: str, section: str, name: str) -> None:
        for option in _options(prop):
            target = self.resolve(option)
            if self._family(option) or self._family(target):
                continue
            if target.get("type") == "object" and "properties" in target:
                self.walk(target, path, section)
            values = target.get("additionalProperties")
            if isinstance(values, dict):
                placeholder = "<severity>" if name in SEVERITY_MAPS else PLACEHOLDERS.get(name)
                inner = f"{path}.{placeholder or '<name>'}"
                for value in _options(values):
                    if not self._family(value) and "properties" in self.resolve(value):
                        self.walk(self.resolve(value), inner, section)

    def _family(self, node: dict) -> bool:
        """Note a distribution (documented once, in its own section)."""
        options = _options(node)
        refs = [o["$ref"].rsplit("/", 1)[1] for o in options if "$ref" in o]
        found = False
        for ref in refs:
            tag = self.defs[ref].get("properties", {}).get("dist")
            if tag is None:
                continue
            found = True
            (self.uncertain if ref.startswith("Uncertain") else self.distributions).add(ref)
        return found

    def _add(self, section: str, path: str, prop: dict, name: str) -> None:
        kind = _type(prop, self)
        description = prop.get("description") or _own_description(prop, self)
        if name in ("dist", "type") and kind.startswith('"'):
            description = f"{kind}: selects this " + section.split(":")[0]
        if description == DURATION_TEXT:
            description = ""
        default = prop.get("default", "")
        shown = "" if "default" not in prop else json.dumps(default, ensure_ascii=False)
        if "duration" in kind and isinstance(default, int | float):
            shown = f"{default:g} weeks"  # durations are held in weeks
        self.keys.append(Key(section, path, kind, _unit(name, kind, section), shown, description))


DURATION_TEXT = "a duration with a unit, e.g. '3 days', '6 weeks', '4 months'"


def _options(node: dict) -> list[dict]:
    out: list[dict] = []
    for key in ("anyOf", "oneOf"):
        for option in node.get(key, []):
            out.extend(_options(option) if ("anyOf" in option or "oneOf" in option) else [option])
    return out or [node]


def _own_description(prop: dict, walker: _Walker) -> str:
    for option in _options(prop):
        target = walker.resolve(option)
        if target is not option and target.get("description"):
            return target["description"]
    return ""


def _type(prop: dict, walker: _Walker) -> str:
    kinds = []
    for option in _options(prop):
        target = walker.resolve(option)
        if "dist" in target.get("properties", {}):
            uncertain = option.get("$ref", "").rsplit("/", 1)[-1].startswith("Uncertain")
            kinds.append("uncertain distribution" if uncertain else "distribution")
        elif "pattern" in target:
            kinds.append("duration")
        elif "const" in target:
            kinds.append(json.dumps(target["const"]))
        elif "enum" in target:
            kinds.append(" | ".join(json.dumps(v) for v in target["enum"]))
        elif target.get("type") == "null":
            continue
        elif target.get("type") == "object":
            kinds.append("mapping" if "properties" not in target else "section")
        elif target.get("type") == "array":
            kinds.append("list")
        else:
            kinds.append(target.get("type", "any"))
    return " or ".join(dict.fromkeys(kinds)) or "any"


def _unit(name: str, kind: str, section: str) -> str:
    if "duration" in kind:
        return "with a unit: days, weeks, months, years"
    if name == "requests_per_1000":
        return "requests per 1,000 residents per year"
    if name.endswith("_per_1000"):
        return "per 1,000 residents per year"
    if name.endswith("_share") or name in ("probability", "uptake", "effect", "settled_at_intake"):
        return "share (0-1)"
    if "cost" in name or "expenses" in name or name in EURO:
        return "euro"
    if name.endswith("_per_year"):
        return "per year"
    if name.endswith("hours_per_week"):
        return "hours per week"
    if name.endswith("_per_week"):
        return "per week"
    if name == "fte":
        return "FTE"
    return ""


__all__ = ["Key", "scenario_keys"]
