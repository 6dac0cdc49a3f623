"""libyaml and wijksim's YAML 1.2 rules read a file as ruamel.yaml read it (issue 20, part 4).

The reference is the loader of main before the change, kept here: ruamel's
pure-Python safe loader composing nodes, its constructor typing the scalars.
For generated scalars (plain, quoted, tagged; as keys and as values) and
generated documents (block and flow, anchors, aliases, merge keys, comments),
libyaml (``WIJKSIM_YAML`` unset) and the pure-Python fallback
(``WIJKSIM_YAML=python``) give the same data, of the same types (``True`` is
not ``1``, ``12.000`` keeps its text, NaN its sign), and the same line for
every key; a document both refuse is refused by both at the same line (the
words of a syntax error are the parser's own).
"""

from __future__ import annotations

import contextlib
import datetime
import math
import os
import struct
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import note as hypothesis_note
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from wijksim.scenario import composer
from wijksim.scenario.base import DottedNumber
from wijksim.scenario.overrides import parse_override
from wijksim.scenario.positions import located
from wijksim.scenario.problems import Problem, ScenarioError
from wijksim.scenario.reading import FILE_KEYS, MAX_DEPTH, MAX_VALUES, read_yaml
from wijksim.scenario.reading import _float as dotted_float

PARSERS = ["libyaml", "python"]
#: the fixture sets the parser once for all of a test's examples, as meant
ONE_PARSER = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.fixture(params=PARSERS)
def parser(request, monkeypatch):
    if request.param == "libyaml" and composer.CParser is None:
        pytest.skip("PyYAML without libyaml")
    monkeypatch.setenv(composer.ENVIRONMENT, request.param)
    assert composer.parser() == request.param
    return request.param


# -- the reference: the loader before issue 20 (ruamel.yaml, pure Python) -------------------

