"""Duration distributions: their draws match their stated means and quantiles."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from wijksim.scenario.distributions import Z90, Distribution, Lognormal
from wijksim.scenario.units import WEEKS_PER_MONTH, WEEKS_PER_YEAR, parse_duration
from wijksim.streams import BATCH

ADAPTER = TypeAdapter(Distribution)
N = 200_000


def dist(data):
    return ADAPTER.validate_python(data)


def sample(spec, n: int = N, seed: int = 12345) -> np.ndarray:
    """``n`` draws through the engine's own path: ``spec.draws(rng)``."""
    draw = spec.draws(np.random.default_rng(seed))
    return np.fromiter((draw() for _ in range(n)), dtype=float, count=n)


SPECS = {
    "exponential": {"dist": "exponential", "mean": "6 weeks"},
    "gamma": {"dist": "gamma", "mean": "4 months", "sd": "2 months"},
    "gamma_skewed": {"dist": "gamma", "mean": "2 weeks", "sd": "5 weeks"},
    "lognormal_moments": {"dist": "lognormal", "mean": "6 months", "sd": "5 months"},
    "lognormal_quantiles": {"dist": "lognormal", "median": "4 months", "p90": "11 months"},
    "weibull": {"dist": "weibull", "shape": 1.5, "scale": "20 weeks"},
    "weibull_heavy": {"dist": "weibull", "shape": 0.7, "scale": "3 weeks"},
    "triangular": {"dist": "triangular", "min": "1 week", "mode": "3 weeks", "max": "20 weeks"},
    "uniform": {"dist": "uniform", "min": "1 month", "max": "2 years"},
    "empirical": {"dist": "empirical", "values": ["1 week", "2 weeks", "10 weeks", "3 days"]},
}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_sample_mean_matches_stated_mean(name):
    spec = dist(SPECS[name])
    x = sample(spec)
    assert np.all(x >= 0)
    se = x.std(ddof=1) / math.sqrt(len(x))
    # 5 standard errors: a correct distribution fails this with probability < 1e-6
    assert abs(x.mean() - spec.mean()) < 5 * se, (x.mean(), spec.mean(), se)


def test_stated_means_are_the_textbook_ones():
    """``mean()`` itself, against closed forms (so the check above is not circular)."""
    assert dist(SPECS["exponential"]).mean() == pytest.approx(6.0)
    assert dist(SPECS["gamma"]).mean() == pytest.approx(4 * WEEKS_PER_MONTH)
    assert dist(SPECS["weibull"]).mean() == pytest.approx(20 * math.gamma(1 + 1 / 1.5))
    assert dist(SPECS["triangular"]).mean() == pytest.approx(24 / 3)
    assert dist(SPECS["uniform"]).mean() == pytest.approx(
        (WEEKS_PER_MONTH + 2 * WEEKS_PER_YEAR) / 2
    )
    assert dist(SPECS["empirical"]).mean() == pytest.approx((1 + 2 + 10 + 3 / 7) / 4)
    assert dist(SPECS["lognormal_moments"]).mean() == pytest.approx(6 * WEEKS_PER_MONTH)
    median, p90 = 4 * WEEKS_PER_MONTH, 11 * WEEKS_PER_MONTH
    sigma = math.log(p90 / median) / Z90
    assert dist(SPECS["lognormal_quantiles"]).mean() == pytest.approx(
        median * math.exp(sigma**2 / 2)
    )


@pytest.mark.parametrize("name", ["gamma", "gamma_skewed", "lognormal_moments"])
def test_sample_sd_matches_stated_sd(name):
    data = SPECS[name]
    x = sample(dist(data))
    sd = parse_duration(data["sd"])
    assert x.std(ddof=1) == pytest.approx(sd, rel=0.05)


def test_lognormal_by_median_and_p90_has_that_median_and_p90():
    spec = dist(SPECS["lognormal_quantiles"])
    x = sample(spec)
    median, p90 = 4 * WEEKS_PER_MONTH, 11 * WEEKS_PER_MONTH
    assert np.median(x) == pytest.approx(median, rel=0.01)
    assert np.quantile(x, 0.9) == pytest.approx(p90, rel=0.015)
    assert np.mean(x <= p90) == pytest.approx(0.9, abs=0.003)
    assert np.mean(x <= median) == pytest.approx(0.5, abs=0.004)


