"""The chiral-film bath of Li & Flebus Sec. V: derived parameters, couplings, k-space cross-check."""

import numpy as np
import pytest
from scipy.special import j0, j1

from nonreciprocal import QubitEnsemble
from nonreciprocal.magnetic_bath import FerromagneticFilm, film_couplings, kspace_kernels


def test_derived_parameters():
    f = FerromagneticFilm()
    assert f.f_qubit_Hz == pytest.approx(2.87e9 - 2.8e6 * 400)  # 1.75 GHz
    assert f.f_gap_Hz == pytest.approx(0.55e9 + 2.8e6 * 400)  # 1.67 GHz
    assert f.J_Hz == pytest.approx(7.7e-6 / (1.2e-9) ** 2)  # 5.347 THz
    assert float(f.k1(0.0)) == pytest.approx(np.sqrt(80e6 / f.J_Hz))
    lam0, lam1 = f.lambdas_m(0.003)
    assert lam0 == pytest.approx(1.2e-9 / 0.003) and lam1 == pytest.approx(1.2e-9 / float(f.k1(0.003)))
    assert np.isinf(f.lambdas_m(0.0)[0])


@pytest.mark.parametrize("k0", [0.0, 1e-4, 3e-3, 0.03, 0.3, 1.0, -0.01])
def test_couplings_hermitian_psd_and_normalised(k0):
    J, G = FerromagneticFilm().couplings(k0, 7)
    np.testing.assert_allclose(J, J.conj().T, atol=1e-12)
    np.testing.assert_allclose(G, G.conj().T, atol=1e-12)
    np.testing.assert_allclose(np.diag(G), 1.0)
    assert np.all(np.diag(J) == 0)
    assert np.linalg.eigvalsh(G).min() > -1e-10
    QubitEnsemble(J, G)  # accepted by the core


def test_reciprocal_bath_gives_real_couplings():
    J, G = FerromagneticFilm().couplings(0.0, 5)
    assert np.abs(J.imag).max() == 0 and np.abs(G.imag).max() == 0


def test_mirrored_bath_conjugates_couplings():
    f = FerromagneticFilm()
    J1, G1 = f.couplings(0.02, 5)
    J2, G2 = f.couplings(-0.02, 5)
    np.testing.assert_allclose(G2, G1.conj(), atol=1e-14)
    np.testing.assert_allclose(J2, J1.conj(), atol=1e-14)


def test_eq48_value_for_one_pair():
    lam0, lam1, x = 40e-9, 30e-9, 20e-9
    J, G = film_couplings(np.array([0.0, x]), lam0, lam1)
    c = 2 * lam0 * lam1 / (lam0**2 + lam1**2)
    # x_12 = x_1 - x_2 = -x
    expected = np.exp(-1j * x / lam0) * (j0(x / lam1) - 1j * c * j1(x / lam1))
    assert G[0, 1] == pytest.approx(expected, abs=1e-14)


@pytest.mark.parametrize("k0", [0.003, 0.3])
def test_ring_integral_reproduces_eq48(k0):
    f = FerromagneticFilm()
    k1 = float(f.k1(k0))
    x = f.a_q_m / f.a_m
    D, _ = kspace_kernels(k0, k1, x, 0.0)
    c = 2 * k0 * k1 / (k0**2 + k1**2)
    bessel = np.pi * (k0**2 + k1**2) * np.exp(1j * k0 * x) * (j0(k1 * x) + 1j * c * j1(k1 * x))
    assert abs(D - bessel) < 1e-10 * abs(bessel) + 1e-14


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"B0_G": -1.0}, "B0_G must be positive"),
        ({"a_m": 0.0}, "a_m must be positive"),
        ({"f_gap0_Hz": -1.0}, "f_gap0_Hz must be non-negative"),
        ({"B0_G": 2000.0}, "not positive"),
        ({"f_gap0_Hz": 1.0e9}, "below the magnon gap"),
    ],
)
def test_bad_film_parameters_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        FerromagneticFilm(**kwargs)


def test_bad_coupling_arguments_rejected():
    f = FerromagneticFilm()
    with pytest.raises(ValueError, match="positive integer"):
        f.couplings(0.01, 0)
    with pytest.raises(ValueError, match="finite"):
        f.couplings(np.nan, 3)
    with pytest.raises(ValueError, match="lambda1_m"):
        film_couplings(np.arange(3) * 1e-8, 1e-8, -1.0)


