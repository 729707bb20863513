r"""Chiral phonons as a one-way bus between spins (Xu et al., 2024).

In a chiral crystal the transverse acoustic (TA) phonons with pseudo-angular momentum
:math:`L = \pm1` have different velocities, and time reversal locks the sign of
:math:`k_z L`: the :math:`(+k_z, +L)` and :math:`(-k_z, -L)` modes share one velocity, the
:math:`(-k_z, +L)` and :math:`(+k_z, -L)` modes another (Table I of the paper). A spin that
lowers its angular momentum by emitting an :math:`L = +1` phonon therefore talks to a
:math:`+k_z` mode at one frequency and to a :math:`-k_z` mode at another. Tuned close to one,
it couples one way.

This module holds the materials of Table I, the resonator estimates of the paper's
"Experimental realizations" section, and :func:`cascaded_couplings`, which writes the cascaded
master equation (Eqs. 5-6) in the form of the shared core. Units are SI; names say whether a
frequency is in Hz (``f_...``, ``..._Hz``) or rad/s (``omega_...``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.constants import h as PLANCK_H
from scipy.constants import hbar as PLANCK_HBAR

__all__ = ["ChiralMaterial", "MATERIALS", "MODES", "Resonator", "exchange_rate", "cascaded_couplings"]

#: The four TA modes of Table I, as (sign of k_z, sign of L).
MODES = ("+k+L", "-k+L", "+k-L", "-k-L")


@dataclass(frozen=True)
class ChiralMaterial:
    """A chiral crystal: density and the TA group velocities of Table I along the screw axis.

    ``v_co_m_s`` is the velocity of the modes with :math:`k_z L > 0`, (+k,+L) and (-k,-L);
    ``v_counter_m_s`` that of the modes with :math:`k_z L < 0`, (-k,+L) and (+k,-L).
    Time reversal maps (+k,+L) to (-k,-L), so two numbers describe all four modes.
    """

    name: str
    density_kg_m3: float
    v_co_m_s: float
    v_counter_m_s: float
    density_source: str = ""

    def __post_init__(self):
        for field_name in ("density_kg_m3", "v_co_m_s", "v_counter_m_s"):
            value = getattr(self, field_name)
            if not np.isfinite(value) or value <= 0:
                raise ValueError(f"{field_name} of {self.name} must be positive and finite, got {value}")

    def velocity(self, mode: str) -> float:
        """Group velocity (m/s) of one of the four modes ``"+k+L"``, ``"-k+L"``, ``"+k-L"``, ``"-k-L"``."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        return self.v_co_m_s if mode in ("+k+L", "-k-L") else self.v_counter_m_s

    @property
    def velocity_asymmetry(self) -> float:
        """Relative velocity difference :math:`(v_{\\rm counter} - v_{\\rm co})/v_{\\rm co}` of the two L = +1 modes."""
        return (self.v_counter_m_s - self.v_co_m_s) / self.v_co_m_s


#: Table I of Xu et al. (velocities, from their ab initio dispersions) with densities from
#: the CRC Handbook of Chemistry and Physics (see the chapter's bibliography).
MATERIALS = {
    "alpha-SiO2": ChiralMaterial("alpha-SiO2", 2648.0, 4.2e3, 5.0e3, "CRC Handbook: quartz, 2.648 g/cm^3"),
    "alpha-HgS": ChiralMaterial("alpha-HgS", 8100.0, 1.3e3, 1.6e3, "CRC Handbook: cinnabar, 8.1 g/cm^3"),
    "alpha-TeO2": ChiralMaterial("alpha-TeO2", 6020.0, 2.5e3, 2.4e3, "CRC Handbook: paratellurite, 6.02 g/cm^3"),
}


