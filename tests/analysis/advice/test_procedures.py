"""The selection procedures on menus with a known answer.

These tests run the procedures' own code (:mod:`wijksim.analysis.advice.procedures`)
on a stand-in for the simulation: normal outputs with known means, correlated
across systems as common random numbers make them
(:class:`~wijksim.analysis.advice.stand_in.NormalSampler`), so that hundreds of
selections take seconds. The probability of a correct selection is checked
over many seeds with a binomial test against its nominal level, and the same
check is shown to fail for a procedure with a wrong constant. One test with the
real simulation is in ``tests/analysis/advice/test_advisor.py``.
"""

from __future__ import annotations

import math
import subprocess
import sys
import warnings

import numpy as np
import pytest
from scipy.stats import binomtest

from helpers import REPO
from wijksim.analysis.advice import kn
from wijksim.analysis.advice.procedures import Bound, Settings, h_squared, per_test, select
from wijksim.analysis.advice.stand_in import NormalSampler

ALPHA = 0.05
DELTA = 0.5
SEEDS = 300


def slippage(k: int, delta: float = DELTA) -> np.ndarray:
    """The least favourable configuration: the best exactly delta better than
    the k - 1 others, all equal."""
    means = np.zeros(k)
    means[0] = delta
    return means


def correct_selections(procedure: str, means, seeds: int = SEEDS, best: int = 0, **settings):
    """How many of ``seeds`` selections chose ``best``, and the mean spent."""
    hits, spent = 0, []
    limits = settings.pop("limits_of", None)
    for seed in range(seeds):
        sampler = NormalSampler(means, 1.0, rho=0.5, seed=seed, limits=limits)
        chosen = select(
            sampler, Settings(delta=DELTA, procedure=procedure, alpha=ALPHA, **settings)
        )
        hits += chosen.selected == best
        spent.append(chosen.spent)
    return hits, float(np.mean(spent))


def meets(hits: int, n: int, level: float = 1 - ALPHA) -> bool:
    """Whether ``hits`` of ``n`` is consistent with a probability of at least
    ``level`` (one-sided binomial test at 1%)."""
    return binomtest(hits, n, level, alternative="less").pvalue > 0.01


@pytest.mark.parametrize("procedure", ["kn", "kn++"])
def test_the_best_is_selected_with_the_guaranteed_probability(procedure):
    hits, _ = correct_selections(procedure, slippage(5), max_replications=10_000)
    assert meets(hits, SEEDS), f"{procedure}: {hits} of {SEEDS} correct"


def test_a_procedure_with_a_wrong_constant_fails_the_same_check(monkeypatch):
    """The check above can fail: KN with h² a quarter of its value (as a wrong
    eta would make it) selects the best far less often, and the binomial test
    says so."""
    monkeypatch.setattr(kn, "h_squared", lambda a, f: h_squared(a, f) / 4)
    hits, _ = correct_selections("kn", slippage(5), max_replications=10_000)
    assert not meets(hits, SEEDS), f"{hits} of {SEEDS} correct with a quartered h²"


def test_kn_plus_plus_spends_fewer_replications_than_kn():
    _, kn = correct_selections("kn", slippage(5), seeds=60, max_replications=10_000)
    _, knpp = correct_selections("kn++", slippage(5), seeds=60, max_replications=10_000)
    assert knpp < kn


@pytest.mark.parametrize("procedure", ["kn", "kn++"])
def test_the_best_within_a_limit_is_selected(procedure):
    """System 0 has the best objective but its limit's mean is eps above the
    bound; system 1 is delta better than the rest and within it."""
    means = np.array([2.0, DELTA, 0.0, 0.0, 0.0])
    limits = [[0.5], [-0.5], [-0.5], [-0.5], [-0.5]]
    hits, _ = correct_selections(
        procedure,
        means,
        best=1,
        limits_of=limits,
        limits=(Bound(0.0, True, 0.5),),
        max_replications=10_000,
    )
    assert meets(hits, SEEDS), f"{procedure}: {hits} of {SEEDS} correct"


def test_a_lower_bound_is_oriented_like_an_upper_one():
    """``at_least`` a bound: the system below it is dropped as outside."""
    sampler = NormalSampler([1.0, 0.0], 1.0, seed=3, limits=[[-3.0], [3.0]], limit_sd=0.5)
    chosen = select(sampler, Settings(delta=DELTA, limits=(Bound(0.0, False, 0.5),)))
    assert chosen.selected == 1
    assert chosen.status[0] == "outside" and chosen.within[0, 0] == -1


