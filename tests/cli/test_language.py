"""One language per output: every command that reports for people speaks the
language of ``--lang`` (or ``WIJKSIM_LANG``), writes numbers as that language
does with one minus sign (U+2212), keeps ``--json`` the same in both, and
never passes a control character of a file's text to the terminal."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import wijksim
from wijksim.analysis.calibration import registration
from wijksim.cli import main

SCENARIO_A = """\
name: A
horizon: 60 weeks
warmup: 4 weeks
neighbourhood:
  residents: 5000
  settled_at_intake: 0.2
  severity_mix: {light: 0.6, heavy: 0.4}
  duration:
    light: {dist: exponential, mean: 4 weeks}
    heavy: {dist: exponential, mean: 12 weeks}
  themes:
    debts: {requests_per_1000: 20}
    loneliness: {requests_per_1000: 10}
team:
  fte: 2
  caseload_ceiling_per_fte: 15
  case_weight: {light: 0.5, heavy: 1.5}
  contact_hours_per_week: {light: 0.5, heavy: 1.5}
  intake_time: 1 hour
"""

SCENARIO_B = """\
extends: a.yaml
name: B
volunteers:
  pool: {size: 6}
interventions:
  - type: buddy_programme
    name: X
    themes: [debts]
    volunteers: pool
    clients_per_volunteer: 1.5
    diversion_share: 0.4
    trajectory: {dist: uniform, min: 2 months, max: 6 months}
    fixed_cost_per_year: 15000
    cost_per_participant: 850
    outcomes:
      - {name: y, per: participant, share: 0.4, value: 2500, payer: debt_assistance, source: s}
"""


#: Words that give a language away, matched as whole words (so a figure's key
#: such as ``mean_wait_weeks`` does not count). Words both languages use --
#: caseload, team, effect, seed, horizon, Break-even, PM -- are not listed, nor
#: "of" (Dutch for "or") and "in".
def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


TELLTALE = {
    "nl": _words(
        "weken jaar gemiddelde gemiddeld replicaties verschil basis alternatief eenheid "
        "aandeel personen cliënten uren aantal kosten baten saldo advies inloop inloopperiode "
        "geschreven rapport bereikt nodig proef proefruns punt reeks methode doel nee ja "
        "resultaten orde gepaard ongepaard deelnemers vrijwilligers wachtlijst wachttijd "
        "ontlasting precisie gekalibreerd het een van de niet zonder voor met wie betaalt "
        "wint kans zekerheid aannames opgevangen voorkomen afgehaakt hulpvragen beoordeeld "
        "venster registratie gesloten"
    ),
    "en": _words(
        "weeks year mean replications difference baseline alternative unit share persons "
        "clients hours count costs benefits balance advice warm-up written report reached "
        "needed pilot point series method target no yes results paired unpaired "
        "participants volunteers waiting wait relief precision calibrated the and with "
        "without not who pays gains chance certainty assumptions diverted averted gave "
        "requests judged window registration closed against settles ok"
    ),
}

#: A hyphen-minus before a digit, where it can only be a minus sign (not in a
#: word such as MSER-5, a date, a path or an option).
HYPHEN_MINUS = re.compile(r"(?<![\w./:\-])-(?=\d)")

#: Lines that are diagnostics: English whatever --lang, like --help.
DIAGNOSTIC = re.compile(r"^(note|warning|error): ")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("language")
    (folder / "a.yaml").write_text(SCENARIO_A, encoding="utf-8")
    (folder / "b.yaml").write_text(SCENARIO_B, encoding="utf-8")
    run = wijksim.simulate(folder / "a.yaml", seed=1, record_cases=True)
    registration(run, date(2024, 1, 1)).to_csv(folder / "registration.csv", index=False)
    return {
        "folder": folder,
        "a": folder / "a.yaml",
        "b": folder / "b.yaml",
        "csv": folder / "registration.csv",
    }


def commands(files: dict[str, Path], lang: str) -> dict[str, list[str]]:
    """Every command that reports for people, with options that show most of
    what it can say (paths of their own per language)."""
    a, b, out = str(files["a"]), str(files["b"]), files["folder"] / lang
    return {
        "run": ["run", b, "--out", str(out / "run")],
        "compare": [
            "compare",
            a,
            b,
            "-n",
            "3",
            "--by",
            "year",
            "--out",
            str(out / "compare"),
            "--report",
            str(out / "r.md"),  # file names of no language
        ],
        "compare-independent": ["compare", a, b, "-n", "3", "--independent"],
        "sweep": ["sweep", a, "--grid", "team.fte=2,2.5", "-n", "2", "--out", str(out / "sweep")],
        "warmup": ["warmup", a, "-n", "3"],
        "warmup-as-is": ["warmup", b, "-n", "3", "--as-is"],
        "replications": ["replications", a, "--pilot", "3"],
        "replications-paired": ["replications", a, b, "--pilot", "3"],
        "breakeven": ["breakeven", b, "--intervention", "X", "-n", "2", "--scales", "0,1,2"],
        "calibrate": [
            "calibrate",
            str(files["csv"]),
            "--residents",
            "5000",
            "--extends",
            a,
            "--out",
            str(out / "c.yaml"),
        ],
        "validate": ["validate", a, b],
    }


def spoken(result, folder: Path) -> str:
    """What a reader sees of a command's output (stdout and stderr), with the
    test's own paths taken out and diagnostics left out."""
    text = (result.stdout + result.stderr).replace(str(folder), "TMP")
    text = re.sub(r"wijksim [a-z]+", "COMMAND", text)  # command names are English, like help
    return "\n".join(line for line in text.splitlines() if not DIAGNOSTIC.match(line))