_YAML = "tag:yaml.org,2002:"
_PLAIN = {f"{_YAML}{t}" for t in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")}


def ruamel_read(path: Path) -> tuple[dict, dict]:
    source = str(path)
    text = path.read_text(encoding="utf-8")
    loader = YAML(typ="safe", pure=True)
    try:
        node = loader.compose(StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(str(m) for m in (exc.context, exc.problem) if m)
        raise ScenarioError([Problem(source, line, "", f"invalid YAML: {message}")]) from None
    except YAMLError as exc:
        raise ScenarioError([Problem(source, None, "", f"invalid YAML: {exc}")]) from None
    except RecursionError:
        message = f"nested too deeply (at most {MAX_DEPTH} levels)"
        raise ScenarioError([Problem(source, None, "", message)]) from None
    positions: dict = {(): (source, 1)}
    if node is None:
        return {}, positions
    if not isinstance(node, MappingNode):
        raise ScenarioError([Problem(source, 1, "", "a scenario file must be a mapping of keys")])
    data = _RuamelPlain(positions, source, path.parent, loader.constructor).convert(node, ())
    return data, positions


class _RuamelPlain:
    def __init__(self, positions, source, folder, constructor):
        self.positions, self.source, self.folder = positions, source, folder
        self.constructor = constructor
        self.values = 0
        self.open: set[int] = set()

    def refuse(self, key, message):
        return ScenarioError([located(self.positions, key, self.source, message)])

    def convert(self, node: Node, key) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            raise self.refuse(key, f"more than {MAX_VALUES:,} values (aliases expanding?)")
        if len(key) > MAX_DEPTH:
            raise self.refuse(key, f"nested too deeply (at most {MAX_DEPTH} levels)")
        if node.tag not in _PLAIN:
            tag = str(node.tag).replace(_YAML, "!!")
            raise self.refuse(key, f"YAML tag {tag} is not supported: write a plain value")
        if isinstance(node, MappingNode | SequenceNode):
            if id(node) in self.open:
                raise self.refuse(key, "an alias refers to itself")
            self.open.add(id(node))
            try:
                if isinstance(node, MappingNode):
                    return self._mapping(node, key)
                return self._list(node, key)
            finally:
                self.open.discard(id(node))
        return self._scalar(node, key)

    def _scalar(self, node, key):
        if node.tag == f"{_YAML}str":
            return str(node.value)
        try:
            value = self.constructor.construct_object(node)
        except (YAMLError, ValueError, OverflowError) as exc:
            raise self.refuse(key, f"not a value YAML can read: {exc}") from None
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, float):
            return dotted_float(value, str(node.value))
        return value

    def _mapping(self, node, key):
        out: dict = {}
        lines: dict = {}
        merged: list = []
        for k, value in node.value:
            if k.tag == f"{_YAML}merge":
                for base in value.value if isinstance(value, SequenceNode) else [value]:
                    if not isinstance(base, MappingNode):
                        raise self.refuse(key, "<< merges a mapping (or a list of them)")
                    merged.extend(base.value)
                continue
            name = self._key(k, key)
            if name in lines:
                line, first = k.start_mark.line + 1, lines[name]
                message = f"invalid YAML: duplicate key {name!r} (first at line {first})"
                raise ScenarioError([Problem(self.source, line, "", message)])
            lines[name] = k.start_mark.line + 1
            out[name] = self._child(value, key, name, lines[name])
        for k, value in merged:
            name = self._key(k, key)
            if name not in out:
                line = self.positions.get(key, (self.source, None))[1]
                out[name] = self._child(value, key, name, line)
        return out

    def _key(self, node, key):
        if not isinstance(node, ScalarNode) or node.tag not in _PLAIN - {f"{_YAML}null"}:
            raise self.refuse(key, "a key must be a plain name")
        return str(self._scalar(node, key))

    def _child(self, value, key, name, line):
        child = (*key, name)
        self.positions[child] = (self.source, line)
        converted = self.convert(value, child)
        if name in FILE_KEYS and isinstance(converted, str):
            converted = str(self.folder / converted)
        return converted

    def _list(self, node, key):
        out = []
        for i, value in enumerate(node.value):
            child = (*key, i)
            self.positions[child] = (self.source, value.start_mark.line + 1)
            out.append(self.convert(value, child))
        return out


# -- comparing ----------------------------------------------------------------------


def typed(value: Any, open_: frozenset[int] = frozenset()) -> Any:
    """``value`` with every type and float bit pattern spelt out, so that equal
    means the same data (``True != 1``, ``1.0 != 1``, NaN's sign counts)."""
    if isinstance(value, dict | list):
        if id(value) in open_:
            return "a cycle"
        open_ = open_ | {id(value)}
    if isinstance(value, dict):
        return ("dict", [(typed(k, open_), typed(v, open_)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v, open_) for v in value])
    if isinstance(value, float):
        text = value.text if isinstance(value, DottedNumber) else None
        return (type(value).__name__, struct.pack(">d", value).hex(), text)
    if isinstance(value, datetime.date):
        return (type(value).__name__, value.isoformat(), str(getattr(value, "tzinfo", None)))
    return (type(value).__name__, value)


def outcome(read, path: Path) -> tuple[str, Any]:
    try:
        data, positions = read(path)
    except ScenarioError as exc:
        return "refused", exc.problems
    return "read", (typed(data), positions)


def note(text: str) -> None:
    """Noted for a failing example of hypothesis (outside of one: nothing)."""
    with contextlib.suppress(InvalidArgument):
        hypothesis_note(text)


def _event(text: str) -> None:
    with contextlib.suppress(InvalidArgument):
        event(text)


_FOLDER = tempfile.TemporaryDirectory(prefix="wijksim-yaml12-")


def syntax(message: str) -> bool:
    """Whether ``message`` is the parser's (not wijksim's duplicate-key check)."""
    return message.startswith("invalid YAML") and "duplicate key" not in message


def same_as_ruamel(text: str) -> None:
    """``text`` is read now as ruamel read it (or refused as it refused it)."""
    path = Path(_FOLDER.name) / "s.yaml"
    path.write_text(text, encoding="utf-8")
    note(repr(text))
    try:
        before = outcome(ruamel_read, path)
    except Exception as exc:  # the old loader crashed (!!bool maybe): anything better will do
        note(f"ruamel crashed: {exc!r}")
        now = outcome(read_yaml, path)
        assert now[0] in ("read", "refused")
        return
    now = outcome(read_yaml, path)
    assert now[0] == before[0], (now, before)
    _event(now[0] if now[0] == "read" else now[1][0].message[:24])
    if now[0] == "read":
        assert now[1] == before[1]
        return
    (was,), (is_,) = before[1], now[1]
    if any(syntax(p.message) for p in (was, is_)):
        # refused by both; where the parsers differ (ruamel reads "- :" as a
        # mapping with an empty key, refused as a key; libyaml does not parse it)
        # the words differ, and each is located
        assert is_.source == was.source
        return
    assert (is_.source, is_.path) == (was.source, was.path)
    if was.message.startswith("not a value YAML can read"):
        assert is_.message.startswith("not a value YAML can read")
        assert is_.line == was.line
        return
    assert is_ == was


# -- scalars ------------------------------------------------------------------------

TRICKY = [
    *("no", "No", "NO", "on", "On", "off", "yes", "Yes", "y", "n", "Y", "N"),
    *("true", "True", "TRUE", "false", "False", "FALSE", "tRue"),
    *("0", "-0", "+0", "00", "010", "0o10", "0O10", "0o", "08", "0x1f", "0x1F", "0X1f", "0xg"),
    *("0b101", "0b2", "1_000", "1__0", "_1", "+_", "-_", "0_", "1_000.5", "1,000", "12.000"),
    *("+12.000", "1.000.000", "1e3", "1E3", "1e+3", "1e-3", "1.5e3", "1.e3", ".5", "+.5e+3"),
    *(".5e3", "-.5", "1.", "-1.", "._", "+.", ".", "1:30", "1:30:00", "-1:30", "1:30.5"),
    *(".inf", ".Inf", ".INF", "-.inf", "+.inf", ".nan", ".NaN", ".NAN", "-.nan", "inf", "nan"),
    *("~", "null", "Null", "NULL", "nULL", "none", "None"),
    *("2027-01-01", "2027-1-1", "2027-02-30", "2027-13-01", "2027-01-01 10:00:00"),
    *("2027-01-01T10:00:00Z", "2027-01-01t10:00:00.1234567", "2027-01-01 1:00:00 +01:00"),
    *("2027-01-01T10:00:00-5", "2027-01-01T10:00:00.9999999", "2027-01-01T25:00:00", "0001-01-01"),
    *("=", "<<", "a b", "4 months", "1 week", "12 weeks", "10%", "€10", "x:y", "a#b", "a # b"),
    *("1" + "0" * 400, "1e999", "-1e999", "0x" + "f" * 40, "9" * 30 + ".5"),
]
TAGS = ["", "!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!timestamp ", "! ", "!x "]
TAGS += ["!!map ", "!!seq ", "!!binary ", "!<tag:yaml.org,2002:int> "]


def quoted(text: str, style: str) -> str:
    if style == "'":
        return "'" + text.replace("'", "''") + "'"
    if style == '"':
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


scalar_text = st.one_of(
    st.sampled_from(TRICKY),
    st.text(alphabet="0123456789+-._:eEoxbTZ ~nuly", min_size=1, max_size=12),
)


@ONE_PARSER
@given(
    text=scalar_text,
    tag=st.sampled_from(TAGS),
    style=st.sampled_from(["", "", "'", '"']),
    as_key=st.booleans(),
)
@example(text="010", tag="", style="", as_key=False)
@example(text="! 5", tag="", style="", as_key=False)
@example(text=" ", tag="! ", style="", as_key=False)  # a bare "!" is the empty plain scalar
@example(text=" ", tag="! ", style="", as_key=True)
@example(text="", tag="! ", style="'", as_key=False)
def test_a_scalar_means_what_it_meant(parser, text, tag, style, as_key):
    written = tag + quoted(text, style)
    document = f"{written}: x\n" if as_key else f"a: {written}\nb:\n  - {written}\n"
    same_as_ruamel(document)


# -- documents ----------------------------------------------------------------------

names = st.sampled_from(["a", "b", "name", "team", "fte", "dist", "no", "on", "1", "010", "csv"])


def _block(value: Any, indent: int, rng: st.DataObject) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                if rng.draw(st.booleans(), "comment"):
                    lines.append(f"{pad}  # a comment")
                lines.extend(_block(item, indent + 2, rng))
            else:
                lines.append(f"{pad}{key}: {_flow(item)}")
            if rng.draw(st.booleans(), "blank"):
                lines.append("")
        return lines
    lines = []
    for item in value:
        if isinstance(item, dict) and item:
            inner = _block(item, indent + 2, rng)
            lines.append(f"{pad}- {inner[0].lstrip()}")
            lines.extend(inner[1:])
        elif isinstance(item, list) and item:
            lines.append(f"{pad}-")
            lines.extend(_block(item, indent + 2, rng))
        else:
            lines.append(f"{pad}- {_flow(item)}")
    return lines


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return value


leaves = st.one_of(st.sampled_from(TRICKY), scalar_text.map(str.strip).filter(bool))
trees = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(names, inner, max_size=4),
    ),
    max_leaves=12,
)


