"""The trajectory solver against the exact block solver, within its own standard errors."""

import numpy as np
import pytest

from conftest import random_problem
from nonreciprocal import QubitEnsemble
from nonreciprocal.magnetic_bath import FerromagneticFilm

T = np.linspace(0, 3, 31)


def z_scores(tr, ex):
    """|trajectories - exact| / standard error for rates and populations, t > t0 (at t0 every
    trajectory is the same state, so the error is zero and the values must agree exactly)."""
    np.testing.assert_allclose(tr.rates[:, 0], ex.rates[:, 0], atol=1e-12)
    np.testing.assert_allclose(tr.populations[:, 0], ex.populations[:, 0], atol=1e-12)
    zr = np.abs(tr.rates - ex.rates)[:, 1:] / tr.rates_err[:, 1:]
    zp = np.abs(tr.populations - ex.populations)[:, 1:] / tr.populations_err[:, 1:]
    return zr, zp


@pytest.mark.parametrize(
    "case",
    [("random", 3, 1), ("random", 4, 2), ("random", 5, 3), ("film", 6, 0.003), ("film", 8, 0.3)],
    ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}",
)
def test_trajectories_agree_with_the_exact_solver_within_their_errors(case):
    kind, n, arg = case
    J, G = random_problem(n, arg) if kind == "random" else FerromagneticFilm().couplings(arg, n)
    ens = QubitEnsemble(J, G)
    ex = ens.emission(T, method="blocks", atol=1e-12)
    tr = ens.emission(T, method="trajectories", ntraj=400, seed=7, n_jobs=1)
    assert tr.method == "trajectories" and tr.rates.shape == ex.rates.shape == tr.rates_err.shape
    zr, zp = z_scores(tr, ex)
    # Gaussian errors: 95 % within 2 s.e.; the entries are correlated in time, so allow 88 %
    assert (zr < 2).mean() > 0.88 and (zp < 2).mean() > 0.88, ((zr < 2).mean(), (zp < 2).mean())
    assert zr.max() < 5 and zp.max() < 5
    # the errors are real: a wrong model (no jumps of qubit N's channel) would be many s.e. off
    assert tr.rates_err[:, 1:].min() > 0


def test_an_initially_excited_product_state_and_a_dark_state():
    """Gamma = [[1, 1], [1, 1]] has a dark state (|10> - |01>)/sqrt 2: starting in |10>, half the
    probability never decays. Each trajectory either jumps or keeps its norm above r forever."""
    ens = QubitEnsemble(np.zeros((2, 2)), [[1, 1], [1, 1]])
    t = np.linspace(0, 20, 11)
    ex = ens.emission(t, initial=[1, 0], method="blocks")
    tr = ens.emission(t, initial=[1, 0], method="trajectories", ntraj=2000, seed=3, n_jobs=1)
    assert abs(ex.populations[:, -1].sum() - 0.5) < 1e-8
    zr, zp = z_scores(tr, ex)
    assert zp.max() < 4.5 and zr.max() < 4.5


def test_errors_shrink_as_one_over_sqrt_ntraj():
    J, G = FerromagneticFilm().couplings(0.03, 5)
    ens = QubitEnsemble(J, G)
    small = ens.emission(T, method="trajectories", ntraj=100, seed=11, n_jobs=1)
    large = ens.emission(T, method="trajectories", ntraj=1600, seed=11, n_jobs=1)
    ratio = np.median(small.rates_err[:, 1:] / large.rates_err[:, 1:])
    assert 3.4 < ratio < 4.6, ratio  # sqrt(1600 / 100) = 4


def test_reproducible_and_independent_of_the_workers():
    J, G = random_problem(4, 5)
    ens = QubitEnsemble(J, G)
    kw = dict(method="trajectories", ntraj=90, seed=2026)
    one = ens.emission(T, n_jobs=1, **kw)
    two = ens.emission(T, n_jobs=2, **kw)
    again = ens.emission(T, n_jobs=1, **kw)
    for a, b in [(one, two), (one, again)]:
        assert np.array_equal(a.rates, b.rates) and np.array_equal(a.rates_err, b.rates_err)
        assert np.array_equal(a.populations, b.populations)
    other = ens.emission(T, n_jobs=1, method="trajectories", ntraj=90, seed=2027)
    assert not np.array_equal(one.rates, other.rates)
    # the first trajectories do not depend on how many follow
    fewer = ens.emission(T, n_jobs=1, method="trajectories", ntraj=40, seed=2026)
    assert not np.array_equal(fewer.rates, one.rates)