def words_of(lang: str, text: str) -> set[str]:
    return {
        word
        for word in TELLTALE[lang]
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE)
    }


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_command_speaks_one_language_with_one_minus_sign(files, lang):
    other = "en" if lang == "nl" else "nl"
    for name, args in commands(files, lang).items():
        result = CliRunner().invoke(main, [*args, "--lang", lang])
        assert result.exit_code == 0, (name, result.output)
        text = spoken(result, files["folder"])
        assert text.strip(), name
        assert words_of(other, text) == set(), (name, text)
        assert words_of(lang, text), (name, text)  # the list is not empty by accident
        assert not HYPHEN_MINUS.findall(text), (name, text)


def test_every_command_that_reports_takes_lang():
    """A command added later is held to the same rule (schema prints a JSON
    Schema, words of no language)."""
    for name, command in main.commands.items():
        if name != "schema":
            assert "lang" in [p.name for p in command.params], name


def test_the_language_is_set_once_by_the_environment(files):
    args = ["run", str(files["a"])]
    english = CliRunner().invoke(main, [*args, "--lang", "en"])
    from_env = CliRunner().invoke(main, args, env={"WIJKSIM_LANG": "en"})
    assert from_env.exit_code == 0, from_env.output
    assert from_env.stdout == english.stdout
    assert "Mean wait" in from_env.stdout
    # the option wins over the environment
    dutch = CliRunner().invoke(main, [*args, "--lang", "nl"], env={"WIJKSIM_LANG": "en"})
    assert "Gemiddelde wachttijd" in dutch.stdout


def test_an_unknown_language_is_refused_in_words(files):
    for how in ({"args": ["--lang", "fr"]}, {"env": {"WIJKSIM_LANG": "fr"}}):
        result = CliRunner().invoke(
            main, ["validate", str(files["a"]), *how.get("args", [])], env=how.get("env")
        )
        assert result.exit_code == 2
        assert "'fr' is not one of 'nl', 'en'" in result.output
        assert "Traceback" not in result.output


def test_help_is_english_and_says_so():
    result = CliRunner().invoke(main, ["--help"], env={"WIJKSIM_LANG": "nl"})
    assert "Help, errors and warnings are in English" in result.output
    for command in ("run", "compare", "sweep", "warmup", "replications", "breakeven"):
        text = CliRunner().invoke(main, [command, "--help"]).output
        assert "--lang" in text and "WIJKSIM_LANG" in text, command
        assert words_of("nl", text) == set(), command