def test_equal_portfolios_are_all_in_the_good_set():
    """A menu of equal systems: each is within delta of the best, so each is
    in the good set with probability at least 1 - alpha; all of them together
    nearly always."""
    together = 0
    for seed in range(100):
        sampler = NormalSampler(np.zeros(5), 1.0, rho=0.5, seed=seed)
        chosen = select(sampler, Settings(delta=DELTA, max_replications=10_000))
        together += len(chosen.good) == 5
    assert meets(together, 100)


def test_the_good_set_holds_the_best_and_not_one_far_worse():
    sampler = NormalSampler([1.0, 0.9, -5.0], 1.0, rho=0.5, seed=1)
    chosen = select(sampler, Settings(delta=DELTA, max_replications=10_000))
    assert 0 in chosen.good and 1 in chosen.good and 2 not in chosen.good


def test_a_menu_with_nothing_within_the_limits_selects_nothing():
    sampler = NormalSampler([1.0, 0.0, 0.5], 1.0, seed=2, limits=[[3.0], [4.0], [5.0]])
    chosen = select(sampler, Settings(delta=DELTA, limits=(Bound(0.0, True, 0.5),)))
    assert chosen.selected is None and chosen.good == []
    assert set(chosen.status) == {"outside"} and not chosen.guaranteed


def test_minimising_selects_the_smallest_mean():
    sampler = NormalSampler([3.0, 0.0, 3.0], 1.0, seed=4)
    chosen = select(sampler, Settings(delta=DELTA, maximise=False))
    assert chosen.selected == 1 and chosen.guaranteed


def test_exact_ties_go_to_the_cheapest():
    """Outputs identical replication by replication (zero variance of the
    differences): every triangle is closed at once, the tie-break decides."""

    class Same(NormalSampler):
        def outputs(self, system):
            return super().outputs(0)

    sampler = Same(np.zeros(3), 1.0, seed=5)
    chosen = select(sampler, Settings(delta=DELTA), tiebreak=lambda i: [30.0, 10.0, 20.0][i])
    assert chosen.selected == 1 and chosen.replications == [10, 10, 10]


def test_the_steps_change_what_is_spent_not_what_is_decided():
    """Decisions are taken replication by replication whatever the steps in
    which replications are asked for."""
    runs = []
    for growth in (0.01, 2.0):
        sampler = NormalSampler(slippage(6), 1.0, rho=0.5, seed=7)
        runs.append(select(sampler, Settings(delta=DELTA, growth=growth, max_replications=10_000)))
    fine, coarse = runs
    assert fine.selected == coarse.selected
    assert fine.status == coarse.status and fine.at == coarse.at and fine.by == coarse.by
    assert coarse.spent >= fine.spent


def test_a_capped_run_says_it_has_no_guarantee():
    sampler = NormalSampler(np.zeros(4), 1.0, rho=0.5, seed=8)
    chosen = select(sampler, Settings(delta=0.01, max_replications=20))
    assert not chosen.guaranteed and chosen.selected is not None
    assert {"code": "capped", "max": 20, "left": chosen.status.count("left") + 1} in chosen.notes
    assert max(chosen.replications) == 20


@pytest.mark.parametrize(("limit", "chosen"), [(-0.6, 1), (0.6, 2)])
def test_at_the_cap_the_best_mean_within_the_limits_by_their_means_is_chosen(limit, chosen):
    """System 0 (the reference, say) and 2 are known to be within the limit at
    once; system 1 is far the best but not known to be within the limit at
    the cap. It is chosen when its limit is undecided with a mean within the
    bound (a known-within system does not push aside a better one still
    undecided), not when that mean is outside it."""
    for seed in range(5):
        sampler = NormalSampler(
            [0.0, 3.0, 1.0], 1.0, seed=seed, limits=[[-100.0], [limit], [-100.0]]
        )
        settings = Settings(
            delta=DELTA, first_stage=10, max_replications=10, limits=(Bound(0.0, True, 0.5),)
        )
        result = select(sampler, settings)
        assert result.within[1, 0] != 1  # not known to be within: undecided, or outside
        assert result.selected == chosen


def test_a_large_menu_is_screened_and_keeps_its_guarantee():
    """More systems than screen_above: after the first stage the clearly
    worse are dropped by subset selection (part of alpha), then KN++."""
    k, hits = 30, 0
    means = np.r_[DELTA, np.zeros(9), np.full(k - 10, -3.0)]
    for seed in range(100):
        sampler = NormalSampler(means, 1.0, rho=0.5, seed=seed)
        chosen = select(sampler, Settings(delta=DELTA, screen_above=10, max_replications=10_000))
        hits += chosen.selected == 0
        assert chosen.guaranteed and chosen.alphas == {"selection": 0.025, "screening": 0.025}
        assert chosen.notes[0]["code"] == "screened" and chosen.notes[0]["kept"] <= 12
    assert meets(hits, 100)


