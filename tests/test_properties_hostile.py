"""Hypothesis over hostile input and damaged result folders, and invariants
checked event by event over random valid scenarios (issue 9, item 8).

Every broken input gets a located error (a ScenarioError whose problems name a
file and line, exit 2 from the CLI) or a clean recovery, never a traceback. A
result folder that lies (batches of another run, moved or linked; a special
file where a batch file should be) is refused in words or redone (issue 19).
``pytest --hypothesis-show-statistics`` prints how many cases each test tried.
"""

from __future__ import annotations

import math
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest
import simpy
from click.testing import CliRunner
from hypothesis import HealthCheck, event, example, given, note, settings
from hypothesis import strategies as st

import wijksim
from helpers import SMALL_YAML, rich_scenario, write
from helpers.folders import (
    ALTERNATIVE,
    FOREIGN,
    REPLICATIONS,
    SPECIAL_KINDS,
    can_make,
    is_kind,
    make_sources,
    make_special,
    no_hang,
    outside,
    same_results,
)
from helpers.properties import check_state, seeds, variations
from wijksim.cli import main
from wijksim.experiment.storage import DamagedBatch
from wijksim.scenario import ScenarioError, load_scenario

FIXTURES = [HealthCheck.function_scoped_fixture]

# -- invariants, event by event ------------------------------------------------------


@settings(max_examples=20, deadline=None)
@given(overrides=variations, seed=seeds)
def test_every_event_keeps_requests_counts_ceiling_and_time_in_order(overrides, seed):
    scenario = rich_scenario(overrides)
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, scenario, seed=seed, record_cases=True)
    start_load, was_below = model.load, model.load <= model.capacity
    steps = 0
    while env.peek() < scenario.horizon:
        upcoming = env.peek()
        assert math.isfinite(upcoming) and upcoming >= env.now  # time never goes back
        env.step()
        steps += 1
        state = model.state()
        assert min(state.values()) >= 0, state
        assert state["initial"] + state["requests"] == sum(
            state[k] for k in ("settled_at_intake", "waiting", "in_care", "closed", "reneged")
        ), state
        assert model.load <= max(model.capacity, start_load) + 1e-9
        if was_below:  # once below the ceiling, never above it again
            assert model.load <= model.capacity + 1e-9
        was_below = was_below or model.load <= model.capacity
    # every time drawn and scheduled, fired or still to come, is finite
    assert all(math.isfinite(entry[0]) for entry in [*env._queue, *model._agenda.waiting()])
    check_state(model)
    assert steps > 0 or overrides["team.fte"] == 0


# -- damaged CSV files ---------------------------------------------------------------

CSV_LINES = st.lists(
    st.one_of(
        st.sampled_from(["7", "1,5", "-3", "nan", "inf", "1e999", "", "abc", '"', "\x00", "7;8"]),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.text(max_size=12),
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURES)
@given(header=st.sampled_from(["days", "dagen", "", "days,other"]), lines=CSV_LINES)
def test_a_damaged_durations_csv_gets_a_located_error_or_runs(tmp_path, header, lines):
    (tmp_path / "d.csv").write_bytes(
        ("\n".join([header, *lines]) + "\n").encode("utf-8", "replace")
    )
    text = SMALL_YAML.replace(
        "light: {dist: exponential, mean: 4 weeks}",
        "light: {dist: empirical, csv: d.csv, column: days, unit: days}",
    )
    assert text != SMALL_YAML
    try:
        scenario = load_scenario(write(tmp_path / "s.yaml", text))
    except ScenarioError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.source.endswith(("s.yaml", "d.csv")), problem
            assert str(problem).isprintable(), problem
        event("located error")
        return
    event("ran")
    run = wijksim.simulate(scenario, seed=1)  # what loads must run, with finite times
    assert run.summary()["requests"] >= 0


REGISTRATION_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["in_care", "waiting", "", "closed", "IN_CARE"]),
        st.sampled_from(["debts", "loneliness", "", "nonsense"]),
        st.sampled_from(["light", "heavy", "", "x"]),
        st.one_of(st.sampled_from(["3", "2,5", "-1", "nan", "inf", "", "x"]), st.text(max_size=5)),
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURES)
@given(rows=REGISTRATION_ROWS, cut=st.integers(0, 400))
def test_a_damaged_registration_csv_gets_a_located_error_or_runs(tmp_path, rows, cut):
    body = "status,theme,severity,weeks\n" + "".join(
        ",".join(r).replace("\n", " ") + "\n" for r in rows
    )
    (tmp_path / "reg.csv").write_bytes(body.encode("utf-8", "replace")[: max(cut, 1)])
    text = SMALL_YAML + "initial_state: {csv: reg.csv}\n"
    result = CliRunner().invoke(main, ["validate", str(write(tmp_path / "s.yaml", text))])
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert "reg.csv" in result.output or "s.yaml" in result.output, result.output
        event("exit 2")
        return
    event("ran")
    wijksim.simulate(load_scenario(tmp_path / "s.yaml").with_overrides({"horizon": "5 weeks"}))


