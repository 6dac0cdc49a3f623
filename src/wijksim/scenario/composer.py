"""YAML text to nodes that keep their lines: libyaml's parser, or PyYAML's own.

Nodes are composed, not constructed: nothing is built from a tag, and each
node keeps the line it starts on. Plain scalars are typed by wijksim's own
YAML 1.2 rules (:mod:`.yaml12`), not by PyYAML's 1.1 ones.

libyaml (PyYAML's C extension) reads a scenario in a fraction of the time a
pure-Python parser takes. Where the extension is missing, or where
``WIJKSIM_YAML=python`` is set, PyYAML's pure-Python parser is used instead.
A document libyaml refuses is read again by the pure-Python parser, so that
both report a problem alike (and so that an anchor defined twice names its
last node, as YAML 1.2 says, rather than being refused). A document with a
``%YAML`` directive is read by the pure-Python parser too: it tells the
version, whose typing rules then apply.
"""

from __future__ import annotations

import os

from yaml.composer import Composer
from yaml.error import YAMLError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

from . import yaml12

try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML without libyaml
    CParser = None

#: Set to ``python`` to read scenario files with the pure-Python parser.
ENVIRONMENT = "WIJKSIM_YAML"

_DEFAULT = {ScalarNode: yaml12.STR, SequenceNode: yaml12.SEQ, MappingNode: yaml12.MAP}


def parser() -> str:
    """Which parser reads scenario files: ``"libyaml"`` or ``"python"``."""
    if CParser is None or os.environ.get(ENVIRONMENT, "").lower() == "python":
        return "python"
    return "libyaml"


def compose(text: str) -> tuple[Node | None, yaml12.Version]:
    """The root node of the one YAML document in ``text`` (None if it is empty),
    and the YAML version its scalars are read by.

    Raises PyYAML's ``YAMLError`` (a ``MarkedYAMLError`` with the line, mostly)
    for text that is not YAML, and ``RecursionError`` for nesting too deep to
    compose.
    """
    if parser() == "libyaml" and "%YAML" not in text:
        composer = _CComposer(text)
        try:
            return composer.get_single_node(), yaml12.V12
        except YAMLError:
            pass  # read again below: the pure-Python parser says what is wrong
        finally:
            composer.dispose()
    composer = _PyComposer(text)
    return composer.get_single_node(), composer.version()


class _Resolver:
    """The tags of nodes without one, by :mod:`.yaml12` (called by the composer)."""

    def version(self) -> yaml12.Version:
        return yaml12.V12

    def descend_resolver(self, parent: Node | None, index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        # asked for an untagged scalar or one tagged "!": typed unless it is quoted
        # and untagged; libyaml says (False, False) for a bare "!" with no text,
        # which ruamel (and PyYAML's own parser) typed as the plain empty scalar
        if kind is ScalarNode and (implicit[0] or not implicit[1]):
            return yaml12.resolve(value or "", self.version())
        return _DEFAULT[kind]


if CParser is not None:

    class _CComposer(CParser, _Resolver):
        pass


class _PyComposer(Reader, Scanner, Parser, Composer, _Resolver):
    """PyYAML's pure-Python parser and composer, with the YAML version of the
    document's ``%YAML`` directive and anchors that may be defined again."""

    def __init__(self, text: str):
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)

    def version(self) -> yaml12.Version:
        said = self.yaml_version
        if said is None:
            return yaml12.V12
        if said not in yaml12.TABLES:
            raise YAMLError(f"YAML version {said[0]}.{said[1]} is not supported (1.1 or 1.2)")
        return said

    def compose_node(self, parent: Node | None, index: object) -> Node:
        if not self.check_event(AliasEvent):
            anchor = self.peek_event().anchor
            if anchor is not None:  # defined again: from here on it names the new node
                self.anchors.pop(anchor, None)
        return super().compose_node(parent, index)
