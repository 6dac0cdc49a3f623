"""What a YAML scalar means: wijksim's own typing rules, YAML 1.2's core schema.

A plain ``no``, ``on`` or ``yes`` is text, ``010`` is ten, ``0o10`` eight,
``0x1f`` thirty-one, ``1_000`` a thousand, ``1e3`` a float, ``.inf`` and
``.nan`` floats, ``~``, ``null`` and nothing at all are None, and
``2027-01-01`` a date: what ruamel.yaml's safe loader (YAML 1.2) made of
scenario files before they were parsed with libyaml. A document that says
``%YAML 1.1`` is read by the 1.1 rules, as ruamel read it (``yes`` true,
``010`` eight, ``1:30`` ninety).

The parser (libyaml, or PyYAML's pure-Python one) only finds the scalars;
:func:`resolve` names their type (a tag), :func:`construct` makes the value.
The regular expressions and conversions are ruamel's (0.18), so that a scalar
means exactly what it meant; ``tests/scenario/test_yaml12.py`` compares
the two on generated documents.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

YAML = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (f"{YAML}{t}" for t in ("str", "int", "float", "bool", "null"))
TIMESTAMP, MERGE, VALUE = f"{YAML}timestamp", f"{YAML}merge", f"{YAML}value"
MAP, SEQ = f"{YAML}map", f"{YAML}seq"

Version = tuple[int, int]
V12: Version = (1, 2)
V11: Version = (1, 1)

_TIMESTAMP_TEXT = r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?
        :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$"""

