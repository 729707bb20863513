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
master equation (Eqs. 5-6) plus a backward channel (with the derived phase by default) in the
form of the shared core. The checks of the chapter use :func:`dispersive_exchange` (exact
exchange through one detuned mode), :func:`waveguide_populations` (two spins on a discretised
two-way waveguide, no Markov approximation), :func:`waveguide_decay_rate` (golden rule into one
TA branch of a bar) and :func:`christoffel` with :func:`point_group_symmetrise` (sound along the
screw axis of classes 32 and 422). Units are SI; names say whether a
frequency is in Hz (``f_...``, ``..._Hz``) or rad/s (``omega_...``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.constants import h as PLANCK_H
from scipy.constants import hbar as PLANCK_HBAR

__all__ = ["ChiralMaterial", "MATERIALS", "MODES", "Resonator", "exchange_rate", "cascaded_couplings",
           "dispersive_exchange", "waveguide_populations", "christoffel", "elastic_tensor",
           "point_group", "point_group_symmetrise", "waveguide_decay_rate"]

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


def cascaded_couplings(gamma: float, phase: float, gamma_back: float = 0.0, n_spins: int = 2,
                       phase_back=None, backward: str = "derived"):
    r"""Spins along a two-way phonon channel (Xu et al. Eqs. 5-6 plus the backward channel).

    Spins sit at :math:`z_n = n d` (n = 0 .. n_spins-1) with :math:`\phi = k_z d`. The forward,
    right-moving (+k_z, +L) channel gives :math:`2\gamma\mathcal D[z]` with
    :math:`z = \sum_n e^{-in\phi}S^-_n` and
    :math:`H = i\gamma\sum_{a<b}(e^{-i(b-a)\phi}S^+_aS^-_b - {\rm h.c.})`: in the
    single-excitation effective Hamiltonian the hop from a to b > a is
    :math:`-2i\gamma e^{i(b-a)\phi}` and there is no hop back.

    The backward, left-moving (-k_z, +L) channel, rate ``gamma_back`` and propagation phase
    :math:`\phi' = k'd` (``phase_back``, default ``phase``), carries excitations from b to
    a < b. A wave picks up the phase :math:`e^{+ik'd}` over the distance d whichever way it
    travels, so the hop is :math:`-2i\gamma' e^{+i(b-a)\phi'}` (``backward="derived"``, the
    default; derived in the chapter from the SLH series product and from a waveguide model).
    With :math:`\gamma' = \gamma, \phi' = \phi` this is the ordinary bidirectional waveguide:
    :math:`J_{ab} = 4\gamma\sin((b-a)\phi)`, :math:`\Gamma_{ab} = 4\gamma\cos((b-a)\phi)`.
    ``backward="printed"`` uses the phase printed in the paper,
    :math:`-2i\gamma' e^{-ik_zd}S^+_AS^-_B`, i.e. :math:`e^{-i(b-a)\phi'}`; then the
    backward channel has the same jump operator as the forward one, and
    :math:`\gamma' = \gamma` gives no coherent coupling and a dark state for every
    :math:`k_zd`.

    Parameters
    ----------
    gamma, gamma_back : float
        Rates of the forward and backward channels (each spin decays at
        :math:`2(\gamma + \gamma')` in total), non-negative.
    phase : float
        Forward propagation phase :math:`k_zd` between neighbours (rad).
    n_spins : int
        Number of spins (>= 2).
    phase_back : float, optional
        Backward propagation phase :math:`k'd` between neighbours (rad); default ``phase``.
    backward : {"derived", "printed"}
        Sign of the backward phase (see above).

    Returns
    -------
    J, Gamma : ndarray, shape (n_spins, n_spins)
        In the units of ``gamma``; ``QubitEnsemble(J, Gamma)`` evolves the chain.

    Raises
    ------
    ValueError
        For negative or non-finite rates, non-finite phases, ``n_spins`` < 2 or not an
        integer, or an unknown ``backward``.
    """
    for name, value in (("gamma", gamma), ("gamma_back", gamma_back)):
        if not np.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a non-negative rate, got {value}")
    if not np.isfinite(phase) or (phase_back is not None and not np.isfinite(phase_back)):
        raise ValueError("the propagation phases must be finite")
    if int(n_spins) != n_spins or n_spins < 2:
        raise ValueError(f"n_spins must be an integer >= 2, got {n_spins}")
    if backward not in ("derived", "printed"):
        raise ValueError(f"backward must be 'derived' or 'printed', got {backward!r}")
    n = int(n_spins)
    phase_back = phase if phase_back is None else phase_back
    sign = 1.0 if backward == "derived" else -1.0
    idx = np.arange(n)
    sep = idx[None, :] - idx[:, None]  # b - a
    fwd = np.exp(-1j * sep * phase)
    bwd = np.exp(1j * sign * sep * phase_back)
    Gamma = 2 * gamma * fwd + 2 * gamma_back * bwd
    J_upper = 2j * gamma * fwd - 2j * gamma_back * bwd
    J = np.where(sep > 0, J_upper, 0)
    J = J + J.conj().T
    return J, Gamma


def dispersive_exchange(g: float, detuning: float, element: float = 1.0, n_phonons: int = 0):
    r"""Exact exchange between two spins coupled to one lossless mode (Xu et al. Eq. 3).

    Two two-level spins (:math:`S^- = e\,\sigma^-`, ``element`` = e), both detuned by
    :math:`\Delta` from one mode, :math:`H = \Delta(n_A + n_B) + g\sum_j(S^-_ja^\dagger +
    S^+_ja)`. In the sector with one spin excitation and ``n_phonons`` = n quanta the
    antisymmetric spin state :math:`(|eg,n\rangle - |ge,n\rangle)/\sqrt2` is an exact
    eigenstate at :math:`\Delta`; the symmetric one mixes with :math:`|gg,n+1\rangle`
    (energy 0) and :math:`|ee,n-1\rangle` (energy :math:`2\Delta`). The exchange is half the
    exact splitting of the two spin-like eigenstates. For n = 0,

    .. math:: J = \tfrac12\left(\sqrt{\Delta^2/4 + 2e^2g^2} - \Delta/2\right) \to e^2g^2/\Delta \quad (\Delta \gg g).

    Parameters
    ----------
    g, detuning : float
        Coupling and detuning :math:`\Delta > 0`, same units.
    element : float
        Matrix element e of :math:`S^-` (1 for spin-1/2, :math:`\sqrt2` for the
        :math:`0 \leftrightarrow -1` transition of a spin 1 treated as a two-level system).
    n_phonons : int
        Quanta in the mode (0: vacuum-mediated exchange).

    Returns
    -------
    float
        J in the units of ``g``.
    """
    for name, value in (("g", g), ("detuning", detuning), ("element", element)):
        if not np.isfinite(value) or value <= 0:
            raise ValueError(f"{name} must be positive and finite, got {value}")
    if int(n_phonons) != n_phonons or n_phonons < 0:
        raise ValueError(f"n_phonons must be a non-negative integer, got {n_phonons}")
    c = np.sqrt(2.0) * element * g
    n = int(n_phonons)
    # basis: symmetric |s,n>, |gg,n+1>, |ee,n-1>
    H = np.array([[detuning, c * np.sqrt(n + 1), c * np.sqrt(n)],
                  [c * np.sqrt(n + 1), 0.0, 0.0],
                  [c * np.sqrt(n), 0.0, 2 * detuning]])
    if n == 0:
        H = H[:2, :2]
    vals, vecs = np.linalg.eigh(H)
    spin_like = np.argmax(np.abs(vecs[0]) ** 2)
    return float((vals[spin_like] - detuning) / 2)


def waveguide_populations(times, gamma: float, gamma_back: float, phase: float, delay: float,
                          phase_back=None, bandwidth: float = 60.0, recurrence: float = None):
    r"""Exact single-excitation dynamics of two spins on a discretised two-way waveguide.

    Spin A at x = 0 and spin B at x = d couple to right- and left-moving modes of a ring,
    :math:`H = \sum_m \omega_m (r_m^\dagger r_m + l_m^\dagger l_m) + \sum_{j,m}
    [g_R e^{ik_mx_j}\sigma^+_j r_m + g_L e^{-ik'_mx_j}\sigma^+_j l_m + {\rm h.c.}]`,
    in the frame of the (resonant) spin frequency. Right movers have
    :math:`k_m d = \phi + \omega_m\tau`, left movers :math:`k'_m d = \phi' + \omega_m\tau`,
    with the group delay :math:`\tau = d/v`. The modes are spaced by
    :math:`\delta\omega = 2\pi/T` (T = ``recurrence``: a wave is back after T) up to
    :math:`|\omega_m| \le 4W` (W = ``bandwidth``), with a smooth Gaussian profile
    :math:`g_R^2 = 2\gamma\,(\delta\omega/2\pi)\,e^{-\omega_m^2/2W^2}` (and
    :math:`g_L^2` with :math:`\gamma'`), so that each spin decays at :math:`2\gamma` into
    right movers and :math:`2\gamma'` into left movers (golden rule at
    :math:`\omega = 0`) and the memory kernel has the width 1/W. No master equation is
    used: the Hamiltonian is diagonalised.

    Parameters
    ----------
    times : array_like
        Times (units of ``1/gamma`` if ``gamma`` = 1), non-negative, below ``recurrence``.
    gamma, gamma_back : float
        Forward and backward rates as in :func:`cascaded_couplings` (>= 0, not both 0).
    phase, phase_back : float
        :math:`\phi = k_Rd` and :math:`\phi' = k_Ld` at the spin frequency (default
        ``phase_back = phase``).
    delay : float
        Group delay :math:`\tau = d/v` (>= 0).
    bandwidth : float
        Width W of the Gaussian coupling profile, in the units of the rates; the master
        equation is the limit :math:`\gamma\tau \to 0` with :math:`W\tau \gg 1`.
    recurrence : float, optional
        Round-trip time T of the ring; default ``max(times) + delay + 4``.

    Returns
    -------
    ndarray, shape (2, 2, len(times))
        ``[i, j]``: population of spin j (0 = A, 1 = B) when spin i is excited at t = 0.
    """
    t = np.asarray(times, dtype=float)
    for name, value in (("gamma", gamma), ("gamma_back", gamma_back), ("delay", delay)):
        if not np.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be non-negative and finite, got {value}")
    if gamma + gamma_back <= 0:
        raise ValueError("at least one of gamma, gamma_back must be positive")
    if t.ndim != 1 or np.any(t < 0) or not np.all(np.isfinite(t)):
        raise ValueError("times must be a 1-D array of non-negative numbers")
    T = float(t.max() + delay + 4.0) if recurrence is None else float(recurrence)
    if T <= t.max() + delay:
        raise ValueError(f"recurrence {T} must exceed the largest time plus the delay")
    if not np.isfinite(bandwidth) or bandwidth <= 0:
        raise ValueError(f"bandwidth must be positive, got {bandwidth}")
    phase_back = phase if phase_back is None else phase_back
    dw = 2 * np.pi / T
    m_max = int(np.ceil(4 * bandwidth / dw))
    w = np.arange(-m_max, m_max + 1) * dw
    profile = np.exp(-w**2 / (4 * bandwidth**2))  # square root of the Gaussian of g^2
    gR = np.sqrt(2 * gamma * dw / (2 * np.pi)) * profile
    gL = np.sqrt(2 * gamma_back * dw / (2 * np.pi)) * profile
    x = np.array([0.0, 1.0])  # positions in units of d
    cR = gR * np.exp(1j * np.outer(x, phase + w * delay))  # <spin j| H |r_m>
    cL = gL * np.exp(-1j * np.outer(x, phase_back + w * delay))
    nm = w.size
    H = np.zeros((2 + 2 * nm, 2 + 2 * nm), dtype=complex)
    H[:2, 2:2 + nm], H[:2, 2 + nm:] = cR, cL
    H[2:, :2] = H[:2, 2:].conj().T
    H[2:, 2:] = np.diag(np.concatenate([w, w]))
    E, V = np.linalg.eigh(H)
    phases = np.exp(-1j * np.outer(E, t))
    amp = np.stack([V[:2] @ (phases * V[i].conj()[:, None]) for i in (0, 1)])
    return np.abs(amp) ** 2


def christoffel(C_voigt, direction):
    r"""Christoffel tensor :math:`\Gamma_{il} = C_{ijlm}n_jn_m` of an elastic tensor.

    Parameters
    ----------
    C_voigt : array_like, shape (6, 6)
        Elastic stiffness in Voigt notation (any unit, e.g. GPa), symmetric.
    direction : array_like, shape (3,)
        Propagation direction (normalised here).

    Returns
    -------
    ndarray, shape (3, 3)
        :math:`\Gamma`; :math:`\rho v^2` are its eigenvalues.
    """
    C = np.asarray(C_voigt, dtype=float)
    if C.shape != (6, 6) or not np.allclose(C, C.T):
        raise ValueError("C_voigt must be a symmetric 6 x 6 matrix")
    n = np.asarray(direction, dtype=float)
    if n.shape != (3,) or not np.linalg.norm(n) > 0:
        raise ValueError("direction must be a non-zero 3-vector")
    n = n / np.linalg.norm(n)
    return np.einsum("ijlm,j,m->il", elastic_tensor(C), n, n)


_VOIGT = {(0, 0): 0, (1, 1): 1, (2, 2): 2, (1, 2): 3, (2, 1): 3, (0, 2): 4, (2, 0): 4, (0, 1): 5, (1, 0): 5}


def elastic_tensor(C_voigt):
    """Full rank-4 elastic tensor :math:`C_{ijkl}` from its 6 x 6 Voigt form."""
    C = np.asarray(C_voigt, dtype=float)
    if C.shape != (6, 6):
        raise ValueError("C_voigt must be a 6 x 6 matrix")
    full = np.empty((3, 3, 3, 3))
    for i in range(3):
        for j in range(3):
            for k in range(3):
                for l in range(3):
                    full[i, j, k, l] = C[_VOIGT[i, j], _VOIGT[k, l]]
    return full


def point_group_symmetrise(tensor, rotations):
    r"""Average a Cartesian tensor over a point group: :math:`\frac1{|G|}\sum_R R\cdot T`.

    ``rotations`` is the list of all 3 x 3 matrices of the group (e.g. from
    :func:`point_group`). The result is the most general tensor of that rank invariant
    under the group, projected from ``tensor``.
    """
    T = np.asarray(tensor, dtype=float)
    out = np.zeros_like(T)
    letters = "abcdefgh"[: T.ndim]
    for R in rotations:
        R = np.asarray(R, dtype=float)
        expr = ",".join(f"{letters[i].upper()}{letters[i]}" for i in range(T.ndim))
        out += np.einsum(f"{expr},{letters}->{letters.upper()}", *([R] * T.ndim), T)
    return out / len(rotations)


def point_group(name: str):
    """The rotation matrices of the chiral point groups ``"32"`` (D3) and ``"422"`` (D4).

    The principal (screw) axis is z; a two-fold axis is x.
    """
    orders = {"32": 3, "422": 4}
    if name not in orders:
        raise ValueError(f"point group must be one of {sorted(orders)}, got {name!r}")
    n = orders[name]
    c = lambda a: np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    c2x = np.diag([1.0, -1.0, -1.0])
    rots = [c(2 * np.pi * k / n) for k in range(n)]
    return rots + [r @ c2x for r in rots]


def waveguide_decay_rate(material: ChiralMaterial, f_Hz: float, Xi_Hz: float, area_m2: float,
                         mode: str = "+k+L") -> float:
    r"""Golden-rule decay rate (1/s) of a spin into one TA branch of a bar with cross-section A.

    On a ring of circumference :math:`\ell` the modes of one branch are spaced by
    :math:`\delta\omega = 2\pi v/\ell`, and each has the zero-point strain
    :math:`u^{\rm zpf} = \sqrt{\hbar\omega/(2\rho v^2A\ell)}`. With
    :math:`g = 2\pi\Xi u^{\rm zpf}` (rad/s) the golden rule gives
    :math:`\Gamma = 2\pi g^2/\delta\omega = (2\pi\Xi)^2\hbar\omega/(2\rho v^3A)`, independent
    of :math:`\ell`. ``f_Hz`` is the spin (= phonon) frequency, ``Xi_Hz`` the
    strain response in Hz. The rate is for a transition whose :math:`S^-` has the matrix
    element 1 (spin 1/2); a matrix element e (e.g. :math:`\sqrt2` for the
    :math:`0 \leftrightarrow -1` transition of a spin 1) multiplies it by :math:`e^2`.
    """
    for name, value in (("f_Hz", f_Hz), ("Xi_Hz", Xi_Hz), ("area_m2", area_m2)):
        if not np.isfinite(value) or value <= 0:
            raise ValueError(f"{name} must be positive and finite, got {value}")
    v = material.velocity(mode)
    omega = 2 * np.pi * f_Hz
    return float((2 * np.pi * Xi_Hz) ** 2 * PLANCK_HBAR * omega / (2 * material.density_kg_m3 * v**3 * area_m2))