@ONE_PARSER
@given(tree=st.dictionaries(names, trees, min_size=1, max_size=5), data=st.data())
def test_a_document_reads_as_it_read(parser, tree, data):
    text = "\n".join(_block(tree, 0, data)) + "\n"
    if data.draw(st.booleans(), "anchors"):  # an anchor on the first key's value, used below
        first = next(iter(tree))
        text = text.replace(f"{first}:", f"{first}: &x", 1)
        text += data.draw(st.sampled_from(["zz: *x\n", "zz:\n  <<: *x\n  a: 1\n", "zz: [*x]\n"]))
    if data.draw(st.booleans(), "header"):
        text = data.draw(st.sampled_from(["---\n", "%YAML 1.2\n---\n", "# top\n\n"])) + text
    same_as_ruamel(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: &x 2\nc: *x\n",  # an anchor defined again names its last node
        "a: &x [*x]\n",
        "a: &x {b: *x}\n",
        "a: *nothing\n",
        "a: 1\n---\nb: 2\n",
        "%YAML 1.1\n---\na: yes\nb: 010\nc: 1:30\nd: 1:30.5\n",
        "%YAML 1.2\n---\na: yes\nb: 010\n",
        "a: !!map x\nb: !!seq x\n!!map x: 1\n",
        "? [a, b]\n: c\n",
        "? {a: b}\n: c\n",
        "a: |\n  text\n  more\nb: >\n  folded\n  text\n",
        "a:\n\tb: 1\n",
        "\ufeffa: 1\n",
        "a: 1\r\nb: 2\r\n",
        "a: b: c\n",
        "a: [1, 2\nb: 3\n",
        "a: 'unclosed\n",
        'a: "\\/ \\x41 \\u00e9"\n',
        "- a\n- b\n",
        "just text\n",
        "",
        "# only a comment\n",
        "a:\n  <<: [{b: 1}, {b: 2, c: 3}]\n  d: 4\n",
        "a:\n  <<: 1\n",
        "a: 1\na: 2\n",
        "~: 1\n",
        "a: " + "[" * 60 + "]" * 60 + "\n",
        "a: " + "[" * 5000 + "]" * 5000 + "\n",
        "a: !custom x\n",
        "a: !!python/object:os.system {}\n",
        "%TAG !e! tag:yaml.org,2002:\n---\na: !e!int '5'\n",
    ],
)
def test_edge_documents_read_as_they_read(parser, text):
    same_as_ruamel(text)


