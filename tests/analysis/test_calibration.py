"""Calibration recovers the parameters of a registration that wijksim itself
generated with known values, within the standard errors it reports."""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

import wijksim
from wijksim.analysis.calibration import (
    calibrate,
    fit_duration,
    kaplan_meier,
    read_requests,
    registration,
)

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
FIRST_DAY = date(2020, 1, 1)
WEEKS_PER_MONTH = 365.25 / 7 / 12


@pytest.fixture(scope="module")
def truth():
    """The baseline without escalation (severity then stays as drawn) and
    without an initial state, registered for six years after a two-year warm-up."""
    return wijksim.load_scenario(BASELINE).with_overrides(
        {
            "horizon": "8 years",
            "warmup": "2 years",
            "initial_state.caseload": 0,
            "initial_state.waiting_list": 0,
            "team.escalation": None,
        }
    )


@pytest.fixture(scope="module")
def csv(truth, tmp_path_factory):
    run = wijksim.simulate(truth, seed=3, record_cases=True)
    path = tmp_path_factory.mktemp("registration") / "registratie.csv"
    registration(run, FIRST_DAY).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def fitted(truth, csv):
    since = FIRST_DAY + timedelta(days=round(truth.warmup * 7))
    return calibrate(csv, residents=truth.neighbourhood.residents, since=since)


def z(estimate, true: float) -> float:
    return abs(estimate.value - true) / estimate.se


def test_arrival_rates_recovered(truth, fitted):
    scores = [
        z(fitted.themes[t].requests_per_1000, truth.neighbourhood.themes[t].requests_per_1000)
        for t in truth.themes
    ]
    assert max(scores) < 3, scores
    # honest standard errors: not so wide that everything passes
    assert np.mean(scores) < 1.5, scores


def test_monthly_profile_recovered_where_months_differ(truth, fitted):
    debts = fitted.themes["debts"]
    assert debts.monthly_profile is not None and debts.flat_p_value < 0.05
    true = np.array(truth.neighbourhood.themes["debts"].monthly_profile)
    true = true / true.mean()
    scores = [z(e, t) for e, t in zip(debts.monthly_profile, true, strict=True)]
    assert max(scores) < 3, scores


def test_severity_mix_and_settled_share_recovered(truth, fitted):
    for severity, share in truth.neighbourhood.severity_mix.items():
        assert z(fitted.severity_mix[severity], share) < 3, severity
    assert z(fitted.settled_at_intake, truth.neighbourhood.settled_at_intake) < 3


def test_share_coming_back_recovered(truth, fitted):
    assert z(fitted.recurrence, truth.team.recurrence.probability) < 3


def test_durations_recovered_with_the_right_family(truth, fitted):
    for severity in truth.severities:
        fit = fitted.durations[severity]
        true = truth.neighbourhood.duration[severity]
        assert fit.dist == "lognormal", (severity, fit.aic)
        assert z(fit.params["median"], true.median) < 3, severity
        assert z(fit.params["p90"], true.p90) < 3, severity
        assert fit.open > 0  # cases still open were used, censored


def test_fit_duration_chooses_gamma_for_gamma_data():
    rng = np.random.default_rng(1)
    times = rng.gamma(3.0, 4.0, 2000)  # mean 12, sd ~6.9 weeks
    cut = 25.0  # cases longer than this are still open: right-censored
    fit = fit_duration(times[times <= cut], np.full((times > cut).sum(), cut))
    assert fit.dist == "gamma", fit.aic
    assert z(fit.params["mean"], 12.0) < 3
    assert z(fit.params["sd"], math.sqrt(3) * 4.0) < 3


def test_censoring_matters():
    """Ignoring the open cases would underestimate the durations: the censored
    fit gets the median right where the naive one does not."""
    rng = np.random.default_rng(2)
    times = rng.lognormal(math.log(20), 0.8, 3000)
    cut = 25.0
    closed, still_open = times[times <= cut], np.full((times > cut).sum(), cut)
    censored = fit_duration(closed, still_open)
    naive = fit_duration(closed, np.array([]))
    assert z(censored.params["median"], 20.0) < 3
    assert naive.survival(np.array([20.0]))[0] < 0.4  # half are open at 20 weeks


def test_kaplan_meier_without_censoring_is_the_empirical_survival():
    weeks, share = kaplan_meier(np.array([1.0, 2.0, 3.0, 4.0]), np.array([]))
    assert list(weeks) == [1, 2, 3, 4]
    assert np.allclose(share, [0.75, 0.5, 0.25, 0.0])


def test_written_scenario_runs_and_carries_standard_errors(fitted, tmp_path):
    out = tmp_path / "mijn-wijk.yaml"
    out.write_text(fitted.to_yaml(extends=str(BASELINE)))
    text = out.read_text()
    assert "±" in text and "requests_per_1000" in text and "monthly_profile" in text
    scenario = wijksim.load_scenario(out)
    assert scenario.neighbourhood.themes["debts"].requests_per_1000 == pytest.approx(
        fitted.themes["debts"].requests_per_1000.value, rel=1e-3
    )
    assert scenario.neighbourhood.duration["regular"].dist == "lognormal"
    short = scenario.with_overrides({"horizon": "1 year", "warmup": "0 weeks"})
    assert wijksim.simulate(short, seed=0).summary()["requests"] > 0


