"""The how-to guides run as written: each guide's files are made, its commands
run and its Python executed, in order, in a folder of its own that holds a
fresh copy of the shipped scenarios, as a reader in the root of a clone would
(doc examples that cannot drift, as SimPy's).

What a guide's code blocks are to this test:

* a block with a title (```` ```yaml title="mijn-wijk.yaml" ````, shown above
  the block on the site) is a file the reader makes: written, and at the end
  every such scenario must load;
* ```` ```sh ````: commands the reader types, run by a shell in that folder,
  each of which must succeed;
* ```` ```python ````: run in one namespace per guide, in that folder;
* any other block (what a command prints, an excerpt of a file) is only read.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

import wijksim

ROOT = Path(__file__).resolve().parents[2]
HOWTO = ROOT / "docs" / "howto"
BLOCK = re.compile(r"^```(\w*)([^\n]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
TITLE = re.compile(r'title="([^"]+)"')

#: What the test changes in a guide's code, and why. Fewer replications and
#: seeds: what is checked is that the files, commands and names work, not the
#: figures (which other tests check). The dask guide's scheduler is an address
#: of its own: a local cluster in this process stands in for it.
CHANGES = (
    (re.compile(r"-n \d+"), "-n 2"),
    (re.compile(r"--until-precision\b"), "--until-precision -n 2 --max-replications 3"),
    (re.compile(r"replications=\d+"), "replications=2"),
    (re.compile(r"range\(\d+\)"), "range(2)"),
    (re.compile(r'Client\("tcp://[^"]*"\)'), "Client(processes=False)"),
)
#: Commands not run: the test's environment has every extra installed.
NOT_RUN = re.compile(r"^\s*pip install .*$", re.MULTILINE)


def _registration(folder: Path) -> None:
    """registratie.csv, the team's own export that the guide asks for (it shows
    only its first rows): what wijksim's baseline team would register from
    2023 on (one year of warm-up from 2022-01-01)."""
    from wijksim.analysis.calibration import registration

    run = wijksim.simulate(ROOT / "scenarios" / "baseline.yaml", seed=3, record_cases=True)
    registration(run, date(2022, 1, 1)).to_csv(folder / "registratie.csv", index=False)


#: What a reader brings to a guide beside what it shows.
BROUGHT: dict[str, Callable[[Path], None]] = {"registration.md": _registration}


def changed(code: str) -> str:
    for pattern, replacement in CHANGES:
        code = pattern.sub(replacement, code)
    return code


def blocks(page: str) -> list[tuple[str, str | None, str]]:
    """A guide's code blocks in order: language, title (``None`` without one), code."""
    text = (HOWTO / page).read_text(encoding="utf-8")
    out = []
    for language, info, code in BLOCK.findall(text):
        title = TITLE.search(info)
        out.append((language, title[1] if title else None, code))
    return out


def test_every_guide_has_code_this_test_runs():
    for path in HOWTO.glob("*.md"):
        assert any(lang in ("sh", "python") for lang, _, _ in blocks(path.name)), path.name


@pytest.mark.parametrize("page", sorted(p.name for p in HOWTO.glob("*.md")))
def test_the_guide_runs_as_written(page, tmp_path, monkeypatch, own_registry):
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    if page in BROUGHT:
        BROUGHT[page](tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    namespace: dict = {"__name__": "__howto__"}
    made: list[Path] = []
    try:
        for n, (language, title, code) in enumerate(blocks(page), start=1):
            if title is not None:
                made.append(tmp_path / title)
                made[-1].parent.mkdir(parents=True, exist_ok=True)
                made[-1].write_text(code, encoding="utf-8")
            elif language == "sh":
                commands = changed(NOT_RUN.sub("", code))
                result = subprocess.run(
                    ["sh", "-e", "-c", commands],
                    cwd=tmp_path,
                    env={**os.environ, "PATH": path},
                    capture_output=True,
                    text=True,
                    timeout=600,
                    check=False,
                )
                output = (result.stdout + result.stderr)[-3000:]
                assert result.returncode == 0, f"{page}, block {n}:\n{commands}\n{output}"
                assert "Traceback" not in output, f"{page}, block {n}:\n{output}"
            elif language == "python":
                where = f"{page}, block {n}"
                exec(compile(changed(code), where, "exec", dont_inherit=True), namespace)
        for file in made:
            if file.suffix == ".yaml":
                wijksim.load_scenario(file)  # with every type the guide registered
    finally:
        for value in namespace.values():  # a dask client the guide opened
            if type(value).__name__ == "Client" and hasattr(value, "close"):
                value.close()
