"""The code in the how-to guides runs as written, so the guides cannot drift
from the API (as SimPy does with its documentation examples)."""

from __future__ import annotations

import re
from pathlib import Path

import wijksim

ROOT = Path(__file__).resolve().parents[2]
HOWTO = ROOT / "docs" / "howto"


def blocks(page: str, language: str) -> list[str]:
    text = (HOWTO / page).read_text(encoding="utf-8")
    return re.findall(rf"```{language}[^\n]*\n(.*?)```", text, flags=re.S)


def test_your_own_intervention_type(tmp_path, own_registry):
    code = blocks("intervention.md", "python")[0]
    scenario = blocks("intervention.md", "yaml")[0].replace(
        "extends: baseline.yaml", f"extends: {ROOT / 'scenarios' / 'baseline.yaml'}"
    )
    namespace: dict = {}
    exec(compile(code, "intervention.md", "exec", dont_inherit=True), namespace)
    path = tmp_path / "telefooncirkel.yaml"
    path.write_text(scenario)
    run = wijksim.simulate(path, seed=0)
    assert run.to_dict()["interventions"]["Telefooncirkel"]["averted"] > 0


def test_embedding_in_your_own_simpy_model(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    for code in blocks("embedding.md", "python")[:3]:  # the fourth loops over 20 seeds
        exec(compile(code, "embedding.md", "exec", dont_inherit=True), namespace)
    assert namespace["run"].summary()["submitted"] > 0
    assert "closed" in capsys.readouterr().out


def test_a_scenario_from_an_empty_file(tmp_path):
    minimal = next(b for b in blocks("own-wijk.md", "yaml") if "extends" not in b)
    path = tmp_path / "noord.yaml"
    path.write_text(minimal)
    assert wijksim.load_scenario(path).name == "Wijk Noord"
