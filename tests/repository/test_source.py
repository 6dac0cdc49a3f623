"""Checks over the source of ``src/wijksim`` (its text, nothing is imported):

- no import circle between files: the layer contract in ``pyproject.toml``
  (import-linter) holds between packages, so two files of one package could
  still import each other; here every import counts, at the top, inside a
  function or under ``TYPE_CHECKING``;
- no module reads another module's private attributes (``obj._x`` where ``obj``
  is not ``self`` or ``cls`` and ``_x`` is not defined in the same file, or
  ``from m import _x``), except simpy's fields in the engine's one seam,
  ``wijksim/model/scheduling.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"

#: The seam: simpy's private fields that the engine uses, all of them in
#: ``wijksim/model/scheduling.py`` (documented there, and tested against
#: ``simpy.Timeout`` in tests/model/test_scheduling.py).
SIMPY_SEAM = {
    ("wijksim/model/scheduling.py", "_queue"),  # Environment._queue: the heap
    ("wijksim/model/scheduling.py", "_eid"),  # Environment._eid: the ids' counter
    ("wijksim/model/scheduling.py", "_now"),  # Environment._now: the clock
    ("wijksim/model/scheduling.py", "_getframe"),  # sys._getframe: stepped by run()?
}

#: Import circles still in the source when the engine's were removed (issue 20),
#: outside the engine: each is left to its own files' work. A circle found must
#: lie within one of these (a new one fails), and one of these that is gone must
#: be taken off (so that it cannot come back unseen).
KNOWN_CIRCLES: set[frozenset[str]] = set()

#: Private reads across files allowed for now: none (a new one fails the test;
#: an entry here must name the file and the attribute, with why).
KNOWN_PRIVATE: set[tuple[str, str]] = set()

#: Names with a leading underscore that are documented, public API of the
#: standard library (not private attributes).
DOCUMENTED = {"_exit"}  # os._exit


def _modules() -> dict[str, Path]:
    """Module name -> file, for every module of wijksim."""
    modules = {}
    for path in sorted((SRC / "wijksim").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The wijksim modules that module ``name`` imports, anywhere in its file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in modules:  # a module of a package: from . import provisions
                    found.add(sub)
                elif target in modules:
                    found.add(target)
    found.discard(name)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.add(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def private_reads(path: Path) -> list[tuple[int, str]]:
    """``(line, name)`` of each private attribute of another file's objects that
    ``path`` reads or writes, and each private name it imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own: set[str] = set()  # private names this file defines
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            own.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                own.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            own.add(node.id)
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__slots__" for t in node.targets
        ):
            own.update(
                c.value
                for c in ast.walk(node.value)
                if isinstance(c, ast.Constant) and isinstance(c.value, str)
            )
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            own.add(node.target.id)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in DOCUMENTED:
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                continue
            if node.attr not in own:
                found.append((node.lineno, node.attr))
        elif isinstance(node, ast.ImportFrom):
            found.extend((node.lineno, a.name) for a in node.names if _private(a.name))
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_import_circle_between_files():
    found = circles(import_graph())
    new = [sorted(c) for c in found if not any(c <= known for known in KNOWN_CIRCLES)]
    assert not new, f"import circles between files: {new}"
    gone = [sorted(k) for k in KNOWN_CIRCLES if not any(c <= k for c in found)]
    assert not gone, f"no longer circles, take them off KNOWN_CIRCLES: {gone}"


def test_no_module_reads_another_modules_private_attributes():
    found = set()
    lines = []
    for path in sorted((SRC / "wijksim").rglob("*.py")):
        name = path.relative_to(SRC).as_posix()
        for line, attr in private_reads(path):
            if (name, attr) in SIMPY_SEAM:
                continue
            found.add((name, attr))
            if (name, attr) not in KNOWN_PRIVATE:
                lines.append(f"{name}:{line}: {attr}")
    assert not lines, "private attributes of another file's objects:\n" + "\n".join(lines)
    gone = KNOWN_PRIVATE - found
    assert not gone, f"no longer read, take them off KNOWN_PRIVATE: {sorted(gone)}"


def test_the_checks_can_fail(tmp_path):
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [frozenset({"a", "b", "c"})]
    source = tmp_path / "m.py"
    source.write_text(
        "from x import _hidden\n"
        "class A:\n"
        "    def f(self, other):\n"
        "        self._mine = 1\n"
        "        return other._mine + other._theirs + self._any\n"
    )
    assert private_reads(source) == [(1, "_hidden"), (5, "_theirs")]


@pytest.mark.parametrize(
    "module", ["wijksim.model.initial", "wijksim.model.interventions.collective"]
)
def test_the_engine_is_imported_one_way(module):
    """What the façade builds on never imports the façade or the core."""
    graph = import_graph()
    reach, todo = set(), [module]
    while todo:
        for other in graph[todo.pop()] - reach:
            reach.add(other)
            todo.append(other)
    assert not reach & {"wijksim.model.wijkteam", "wijksim.model.core"}