# (versions, tag, expression, first characters), in ruamel's order: the first
# expression that matches a plain scalar names its type
_IMPLICIT: list[tuple[tuple[Version, ...], str, str, str]] = [
    ((V12,), BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (
        (V11,),
        BOOL,
        r"""^(?:y|Y|yes|Yes|YES|n|N|no|No|NO
        |true|True|TRUE|false|False|FALSE
        |on|On|ON|off|Off|OFF)$""",
        "yYnNtTfFoO",
    ),
    (
        (V12,),
        FLOAT,
        r"""^(?:
         [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        "-+0123456789.",
    ),
    (
        (V11,),
        FLOAT,
        r"""^(?:
         [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        "-+0123456789.",
    ),
    (
        (V12,),
        INT,
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$""",
        "-+0123456789",
    ),
    (
        (V11,),
        INT,
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0?[0-7_]+
        |[-+]?(?:0|[1-9][0-9_]*)
        |[-+]?0x[0-9a-fA-F_]+
        |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$""",
        "-+0123456789",
    ),
    ((V12, V11), MERGE, r"^(?:<<)$", "<"),
    (
        (V12, V11),
        NULL,
        r"""^(?: ~
        |null|Null|NULL
        | )$""",
        "~nN\0",
    ),  # \0: the empty scalar
    ((V12, V11), TIMESTAMP, _TIMESTAMP_TEXT, "0123456789"),
    ((V12, V11), VALUE, r"^(?:=)$", "="),
]


def _table(version: Version) -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    table: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for versions, tag, expression, first in _IMPLICIT:
        if version in versions:
            pattern = re.compile(expression, re.X)
            for char in first:
                table.setdefault("" if char == "\0" else char, []).append((tag, pattern))
    return {char: tuple(found) for char, found in table.items()}


#: The implicit types by a plain scalar's first character, per YAML version.
TABLES = {V12: _table(V12), V11: _table(V11)}


def resolve(value: str, version: Version = V12) -> str:
    """The tag of a plain (untagged, unquoted) scalar ``value``."""
    for tag, pattern in TABLES[version].get(value[:1], ()):
        if pattern.match(value):
            return tag
    return STR


# -- values ------------------------------------------------------------------------

_BOOLS = {
    "yes": True,
    "no": False,
    "y": True,
    "n": False,
    "true": True,
    "false": False,
    "on": True,
    "off": False,
}


def construct(tag: str, value: str, version: Version = V12) -> Any:
    """The value of a scalar ``value`` of type ``tag`` (one of the plain types).

    Raises ``ValueError`` (or ``OverflowError``) for a scalar its type cannot
    read, such as ``!!int x``.
    """
    if tag == STR:
        return value
    if tag == INT:
        return _int(value, version)
    if tag == FLOAT:
        return _float(value, version)
    if tag == BOOL:
        try:
            return _BOOLS[value.lower()]
        except KeyError:
            raise ValueError(f"{value!r} is not a yes/no value") from None
    if tag == NULL:
        return None
    if tag == TIMESTAMP:
        return _timestamp(value)
    if tag == MAP:  # a scalar tagged !!map or !!seq: ruamel gave an empty one
        return {}
    if tag == SEQ:
        return []
    raise ValueError(f"no plain value of type {tag}")


def _int(text: str, version: Version) -> int:
    text = text.replace("_", "")
    sign = -1 if text[:1] == "-" else +1
    if text[:1] in ("+", "-"):
        text = text[1:]
    if text == "0":
        return 0
    if text.startswith("0b"):
        return sign * int(text[2:], 2)
    if text.startswith("0x"):
        return sign * int(text[2:], 16)
    if text.startswith("0o"):
        return sign * int(text[2:], 8)
    if version == V11 and text[:1] == "0":
        return sign * int(text, 8)
    if version == V11 and ":" in text:
        return sign * _sexagesimal(text, int)
    return sign * int(text)


#: ruamel's quiet NaN: the sign bit set, as ``-inf / inf`` makes it.
_NAN = -math.inf / math.inf


def _float(text: str, version: Version) -> float:
    text = text.replace("_", "").lower()
    sign = -1 if text[:1] == "-" else +1
    if text[:1] in ("+", "-"):
        text = text[1:]
    if text == ".inf":
        return sign * math.inf
    if text == ".nan":
        return _NAN
    if version != V12 and ":" in text:
        return sign * _sexagesimal(text, float)
    return sign * float(text)


def _sexagesimal(text: str, kind: Any) -> Any:
    value, base = kind(0), 1
    for digit in reversed([kind(part) for part in text.split(":")]):
        value += digit * base
        base *= 60
    return value


_TIMESTAMP = re.compile(
    r"""^(?P<year>[0-9][0-9][0-9][0-9])
       -(?P<month>[0-9][0-9]?)
       -(?P<day>[0-9][0-9]?)
       (?:((?P<t>[Tt])|[ \t]+)
       (?P<hour>[0-9][0-9]?)
       :(?P<minute>[0-9][0-9])
       :(?P<second>[0-9][0-9])
       (?:\.(?P<fraction>[0-9]*))?
        (?:[ \t]*(?P<tz>Z|(?P<tz_sign>[-+])(?P<tz_hour>[0-9][0-9]?)
       (?::(?P<tz_minute>[0-9][0-9]))?))?)?$""",
    re.X,
)


def _timestamp(text: str) -> datetime.date:
    found = _TIMESTAMP.match(text)
    if found is None:
        raise ValueError(f'failed to construct timestamp from "{text}"')
    parts = found.groupdict()
    year, month, day = int(parts["year"]), int(parts["month"]), int(parts["day"])
    if parts["hour"] is None:
        return datetime.date(year, month, day)
    fraction, late = 0, False
    if parts["fraction"]:
        digits = parts["fraction"]
        fraction = int(digits[:6].ljust(6, "0"))
        if len(digits) > 6 and int(digits[6]) > 4:
            fraction += 1
        if fraction > 999_999:  # rounded up to the next second
            fraction, late = 0, True
    tzinfo = None
    if parts["tz_sign"]:
        offset = datetime.timedelta(
            hours=int(parts["tz_hour"]), minutes=int(parts["tz_minute"] or 0)
        )
        tzinfo = datetime.timezone(-offset if parts["tz_sign"] == "-" else offset, parts["tz"])
    elif parts["tz"] == "Z":
        tzinfo = datetime.timezone(datetime.timedelta(0), "Z")
    moment = datetime.datetime(
        year,
        month,
        day,
        int(parts["hour"]),
        int(parts["minute"]),
        int(parts["second"]),
        fraction,
        tzinfo,
    )
    return moment + datetime.timedelta(seconds=1) if late else moment
