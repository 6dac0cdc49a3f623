"""The command line starts fast: no heavy package is imported to answer --help."""

from __future__ import annotations

import subprocess
import sys

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