# -- hostile YAML structure ----------------------------------------------------------

YAML_PIECES = st.one_of(
    st.sampled_from(
        [
            "!!python/object/apply:os.system ['true']",
            "!!omap [a: 1]",
            "!bang x",
            "&x [*x]",
            "*nowhere",
            "<<: *nowhere",
            ".nan",
            "-.inf",
            "1e400",
            "9" * 500,
            "'\\0'",
            "\t",
            "{",
            "]",
            "12 furlongs",
            "6 weken",
        ]
    ),
    st.integers(1, 300).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 80).map(lambda n: "{a: " * n + "1" + "}" * n),
    st.text(max_size=20),
)


@settings(max_examples=80, deadline=None, suppress_health_check=FIXTURES)
@given(
    key=st.sampled_from(["horizon", "name", "team", "team.fte", "neighbourhood.duration", "x"]),
    piece=YAML_PIECES,
)
def test_hostile_yaml_anywhere_gets_exit_2_or_a_valid_scenario(tmp_path, key, piece):
    write(tmp_path / "base.yaml", SMALL_YAML)
    *parents, last = key.split(".")
    lines = [f"{'  ' * i}{k}:" for i, k in enumerate(parents)]
    lines.append(f"{'  ' * len(parents)}{last}: {piece}")
    path = tmp_path / "s.yaml"
    path.write_bytes(("extends: base.yaml\n" + "\n".join(lines) + "\n").encode("utf-8", "replace"))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        first = result.output.splitlines()[0]
        assert first.startswith((str(path), str(tmp_path / "base.yaml"))), first
    event(f"exit {result.exit_code}")


