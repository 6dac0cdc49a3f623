"""The contributor walk-throughs (docs/contributing.md) hold: their code runs as
written and does what the page says, and the rule they rest on (no module
branches on an intervention type's name but the ones that define the types)
is true of the source.

The page's code blocks are taken as the how-to guides' test takes them: a
block with a title is a file the reader makes; a ```` ```python ```` block runs,
in one namespace per walk-through, in a folder holding a copy of the shipped
scenarios.
"""

from __future__ import annotations

import ast
import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import wijksim
from wijksim.report import labels, text
from wijksim.scenario import interventions as specs

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "contributing.md"
SOURCE = ROOT / "src" / "wijksim"
BLOCK = re.compile(r"^```(\w*)([^\n]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
TITLE = re.compile(r'title="([^"]+)"')


def section(title: str) -> str:
    """The text of the page's ``## title`` section."""
    page = PAGE.read_text(encoding="utf-8")
    start = page.index(f"\n## {title}\n")
    end = page.find("\n## ", start + 1)
    return page[start : end if end >= 0 else len(page)]


def walk(title: str, folder: Path) -> dict:
    """Run the code of the walk-through ``title`` as a reader would, in
    ``folder``: returns the namespace its Python ran in."""
    shutil.copytree(ROOT / "scenarios", folder / "scenarios")
    namespace: dict = {"__name__": "__walkthrough__"}
    for n, (language, info, code) in enumerate(BLOCK.findall(section(title)), start=1):
        named = TITLE.search(info)
        if named is not None:
            (folder / named[1]).write_text(code, encoding="utf-8")
        elif language == "python":
            where = f"contributing.md, {title}, block {n}"
            exec(compile(code, where, "exec", dont_inherit=True), namespace)
    return namespace


@pytest.fixture
def own_labels():
    """Labels a walk-through adds are taken away after it (the tables are global)."""
    saved = {id(table): dict(table) for table in (labels.INTERVENTION, text.WORDS)}
    yield
    for table in (labels.INTERVENTION, text.WORDS):
        table.clear()
        table.update(saved[id(table)])


# -- add an intervention type -------------------------------------------------------


def test_a_new_intervention_type_runs_and_is_valued_through_its_declaration(
    tmp_path, monkeypatch, own_registry, own_labels
):
    monkeypatch.chdir(tmp_path)
    namespace = walk("Add an intervention type", tmp_path)
    spec_class = namespace["CallCircleSpec"]
    # registered from outside the package, by the call every shipped type uses
    assert specs.REGISTRY["belcirkel"] is spec_class
    assert specs.MODELS[spec_class] is namespace["CallCircle"]

    # its figures, its own count among them, are in the run's results
    run = namespace["run"]
    figures = run.interventions.query("intervention == 'Belcirkel' and theme == 'all'")
    figures = figures.set_index("metric")["value"]
    assert figures["calls"] > 0
    assert figures["averted"] > 0
    assert run.to_dict()["interventions"]["Belcirkel"]["calls"] == figures["calls"]
    assert labels.label("calls", labels.INTERVENTION).en == "Residents called"

    # the ledger books what its spec declares, its own item included, and
    # that item's euro is its quantity times its price
    ledger = namespace["ledger"]
    own = ledger[ledger["intervention"] == "Belcirkel"]
    declared = {b.item for b in spec_class.model_validate(_belcirkel(tmp_path)).bookings()}
    assert declared == {"fixed", "per_participant", "calls"}
    assert set(own["item"]) == declared
    calls = own[own["item"] == "calls"]
    assert (calls["kind"] == "cost").all() and (calls["payer"] == "municipality").all()
    assert calls["quantity"].sum() > 0
    assert (calls["euro"] == calls["quantity"] * 1.5).all()
    assert text.word("calls", "en") == "Call costs"
    # the calls booked are the calls the runs counted (after the warm-up)
    comparison = namespace["comparison"]
    (alternative,) = comparison.alternatives
    counted = comparison.experiments[alternative].yearly_runs
    counted = counted[(counted["source"] == "Belcirkel") & (counted["quantity"] == "calls")]
    assert math.isclose(calls["quantity"].sum(), counted["value"].sum())


def test_the_new_type_at_zero_effect_is_the_baseline_bit_for_bit(
    tmp_path, monkeypatch, own_registry, own_labels
):
    """What the walk-through asks of a type before a pull request holds for its
    example."""
    monkeypatch.chdir(tmp_path)
    walk("Add an intervention type", tmp_path)
    data = wijksim.load_scenario("scenarios/baseline.yaml").to_dict()
    data["interventions"] = [{**_belcirkel(tmp_path), "share": 0.0}]
    zero = wijksim.simulate(wijksim.scenario.validate(data), seed=5)
    baseline = wijksim.simulate("scenarios/baseline.yaml", seed=5)
    assert zero.summary().equals(baseline.summary())


def _belcirkel(folder: Path) -> dict:
    """The intervention the walk-through's scenario file declares."""
    scenario = wijksim.load_scenario(folder / "scenarios" / "belcirkel.yaml")
    (spec,) = scenario.interventions
    return spec.model_dump(mode="json", exclude_none=True)


def test_the_how_to_names_every_shipped_type():
    page = (ROOT / "docs" / "howto" / "intervention.md").read_text(encoding="utf-8")
    shipped = [name for name, spec in specs.REGISTRY.items() if _shipped(spec)]
    words = {5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}
    assert f"The {words[len(shipped)]} shipped intervention types" in page
    assert [name for name in shipped if f"`{name}`" not in page] == []


# -- add an output figure ----------------------------------------------------------


def apply(diff: str, path: Path) -> None:
    """Apply a walk-through's ``diff`` block to ``path``: its context and
    removed lines (`` ``, ``-``) must be in the file once, and are replaced
    by its context and added lines (`` ``, ``+``)."""
    lines = diff.splitlines()
    before = "".join(f"{line[1:]}\n" for line in lines if line[:1] in (" ", "-"))
    after = "".join(f"{line[1:]}\n" for line in lines if line[:1] in (" ", "+"))
    source = path.read_text(encoding="utf-8")
    assert source.count(before) == 1, f"{path.name}: the walk-through's context\n{before}"
    path.write_text(source.replace(before, after), encoding="utf-8")


#: Run in a process of its own on the changed copy of the package: the figure
#: in the summary, the series, the command's table and an experiment.
FIGURE_RUN = """
import json, subprocess, sys
import wijksim
run = wijksim.simulate(sys.argv[1], seed=3)
series = run.timeseries
weekly = series[(series["metric"] == "warm_intakes") & (series["theme"] == "all")]
warmup = run.scenario.warmup
experiment = wijksim.run_experiment(sys.argv[1], replications=2, workers=1)
table = subprocess.run(
    [sys.executable, "-m", "wijksim", "run", sys.argv[1], "--seed", "3", "--lang", "en"],
    capture_output=True, text=True, check=True,
).stdout
print(json.dumps({
    "summary": run.summary().to_dict(),
    "after_warmup": float(weekly[weekly["week"] > warmup]["value"].sum()),
    "in_series": float(weekly["value"].sum()),
    "metric": "warm_intakes" in experiment.metrics,
    "table": table,
    "file": wijksim.__file__,
}))
"""


def test_a_new_output_figure_is_in_the_summary_the_series_and_the_table(tmp_path):
    """The walk-through's changes, applied to a copy of the package, give the
    figure everywhere it says, and change no other figure."""
    package = tmp_path / "src" / "wijksim"
    shutil.copytree(SOURCE, package, ignore=shutil.ignore_patterns("__pycache__"))
    blocks = BLOCK.findall(section("Add an output figure"))
    diffs = [(TITLE.search(info), code) for language, info, code in blocks if language == "diff"]
    assert len(diffs) >= 4
    for title, code in diffs:
        assert title is not None and title[1].startswith("src/wijksim/")
        apply(code, tmp_path / title[1])
    scenario = ROOT / "scenarios" / "voordeur-vrijwilligers.yaml"
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src"), "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, "-c", FIGURE_RUN, str(scenario)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    changed = json.loads(result.stdout)
    assert Path(changed["file"]).is_relative_to(tmp_path)  # the changed copy ran
    summary = changed["summary"]
    assert summary["warm_intakes"] > 0
    assert summary["warm_intakes"] <= summary["intakes"]
    assert changed["after_warmup"] == summary["warm_intakes"]  # the weeks add up
    assert changed["in_series"] >= summary["warm_intakes"]
    assert changed["metric"]
    assert "Warm referrals taken into care" in changed["table"]
    # every other figure as without the change, bit for bit
    before = wijksim.simulate(scenario, seed=3).summary().to_dict()
    del summary["warm_intakes"]
    assert json.dumps(summary) == json.dumps(before)


# -- no branch on a type's name outside its own modules ------------------------------


def _shipped(spec: type) -> bool:
    return spec.__module__.startswith("wijksim.")


def _type_modules() -> tuple[set[Path], set[str], set[str]]:
    """The files that define the shipped types (their specs and model
    classes), the types' names, and the names of their classes."""
    shipped = {name: spec for name, spec in specs.REGISTRY.items() if _shipped(spec)}
    files, classes = set(), set()
    for spec in shipped.values():
        model = specs.MODELS[spec]
        if isinstance(model, str):
            module, _, name = model.partition(":")
        else:
            module, name = model.__module__, model.__name__
        for dotted in (spec.__module__, module):
            files.add(SOURCE.parent.joinpath(*dotted.split(".")).with_suffix(".py"))
        classes |= {spec.__name__, name}
    return files, set(shipped), classes


def _is_type(node: ast.AST) -> bool:
    """``x.type``, ``x["type"]`` or ``getattr(x, "type")``."""
    if isinstance(node, ast.Attribute):
        return node.attr == "type"
    if isinstance(node, ast.Subscript):
        return isinstance(node.slice, ast.Constant) and node.slice.value == "type"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        args = node.args
        return node.func.id == "getattr" and len(args) >= 2 and _string(args[1]) == "type"
    return False


def _string(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _strings(node: ast.AST) -> bool:
    """A string, or a tuple, list or set of them."""
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return bool(node.elts) and all(_string(e) is not None for e in node.elts)
    return _string(node) is not None


def branches_on_a_type(source: str, names: set[str], classes: set[str]) -> list[str]:
    """Where ``source`` names an intervention type rather than asking the type:
    a comparison (or ``match``) of ``.type`` with a string, a shipped type's
    class named (an ``isinstance`` check, an import), or a shipped type's name
    as a string (a docstring aside)."""
    tree = ast.parse(source)
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and _string(node.value) is not None
    }
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_is_type(s) for s in sides) and any(_strings(s) for s in sides):
                found.append(f"{line}: {ast.unparse(node)}")
        elif isinstance(node, ast.Match) and _is_type(node.subject):
            found.append(f"{line}: match {ast.unparse(node.subject)}")
        elif isinstance(node, ast.Name) and node.id in classes:
            found.append(f"{line}: {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in classes:
            found.append(f"{line}: {ast.unparse(node)}")
        elif isinstance(node, ast.alias) and node.name in classes:
            found.append(f"{line}: import {node.name}")
        elif _string(node) in names and id(node) not in docstrings:
            found.append(f"{line}: {_string(node)!r}")
    return found


#: Modules that name a shipped type by design, and why.
NAMED_BY_DESIGN = {
    # the validation against the sources compares the model's figures for the
    # shipped provisions with the figures published about those provisions
    "analysis/validation_measures.py",
    "analysis/validation_checks.py",
}


def test_no_module_branches_on_a_type_but_the_types_own():
    own, names, classes = _type_modules()
    assert len(own) == 2  # the specs' module and the model classes' module
    found = {}
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if path in own or relative in NAMED_BY_DESIGN:
            continue
        where = branches_on_a_type(path.read_text(encoding="utf-8"), names, classes)
        if where:
            found[relative] = where
    assert found == {}, "ask the type (a method or declaration on its spec or model class)"


def test_the_exceptions_name_a_type_and_the_check_can_fail():
    """The check finds what it is for (so the test above is not vacuous), and
    each module allowed to name a type still does."""
    _, names, classes = _type_modules()
    planted = '''
"""Mentions buddy_programme in a docstring: fine."""
from wijksim.scenario.interventions import BuddyProgramme

def cost(spec):
    if spec.type == "buddy_programme":
        return 1
    if spec["type"] in ("front_door", "warm_handover"):
        return 2
    if isinstance(spec, BuddyProgramme):
        return 3
    match getattr(spec, "type"):
        case _:
            return 4
    return lookup("group_course")
'''
    found = branches_on_a_type(planted, names, classes)
    assert sorted({int(f.split(":")[0]) for f in found}) == [3, 6, 8, 10, 12, 15]
    clean = "def cost(spec):\n    return spec.bookings()\n"
    assert branches_on_a_type(clean, names, classes) == []
    for relative in NAMED_BY_DESIGN:
        source = (SOURCE / relative).read_text(encoding="utf-8")
        assert branches_on_a_type(source, names, classes), relative