def test_lognormal_parametrisations_agree():
    by_quantiles = dist(SPECS["lognormal_quantiles"])
    mu, sigma = by_quantiles.mu_sigma
    mean = math.exp(mu + sigma**2 / 2)
    sd = mean * math.sqrt(math.expm1(sigma**2))
    by_moments = dist({"dist": "lognormal", "mean": f"{mean!r} weeks", "sd": f"{sd!r} weeks"})
    assert by_moments.mu_sigma == pytest.approx((mu, sigma), rel=1e-12)


def test_fixed_and_shorthand():
    assert dist("4 months") == dist({"dist": "fixed", "value": "4 months"})
    spec = dist("3 weeks")
    draw = spec.draws(np.random.default_rng(0))
    assert [draw() for _ in range(5)] == [3.0] * 5
    assert spec.mean() == 3.0


def test_empirical_resamples_only_given_values():
    spec = dist(SPECS["empirical"])
    x = sample(spec, 20_000)
    assert set(np.unique(x)) == {1.0, 2.0, 10.0, 3 / 7}
    # each value equally likely
    for value in (1.0, 2.0, 10.0):
        assert np.mean(x == value) == pytest.approx(0.25, abs=0.02)


def test_empirical_from_csv(tmp_path):
    path = tmp_path / "durations.csv"
    path.write_text('client,days\na,7\nb,14\nc,\nd,70\ne,"3,5"\n', encoding="utf-8")
    spec = dist({"dist": "empirical", "csv": str(path), "column": "days", "unit": "days"})
    # the empty cell is skipped; "3,5" is a Dutch decimal comma
    assert spec.mean() == pytest.approx((1 + 2 + 10 + 0.5) / 4)
    x = sample(spec, 10_000)
    assert sorted(np.unique(x)) == pytest.approx([0.5, 1.0, 2.0, 10.0])
    assert x.mean() == pytest.approx(spec.mean(), rel=0.05)


def test_empirical_from_csv_unit_weeks_by_default(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("w\n1\n3\n", encoding="utf-8")
    spec = dist({"dist": "empirical", "csv": str(path), "column": "w"})
    assert spec.mean() == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("content", "column", "match"),
    [
        ("days\n7\nabc\n", "days", r"d\.csv:3: days: not a number"),
        ("days\n7\n", "weeks", "no column 'weeks'"),
        ("days\n\n", "days", "at least one value"),
        ("days\n-7\n", "days", "negative"),
    ],
)
def test_empirical_csv_problems(tmp_path, content, column, match):
    path = tmp_path / "d.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError, match=match):
        dist({"dist": "empirical", "csv": str(path), "column": column, "unit": "days"})


def test_empirical_csv_missing_file(tmp_path):
    missing = tmp_path / "nope.csv"
    with pytest.raises(ValidationError, match="cannot read"):
        dist({"dist": "empirical", "csv": str(missing), "column": "days"})


