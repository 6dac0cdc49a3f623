"""Hostile and careless registration files (issue 19, parts 2 and 7).

Every registration ``wijksim calibrate`` is given ends in one of two ways: a
scenario that loads back, holds only names the file holds and runs; or a
message that names the file (and the line, for a row), exit code 2 and nothing
written. Never a traceback, a hang, or a control character on the terminal.

The hypothesis tests below try :data:`CLI_CASES`, :data:`API_CASES` and
:data:`NAME_CASES` cases per run (``pytest --hypothesis-show-statistics``
prints how many each tried and how they ended); the regression tests after
them are the examples of the issue, each of which the code before it got wrong.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import random
import re
import stat
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import wijksim
from helpers import BASELINE
from helpers.registration import steady
from wijksim.analysis.calibration import calibrate, fit_duration
from wijksim.cli import main
from wijksim.scenario import ScenarioError, load_scenario

FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
CLI_CASES = 120
API_CASES = 60
NAME_CASES = 80
SEVERITIES = ("light", "regular", "complex")
BASE_THEMES = set(load_scenario(BASELINE).neighbourhood.themes)

# -- hostile registrations --------------------------------------------------------------

YAML_AND_TERMINAL = [
    ":", "#", "# x", "&a", "*a", "!x", "!!python/object:os.system", "{", "}", "[", "]",
    "---", "...", "a: b", "- x", "? x", "|", ">", "%YAML", "@x", "`x", "'", '"', '""',
    "<<", "extends: evil.yaml", "debts\nteam:\n  fte: 0", "\t", "a\tb", "\n", "\r", "\r\n",
    "\x1b[31mred", "\x1b]0;title\x07", "\x00", "\x7f", "\u202edesrever", "\ufeff",
    "\u2028", "\x85", "\xa0", "é", "schuldhulp–verlening", "日本", "x" * 300, " ", "",
    "2,5", "1e999", "-1", "nan", ".nan", "null", "~", "true", "yes", "on", "0x10",
    "12.000", "=cmd|' /C calc'!A0",
]  # fmt: skip
DATES = [
    "2023-01-05", "2023-1-5", "5-1-2023", "05/01/2023", "2023/01/05", "20230105",
    "44927", "2023-02-30", "2023-01-05T10:00", "2023-01-05 23:59:59+02:00",
    "2023-01-05T10:00:00Z", "2023-01-05 25:00", "2099-01-01", "0001-01-01",
    "1900-01-01", "9999-12-31", "2262-04-12", "1677-09-21", "", " ", "-2023-01-05",
]  # fmt: skip
CELLS = st.one_of(st.sampled_from(YAML_AND_TERMINAL + DATES), st.text(max_size=12))
HEADERS = st.sampled_from(
    ["keep", "drop", "duplicate", "extra", "upper", "spaces", "shuffle", "no optional"]
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252"])


@st.composite
def registrations(draw, *, max_rows: int = 70, max_damage: int = 4) -> tuple[bytes, str]:
    """A registration file's bytes and the text they were made from: plausible
    rows (so that many calibrate), then damaged cell by cell, in the header, the
    separator, the quoting, the line ends, the encoding and the bytes."""
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    count = draw(st.sampled_from([0, 1, 3, 12, max_rows // 2, max_rows, max_rows]))
    rows = [list(_plausible(rng, i)) for i in range(count)]
    columns = ["requested", "theme", "severity", "start", "end", "returning"]
    header = draw(HEADERS)
    if header == "drop":
        columns.pop(draw(st.integers(0, 5)))
    elif header == "duplicate":
        columns.append(draw(st.sampled_from(columns)))
    elif header == "extra":
        columns.insert(draw(st.integers(0, 6)), draw(st.sampled_from(["client", "", "notes"])))
    elif header == "upper":
        columns = [c.upper() for c in columns]
    elif header == "spaces":
        columns = [f" {c} " for c in columns]
    elif header == "no optional":
        columns = columns[:2] + columns[3:5]
    order = ["requested", "theme", "severity", "start", "end", "returning"]
    table = [[row[order.index(c.strip().lower())] if c.strip().lower() in order else "x"
              for c in columns] for row in rows]  # fmt: skip
    if header == "shuffle":
        permutation = draw(st.permutations(range(len(columns))))
        columns = [columns[i] for i in permutation]
        table = [[r[i] for i in permutation] for r in table]
    for _ in range(draw(st.integers(0, max_damage)) if table else 0):
        row, column = draw(st.integers(0, len(table) - 1)), draw(st.integers(0, len(columns) - 1))
        table[row][column] = draw(CELLS)
    separator = draw(st.sampled_from([",", ";", "\t"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    buffer = io.StringIO()
    if draw(st.booleans()):  # quoted as a CSV writer quotes
        csv.writer(buffer, delimiter=separator, lineterminator=ending).writerows([columns, *table])
    else:  # joined by hand: separators and line ends inside cells break rows
        buffer.write("".join(separator.join(r) + ending for r in [columns, *table]))
    text = buffer.getvalue()
    encoding = draw(ENCODINGS)
    data = text.encode(encoding, "replace")
    if draw(st.integers(0, 9)) == 0:  # damaged bytes: cut, or junk inserted
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=8))
    return data, data.decode(encoding, "replace") if encoding != "utf-8-sig" else text


def _plausible(rng: random.Random, i: int) -> tuple[str, ...]:
    requested = date(2022, 1, 3) + timedelta(days=i * rng.randint(3, 9) + rng.randint(0, 2))
    start = requested + timedelta(days=rng.choice([0, 0, rng.randint(1, 60)]))
    end = start + timedelta(days=rng.randint(0, 200)) if rng.random() < 0.8 else None
    severity = rng.choice(SEVERITIES)
    if end is not None and end == start:
        severity = "light"
    return (
        requested.isoformat(),
        rng.choice(["debts", "loneliness", "housing", "debts"]),
        severity,
        start.isoformat() if rng.random() < 0.9 else "",
        end.isoformat() if end is not None and rng.random() < 0.95 else "",
        rng.choice(["no", "no", "no", "yes", "ja", "nee", "NO"]),
    )


def _located(output: str, *paths: Path) -> None:
    """The first line that is not a note names one of ``paths``."""
    lines = [line for line in output.splitlines() if not line.startswith("note: ")]
    assert lines, output
    assert lines[0].startswith(tuple(str(p) for p in paths)), lines[0]


def _printable(text: str) -> None:
    assert all(c.isprintable() or c == "\n" for c in text), repr(text)


def _written_as_meant(out: Path, text_read: str) -> None:
    """The scenario loads, runs, and names only themes that the file holds (or the base)."""
    written = out.read_text(encoding="utf-8")
    _printable(written)
    scenario = load_scenario(out)
    for theme in set(scenario.neighbourhood.themes) - BASE_THEMES:
        assert theme in text_read, theme
    assert sum(scenario.neighbourhood.severity_mix.values()) == pytest.approx(1, abs=1e-9)
    short = scenario.with_overrides({"horizon": "4 weeks", "warmup": "0 weeks"})
    assert wijksim.simulate(short, seed=0).summary()["requests"] >= 0


@settings(max_examples=CLI_CASES, deadline=None, suppress_health_check=FIXTURES)
@given(registration=registrations())
def test_a_hostile_registration_calibrates_or_is_refused_in_words(tmp_path, registration):
    data, text = registration
    path, out = tmp_path / "registratie.csv", tmp_path / "mijn-wijk.yaml"
    path.write_bytes(data)
    out.unlink(missing_ok=True)
    args = ["calibrate", str(path), "--extends", str(BASELINE), "--out", str(out)]
    result = CliRunner().invoke(main, [*args, "--residents", "5000"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 2), result.output
    _printable(result.output)
    if result.exit_code == 2:
        _located(result.output, path, out)
        assert not out.exists()
        event(f"exit 2: {_kind(result.output)}")
        return
    event("calibrated")
    _written_as_meant(out, text)


def _kind(output: str) -> str:
    """The kind of a refusal, for the statistics: its message without names and numbers."""
    line = next(line for line in output.splitlines() if not line.startswith("note: "))
    words = re.sub(r"^\S+?(:\d+)?: ", "", line)
    return re.sub(r"'.*'|\d[\d,-]*", "…", words)[:50]


@settings(max_examples=API_CASES, deadline=None, suppress_health_check=FIXTURES)
@given(registration=registrations(max_rows=40))
def test_a_hostile_registration_through_the_python_api(tmp_path, registration):
    data, text = registration
    path, out = tmp_path / "registratie.csv", tmp_path / "sub" / "mijn-wijk.yaml"
    path.write_bytes(data)
    out.unlink(missing_ok=True)
    try:
        fit = calibrate(path, 5000, severities=SEVERITIES)
        fit.write(out, base=BASELINE)
    except ValueError as exc:
        message = str(exc)
        _printable(message)
        if isinstance(exc, ScenarioError):
            assert all(p.source in (str(out), str(BASELINE)) for p in exc.problems), message
        else:
            assert message.startswith(str(path)), message
        assert not out.exists()
        event("refused")
        return
    event("calibrated")
    _written_as_meant(out, text)


NAMES = st.one_of(
    st.sampled_from(YAML_AND_TERMINAL),
    st.text(min_size=1, max_size=20),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=8),
)


@settings(max_examples=NAME_CASES, deadline=None, suppress_health_check=FIXTURES)
@given(theme=NAMES, name=NAMES, quoted=st.booleans())
def test_any_theme_or_name_is_written_exactly_or_refused(tmp_path, theme, name, quoted):
    """Whatever a theme cell (or ``--name``) holds is either refused in words or
    read back from the written file as exactly that text: never as keys."""
    cell = '"' + theme.replace('"', '""') + '"' if quoted else theme
    path, out = tmp_path / "registratie.csv", tmp_path / "mijn-wijk.yaml"
    # cases not yet closed: no duration is fitted, so each case takes a moment
    path.write_text(steady(30, theme=cell, closed=False), encoding="utf-8", newline="")
    out.unlink(missing_ok=True)
    args = ["calibrate", str(path), "--out", str(out), "--extends", str(BASELINE)]
    result = CliRunner().invoke(main, [*args, "--name", name])
    assert result.exit_code in (0, 2), result.output
    _printable(result.output)
    if result.exit_code == 2:
        event("refused")
        assert not out.exists()
        return
    event("written")
    scenario = load_scenario(out)
    assert scenario.name == name
    assert set(scenario.neighbourhood.themes) - BASE_THEMES <= {theme.strip()}
    assert set(load_scenario(out).neighbourhood.themes) >= BASE_THEMES


# -- the examples of the issue: each got a wrong answer before --------------------------


def _cli(*args: str):
    result = CliRunner().invoke(main, ["calibrate", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_a_theme_cell_cannot_inject_keys_into_the_scenario(tmp_path):
    """Before: the newline was written unquoted, and the run used ``fte: 0``."""
    path, out = tmp_path / "r.csv", tmp_path / "s.yaml"
    text = steady(30).replace(
        ",debts,", ',"debts:\n    requests_per_1000: 999\nteam:\n  fte: 0\n#",', 1
    )
    path.write_text(text)
    result = _cli(path, "--out", out, "--extends", BASELINE)
    assert result.exit_code == 2
    assert f"{path}:2: theme: holds a control or invisible character (U+000A)" in result.output
    assert not out.exists()


def test_yaml_significant_theme_names_are_written_as_names(tmp_path):
    path, out = tmp_path / "r.csv", tmp_path / "s.yaml"
    names = ["debts: {fte: 0}", "#x", "*alias", "&anchor", "!tag", "<<", "---", "[a, b]"]
    lines = steady(30).splitlines()
    body = [lines[0]] + [
        line.replace(",debts,", "," + '"' + names[i % len(names)] + '"' + ",")
        for i, line in enumerate(lines[1:])
    ]
    path.write_text("\n".join(body) + "\n")
    result = _cli(path, "--out", out, "--extends", BASELINE)
    assert result.exit_code == 0, result.output
    scenario = load_scenario(out)
    assert set(scenario.neighbourhood.themes) - BASE_THEMES == set(names)
    assert scenario.team.fte == load_scenario(BASELINE).team.fte


@pytest.mark.parametrize(
    ("typo", "message"),
    [
        ("2099", "end: 2099-"),  # stretched the period to 2099: rates divided by 76 years
        ("0001", "end: 0001-"),  # divided by 2,022 years (or a pandas error)
        ("2033", "end: 2033-"),  # ten years: the period looked like eleven
    ],
)
def test_a_single_mistyped_date_is_located(tmp_path, typo, message):
    lines = steady(30).splitlines()
    requested, theme, severity, start, end, returning = lines[5].split(",")
    lines[5] = ",".join([requested, theme, severity, start, typo + end[4:], returning])
    path = tmp_path / "r.csv"
    path.write_text("\n".join(lines) + "\n")
    result = _cli(path)
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"{path}:6: {message}"), result.output
    assert "a typo?" in result.output


def test_an_old_request_is_located_and_since_resolves_it(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(steady(30) + "2013-01-07,debts,light,,,no\n")
    result = _cli(path)
    assert result.exit_code == 2
    assert f"{path}:92: requested: 2013-01-07 is" in result.output and "--since" in result.output
    result = _cli(path, "--since", "2023-01-02")
    assert result.exit_code == 0, result.output
    assert "1 row requested before since (2023-01-02): cases carried over" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--until", "2022-06-01"], "no requests on or before until (2022-06-01)"),
        (["--since", "2023-06-01", "--until", "2023-03-01"], "since (2023-06-01) is after until"),
        (["--since", "2030-01-01"], "since (2030-01-01) is after the last date in the file"),
        (["--since", "2023-03-01", "--until", "2023-03-10"], "is 10 days; a rate per year needs"),
    ],
)
def test_a_period_that_is_empty_or_negative_is_refused(tmp_path, args, message):
    """Before: negative periods, rates and standard errors, exit 0."""
    path = tmp_path / "r.csv"
    path.write_text(steady(30))
    result = _cli(path, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_rows_after_until_are_left_out_and_counted(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(steady(30))
    fit = calibrate(path, since=date(2023, 1, 2), until=date(2023, 4, 30))
    assert fit.last_day == date(2023, 4, 30)
    left_out = next(n for n in fit.notes if "requested after until" in n)
    assert left_out == (
        "39 rows requested after until (2023-04-30) left out (lines 53, 54, 55, 56, 57 and 34 more)"
    )
    assert any("read as not yet happened" in n for n in fit.notes)
    assert fit.themes["debts"].new_requests == 51 - 6  # six of the 51 rows come back
    whole = calibrate(path, since=date(2023, 1, 2))
    assert whole.last_day > fit.last_day


def test_a_one_row_file_is_refused_with_what_a_rate_needs(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("requested,theme,start,end\n2023-03-01,debts,,\n")
    result = _cli(path)
    assert result.exit_code == 2
    assert "the period from 2023-03-01 to 2023-03-01 is 1 day;" in result.output
    assert "at least 28 days" in result.output


def test_identical_durations_give_no_fit_and_no_nan(tmp_path):
    """Before: ``nan`` shares, or a Weibull shape of 1e15, written with exit 0."""
    path, out = tmp_path / "r.csv", tmp_path / "s.yaml"
    row = "2023-01-02,debts,regular,2023-01-09,2023-03-06,no\n"
    path.write_text("requested,theme,severity,start,end,returning\n" + row * 40)
    result = _cli(path, "--out", out, "--extends", BASELINE)
    assert result.exit_code == 0, result.output
    assert "duration of regular not fitted: 40 closed cases with 1 different durations" in (
        result.output
    )
    assert "at least 10 closed cases with 3 different durations" in result.output
    text = out.read_text()
    assert "nan" not in text.lower() and "e+" not in text
    scenario = load_scenario(out)
    assert scenario.neighbourhood.duration == load_scenario(BASELINE).neighbourhood.duration
    assert not calibrate(path, severities=SEVERITIES).durations


def test_fit_duration_says_how_much_it_needs():
    with pytest.raises(ValueError, match="at least 10 closed cases with 3 different durations"):
        fit_duration(np.full(50, 4.0), np.array([]))
    with pytest.raises(ValueError, match="9 closed cases with 9 different"):
        fit_duration(np.arange(1.0, 10.0), np.array([]))
    fit = fit_duration(np.array([1.0, 2.0, 3.0] * 4), np.array([]))
    assert all(np.isfinite(e.value) and e.value < 1e3 for e in fit.params.values())


def test_a_url_is_not_fetched(tmp_path, monkeypatch):
    """Before: pandas fetched it over HTTP."""
    import urllib.request

    def refuse(*args, **kwargs):
        raise AssertionError("fetched")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    for url in ("http://example.org/r.csv", "https://example.org/r.csv", "file:///etc/passwd"):
        result = _cli(url)
        assert result.exit_code == 2
        assert result.output.startswith(f"{url}: a URL: only local files are read")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_special_files_are_refused_without_blocking(tmp_path):
    fifo = tmp_path / "r.csv"
    os.mkfifo(fifo)
    for path, message in [
        (fifo, "is not a regular file"),
        (tmp_path, "is a folder"),
        (tmp_path / "missing.csv", "file not found"),
        (Path("/dev/zero"), "is not a regular file"),
        (_sparse(tmp_path / "huge.csv", 65 << 20), "is too large (68,157,440 bytes; at most"),
    ]:
        result = _cli(path)
        assert result.exit_code == 2
        assert result.output.startswith(f"{path}: cannot read: {message}"), result.output
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def test_output_onto_a_fifo_or_the_registration_is_refused(tmp_path):
    path, fifo = tmp_path / "r.csv", tmp_path / "out.yaml"
    path.write_text(steady(30))
    os.mkfifo(fifo)
    result = _cli(path, "--out", fifo)
    assert result.exit_code == 2 and "not a regular file" in result.output
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    result = _cli(path, "--out", path)
    assert result.exit_code == 2 and "is the registration itself" in result.output
    assert path.read_text() == steady(30)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", ": empty (no header, no requests)"),
        (b" \r\n\r\n\t\n", ": empty (no header, no requests)"),
        (b"requested,theme,start,end\n", ": no requests (only a header)"),
        (
            b"requested,theme,start,end\n2023-01-02,debts,,\n2023-01-03,debts,2023-01-04,,2,5\n",
            ":3: 6 cells where the header has 4: a separator inside a cell (a decimal comma",
        ),
        (
            b"requested,theme,start,end\n2023-01-02,debts,,\n2023-01-03,debts\n",
            ":3: 2 cells where the header has 4",
        ),
        (
            "requested,theme,start,end\n2023-01-02,schuldhulpverlening €,,\n".encode("cp1252"),
            ":2: not UTF-8 text (byte 0x80; a Windows-1252 or Latin-1 export?): save it as UTF-8",
        ),
        ("requested,theme,start,end\n2023-01-02,debts,,\n".encode("utf-16-le"), ":1: holds a NUL"),
        (b"requested;theme;begin;end\n", ":1: missing columns: start (the header has: "),
        (b"requested,theme,start,end\n31-12-2023,debts,,\n", ":2: requested: not a date: '31-12"),
        (
            b"requested,theme,start,end\n45123,debts,,\n",
            ":2: requested: not a date: '45123' (an Excel",
        ),
        (b'requested,theme,start,end\n2023-01-02,"debts,,\n', ':2: a quote (") opened'),
        (b"requested,theme,start,end,theme\n", ":1: column 'theme' appears twice"),
    ],
)
def test_unreadable_files_are_located(tmp_path, content, message):
    """Before: raw pandas messages without the file and line (or none at all)."""
    path = tmp_path / "r.csv"
    path.write_bytes(content)
    result = _cli(path)
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"{path}{message}"), result.output


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.replace(",", ";").encode(),  # Dutch Excel: CSV (gescheiden door ;)
        lambda t: "sep=;\n" + t.replace(",", ";"),  # Excel's own separator line
        lambda t: t.replace(",", "\t").encode("utf-16"),  # Excel: Unicode text
        lambda t: codecs.BOM_UTF8 + t.replace("\n", "\r\n").encode(),  # CSV UTF-8, Windows
        lambda t: t.replace("\n", "\r").encode(),  # classic Mac line ends
    ],
)
def test_what_excel_writes_gives_the_same_scenario(tmp_path, encode):
    plain = tmp_path / "plain.csv"
    plain.write_text(steady(40))
    other = tmp_path / "other.csv"
    data = encode(steady(40))
    other.write_bytes(data if isinstance(data, bytes) else data.encode())
    a, b = calibrate(plain, 5000), calibrate(other, 5000)
    assert a.to_yaml().replace("plain.csv", "x") == b.to_yaml().replace("other.csv", "x")


def test_shares_are_rounded_to_add_up_to_one(tmp_path):
    """Before: three equal severities were written as 0.3333 each (0.9999): the
    loader's own sum check refused the scenario."""
    path, out = tmp_path / "r.csv", tmp_path / "s.yaml"
    path.write_text(steady(30).replace(",yes\n", ",no\n"))  # 30 new requests of each
    result = _cli(path, "--out", out, "--extends", BASELINE)
    assert result.exit_code == 0, result.output
    mix = load_scenario(out).neighbourhood.severity_mix
    assert sorted(mix.values()) == [0.3333, 0.3333, 0.3334]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_subnormal=False), min_size=1, max_size=12))
