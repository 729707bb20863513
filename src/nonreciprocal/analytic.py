r"""Closed forms that the master-equation solvers are checked against.

All rates are in the units of :math:`\gamma_0` (times in :math:`1/\gamma_0`), :math:`\hbar = 1`.
These are derived independently of :mod:`nonreciprocal.ensemble`: rate equations of a
few collective states, not a master equation.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import expm

__all__ = ["single_qubit_rate", "two_qubit_symmetric", "dicke_ladder"]


def single_qubit_rate(times, gamma0: float = 1.0) -> np.ndarray:
    r"""Emission rate :math:`\gamma_0 e^{-\gamma_0 t}` of an isolated excited qubit."""
    t = np.asarray(times, dtype=float)
    return gamma0 * np.exp(-gamma0 * t)


def _cascade(rate_in_total: float, rate_out: float, t: np.ndarray) -> np.ndarray:
    """p(t) solving p' = -rate_out p + rate_out e^{-rate_in_total t}, p(0) = 0."""
    if abs(rate_in_total - rate_out) < 1e-12:
        return rate_out * t * np.exp(-rate_out * t)
    return rate_out * (np.exp(-rate_out * t) - np.exp(-rate_in_total * t)) / (rate_in_total - rate_out)


def two_qubit_symmetric(times, gamma0: float = 1.0, gamma_s: float = 0.0):
    r"""Two qubits with :math:`\gamma_{12} = \gamma^s` real and no antisymmetric couplings, from :math:`|ee\rangle`.

    The fully excited state decays at :math:`2\gamma_0` into the singlet
    (rate :math:`\Gamma_1 = \gamma_0 - \gamma^s`) and the triplet
    (:math:`\Gamma_2 = \gamma_0 + \gamma^s`), which decay at those rates
    (Li & Flebus Eq. 20). A symmetric :math:`J^s_{12}` shifts the two states but
    moves no population, so it does not enter.

    Returns
    -------
    dict
        ``rho_EE``, ``rho_11`` (singlet), ``rho_22`` (triplet) and ``rate`` (the
        emission rate of each qubit, equal by symmetry), each shaped like ``times``.
    """
    if not -gamma0 <= gamma_s <= gamma0:
        raise ValueError(f"|gamma_s| must not exceed gamma0 (Gamma positive semidefinite), got {gamma_s}")
    t = np.asarray(times, dtype=float)
    G1, G2 = gamma0 - gamma_s, gamma0 + gamma_s
    rho_EE = np.exp(-2 * gamma0 * t)
    rho_11 = _cascade(2 * gamma0, G1, t)
    rho_22 = _cascade(2 * gamma0, G2, t)
    total = 2 * gamma0 * rho_EE + G1 * rho_11 + G2 * rho_22  # -d/dt (2 rho_EE + rho_11 + rho_22)
    return {"rho_EE": rho_EE, "rho_11": rho_11, "rho_22": rho_22, "rate": total / 2}


def dicke_ladder(times, n: int, gamma0: float = 1.0):
    r"""Dicke super-radiance of N qubits with :math:`\gamma_{\alpha\beta} = \gamma_0` for all pairs.

    From the fully excited state the ensemble stays in the symmetric Dicke states
    with m excitations; m decays to m-1 at the rate :math:`\gamma_0\, m (N - m + 1)`
    (Dicke 1954). The ladder's rate equations are solved exactly (matrix exponential).

    Returns
    -------
    dict
        ``total_rate`` (photons per unit time), ``excitations`` (mean number of
        excitations) and ``p`` (shape (N+1, T), probability of m excitations).
    """
    if int(n) != n or n < 1:
        raise ValueError(f"n must be a positive integer, got {n}")
    n = int(n)
    t = np.asarray(times, dtype=float)
    m = np.arange(n + 1)
    down = gamma0 * m * (n - m + 1)
    A = np.diag(-down) + np.diag(down[1:], k=1)  # dp_m/dt = -down_m p_m + down_{m+1} p_{m+1}
    p0 = np.zeros(n + 1)
    p0[n] = 1.0
    if t.ndim != 1 or t.size == 0:
        raise ValueError("times must be a non-empty 1-D array")
    steps = np.diff(t)
    if t.size > 2 and np.allclose(steps, steps[0], rtol=1e-12, atol=0):
        # uniform grid: one exact step propagator, applied repeatedly
        step = expm(A * steps[0])
        p = np.empty((n + 1, t.size))
        p[:, 0] = expm(A * t[0]) @ p0
        for j in range(1, t.size):
            p[:, j] = step @ p[:, j - 1]
    else:
        p = np.column_stack([expm(A * ti) @ p0 for ti in t])
    return {"total_rate": down @ p, "excitations": m @ p, "p": p}