def test_exact_methods_report_no_errors():
    res = QubitEnsemble(*random_problem(3, 1)).emission(T)
    assert res.rates_err is None and res.populations_err is None


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(ntraj=0), "ntraj must be at least 2"),
        (dict(ntraj=1), "ntraj must be at least 2"),
        (dict(ntraj=2.5), "ntraj must be an integer"),
        (dict(ntraj=True), "ntraj must be an integer"),
        (dict(ntraj="10"), "ntraj must be an integer"),
        (dict(seed=-1), "seed must be at least 0"),
        (dict(seed=1.5), "seed must be an integer"),
        (dict(n_jobs=0), "n_jobs must be"),
    ],
)
def test_bad_ntraj_and_seed_are_rejected(kwargs, match):
    ens = QubitEnsemble(*random_problem(3, 1))
    with pytest.raises(ValueError, match=match):
        ens.emission(T, method="trajectories", **kwargs)


def test_trajectory_options_need_the_trajectory_method():
    ens = QubitEnsemble(*random_problem(3, 1))
    with pytest.raises(ValueError, match="apply to method='trajectories'"):
        ens.emission(T, ntraj=10)
    with pytest.raises(ValueError, match="pure product state"):
        ens.emission(T, initial=np.eye(8) / 8, method="trajectories")


def test_auto_uses_trajectories_only_when_allowed(monkeypatch):
    ens = QubitEnsemble(*random_problem(4, 1))
    monkeypatch.setenv("NONRECIPROCAL_MEMORY_BYTES", "1000")
    with pytest.raises(ValueError, match="method='trajectories'"):
        ens.emission(T)
    res = ens.emission(T, allow_trajectories=True, ntraj=20, seed=1, n_jobs=1)
    assert res.method == "trajectories" and res.rates_err is not None
    monkeypatch.delenv("NONRECIPROCAL_MEMORY_BYTES")
    assert ens.emission(T, allow_trajectories=True).method == "blocks"  # exact whenever it fits


def test_asymmetry_and_total_rate_errors_use_the_covariance():
    """The rates of one trajectory are correlated: the error of R_1 - R_N or of the total rate is
    not the qubits' errors added in quadrature. Check both against the spread of 150 independent runs
    (the spread of 150 samples is known to about 6 %)."""
    J, G = FerromagneticFilm().couplings(0.003, 4)
    ens = QubitEnsemble(J, G)
    t = np.linspace(0, 1, 6)
    runs = [ens.emission(t, method="trajectories", ntraj=30, seed=s, n_jobs=1) for s in range(150)]
    spread = np.std([r.asymmetry() for r in runs], axis=0, ddof=1)[1:]
    reported = np.mean([r.asymmetry_err() for r in runs], axis=0)[1:]
    assert 0.85 < np.median(reported / spread) < 1.18, reported / spread
    spread_tot = np.std([r.total_rate for r in runs], axis=0, ddof=1)[1:]
    reported_tot = np.mean([r.total_rate_err for r in runs], axis=0)[1:]
    assert 0.85 < np.median(reported_tot / spread_tot) < 1.18, reported_tot / spread_tot
    naive_tot = np.mean([np.sqrt((r.rates_err**2).sum(axis=0)) for r in runs], axis=0)[1:]
    assert np.median(naive_tot / spread_tot) > 1.8  # the correlations matter: quadrature overstates it
    r = runs[0]
    np.testing.assert_allclose(np.sqrt(np.einsum("aat->at", r.rates_cov)), r.rates_err, rtol=1e-10)
    assert ens.emission(t).asymmetry_err() is None and ens.emission(t).total_rate_err is None
