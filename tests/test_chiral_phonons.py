"""Chiral-phonon module: Table I, resonator estimates (units!), cascaded couplings."""

import numpy as np
import pytest
from scipy.constants import hbar

from nonreciprocal import QubitEnsemble
from nonreciprocal.chiral_phonons import MATERIALS, MODES, ChiralMaterial, Resonator, cascaded_couplings, exchange_rate

SiO2 = MATERIALS["alpha-SiO2"]


def test_table_one_velocities_and_time_reversal():
    expected = {"alpha-SiO2": (4.2e3, 5.0e3), "alpha-HgS": (1.3e3, 1.6e3), "alpha-TeO2": (2.5e3, 2.4e3)}
    for name, (co, counter) in expected.items():
        m = MATERIALS[name]
        assert m.velocity("+k+L") == m.velocity("-k-L") == co  # time reversal: (+k,+L) <-> (-k,-L)
        assert m.velocity("-k+L") == m.velocity("+k-L") == counter
    assert SiO2.velocity_asymmetry == pytest.approx(0.8 / 4.2)  # "as large as 20 %"


def test_resonator_frequency_in_hz_and_rad_per_s():
    r = Resonator(SiO2, 1e-6, 0.1e-6, 0.1e-6)
    assert r.volume_m3 == pytest.approx(1e-20)  # 0.01 um^3
    assert r.omega("+k+L") == pytest.approx(4.2e3 * np.pi / 1e-6)  # rad/s
    assert r.f_Hz("+k+L") == pytest.approx(4.2e3 / 2e-6)  # v / 2l = 2.1 GHz
    assert r.f_Hz("-k+L") - r.f_Hz("+k+L") == pytest.approx(0.8e3 / 2e-6)  # 0.4 GHz


def test_zero_point_strain_and_coupling():
    r = Resonator(SiO2, 1e-6, 0.1e-6, 0.1e-6)
    omega = 4.2e3 * np.pi / 1e-6
    u = np.sqrt(hbar * omega / (2 * 2648.0 * 4.2e3**2 * 1e-20))
    assert r.u_zpf() == pytest.approx(u)
    assert r.u_zpf(planck="h") == pytest.approx(u * np.sqrt(2 * np.pi))
    assert r.coupling_Hz(10e9) == pytest.approx(10e9 * u)
    assert 300 < r.coupling_Hz(10e9) < 500  # ~386 Hz with hbar
    assert 900 < r.coupling_Hz(10e9, planck="h") < 1100  # the paper's "~1 kHz"


def test_exchange_rate_units_and_errors():
    assert exchange_rate(1e3, 1e4) == pytest.approx(200.0)  # gamma = 2 g^2 / Delta, Hz in, Hz out
    assert exchange_rate(2 * np.pi * 1e3, 2 * np.pi * 1e4) == pytest.approx(2 * np.pi * 200.0)  # rad/s in, rad/s out
    with pytest.raises(ValueError, match="non-zero"):
        exchange_rate(1.0, 0.0)


@pytest.mark.parametrize("phase", [0.0, 0.7, np.pi, 4.0])
@pytest.mark.parametrize("n", [2, 3, 5])
def test_cascaded_couplings_valid_and_one_way(phase, n):
    J, G = cascaded_couplings(0.8, phase, n_spins=n)
    np.testing.assert_allclose(J, J.conj().T, atol=1e-14)
    np.testing.assert_allclose(G, G.conj().T, atol=1e-14)
    assert np.linalg.eigvalsh(G).min() > -1e-12
    ens = QubitEnsemble(J, G)
    gL, gR = ens.hoppings()
    assert np.abs(gL[np.triu_indices(n, 1)]).max() < 1e-14  # no right-to-left hopping
    assert np.abs(gR[np.triu_indices(n, 1)]).min() > 1.5  # |gamma^R| = 2 gamma
    # the framework's unidirectionality condition, for every pair a < b: J^a = gamma^s, J^s = -gamma^a
    iu = np.triu_indices(n, 1)
    np.testing.assert_allclose(J.imag[iu], G.real[iu], atol=1e-14)
    np.testing.assert_allclose(J.real[iu], -G.imag[iu], atol=1e-14)


def test_cascaded_couplings_eq8_coefficients():
    g, gb, phi = 0.7, 0.2, 1.234
    heff = QubitEnsemble(*cascaded_couplings(g, phi, gb)).effective_hamiltonian()
    assert heff[1, 0] == pytest.approx(-2j * g * np.exp(1j * phi))  # -2i gamma e^{ikd} S_A^- S_B^+
    assert heff[0, 1] == pytest.approx(-2j * gb * np.exp(-1j * phi))  # -2i gamma' e^{-ikd} S_A^+ S_B^-
    assert heff[0, 0] == pytest.approx(-1j * (g + gb))


def test_excitation_never_travels_left():
    J, G = cascaded_couplings(1.0, 0.3, n_spins=3)
    res = QubitEnsemble(J, G).emission(np.linspace(0, 5, 51), initial=[0, 0, 1])
    assert np.abs(res.populations[:2]).max() < 1e-12


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"gamma": -1.0, "phase": 0.0}, "gamma must be a non-negative"),
        ({"gamma": 1.0, "phase": 0.0, "gamma_back": -0.1}, "gamma_back"),
        ({"gamma": 1.0, "phase": np.nan}, "finite"),
        ({"gamma": 1.0, "phase": 0.0, "n_spins": 1}, "n_spins"),
        ({"gamma": 1.0, "phase": 0.0, "n_spins": 2.5}, "n_spins"),
    ],
)
def test_bad_cascade_arguments_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        cascaded_couplings(**kwargs)


def test_bad_material_and_resonator_rejected():
    with pytest.raises(ValueError, match="density"):
        ChiralMaterial("x", -1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="l_m"):
        Resonator(SiO2, 0.0, 1e-7, 1e-7)
    with pytest.raises(ValueError, match="mode number"):
        Resonator(SiO2, 1e-6, 1e-7, 1e-7, n=0)
    with pytest.raises(ValueError, match="mode must be one of"):
        SiO2.velocity("+k")
    with pytest.raises(ValueError, match="planck"):
        Resonator(SiO2, 1e-6, 1e-7, 1e-7).u_zpf(planck="dirac")
    with pytest.raises(ValueError, match="Xi_Hz"):
        Resonator(SiO2, 1e-6, 1e-7, 1e-7).coupling_Hz(-1.0)
    assert set(MODES) == {"+k+L", "-k+L", "+k-L", "-k-L"}
