"""Microscopic estimates of Hanai et al.: RKKY, Eqs. (17)-(18), Gilbert damping, pump power."""

import numpy as np
import pytest

from nonreciprocal.rkky import (correlated_dissipation, gilbert_damping, light_torque, lindhard_static,
                                markov_ratio, pump_power_W_per_cm2, rkky_F, rkky_from_lindhard, rkky_J,
                                sd_coupling, spot_intensity_W_per_cm2, two_spin_velocity)


def test_rkky_F_values_and_small_x_series():
    x = np.array([0.5, 1.0, 4.4934])
    np.testing.assert_allclose(rkky_F(x), (np.sin(x) - x * np.cos(x)) / x**4)
    assert abs(rkky_F(4.493409457909064)) < 1e-12  # tan x = x: first zero
    assert 0.00999 * rkky_F(0.00999) == pytest.approx(0.01001 * rkky_F(0.01001), rel=1e-4)  # x F(x) -> 1/3, smoothly
    with pytest.raises(ValueError):
        rkky_F(0.0)


def test_rkky_J_sign_and_scale():
    assert rkky_J(0.1, -0.01, -0.01, 1.0) < 0  # F > 0 at short distance: J = -9 pi g^2 n^2 F / eps_F < 0
    assert rkky_J(0.8, -0.01, -0.01, 1.0) > 0  # F < 0 past its first zero at 2 k_F R = 4.49: the sign oscillates
    assert rkky_J(0.1, -0.01, -0.01, 1.0) == pytest.approx(-9 * np.pi * 1e-4 * rkky_F(2 * np.pi * 0.1))


def test_eq17_18_limits():
    v, ed, U, ef = 0.1, -0.5, 1.0, 0.0
    assert sd_coupling(v, ed, U, ef) == pytest.approx(-(0.01 / 0.5 + 0.01 / 0.5))  # kappa = 0
    k = 1e-4
    assert correlated_dissipation(v, ed, U, ef, k) == pytest.approx(k * v**2 / 0.5**2, rel=1e-6)
    ks = np.logspace(-3, 1, 50)
    assert np.all(np.diff(np.abs(sd_coupling(v, ed, U, ef, ks))) < 0)  # light weakens |g|
    # g and gamma come from one complex number: |v|^2 / lambda_a with lambda_a = i(eps_F - eps_d - U) - kappa/2
    kappa = 0.3
    z = abs(v) ** 2 / (1j * (ef - ed - U) - kappa / 2)
    assert correlated_dissipation(v, ed, U, ef, kappa) == pytest.approx(-2 * z.real, rel=1e-12)
    assert sd_coupling(v, ed, U, ef, kappa) == pytest.approx(-z.imag - abs(v) ** 2 / (ef - ed), rel=1e-12)


def test_gilbert_and_torque():
    assert gilbert_damping(0.01, 1.0) == pytest.approx(4.5 * np.pi**2 * 1e-4)
    assert light_torque(0.1, -10.0, 5.0) == pytest.approx(0.05)


def test_pump_power_eq7():
    P = pump_power_W_per_cm2(1e-2, 1.0, 1.0, 10e-3)
    assert 3.0e8 < P < 4.0e8  # the paper: >~ 1e8 W/cm^2
    assert pump_power_W_per_cm2(1e-2, 1.0, 1.0, 10e-3, gamma_in="hz") == pytest.approx(P / (2 * np.pi))
    assert pump_power_W_per_cm2(2e-2, 1.0, 1.0, 10e-3) == pytest.approx(2 * P)  # linear in alpha


def test_markov_ratio():
    assert markov_ratio(0.01, 0.1, 1.0, 0.01) == pytest.approx(0.01)


def test_lindhard_and_its_fourier_transform():
    assert lindhard_static(0.0) == 1.0 and lindhard_static(2.0) == pytest.approx(0.5)
    assert lindhard_static(1e-4) == pytest.approx(1.0, abs=1e-8) and lindhard_static(20.0) < 0.01
    R = np.array([0.6, 1.5, 3.0])  # F changes sign between 2 k_F R = 3 and 6
    ratio = rkky_from_lindhard(R) / rkky_F(2 * R)
    np.testing.assert_allclose(ratio, 16 * np.pi**2, rtol=2e-2)  # positive: Eq. (30) is ferro at short range


def test_spot_intensity():
    assert spot_intensity_W_per_cm2(1.0, 2e-2 / np.sqrt(np.pi)) == pytest.approx(1.0)  # 1 W on 1 cm^2


def test_two_spin_velocity_flip_at_gamma_equal_alpha_g():
    alpha, J, g = 2e-3, 1.0, 10.0
    Sa, Sb = np.array([1.0, 0, 0]), np.array([0, 1.0, 0])  # b at +90 degrees from a
    for ratio, toward in ((0.5, True), (1.5, False)):
        v = two_spin_velocity(Sb, Sa, J, alpha, gamma_n=0.0, Omega=ratio * alpha * g / g * J)
        assert (v[0] > 0) == toward  # d S_b^x / dt > 0 turns b toward a
    v = two_spin_velocity(Sb, Sa, J, alpha, Omega=alpha * J)
    assert abs(v[0]) < 1e-15  # exactly balanced at Omega = alpha J (|S| = 1)
    # explicit Landau-Lifshitz form of the solved Gilbert equation for a unit spin
    F = J * np.cross(Sb, Sa)
    np.testing.assert_allclose(two_spin_velocity(Sb, Sa, J, alpha),
                               (F - alpha * np.cross(Sb, F)) / (1 + alpha**2), atol=1e-15)


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: sd_coupling(0.1, 0.1, 1.0, 0.0), "singly occupied"),
        (lambda: sd_coupling(0.1, -0.5, -1.0, 0.0), "U must be positive"),
        (lambda: correlated_dissipation(0.1, -0.5, 1.0, 0.0, -1.0), "non-negative"),
        (lambda: pump_power_W_per_cm2(0.0, 1.0, 1.0, 0.01), "alpha"),
        (lambda: pump_power_W_per_cm2(0.01, 1.0, 1.0, 0.01, gamma_in="rad"), "gamma_in"),
        (lambda: gilbert_damping(0.01, 0.0), "eps_F"),
        (lambda: light_torque(0.1, 0.0, 1.0), "non-zero"),
        (lambda: lindhard_static(-1.0), "non-negative"),
        (lambda: rkky_from_lindhard(0.0), "positive"),
        (lambda: spot_intensity_W_per_cm2(0.0, 1e-6), "positive"),
        (lambda: two_spin_velocity([1, 0], [0, 1, 0], 1.0, 0.1), "3-vectors"),
    ],
)
def test_bad_input_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()