# -- damaged result folders ----------------------------------------------------------


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A finished experiment folder and its results, damaged afresh for each case."""
    scenario = load_scenario(write(tmp_path_factory.mktemp("s") / "s.yaml", SMALL_YAML))
    out = tmp_path_factory.mktemp("finished")
    experiment = wijksim.run_experiment(scenario, 3, batch_size=1, workers=1, out=out)
    return scenario, out, experiment.results


DAMAGES = st.sampled_from(["truncate", "flip", "empty", "delete", "garbage"])


def _damage(path: Path, how: str, where: float, junk: bytes) -> None:
    data = path.read_bytes()
    at = min(len(data) - 1, int(where * len(data))) if data else 0
    if how == "delete":
        path.unlink()
    elif how == "truncate":
        path.write_bytes(data[:at])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "flip" and data:
        path.write_bytes(data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1 :])
    else:
        path.write_bytes(data[:at] + junk + data[at:])


@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURES)
@given(
    damages=st.lists(
        st.tuples(st.integers(0, 10_000), DAMAGES, st.floats(0, 1), st.binary(max_size=30)),
        min_size=1,
        max_size=3,
    )
)
def test_a_damaged_result_folder_is_refused_in_words_or_repaired(tmp_path, finished, damages):
    scenario, original, results = finished
    out = tmp_path / "out"
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(original, out)
    files = sorted(p for p in out.rglob("*") if p.is_file())
    for pick, how, where, junk in damages:
        path = files[pick % len(files)]
        if path.exists():
            _damage(path, how, where, junk)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DamagedBatch)  # damage reported, then redone
            again = wijksim.run_experiment(scenario, 3, batch_size=1, workers=1, out=out)
    except ScenarioError as exc:  # a manifest it cannot trust: refused in words
        assert any("manifest" in str(p) or str(out) in str(p) for p in exc.problems), exc
        event("refused in words")
        return
    event("repaired")
    pd.testing.assert_frame_equal(again.results, results, check_exact=True)


# -- result folders that lie: foreign batches and special files (issue 19) -----------


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """A finished comparison and folders of other runs to copy batches from."""
    return make_sources(tmp_path_factory.mktemp("sources"))


#: What a careless user does to a result folder: a foreign, moved or linked batch
#: (see helpers.folders.FOREIGN), or a special file where a batch file should be.
LIES = st.lists(
    st.tuples(
        st.sampled_from([*FOREIGN, *(f"a {kind}" for kind in SPECIAL_KINDS)]),
        st.integers(0, REPLICATIONS - 1),
        st.sampled_from(["summary", "parameters", "checksums"]),
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=25, deadline=None, suppress_health_check=FIXTURES)
@given(lies=LIES)
@example(lies=[("a fifo", 0, "summary"), ("a folder", 0, "summary")])  # the same file twice
def test_a_folder_that_lies_is_refused_in_words_or_redone_bit_for_bit(
    tmp_path_factory, sources, lies
):
    """Foreign batches are redone, never used (the results are those of the
    original run); a special file where a batch file should be is refused
    naming it, without a hang and without replacing it; nothing outside the
    folder is touched, and no link is left in it."""
    root = tmp_path_factory.mktemp("lies")
    out, scratch = sources.copy(root / "out"), root / "outside"
    scratch.mkdir()
    made: dict = {}  # path -> kind: a later special file at the same path replaces the first
    for what, r, part in sorted(lies, key=lambda lie: lie[0].startswith("a ")):
        if what in FOREIGN:
            FOREIGN[what](out, sources, scratch, r)
            continue
        kind = what.removeprefix("a ")
        suffix = "json" if part == "checksums" else "csv"
        path = out / "batches" / ALTERNATIVE / f"r{r:05d}-{r:05d}.{part}.{suffix}"
        linked = path.parent.is_symlink() or path.parent.parent.is_symlink()
        if can_make(kind) and not linked:  # (in a linked folder it is outside the folder)
            make_special(path, kind)  # (replaces what is there)
            made[path] = kind
    specials = list(made.items())
    note(f"lies: {lies}; special files: {specials}")
    before = outside(scratch)
    try:
        with no_hang(), warnings.catch_warnings():
            warnings.simplefilter("ignore", DamagedBatch)  # reported, then redone
            again = sources.compare(out)
    except ScenarioError as exc:
        assert specials, f"refused, with no special file: {exc}"
        assert any(str(path) in str(exc) for path, _ in specials), exc
        assert all(is_kind(path, kind) for path, kind in specials), "a special file was replaced"
        event("refused in words, naming the special file")
    else:
        assert not specials, "a special file where a batch file should be was not refused"
        same_results(again, sources.original)
        assert not [p for p in out.rglob("*") if p.is_symlink()], "a link is left"
        event("redone: the original results, bit for bit")
    assert outside(scratch) == before, "a file outside the folder was written"
    for what, _, _ in lies:
        event(f"lie: {what}")