# -- --set values -------------------------------------------------------------------


def ruamel_override(value: str) -> Any:
    try:
        parsed = YAML(typ="safe").load(StringIO(value))
    except YAMLError:
        parsed = value
    return parsed if value.strip() else ""


@ONE_PARSER
@given(
    value=st.one_of(
        st.sampled_from(TRICKY),
        scalar_text,
        st.sampled_from(TAGS).flatmap(lambda t: st.sampled_from(TRICKY).map(lambda x: t + x)),
        st.sampled_from(
            ["[1, 2]", "{a: 1}", "{a: 1, a: 2}", "&x [1, *x]", "[1, 2", "{<<: {a: 1}}"]
        ),
        st.just("a: 1\nb: [x, 2027-01-01]"),
    )
)
def test_a_set_value_means_what_it_meant(parser, value):
    try:
        before = ruamel_override(value)
    except Exception:  # ruamel crashed on it
        assume(False)
    _, now = parse_override(f"k={value}")
    if isinstance(before, float) and math.isnan(before):
        assert isinstance(now, float) and math.isnan(now)
        return
    assert typed(now) == typed(before)


# -- the tests of loading, on the pure-Python fallback ------------------------------

#: The tests of reading scenario files that pass on libyaml (the default) and must
#: pass unchanged on the pure-Python parser, where PyYAML has no libyaml.
LOADING_TESTS = [
    "tests/scenario/test_loading.py",
    "tests/scenario/test_hostile.py",
    "tests/scenario/test_messages.py",
]


def test_the_loading_tests_pass_on_the_pure_python_parser():
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, composer.ENVIRONMENT: "python"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]
    result = subprocess.run(
        [*command, *LOADING_TESTS],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