@pytest.mark.parametrize(
    "args",
    [
        ["run", "{a}", "--json"],
        ["compare", "{a}", "{b}", "-n", "2", "--json"],
        ["warmup", "{a}", "-n", "3", "--json"],
        ["replications", "{a}", "{b}", "--pilot", "3", "--json"],
        ["breakeven", "{b}", "--intervention", "X", "-n", "2", "--scales", "0,1", "--json"],
    ],
)
def test_json_is_the_same_in_both_languages(files, args):
    args = [a.format(a=files["a"], b=files["b"]) for a in args]
    dutch = CliRunner().invoke(main, [*args, "--lang", "nl"])
    english = CliRunner().invoke(main, [*args, "--lang", "en"])
    assert dutch.exit_code == 0, dutch.output
    assert dutch.stdout == english.stdout
    json.loads(dutch.stdout)


def test_warmup_verdicts_say_what_they_mean():
    """A method that did not settle: MSER-5 cutting the most it may while the
    effect that matters is zero weeks is a slow drift, not a late settling."""
    import pandas as pd

    from wijksim.analysis.warmup import WarmupReport
    from wijksim.cli.experiments import warmup_text

    table = pd.DataFrame(
        [
            ("caseload", "welch", 0, True, 0),
            ("caseload", "mser-5", 0, False, 50),
            ("waiting_list", "welch", 80, False, 80),
            ("waiting_list", "mser-5", 50, False, 50),
        ],
        columns=["metric", "method", "warmup_weeks", "settled", "detected_weeks"],
    )
    report = WarmupReport("S", 3, 4, False, 52.0, table, pd.DataFrame())
    lines = warmup_text(report, "en").splitlines()
    drift = next(line for line in lines if line.startswith("Caseload") and "MSER-5" in line)
    assert "settles late" not in drift
    assert "50 weeks" in drift and "no start-up effect" in drift
    late = [line for line in lines if "settles late" in line]
    assert len(late) == 2 and all("Waiting list" in line for line in late)
    assert "Advice: a warm-up of at least 80 weeks" in lines
    dutch = warmup_text(report, "nl")
    assert "komt laat tot rust" in dutch and "geen opstarteffect" in dutch


# -- the terminal ---------------------------------------------------------------------------

ESCAPE = "\x1b[31m"


def test_control_characters_from_files_never_reach_the_terminal(tmp_path):
    """A scenario whose name and intervention carry an escape sequence (and a
    file name with one): every command shows them escaped."""
    name = f"Red{ESCAPE}Team\r"
    base = tmp_path / "a.yaml"
    base.write_text(SCENARIO_A.replace("name: A", f"name: {json.dumps(name)}"), encoding="utf-8")
    alternative = tmp_path / f"b{ESCAPE}.yaml"
    alternative.write_text(
        SCENARIO_B.replace("name: B", f"name: {json.dumps('B' + ESCAPE)}")
        .replace("name: X", f"name: {json.dumps('X' + ESCAPE)}")
        .replace(f"{ESCAPE}", "\\e"),
        encoding="utf-8",
    )
    shows_a_name = [
        ["run", base],
        ["run", alternative],
        ["validate", base, alternative],
        ["compare", base, alternative, "-n", "2"],
        ["warmup", base, "-n", "2"],
        ["replications", base, alternative, "--pilot", "2"],
        ["breakeven", alternative, "--intervention", "Y", "-n", "2"],  # unknown: names listed
        ["run", tmp_path / f"missing{ESCAPE}.yaml"],
    ]
    shows_none = [["sweep", base, "--grid", "team.fte=2,3", "-n", "2"]]
    for args in shows_a_name + shows_none:
        result = CliRunner().invoke(main, [str(a) for a in args])
        shown = result.stdout + result.stderr
        assert "\x1b" not in shown and "\r" not in shown, (args, shown)
        if args in shows_a_name:
            assert "\\x1b" in shown, (args, shown)  # shown, escaped


def test_for_terminal_keeps_what_a_table_needs():
    from wijksim.cli.common import for_terminal

    assert for_terminal("a\nb\tc € 12 −1,5 ─") == "a\nb\tc € 12 −1,5 ─"
    assert for_terminal("\x1b[2J\u202eevil\x9b") == "\\x1b[2J\\u202eevil\\x9b"
