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
           "pump_power_W_per_cm2", "markov_ratio", "lindhard_static", "rkky_from_lindhard",
           "spot_intensity_W_per_cm2", "two_spin_velocity"]


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
    to a rate with hbar (:math:`\\Gamma_f/\\hbar`, rad/s), as the Lorentz oscillator of the paper's
    Eq. (37) requires (:math:`\\Gamma_f` multiplies the angular frequency there); ``"hz"`` uses h
    instead, which is incorrect and kept only to show the size of that error.
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


def lindhard_static(q_over_kF):
    r"""Static Lindhard function of a 3D free-electron gas, :math:`\chi(q)/\chi(0)` (positive).

    :math:`\chi(q)/\chi(0) = 1/2 + (1 - x^2)/(4x)\,\ln|(1 + x)/(1 - x)|` with
    :math:`x = q/2k_F`; :math:`\chi(q) = -\sum_k (f_+ - f_-)/(\varepsilon_+ - \varepsilon_-) > 0`
    per unit density of states.
    """
    q = np.asarray(q_over_kF, dtype=float)
    if np.any(q < 0):
        raise ValueError("q must be non-negative")
    x = q / 2
    near = np.abs(x - 1) < 1e-12
    xs = np.where((x == 0) | near, 0.5, x)
    val = 0.5 + (1 - xs**2) / (4 * xs) * np.log(np.abs((1 + xs) / (1 - xs)))
    return np.where(x == 0, 1.0, np.where(near, 0.5, val))


def rkky_from_lindhard(R_kF, cutoff=30.0):
    r"""Fourier transform :math:`4\pi\int_0^\infty q^2\chi(q)\,\mathrm{sinc}(qR)\,e^{-(q/\Lambda)^2}dq`.

    ``R_kF`` is :math:`k_FR` (> 0), ``cutoff`` :math:`\Lambda/k_F`. Up to a positive constant this
    is the real-space susceptibility that Eq. (30) of the paper multiplies by
    :math:`+|g_a||g_b|/2`; for :math:`\Lambda \to \infty` it is :math:`16\pi^2 F(2k_FR)`
    (in units :math:`k_F = 1`).
    """
    from scipy.integrate import quad

    if cutoff <= 0:
        raise ValueError("cutoff must be positive")
    out = []
    for R in np.atleast_1d(np.asarray(R_kF, dtype=float)):
        if R <= 0:
            raise ValueError("k_F R must be positive")

        def f(q, R=R):
            return q * q * lindhard_static(q) * np.sin(q * R) / (q * R) * np.exp(-((q / cutoff) ** 2))

        out.append(4 * np.pi * quad(f, 0, 6 * cutoff, limit=2000, points=[2.0])[0])
    return np.array(out)


def spot_intensity_W_per_cm2(power_W, diameter_m):
    """Mean intensity of ``power_W`` spread uniformly over a disc of diameter ``diameter_m`` (W/cm^2)."""
    if not power_W > 0 or not diameter_m > 0:
        raise ValueError("power and diameter must be positive")
    return power_W / (np.pi * (diameter_m / 2) ** 2) / 1e4


def two_spin_velocity(S, S_other, J, alpha, gamma_n=0.0, Omega=0.0):
    r"""Velocity :math:`\dot{\mathbf S}_a` of Eq. (6) for one spin and one partner, Gilbert term solved.

    Eq. (6) with one partner :math:`b` reads
    :math:`\dot{\mathbf S} = J\,\mathbf S\times\mathbf S_b - \alpha\,\mathbf S\times\dot{\mathbf S}
    - \gamma n\,\mathbf S - \Omega\,\mathbf S_b`; it is implicit in :math:`\dot{\mathbf S}` and
    linear, :math:`(1 + \alpha[\mathbf S\times])\dot{\mathbf S} = \mathbf F`, solved here.

    Parameters
    ----------
    S, S_other : array_like, shape (3,)
        The spin and its partner (Pauli normalisation: a single electron has :math:`|\mathbf S| = 1`).
    J, alpha, gamma_n, Omega : float
        RKKY coupling, Gilbert damping (>= 0), decay rate :math:`\gamma n` (>= 0) and light-induced
        torque :math:`\Omega_{ab}` acting on this spin (energy units, hbar = 1).
    """
    S, Sb = np.asarray(S, dtype=float), np.asarray(S_other, dtype=float)
    if S.shape != (3,) or Sb.shape != (3,):
        raise ValueError("spins must be 3-vectors")
    if alpha < 0 or gamma_n < 0:
        raise ValueError("alpha and gamma_n must be non-negative")
    F = J * np.cross(S, Sb) - gamma_n * S - Omega * Sb
    cross = np.array([[0, -S[2], S[1]], [S[2], 0, -S[0]], [-S[1], S[0], 0]])
    return np.linalg.solve(np.eye(3) + alpha * cross, F)