def test_largest_remainder_shares_add_up_exactly(weights):
    from wijksim.analysis.calibration_file import _largest_remainder

    if sum(weights) <= 0:
        return
    shares = _largest_remainder({str(i): w for i, w in enumerate(weights)})
    assert sum(round(v * 10_000) for v in shares.values()) == 10_000
    assert abs(sum(shares.values()) - 1) < 1e-9
    total = sum(weights)
    assert all(abs(shares[str(i)] - w / total) <= 1e-4 for i, w in enumerate(weights))


def test_wijksims_own_registrations_always_calibrate(tmp_path):
    """Before: 2 of 7 seeds were refused by the loader's sum check."""
    scenario = load_scenario(BASELINE).with_overrides({"horizon": "3 years", "warmup": "1 year"})
    for seed in range(7):
        run = wijksim.simulate(scenario, seed=seed, record_cases=True)
        path, out = tmp_path / f"r{seed}.csv", tmp_path / f"s{seed}.yaml"
        wijksim.analysis.calibration.registration(run).to_csv(path, index=False)
        result = _cli(path, "--out", out, "--extends", BASELINE, "--since", "2021-01-01")
        assert result.exit_code == 0, (seed, result.output)
        load_scenario(out)


def test_a_base_without_recurrence_gets_no_half_recurrence(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text(
        BASELINE.read_text().split("\nteam:")[0] + "\nteam:" + _team_without_recurrence()
    )
    load_scenario(base)
    path, out = tmp_path / "r.csv", tmp_path / "s.yaml"
    path.write_text(steady(30))
    result = _cli(path, "--out", out, "--extends", base)
    assert result.exit_code == 0, result.output
    assert "the base has no team.recurrence" in out.read_text()
    assert load_scenario(out).team.recurrence is None


def _team_without_recurrence() -> str:
    team = BASELINE.read_text().split("\nteam:")[1]
    kept, skipping = [], False
    for line in team.splitlines(keepends=True):
        if line.startswith("  recurrence:"):
            skipping = True
            continue
        if skipping and line.startswith("    "):
            continue
        skipping = False
        kept.append(line)
    return "".join(kept)


def test_printed_scenario_is_checked_and_extends_an_absolute_path(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(steady(30))
    result = CliRunner().invoke(main, ["calibrate", str(path), "--extends", str(BASELINE)])
    assert result.exit_code == 0, result.output
    (tmp_path / "elsewhere").mkdir()
    saved = tmp_path / "elsewhere" / "s.yaml"
    saved.write_text(result.stdout)
    assert load_scenario(saved).neighbourhood.residents == 1000
    assert f"extends: {BASELINE.as_posix()}" in result.stdout


def test_a_frame_is_checked_like_a_file():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "requested": pd.to_datetime(["2023-01-02", "2023-01-09"]),
            "theme": ["debts", "debts\x1b[2J"],
            "start": pd.to_datetime(["2023-01-03", None]),
            "end": pd.to_datetime([None, None]),
        }
    )
    with pytest.raises(ValueError, match=r"a registration frame, row 1: theme: holds a control"):
        calibrate(frame)
    frame["theme"] = "debts"
    frame.loc[1, "start"] = pd.Timestamp("2022-01-01")
    with pytest.raises(ValueError, match=r"row 1: start: before the request"):
        calibrate(frame)