# ----------------------------------------------------------------- referee-pass helpers
from nonreciprocal.magnetic_bath import (  # noqa: E402
    K0_CONTINUUM_MAX,
    edge_signal,
    gamma0_rate,
    initial_slope_total_rate,
    scaling_row,
)


def test_initial_slope_matches_liouvillian():
    import qutip

    from nonreciprocal.ensemble import lowering_operators

    rng = np.random.default_rng(3)
    n = 3
    A = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    G = A @ A.conj().T / 3
    Jm = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    Jm = Jm + Jm.conj().T
    ens = QubitEnsemble(Jm, G)
    L = ens.liouvillian()
    sm = lowering_operators(n)
    N = sum(s.dag() * s for s in sm)
    E = qutip.ket2dm(qutip.tensor([qutip.basis(2, 1)] * n))
    slope = -qutip.expect(N, qutip.vector_to_operator(L * L * qutip.operator_to_vector(E))).real
    assert slope == pytest.approx(initial_slope_total_rate(G), abs=1e-9)


def test_initial_slope_two_qubits_and_bad_input():
    G = np.array([[1.0, 0.6], [0.6, 1.0]])
    assert initial_slope_total_rate(G) == pytest.approx(2 * 0.36 - 2)
    with pytest.raises(ValueError, match="square"):
        initial_slope_total_rate(np.ones(3))
    with pytest.raises(ValueError, match="Hermitian"):
        initial_slope_total_rate(np.array([[1.0, 0.5], [0.1, 1.0]]))


def test_edge_signal_values_and_bad_m():
    pops = np.array([[1.0, 0.5], [0.2, 0.2], [0.0, 0.25]])
    s, v = edge_signal(pops, 1)
    np.testing.assert_allclose(s, [1.0, 0.25])
    np.testing.assert_allclose(v, [0.0, 0.25 + 0.1875])
    with pytest.raises(ValueError, match="m must be"):
        edge_signal(pops, 2)
    with pytest.raises(ValueError, match="shape"):
        edge_signal(np.ones(3), 1)


def test_gamma0_rate_closed_form_and_trends():
    from scipy.constants import hbar, mu_0

    f = FerromagneticFilm()
    g = 2 * np.pi * 2.8e6 * 1e4
    k1 = float(f.k1(0.0)) / f.a_m
    closed = g**4 * mu_0**2 * hbar * (1.4e5 / g) * 20e-9 * k1**2 / (64 * np.pi * f.rho_s_Hz_m2)
    assert gamma0_rate(0.0) == pytest.approx(closed, rel=1e-6)
    # proportional to k0^2 + k1^2 at d = 0, and reduced by the distance
    k0 = 0.03
    ratio = (k0**2 + float(f.k1(k0)) ** 2) / float(f.k1(0.0)) ** 2
    assert gamma0_rate(k0) / gamma0_rate(0.0) == pytest.approx(ratio, rel=1e-6)
    assert gamma0_rate(0.3, d_m=5e-9) < 0.1 * gamma0_rate(0.3)
    assert gamma0_rate(0.0, M_s_A_per_m=2.8e5) == pytest.approx(2 * gamma0_rate(0.0))
    with pytest.raises(ValueError, match="d_m"):
        gamma0_rate(0.0, d_m=-1.0)
    with pytest.raises(ValueError, match="M_s"):
        gamma0_rate(0.0, M_s_A_per_m=0.0)


def test_scaling_row_small_array():
    f = FerromagneticFilm()
    t = np.linspace(0, 2, 161)
    row = scaling_row(f, 0.003, 3, t)
    res = QubitEnsemble(*f.couplings(0.003, 3)).emission(t)
    assert row["max_abs_delta"] == pytest.approx(np.abs(res.asymmetry()).max())
    assert row["peak_total_rate"] == pytest.approx(res.total_rate.max())
    assert row["m"] == 1 and row["repetitions"] > 0
    assert scaling_row(f, 0.0, 3, t)["max_abs_delta"] < 1e-10  # reciprocal bath
    with pytest.raises(ValueError, match="n must be"):
        scaling_row(f, 0.003, 1, t)
    assert f.lambdas_m(K0_CONTINUUM_MAX)[1] == pytest.approx(3 * f.a_m, rel=1e-3)
