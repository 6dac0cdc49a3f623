"""The command line starts fast: no heavy package is imported to answer --help."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "scipy", "simpy", "numpy", "matplotlib", "pydantic")


def _imported_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    return {name for name in out.split() if name.split(".")[0] in HEAVY}


def test_importing_the_command_line_imports_no_heavy_package():
    assert _imported_after("import wijksim.cli") == set()


def test_import_wijksim_is_lazy_but_complete():
    assert _imported_after("import wijksim; wijksim.__version__") == set()
    loaded = _imported_after("import wijksim; wijksim.simulate")
    assert "simpy" in loaded  # the name resolves to the real function on first use


def test_python_m_wijksim_answers_version_and_help():
    for flag, expected in (("--version", "wijksim, version"), ("--help", "Commands:")):
        result = subprocess.run(
            [sys.executable, "-m", "wijksim", flag], capture_output=True, text=True
        )
        assert result.returncode == 0
        assert expected in result.stdout


def test_every_public_name_resolves():
    import wijksim

    for name in wijksim.__all__:
        assert getattr(wijksim, name) is not None
    assert wijksim.analysis.sensitivity.one_way is not None


# -- loading and one run without the analysis's packages (issue 20, part 4) -------------

#: What neither validating a scenario nor one run needs.
ANALYSIS = ("pandas", "pyarrow", "scipy", "matplotlib")


def _modules_after(code: str, of: tuple[str, ...], **env: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
    ).stdout.splitlines()[-1]
    return {name.split(".")[0] for name in out.split()} & set(of)


def test_validating_imports_neither_the_analysis_nor_numpy_nor_ruamel():
    code = (
        "from click.testing import CliRunner\n"
        "from wijksim.cli import main\n"
        "result = CliRunner().invoke(main, ['validate', 'scenarios/alle-interventies.yaml'])\n"
        "assert result.exit_code == 0, result.output"
    )
    assert _modules_after(code, (*ANALYSIS, "numpy", "ruamel", "simpy")) == set()


@pytest.mark.parametrize("parser", ["libyaml", "python"])
def test_loading_a_scenario_parses_it_without_ruamel(parser):
    code = (
        "from wijksim.scenario import composer, load_scenario\n"
        f"assert composer.parser() == {parser!r}\n"
        "load_scenario('scenarios/alle-interventies.yaml')"
    )
    assert _modules_after(code, ("ruamel", *ANALYSIS), WIJKSIM_YAML=parser) == set()


def test_one_run_imports_none_of_the_analysis():
    code = (
        "import wijksim\n"
        "run = wijksim.simulate('scenarios/alle-interventies.yaml', seed=1, series=False)\n"
        "assert run.to_dict()['summary']['requests'] > 0"
    )
    assert _modules_after(code, ANALYSIS) == set()


def test_wijksim_simulate_imports_no_yaml_parser():
    """A run from a :class:`Scenario` (a worker's) reads no YAML: PyYAML is
    imported when a file is read, ruamel.yaml when results are written."""
    code = "import wijksim\nwijksim.simulate"
    assert _modules_after(code, (*ANALYSIS, "yaml", "ruamel")) == set()
