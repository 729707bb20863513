"""Chiral-phonon module: Table I, resonator estimates (units!), cascaded couplings."""

import numpy as np
import pytest
from scipy.constants import hbar

from nonreciprocal import QubitEnsemble
from nonreciprocal.chiral_phonons import (
    MATERIALS,
    MODES,
    ChiralMaterial,
    Resonator,
    cascaded_couplings,
    christoffel,
    dispersive_exchange,
    elastic_tensor,
    exchange_rate,
    point_group,
    point_group_symmetrise,
    waveguide_decay_rate,
    waveguide_populations,
)

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
    assert heff[0, 1] == pytest.approx(-2j * gb * np.exp(1j * phi))  # derived: e^{+ik'd} both ways
    assert heff[0, 0] == pytest.approx(-1j * (g + gb))
    printed = QubitEnsemble(*cascaded_couplings(g, phi, gb, backward="printed")).effective_hamiltonian()
    assert printed[0, 1] == pytest.approx(-2j * gb * np.exp(-1j * phi))  # the paper's printed term
    assert printed[1, 0] == pytest.approx(heff[1, 0])


@pytest.mark.parametrize("phase", [0.0, 0.4, np.pi / 3, 2.0, np.pi])
def test_reciprocal_limit_is_the_bidirectional_waveguide(phase):
    """gamma' = gamma: J_ab = (Gamma_1D/2) sin(k|x_a-x_b|) x 2, Gamma_ab = Gamma_1D cos(...), Gamma_1D = 4 gamma."""
    gamma, n = 0.6, 4
    J, G = cascaded_couplings(gamma, phase, gamma_back=gamma, n_spins=n)
    sep = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    np.testing.assert_allclose(G, 4 * gamma * np.cos(sep * phase), atol=1e-13)
    np.testing.assert_allclose(J, np.where(sep > 0, 4 * gamma * np.sin(sep * phase), 0), atol=1e-13)
    # reciprocal: equal hopping magnitudes both ways
    gL, gR = QubitEnsemble(J, G).hoppings()
    np.testing.assert_allclose(np.abs(gL), np.abs(gR), atol=1e-13)
    # the printed phase instead: no coherent coupling, rank-one Gamma (dark state) at every phase
    Jp, Gp = cascaded_couplings(gamma, phase, gamma_back=gamma, n_spins=n, backward="printed")
    assert np.abs(Jp).max() < 1e-13
    assert np.linalg.eigvalsh(Gp)[:-1].max() < 1e-12


def test_dispersive_exchange_closed_form_and_limits():
    for g, delta, e in [(1.0, 5.0, 1.0), (0.3, 2.0, np.sqrt(2)), (1.0, 0.5, 1.0)]:
        closed = 0.5 * (np.sqrt(delta**2 / 4 + 2 * e**2 * g**2) - delta / 2)
        assert dispersive_exchange(g, delta, e) == pytest.approx(closed, rel=1e-12)
    assert dispersive_exchange(1.0, 1e3) * 1e3 == pytest.approx(1.0, rel=1e-5)  # g^2/Delta
    assert dispersive_exchange(1.0, 1e3, np.sqrt(2)) * 1e3 == pytest.approx(2.0, rel=1e-5)  # 2 g^2/Delta
    # the exchange does not grow with the number of quanta (dispersive regime g sqrt(n) << Delta)
    for n in (1, 10, 100):
        assert dispersive_exchange(1.0, 1e3, n_phonons=n) * 1e3 == pytest.approx(1.0, rel=1e-3)
    with pytest.raises(ValueError, match="detuning"):
        dispersive_exchange(1.0, 0.0)
    with pytest.raises(ValueError, match="n_phonons"):
        dispersive_exchange(1.0, 1.0, n_phonons=-1)