def test_same_rng_seed_gives_same_draws():
    spec = dist(SPECS["gamma"])
    a, b = sample(spec, 1000, seed=3), sample(spec, 1000, seed=3)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, sample(spec, 1000, seed=4))


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"dist": "gamma", "mean": "4 weeks", "sd": "0 weeks"}, "positive"),
        ({"dist": "gamma", "mean": "0 weeks", "sd": "1 week"}, "positive"),
        ({"dist": "lognormal", "mean": "4 weeks"}, "either mean and sd"),
        ({"dist": "lognormal", "median": "4 weeks"}, "either mean and sd"),
        ({"dist": "lognormal"}, "either mean and sd"),
        (
            {"dist": "lognormal", "mean": "4 weeks", "sd": "1 week", "median": "3 weeks"},
            "either mean and sd",
        ),
        (
            {
                "dist": "lognormal",
                "mean": "4 weeks",
                "sd": "1 week",
                "median": "3 weeks",
                "p90": "9 weeks",
            },
            "either mean and sd",
        ),
        ({"dist": "lognormal", "median": "9 weeks", "p90": "4 weeks"}, "median < p90"),
        ({"dist": "lognormal", "median": "4 weeks", "p90": "4 weeks"}, "median < p90"),
        ({"dist": "lognormal", "mean": "4 weeks", "sd": "0 weeks"}, "positive"),
        ({"dist": "triangular", "min": "1 week", "mode": "9 weeks", "max": "5 weeks"}, "min <="),
        ({"dist": "triangular", "min": "2 weeks", "mode": "2 weeks", "max": "2 weeks"}, "min <"),
        ({"dist": "uniform", "min": "5 weeks", "max": "5 weeks"}, "min < max"),
        ({"dist": "uniform", "min": "5 weeks", "max": "1 week"}, "min < max"),
        ({"dist": "weibull", "shape": 0, "scale": "1 week"}, "greater than 0"),
        ({"dist": "weibull", "shape": -1, "scale": "1 week"}, "greater than 0"),
        ({"dist": "empirical"}, "either 'values' or 'csv'"),
        ({"dist": "empirical", "values": ["1 week"], "csv": "x.csv"}, "either 'values' or 'csv'"),
        ({"dist": "empirical", "values": []}, "at least one value"),
        ({"dist": "empirical", "csv": "x.csv"}, "needs 'column'"),
        ({"dist": "empirical", "csv": "x.csv", "column": "a", "unit": "eons"}, "unknown"),
        ({"dist": "exponential", "mean": 6}, "unit"),
        ({"dist": "exponential", "mean": "-6 weeks"}, "negative"),
        ({"dist": "exponential", "mean": "6 weeks", "sd": "1 week"}, "Extra inputs"),
        ({"dist": "normal", "mean": "6 weeks"}, "does not match any of the expected tags"),
        ({"mean": "6 weeks"}, "Unable to extract tag"),
        (6, "unit"),
    ],
)
def test_invalid_parameters_raise(data, match):
    with pytest.raises(ValidationError, match=match):
        dist(data)


@pytest.mark.parametrize("extra", [{"mean": "100 weeks"}, {"sd": "1 week"}])
def test_lognormal_rejects_a_stray_parameter_next_to_median_and_p90(extra):
    with pytest.raises(ValidationError, match="either mean and sd"):
        Lognormal.model_validate({"median": "4 weeks", "p90": "10 weeks", **extra})


@pytest.mark.parametrize(
    "name", ["gamma", "gamma_skewed", "lognormal_moments", "lognormal_quantiles", "triangular"]
)
def test_scipy_form_is_the_distribution_the_engine_draws(name):
    """``frozen()`` (inverse transform, for uncertain parameters) and ``draws()`` (the
    engine's batches) are one distribution: the sample's deciles match the ppf."""
    spec = dist(SPECS[name])
    x = sample(spec)
    probabilities = np.array([0.1, 0.5, 0.9])
    # the share of draws below each stated quantile: binomial, sd < 0.0012 at N=200,000
    below = [np.mean(x <= q) for q in spec.frozen().ppf(probabilities)]
    assert below == pytest.approx(probabilities, abs=0.006)
    assert spec.frozen().mean() == pytest.approx(spec.mean(), rel=1e-9)


def test_uncertain_parameters_share_the_duration_family():
    """An uncertain lognormal is the duration lognormal with numbers for parameters:
    same parametrisations, same checks, same quantiles."""
    from wijksim.scenario.designs import UncertainLognormal

    by_quantiles = UncertainLognormal(median=4.0, p90=11.0, unit="months")
    assert by_quantiles.quantile(0.5) == pytest.approx(4.0)
    assert by_quantiles.quantile(0.9) == pytest.approx(11.0)
    assert by_quantiles.value(0.5) == f"{by_quantiles.quantile(0.5)!r} months"
    duration = dist({"dist": "lognormal", "median": "4 weeks", "p90": "11 weeks"})
    assert by_quantiles.mu_sigma == duration.mu_sigma
    with pytest.raises(ValidationError, match="median < p90"):
        UncertainLognormal(median=4.0, p90=3.0)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_the_draws_do_not_depend_on_how_a_stream_is_cut_into_batches(name):
    """A stream's first batches are small (streams.FIRST_BATCHES): its draws must
    be the ones that one full batch at a time gives, so that the results of a
    run do not move with the batch sizes."""
    spec = dist(SPECS[name])
    n = 3 * BATCH + 7
    rng = np.random.default_rng(5)
    whole = np.concatenate([spec._fill(rng, BATCH) for _ in range(4)])[:n]
    assert np.array_equal(sample(spec, n, seed=5), whole)
