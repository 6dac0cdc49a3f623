"""The engine's copies kept for speed (``wijksim.model.core``) are the code
they copy: an area added to ``Core._accrue``, or an attribute to ``Core._new``,
and not to their copies would change results silently."""

from __future__ import annotations

import ast
import inspect
import textwrap

from wijksim.model.core import Core


def _body(method) -> list[ast.stmt]:
    source = textwrap.dedent(inspect.getsource(method))
    return ast.parse(source).body[0].body


def _dump(nodes, rename: dict[str, str] | None = None) -> list[str]:
    rename = rename or {}

    class Rename(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.Name:
            return ast.Name(rename.get(node.id, node.id), node.ctx)

    return [ast.dump(Rename().visit(n)) for n in nodes]


def test_the_area_update_is_copied_whole_into_enter_and_close():
    accrue = _body(Core._accrue)
    # now = self._agenda.now; dt = now - self._last; if dt: (every area); return now
    update = _dump(accrue[-4:-1])
    for method in (Core._enter, Core._close):
        body = _dump(_body(method))
        start = body.index(update[0])
        assert body[start : start + len(update)] == update, method.__name__


def test_the_request_is_made_in_the_arrival_as_new_makes_it():
    new = [s for s in _body(Core._new) if not isinstance(s, ast.Expr)]  # no docstring
    made = _dump(new[:-1], {"theme": "t", "origin": "NEW"})  # up to `return request`
    arrival = _dump(_body(Core._potential_arrival))
    start = arrival.index(made[0])
    assert arrival[start : start + len(made)] == made