def test_an_unknown_severity_is_located_with_a_suggestion(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(steady(30).replace(",regular,", ",Regular,", 1))
    result = _cli(path, "--extends", BASELINE)
    assert result.exit_code == 2
    assert result.output.startswith(
        f"{path}:3: severity: unknown severity 'Regular'; did you mean 'regular'?"
        " (severities: light, regular, complex)"
    )


def test_residents_must_be_a_whole_number(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(steady(30))
    # A fraction is refused by calibrate; an infinite number already by the option.
    expected = {
        "12500.5": "residents: expected a whole number",
        "inf": "'--residents': inf is not a finite number",
        "1e400": "'--residents': inf is not a finite number",
    }
    for residents, message in expected.items():
        result = _cli(path, "--residents", residents)
        assert result.exit_code == 2, result.output
        assert message in result.output


def test_a_column_of_ids_as_themes_is_refused(tmp_path):
    path = tmp_path / "r.csv"
    lines = steady(40).splitlines()
    path.write_text(
        "\n".join(
            [lines[0]] + [x.replace(",debts,", f",client {i},") for i, x in enumerate(lines[1:])]
        )
        + "\n"
    )
    result = _cli(path)
    assert result.exit_code == 2
    assert result.output.startswith(f"{path}: theme: 107 different themes (at most 100): is the")
