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