def test_waveguide_model_has_the_cascaded_master_equation_as_markov_limit():
    t = np.linspace(0, 3, 31)
    pops = waveguide_populations(t, 1.0, 0.0, 0.7, 0.2, bandwidth=30.0)
    assert pops.shape == (2, 2, t.size)
    assert np.all(pops.sum(axis=1) <= 1 + 1e-9)
    assert pops[1, 0].max() < 1e-6  # one-way: B never excites A (causality, smooth band)
    # decay at 2 gamma, delayed by the memory time ~ 1/W of the band
    np.testing.assert_allclose(pops[0, 0], np.exp(-2 * t), atol=0.06)
    assert np.abs(pops[0, 0] - np.exp(-2 * t)).max() > 0.01
    me = QubitEnsemble(*cascaded_couplings(1.0, 0.7)).emission(t, initial=[1, 0]).populations
    dev = np.abs(pops[0] - me).max()
    assert 0.05 < dev < 0.4  # the delay tau = 0.2 / gamma shows
    short = np.abs(waveguide_populations(t, 1.0, 0.0, 0.7, 0.1, bandwidth=60.0)[0] - me).max()
    assert short < 0.65 * dev  # and shrinks with the delay
    with pytest.raises(ValueError, match="recurrence"):
        waveguide_populations(t, 1.0, 0.0, 0.7, 0.2, recurrence=2.0)
    with pytest.raises(ValueError, match="at least one"):
        waveguide_populations(t, 0.0, 0.0, 0.7, 0.2)


@pytest.mark.parametrize("group", ["32", "422"])
def test_christoffel_along_the_screw_axis_is_degenerate(group):
    rng = np.random.default_rng(0)
    for _ in range(5):
        a = rng.normal(size=(6, 6))
        c = point_group_symmetrise(elastic_tensor(a @ a.T), point_group(group))
        gam = np.einsum("ijlm,j,m->il", c, [0, 0, 1.0], [0, 0, 1.0])
        assert gam[0, 0] == pytest.approx(gam[1, 1]) and abs(gam[0, 1]) < 1e-12
        assert abs(gam[0, 2]) < 1e-12 and abs(gam[1, 2]) < 1e-12
    # a direction off the axis is not degenerate in general
    gam_x = np.linalg.eigvalsh(np.einsum("ijlm,j,m->il", c, [1.0, 0, 0], [1.0, 0, 0]))
    assert np.ptp(gam_x) > 1e-3
    with pytest.raises(ValueError, match="point group"):
        point_group("6mm")


def test_christoffel_of_isotropic_tensor():
    lam, mu = 2.0, 1.0
    C = np.zeros((6, 6))
    C[:3, :3] = lam
    C[np.arange(3), np.arange(3)] = lam + 2 * mu
    C[np.arange(3, 6), np.arange(3, 6)] = mu
    np.testing.assert_allclose(np.linalg.eigvalsh(christoffel(C, [1, 2, 3])), [mu, mu, lam + 2 * mu])
    with pytest.raises(ValueError, match="symmetric"):
        christoffel(np.arange(36.0).reshape(6, 6), [0, 0, 1])


def test_waveguide_decay_rate_formula():
    from scipy.constants import hbar as hb

    rate = waveguide_decay_rate(SiO2, 2.1e9, 10e9, 1e-14)
    expected = (2 * np.pi * 10e9) ** 2 * hb * 2 * np.pi * 2.1e9 / (2 * 2648.0 * 4.2e3**3 * 1e-14)
    assert rate == pytest.approx(expected)
    back = waveguide_decay_rate(SiO2, 2.1e9, 10e9, 1e-14, mode="-k+L")
    assert back / rate == pytest.approx((4.2 / 5.0) ** 3)  # 1/v^3
    with pytest.raises(ValueError, match="area"):
        waveguide_decay_rate(SiO2, 2.1e9, 10e9, 0.0)


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
        ({"gamma": 1.0, "phase": 0.0, "backward": "paper"}, "backward"),
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