@dataclass(frozen=True)
class Resonator:
    """A bar of chiral material, length ``l_m`` along the screw axis, cross-section ``w_m`` x ``h_m``.

    Its modes have :math:`k_z = n\\pi/l` and :math:`\\omega_\\pm = v_\\pm k_z` (the paper's
    simplified picture; the transverse size only enters through the volume).
    """

    material: ChiralMaterial
    l_m: float
    w_m: float
    h_m: float
    n: int = 1

    def __post_init__(self):
        for field_name in ("l_m", "w_m", "h_m"):
            value = getattr(self, field_name)
            if not np.isfinite(value) or value <= 0:
                raise ValueError(f"{field_name} must be positive and finite, got {value}")
        if int(self.n) != self.n or self.n < 1:
            raise ValueError(f"the mode number n must be a positive integer, got {self.n}")

    @property
    def volume_m3(self) -> float:
        return self.l_m * self.w_m * self.h_m

    @property
    def k_z(self) -> float:
        """Wave number :math:`n\\pi/l` (rad/m)."""
        return self.n * np.pi / self.l_m

    def omega(self, mode: str = "+k+L") -> float:
        """Angular frequency :math:`\\omega = v k_z` of a mode (rad/s)."""
        return self.material.velocity(mode) * self.k_z

    def f_Hz(self, mode: str = "+k+L") -> float:
        """Frequency :math:`\\omega/2\\pi` of a mode (Hz)."""
        return self.omega(mode) / (2 * np.pi)

    def u_zpf(self, mode: str = "+k+L", planck: str = "hbar") -> float:
        """Zero-point strain :math:`\\sqrt{\\hbar\\omega/(2\\rho v^2 V)}` (dimensionless).

        ``planck="h"`` uses Planck's h instead of hbar, the reading under which the paper's
        quoted couplings are reproduced (see the chapter); the physical value is ``"hbar"``.
        """
        if planck not in ("hbar", "h"):
            raise ValueError(f"planck must be 'hbar' or 'h', got {planck!r}")
        const = PLANCK_HBAR if planck == "hbar" else PLANCK_H
        v = self.material.velocity(mode)
        return float(np.sqrt(const * self.omega(mode) / (2 * self.material.density_kg_m3 * v**2 * self.volume_m3)))

    def coupling_Hz(self, Xi_Hz: float, mode: str = "+k+L", planck: str = "hbar") -> float:
        """Spin-phonon coupling :math:`g = \\Xi\\, u^{\\rm zpf}`, in the units of ``Xi_Hz`` (Hz)."""
        if not np.isfinite(Xi_Hz) or Xi_Hz <= 0:
            raise ValueError(f"Xi_Hz must be positive and finite, got {Xi_Hz}")
        return Xi_Hz * self.u_zpf(mode, planck)


def exchange_rate(g, detuning):
    """Phonon-mediated exchange :math:`\\gamma = 2g^2/\\Delta` (Eq. 4), in the units of ``g`` and ``detuning``."""
    g = np.asarray(g, dtype=float)
    detuning = np.asarray(detuning, dtype=float)
    if np.any(detuning == 0):
        raise ValueError("the detuning must be non-zero (adiabatic elimination needs Delta >> g)")
    return 2 * g**2 / detuning


def cascaded_couplings(gamma: float, phase: float, gamma_back: float = 0.0, n_spins: int = 2, phase_back=None):
    r"""The cascaded master equation of Xu et al. (Eqs. 5-6) as couplings ``(J, Gamma)`` of the core.

    Spins sit at :math:`z_n = n d` (n = 0 .. n_spins-1) along a one-way phonon channel with
    :math:`\phi = k_z d`. The forward (+k_z, +L) channel gives
    :math:`2\gamma\mathcal D[z]` with :math:`z = \sum_n e^{-in\phi}S^-_n` and
    :math:`H = i\gamma\sum_{a<b}(e^{-i(b-a)\phi}S^+_aS^-_b - {\rm h.c.})`, that is

    .. math:: \Gamma_{ab} = 2\gamma e^{-i(b-a)\phi}, \qquad J_{ab} = 2i\gamma e^{-i(b-a)\phi}\ (a<b),

    so the right-to-left hopping :math:`\gamma^L_{ab} = (J_{ab} - i\Gamma_{ab})/2` vanishes.
    The counter-propagating (-k_z, +L) channel with rate ``gamma_back`` is the mirror image
    (phase ``phase_back``, by default ``-phase``, which gives Xu et al.'s
    :math:`-2i\gamma' e^{-ik_zd}S^+_AS^-_B` in :math:`H_{\rm NH}`).

    Returns
    -------
    J, Gamma : ndarray, shape (n_spins, n_spins)
        In the units of ``gamma``; ``QubitEnsemble(J, Gamma)`` evolves the chain.
    """
    for name, value in (("gamma", gamma), ("gamma_back", gamma_back)):
        if not np.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a non-negative rate, got {value}")
    if not np.isfinite(phase) or (phase_back is not None and not np.isfinite(phase_back)):
        raise ValueError("the propagation phases must be finite")
    if int(n_spins) != n_spins or n_spins < 2:
        raise ValueError(f"n_spins must be an integer >= 2, got {n_spins}")
    n = int(n_spins)
    phase_back = -phase if phase_back is None else phase_back
    idx = np.arange(n)
    sep = idx[None, :] - idx[:, None]  # b - a
    upper = sep > 0
    Gamma = 2 * gamma * np.exp(-1j * sep * phase) + 2 * gamma_back * np.exp(1j * sep * phase_back)
    J_upper = 2j * gamma * np.exp(-1j * sep * phase) - 2j * gamma_back * np.exp(1j * sep * phase_back)
    J = np.where(upper, J_upper, 0)
    J = J + J.conj().T
    return J, Gamma
