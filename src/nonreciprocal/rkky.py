r"""Microscopic estimates of Hanai, Ootsuki & Tazai: RKKY, sd coupling, light-induced dissipation, pump power.

Energies are in eV unless a name says otherwise; powers in W/cm^2. The Anderson-impurity
parameters are the c-d mixing ``v``, the level ``eps_d`` below the Fermi energy ``eps_F`` and
the Coulomb energy ``U`` (so that :math:`\varepsilon_d < \varepsilon_F < \varepsilon_d + U`), and
the light-induced decay rate ``kappa`` of the doubly occupied state (energy units, :math:`\hbar=1`).
"""

from __future__ import annotations

import numpy as np
from scipy.constants import c as SPEED_OF_LIGHT
from scipy.constants import e as ELEMENTARY_CHARGE
from scipy.constants import epsilon_0, hbar, m_e

__all__ = ["rkky_F", "rkky_J", "sd_coupling", "correlated_dissipation", "gilbert_damping", "light_torque",
           "pump_power_W_per_cm2", "markov_ratio"]


def rkky_F(x):
    """RKKY range function :math:`F(x) = (\\sin x - x\\cos x)/x^4` (series near x = 0, where it diverges as 1/(3x))."""
    x = np.asarray(x, dtype=float)
    if np.any(x <= 0):
        raise ValueError("F(x) is defined for x = 2 k_F R > 0")
    small = x < 1e-2
    xs = np.where(small, 1.0, x)
    exact = (np.sin(xs) - xs * np.cos(xs)) / xs**4
    series = 1 / (3 * x) - x / 30 + x**3 / 840
    return np.where(small, series, exact)


def rkky_J(R_over_lattice, g_a, g_b, eps_F, n=1.0, kF_lattice=np.pi):
    """RKKY coupling :math:`J(R) = -9\\pi (g_a g_b/\\varepsilon_F) n^2 F(2k_FR)` (energy units of g).

    ``R_over_lattice`` is the distance in units of a length a with :math:`k_F a` = ``kF_lattice``.
    """
    if eps_F <= 0:
        raise ValueError(f"eps_F must be positive, got {eps_F}")
    return -9 * np.pi * (g_a * g_b / eps_F) * n**2 * rkky_F(2 * kF_lattice * np.asarray(R_over_lattice, dtype=float))


def _check_levels(eps_d, U, eps_F, kappa):
    if U <= 0:
        raise ValueError(f"U must be positive, got {U}")
    if not eps_d < eps_F < eps_d + U:
        raise ValueError(f"the impurity must be singly occupied: need eps_d < eps_F < eps_d + U, got {eps_d}, {eps_F}, {eps_d + U}")
    if np.any(np.asarray(kappa) < 0):
        raise ValueError("kappa must be a non-negative decay rate")


def sd_coupling(v, eps_d, U, eps_F, kappa=0.0):
    """sd coupling g of Eq. (17): antiferromagnetic (< 0), weakened by the light-induced decay kappa."""
    _check_levels(eps_d, U, eps_F, kappa)
    up = eps_d + U - eps_F
    kappa = np.asarray(kappa, dtype=float)
    return -abs(v) ** 2 * (up / (up**2 + kappa**2 / 4) + 1 / (eps_F - eps_d))


def correlated_dissipation(v, eps_d, U, eps_F, kappa):
    """Correlated dissipation rate gamma of Eq. (18), energy units (hbar = 1)."""
    _check_levels(eps_d, U, eps_F, kappa)
    up = eps_d + U - eps_F
    kappa = np.asarray(kappa, dtype=float)
    return abs(v) ** 2 * kappa / (up**2 + kappa**2 / 4)


def gilbert_damping(g, eps_F, n=1.0):
    """Gilbert damping :math:`\\alpha = (9\\pi^2/2) n^2 (g/\\varepsilon_F)^2` (parabolic band)."""
    if eps_F <= 0:
        raise ValueError(f"eps_F must be positive, got {eps_F}")
    return 4.5 * np.pi**2 * n**2 * (np.asarray(g) / eps_F) ** 2


def light_torque(gamma, g, J_ab):
    """Light-induced dissipative interaction :math:`\\Omega_{ab} = (\\gamma_a/|g_a|) J_{ab}`."""
    if np.any(np.asarray(g) == 0):
        raise ValueError("g must be non-zero")
    return np.asarray(gamma) / np.abs(g) * np.asarray(J_ab)


def pump_power_W_per_cm2(alpha, U_eV, hnu_eV, Gamma_f_eV, gamma_in="angular"):
    """Pump power of Eq. (7), :math:`P \\gtrsim \\alpha\\, 2\\pi U\\nu m_0\\epsilon_0 c\\,\\Gamma_f/e^2`, in W/cm^2.

    ``Gamma_f_eV`` is the linewidth of the upper level as an energy. ``gamma_in="angular"`` converts it
    to a rate with hbar (:math:`\\Gamma_f/\\hbar`, rad/s: the reading that reproduces the paper's
    :math:`10^8` W/cm^2); ``"hz"`` uses h instead.
    """
    for name, value in (("alpha", alpha), ("U_eV", U_eV), ("hnu_eV", hnu_eV), ("Gamma_f_eV", Gamma_f_eV)):
        if not value > 0:
            raise ValueError(f"{name} must be positive, got {value}")
    if gamma_in not in ("angular", "hz"):
        raise ValueError(f"gamma_in must be 'angular' or 'hz', got {gamma_in!r}")
    U = U_eV * ELEMENTARY_CHARGE
    nu = hnu_eV * ELEMENTARY_CHARGE / (2 * np.pi * hbar)
    rate = Gamma_f_eV * ELEMENTARY_CHARGE / hbar
    if gamma_in == "hz":
        rate /= 2 * np.pi
    P_W_per_m2 = alpha * 2 * np.pi * U * nu * m_e * epsilon_0 * SPEED_OF_LIGHT / ELEMENTARY_CHARGE**2 * rate
    return P_W_per_m2 / 1e4


def markov_ratio(kappa, v, U, Gamma_f):
    """:math:`\\gamma/\\Gamma_f` with :math:`\\gamma \\approx \\kappa|v|^2/U^2`; the Markov approximation needs it << 1."""
    if U <= 0 or Gamma_f <= 0:
        raise ValueError("U and Gamma_f must be positive")
    return kappa * abs(v) ** 2 / U**2 / Gamma_f