def test_a_screen_that_keeps_too_many_cuts_without_a_guarantee():
    sampler = NormalSampler(np.zeros(30), 1.0, rho=0.5, seed=9)
    chosen = select(sampler, Settings(delta=DELTA, screen_above=10, max_replications=10_000))
    assert {"code": "cut", "most": 10} in chosen.notes
    assert not chosen.guaranteed and chosen.status.count("screened") >= 20


def test_ocba_spends_its_budget_and_estimates_its_chance():
    hits = 0
    for seed in range(60):
        sampler = NormalSampler(slippage(5), 1.0, rho=0.5, seed=seed)
        chosen = select(sampler, Settings(delta=DELTA, procedure="ocba", total=300))
        hits += chosen.selected == 0
        assert chosen.spent == 300 and not chosen.guaranteed
        assert 0.0 <= chosen.pcs_estimate <= 1.0
    # the best gets the most replications, and OCBA finds it most of the time
    assert hits >= 48


def test_an_ocba_budget_below_its_first_stage_is_raised_and_said():
    sampler = NormalSampler(slippage(5), 1.0, seed=1)
    chosen = select(sampler, Settings(delta=DELTA, procedure="ocba", total=1, first_stage=10))
    assert chosen.spent == 50
    assert {"code": "raised", "asked": 1, "total": 50, "first_stage": 10} in chosen.notes
    enough = select(
        NormalSampler(slippage(5), 1.0, seed=1),
        Settings(delta=DELTA, procedure="ocba", total=60, first_stage=10),
    )
    assert not any(note["code"] == "raised" for note in enough.notes)


def test_the_constants_are_those_of_kim_and_nelson():
    # KN, c = 1: h² = 2 eta (n0 - 1), eta = ((2 alpha / (k - 1))^(-2 / (n0 - 1)) - 1) / 2
    k, n0 = 5, 10
    eta = ((2 * ALPHA / (k - 1)) ** (-2 / (n0 - 1)) - 1) / 2
    assert h_squared(per_test(ALPHA, k - 1, "kn"), n0 - 1) == pytest.approx(2 * eta * (n0 - 1))
    # KN++: beta = 1 - (1 - alpha)^(1 / (k - 1)); h² falls towards -2 ln(2 beta) as r grows
    beta = 1 - (1 - ALPHA) ** (1 / (k - 1))
    assert per_test(ALPHA, k - 1, "kn++") == pytest.approx(beta)
    assert h_squared(beta, 10**7) == pytest.approx(-2 * math.log(2 * beta), rel=1e-5)
    assert h_squared(beta, 9) > h_squared(beta, 99) > -2 * math.log(2 * beta)


def test_settings_out_of_range_are_refused():
    for bad in ({"delta": 0.0}, {"delta": math.nan}, {"alpha": 0.5}, {"first_stage": 2}):
        with pytest.raises(ValueError):
            Settings(**{"delta": DELTA, **bad})
    with pytest.raises(ValueError, match="max_replications"):
        Settings(delta=DELTA, first_stage=10, max_replications=5)


def test_the_benchmark_runs_and_prints_its_ratio():
    """benchmarks/bench_advice.py against its fixed-n reference (no timing asserted)."""
    done = subprocess.run(
        [sys.executable, "bench_advice.py", "--macro", "3"],
        cwd=REPO / "benchmarks",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    menus = ("slippage", "scales", "spread")
    rows = [line.split() for line in done.stdout.splitlines() if line.startswith(menus)]
    assert len(rows) == 8 and all(0 < float(row[-4]) < 5 for row in rows)  # the ratio column


@pytest.mark.parametrize("procedure", ["kn++", "kn"])
@pytest.mark.parametrize(
    ("alpha", "delta", "epsilon"),
    [(1e-300, 0.5, 1.0), (0.05, 1e-320, 1.0), (0.05, 0.5, 1e-320), (1e-300, 1e-320, 1e-320)],
)
def test_a_tiny_alpha_delta_or_tolerance_decides_nothing_without_a_warning(
    procedure, alpha, delta, epsilon
):
    """h² S² / (2 delta) overflows to infinity: a triangle that never closes, so
    the run goes to its cap without a guarantee, quietly (not numpy's
    'overflow encountered' on the terminal)."""
    sampler = NormalSampler([1.0, 0.0, 0.0], 1e5, rho=0.5, seed=2, limits=[[0.0]] * 3)
    settings = Settings(
        delta=delta,
        alpha=alpha,
        procedure=procedure,
        first_stage=3,
        max_replications=8,
        limits=(Bound(10.0, True, epsilon),),
    )
    with np.errstate(all="warn"), warnings.catch_warnings():
        warnings.simplefilter("error")
        chosen = select(sampler, settings)
    assert not chosen.guaranteed