def test_output_holds_aggregates_only(csv, fitted):
    rows = read_requests(csv)
    text = fitted.to_yaml()
    days = set(rows["requested"].dt.strftime("%Y-%m-%d"))
    shown = {d for d in days if d in text}
    # only the period's first and last day appear, no request's own date
    assert shown <= {str(fitted.first_day), str(fitted.last_day)}


def test_fit_plot(fitted, tmp_path):
    path = tmp_path / "fit.png"
    fig = fitted.plot_durations(path)
    assert path.stat().st_size > 10_000
    assert len(fig.axes) == len(fitted.durations)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("requested,theme,start\n2024-01-01,debts,\n", "missing columns: end"),
        ("requested,theme,start,end\n2024-13-01,debts,,\n", ":2: requested: not a date"),
        ("requested,theme,start,end\n2024-01-05,debts,2024-01-01,\n", ":2: start: before"),
        (
            "requested,theme,start,end\n2024-01-01,debts,,\n2024-01-01,debts,2024-02-01,2024-01-09\n",
            ":3: end: before the start",
        ),
        ("requested,theme,start,end,returning\n2024-01-01,debts,,,maybe\n", "returning: give"),
    ],
)
def test_bad_registration_is_reported_by_line(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        read_requests(path)


def test_cli_writes_a_runnable_scenario_and_a_plot(csv, tmp_path):
    from click.testing import CliRunner

    from wijksim.cli import main

    out = tmp_path / "mijn-wijk.yaml"
    result = CliRunner().invoke(
        main,
        [
            "calibrate",
            str(csv),
            "--out",
            str(out),
            "--residents",
            "18000",
            "--extends",
            str(BASELINE),
            "--since",
            "2021-12-31",
        ],
    )
    assert result.exit_code == 0, result.output
    assert wijksim.load_scenario(out).neighbourhood.residents == 18000
    assert (tmp_path / "mijn-wijk-fit.png").exists()


def test_cli_reports_a_bad_registration_with_exit_code_2(tmp_path):
    from click.testing import CliRunner

    from wijksim.cli import main

    path = tmp_path / "bad.csv"
    path.write_text("requested,theme,start,end\n2024-01-01,,,\n")
    result = CliRunner().invoke(main, ["calibrate", str(path)])
    assert result.exit_code == 2
    assert "bad.csv:2: theme: missing" in result.output


def test_without_a_severity_column_one_duration_serves_every_severity(csv, tmp_path):
    rows = read_requests(csv).drop(columns="severity")
    fit = calibrate(rows, residents=18000, since=date(2021, 12, 31))
    assert list(fit.durations) == ["all"] and fit.severity_mix is None
    out = tmp_path / "zonder-zwaarte.yaml"
    out.write_text(fit.to_yaml(extends=str(BASELINE)))
    durations = wijksim.load_scenario(out).neighbourhood.duration
    assert durations["light"] == durations["complex"]


def test_cli_json_holds_values_and_standard_errors(csv):
    import json

    from click.testing import CliRunner

    from wijksim.cli import main

    result = CliRunner().invoke(main, ["calibrate", str(csv), "--json", "--residents", "18000"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # notes go to stderr
    debts = data["themes"]["debts"]["requests_per_1000"]
    assert debts["value"] > 0 and 0 < debts["se"] < debts["value"]
    assert data["durations"]["regular"]["dist"] in {"lognormal", "gamma", "weibull", "exponential"}


def test_the_written_out_likelihoods_are_scipys():
    """fit_duration sums numpy log-densities of its own (scipy's are slow to
    call): they are scipy's, for closed cases and for open ones (also at 0)."""
    from wijksim.analysis.calibration_fits import CANDIDATES

    rng = np.random.default_rng(4)
    done = rng.gamma(2.0, 3.0, 200) + 1e-3
    later = np.concatenate([[0.0], rng.gamma(2.0, 5.0, 50)])
    for candidate in CANDIDATES:
        for _ in range(5):
            theta = rng.normal(0.5, 0.8, 1 if candidate.name == "exponential" else 2)
            logpdf, logsf = candidate.log(theta, done, later)
            frozen = candidate.frozen(theta)
            assert np.allclose(logpdf, frozen.logpdf(done), rtol=1e-10, atol=1e-10)
            assert np.allclose(logsf, frozen.logsf(later), rtol=1e-10, atol=1e-10)


def test_a_million_closed_cases_fit_as_quickly_as_their_distinct_days():
    import time

    rng = np.random.default_rng(5)
    days = np.round(rng.lognormal(math.log(60), 0.7, 1_000_000))
    start = time.perf_counter()
    fit = fit_duration(days / 7.0, np.array([]))
    assert time.perf_counter() - start < 10
    assert fit.dist == "lognormal" and z(fit.params["median"], 60 / 7) < 3
