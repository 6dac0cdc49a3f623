"""A result folder is bound to the run that made it (issue 19, part 1).

Before, each batch carried only its own checksums, so batches copied in from
another folder were used: swapping the two scenarios' batch folders flipped the
sign of every relief figure (exit 0), a batch of a ``--seed 1`` run was reported
as seed 0, and a moved batch stopped the run with a traceback. A named pipe
where a batch file should be hung the run; a device there was replaced; a
read-only batch folder or a file-size limit (``ulimit -f``) gave a traceback.
Now each batch names its run, and anything foreign, moved or linked is reported
and redone; a special file is refused in words; a write that fails names its
path (exit 2) and the next run resumes bit for bit.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

from helpers import SMALL_YAML, write
from helpers.folders import (
    ALTERNATIVE,
    BASE,
    FOREIGN,
    SPECIAL_KINDS,
    Counting,
    can_make,
    is_kind,
    make_sources,
    make_special,
    no_hang,
    outside,
    remove_special,
    same_results,
)
from wijksim.experiment.storage import DamagedBatch
from wijksim.scenario import ScenarioError


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    return make_sources(tmp_path_factory.mktemp("bound"))


@pytest.mark.parametrize("name", list(FOREIGN))
def test_a_foreign_moved_or_linked_batch_is_reported_and_redone(sources, tmp_path, name):
    out = sources.copy(tmp_path / "out")
    scratch = tmp_path / "elsewhere"
    scratch.mkdir()
    FOREIGN[name](out, sources, scratch, 1)
    before = outside(scratch)
    executor = Counting()
    with pytest.warns(DamagedBatch) as caught:
        again = sources.compare(out, executor=executor)
    assert executor.ran, "nothing was run again"
    assert all(str(out) in str(w.message) for w in caught if w.category is DamagedBatch)
    same_results(again, sources.original)
    assert not [p for p in out.rglob("*") if p.is_symlink()], "a link is left"
    assert outside(scratch) == before, "a file outside the folder was written"
    # the folder is whole again: a third run runs nothing and reports nothing
    executor = Counting()
    with warnings.catch_warnings():
        warnings.simplefilter("error", DamagedBatch)
        third = sources.compare(out, executor=executor)
    assert executor.ran == []
    same_results(third, sources.original)


def test_the_reason_is_said_in_words(sources, tmp_path):
    out = sources.copy(tmp_path / "out")
    FOREIGN["other seed"](out, sources, tmp_path, 2)
    with pytest.warns(DamagedBatch, match=r"s001-krap replications 2-2 .*another seed"):
        sources.compare(out)


@pytest.mark.parametrize("kind", SPECIAL_KINDS)
@pytest.mark.parametrize("part", ["summary", "checksums"])
def test_a_special_file_where_a_batch_file_should_be_is_refused_without_a_hang(
    sources, tmp_path, kind, part
):
    if not can_make(kind):
        pytest.skip(f"cannot make a {kind} here")
    out = sources.copy(tmp_path / "out")
    suffix = "json" if part == "checksums" else "csv"
    path = out / "batches" / ALTERNATIVE / f"r00001-00001.{part}.{suffix}"
    make_special(path, kind)
    executor = Counting()
    with no_hang(), pytest.raises(ScenarioError) as caught:
        sources.compare(out, executor=executor)
    assert str(path) in str(caught.value)
    assert executor.ran == [], "work was done before the refusal"
    assert is_kind(path, kind), "the special file was replaced"
    remove_special(path)  # what the message asks: then the run resumes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DamagedBatch)
        same_results(sources.compare(out), sources.original)


def test_an_unreadable_batch_file_is_reported_and_redone(sources, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    out = sources.copy(tmp_path / "out")
    path = out / "batches" / ALTERNATIVE / "r00001-00001.summary.csv"
    path.chmod(0)
    with pytest.warns(DamagedBatch, match="replications 1-1"):
        same_results(sources.compare(out), sources.original)


def test_a_resume_from_another_working_directory_is_not_stale(tmp_path, monkeypatch):
    """Before: a scenario reading a CSV, loaded by a path relative to the working
    directory, recorded that relative path; from another directory the same
    scenario was 'another scenario' and refused."""
    import wijksim

    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "weeks.csv").write_text("weeks\n2\n4\n")
    write(folder / "base.yaml", SMALL_YAML)
    write(
        folder / "s.yaml",
        "extends: base.yaml\nteam:\n  patience: {dist: empirical, csv: weeks.csv, column: weeks}\n",
    )
    monkeypatch.chdir(folder)
    first = wijksim.run_experiment("s.yaml", 2, workers=1, out=tmp_path / "out")
    monkeypatch.chdir(tmp_path)
    executor = Counting()
    again = wijksim.run_experiment(
        Path("project") / "s.yaml", 3, executor=executor, out=tmp_path / "out"
    )
    assert [t.replications for t in executor.ran] == [range(2, 3)]
    whole = wijksim.run_experiment(folder / "s.yaml", 3, workers=1)
    pd.testing.assert_frame_equal(again.results, whole.results, check_exact=True)
    assert first.results.equals(whole.results[whole.results["replication"] < 2])
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    (entry,) = manifest["scenarios"].values()
    assert list(entry["files"]) == [str(folder / "weeks.csv")]


# -- writes that fail: a file-size limit, a read-only folder ----------------------------

COMPARE = ["compare", "-n", "3", "--batch-size", "1", "--workers", "1", "--json"]


def _pair(folder: Path) -> list[str]:
    write(folder / "s.yaml", SMALL_YAML)
    write(folder / "a.yaml", "extends: s.yaml\nname: krap\nteam:\n  fte: 1\n")
    return [str(folder / "s.yaml"), str(folder / "a.yaml")]


def _as_a_user() -> None:
    """In the child, before it runs wijksim: as root, give up writing past
    permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH dropped from the bounding
    set, so not held after exec), so that a read-only folder is one for it."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            os._exit(CANNOT_DROP)


CANNOT_DROP = 99


def _wijksim(args: list[str], *, fsize: int | None = None, user: bool = False):
    """``wijksim ARGS`` in a process of its own, with a file-size limit
    (RLIMIT_FSIZE, as ``ulimit -f``) or with a user's permissions."""

    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        if user:
            _as_a_user()

    return subprocess.run(
        [sys.executable, "-m", "wijksim", *args],
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _tables(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def test_a_file_size_limit_gives_a_located_error_and_the_next_run_resumes(tmp_path):
    pair = _pair(tmp_path)
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    reference = _wijksim([*COMPARE, *pair, "--out", str(fresh)])
    assert reference.returncode == 0, reference.stderr
    batch = max(p.stat().st_size for p in fresh.glob("batches/*/*.csv"))
    # room for the batches, not for the combined tables written at the end
    limited = _wijksim([*COMPARE, *pair, "--out", str(out)], fsize=batch + 1)
    assert limited.returncode == 2, limited.stderr
    assert "Traceback" not in limited.stderr
    (message,) = limited.stderr.strip().splitlines()
    assert message.startswith(str(out)) and "File too large" in message, message
    assert not list(out.rglob("*.tmp")), "a temporary file was left"
    again = _wijksim([*COMPARE, *pair, "--out", str(out)])
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == json.loads(reference.stdout)
    assert _tables(out) == _tables(fresh)


def test_a_read_only_batch_folder_gives_a_located_error_and_the_next_run_resumes(tmp_path):
    pair = _pair(tmp_path)
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    first = _wijksim([*COMPARE, *pair, "--out", str(out)], user=True)
    if first.returncode == CANNOT_DROP:
        pytest.skip("root here cannot give up its permission to write anywhere")
    assert first.returncode == 0, first.stderr
    # a batch file it cannot read is reported and redone; a batch folder it
    # cannot write stops the run, naming the file
    (out / "batches" / BASE / "r00001-00001.summary.csv").chmod(0)
    locked = out / "batches" / ALTERNATIVE
    locked.chmod(0o555)
    more = [*COMPARE, "-n", "4", *pair, "--out"]
    refused = _wijksim([*more, str(out)], user=True)
    assert refused.returncode == 2, refused.stderr
    assert "Traceback" not in refused.stderr
    *warned, message = refused.stderr.strip().splitlines()
    assert message.startswith(str(locked)) and "Permission denied" in message, message
    assert [line for line in warned if "s000-test replications 1-1" in line], warned
    locked.chmod(0o755)
    again = _wijksim([*more, str(out)], user=True)
    assert again.returncode == 0, again.stderr
    reference = _wijksim([*more, str(fresh)])
    assert json.loads(again.stdout) == json.loads(reference.stdout)
    assert _tables(out) == _tables(fresh)
