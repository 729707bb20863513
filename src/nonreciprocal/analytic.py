r"""Closed forms that the master-equation solvers are checked against.

All rates are in the units of :math:`\gamma_0` (times in :math:`1/\gamma_0`), :math:`\hbar = 1`.
These are derived independently of :mod:`nonreciprocal.ensemble`: rate equations of a
few collective states, not a master equation.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import expm

__all__ = [
    "single_qubit_rate",
    "two_qubit_symmetric",
    "dicke_ladder",
    "dicke_burst",
    "averaged_logistic_pulse",
    "dicke_delay_limit",
    "initial_rate_slopes",
]


def _check_gamma0(gamma0) -> None:
    if not gamma0 > 0:
        raise ValueError(f"gamma0 must be positive, got {gamma0}")


def single_qubit_rate(times, gamma0: float = 1.0) -> np.ndarray:
    r"""Emission rate :math:`\gamma_0 e^{-\gamma_0 t}` of an isolated excited qubit.

    Raises ``ValueError`` unless ``gamma0 > 0``.
    """
    _check_gamma0(gamma0)
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
    _check_gamma0(gamma0)
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
    _check_gamma0(gamma0)
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


def _ladder_generator(n: int):
    """Sparse generator of the Dicke ladder in the scaled time tau = N gamma0 t, and its rates."""
    import scipy.sparse as sp

    m = np.arange(n + 1)
    down = m * (n - m + 1.0) / n  # rates of m -> m-1 in units of N gamma0
    return sp.diags([-down, down[1:]], [0, 1], format="csc"), down


def dicke_burst(n: int, x=None, *, gamma0: float = 1.0, rtol: float = 1e-10, atol: float = 1e-13):
    r"""Peak and shape of the Dicke burst of N qubits, for N up to ~10^4.

    The same ladder as :func:`dicke_ladder` (m excitations decay at
    :math:`\gamma_0 m(N-m+1)`, start at m = N), integrated in the scaled time
    :math:`\tau = N\gamma_0 t` with an implicit Runge-Kutta method (Radau, sparse
    Jacobian) instead of a dense matrix exponential. The peak is located where
    :math:`d\mathcal R_{\rm tot}/dt = 0` changes sign from + to -, by root finding.

    Parameters
    ----------
    n : int
        Number of qubits (>= 2).
    x : array_like, optional
        Shifted scaled times :math:`x = N\gamma_0 t - \ln N` at which to return the rate.
    gamma0 : float
        Single-qubit decay rate (> 0).
    rtol, atol : float
        Tolerances of the integration (of the probabilities of the ladder).

    Returns
    -------
    dict
        ``peak`` (largest total rate, in units of ``gamma0``), ``t_peak`` (its time, in
        ``1/gamma0``) and, if ``x`` is given, ``total_rate`` at those times.
    """
    from scipy.integrate import solve_ivp

    if int(n) != n or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n}")
    if not gamma0 > 0:
        raise ValueError(f"gamma0 must be positive, got {gamma0}")
    n = int(n)
    A, down = _ladder_generator(n)
    slope = A.T @ down  # d R / d tau = slope . p

    def turning(_tau, p):
        return slope @ p

    turning.direction = -1
    tau_x = None
    end = np.log(n) + 8.0
    if x is not None:
        tau_x = np.log(n) + np.asarray(x, dtype=float)
        if tau_x.ndim != 1 or np.any(tau_x < 0) or np.any(np.diff(tau_x) <= 0):
            raise ValueError("x must be increasing with N gamma0 t = ln N + x >= 0")
        end = max(end, tau_x[-1])
    p0 = np.zeros(n + 1)
    p0[n] = 1.0
    sol = solve_ivp(lambda _t, p: A @ p, (0.0, end), p0, method="Radau", jac=A, rtol=rtol, atol=atol,
                    events=turning, t_eval=tau_x)
    if not sol.success:
        raise RuntimeError(f"ladder integration failed: {sol.message}")
    rates = sol.y_events[0] @ down
    if rates.size == 0:
        raise RuntimeError("no maximum of the total rate found")
    j = int(np.argmax(rates))
    out = {"peak": gamma0 * n * rates[j], "t_peak": sol.t_events[0][j] / (n * gamma0)}
    if tau_x is not None:
        out["total_rate"] = gamma0 * n * (down @ sol.y)
    return out


def averaged_logistic_pulse(x):
    r"""Large-N Dicke burst, :math:`\mathcal R_{\rm tot}/(N^2\gamma_0/4)`, at :math:`x = N\gamma_0 t - \ln N`.

    A deterministic logistic pulse :math:`\mathrm{sech}^2[(x + \ln W)/2]` averaged over the
    random start :math:`W`, exponentially distributed with mean 1:

    .. math::

        f(x) = \int_0^\infty e^{-w}\, \frac{4 w e^x}{(1 + w e^x)^2}\, dw .

    Parameters
    ----------
    x : float or array_like
        Shifted scaled time(s).

    Returns
    -------
    float or ndarray
        :math:`f(x)`, shaped like ``x``.
    """
    from scipy.integrate import quad

    xs = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(xs)):
        raise ValueError("x must be finite")

    def one(xi):
        u = np.exp(xi)
        return quad(lambda w: np.exp(-w) * 4 * w * u / (1 + w * u) ** 2, 0, np.inf,
                    epsabs=1e-13, epsrel=1e-12, limit=200)[0]

    out = np.vectorize(one)(xs)
    return float(out) if out.ndim == 0 else out


def dicke_delay_limit():
    r"""Peak height and position of :func:`averaged_logistic_pulse` (the N -> infinity Dicke burst).

    Returns
    -------
    dict
        ``ratio``: the peak of :math:`\mathcal R_{\rm tot}` over :math:`N^2\gamma_0/4`;
        ``offset``: :math:`x^*`, with :math:`N\gamma_0 t_{\rm peak} = \ln N + x^*`;
        ``mean_delay_offset``: Euler's constant, the mean of :math:`-\ln W`
        (the mean delay of a single pulse is :math:`(\ln N + 0.5772)/(N\gamma_0)`).
    """
    from scipy.optimize import minimize_scalar

    best = minimize_scalar(lambda xi: -averaged_logistic_pulse(xi), bracket=(-1.0, 0.3, 2.0),
                           tol=1e-10)
    return {"ratio": -best.fun, "offset": best.x, "mean_delay_offset": np.euler_gamma}


def initial_rate_slopes(J, Gamma) -> np.ndarray:
    r"""Initial slopes :math:`d\mathcal R_\alpha/dt` at t = 0 from the fully excited state.

    At :math:`|e\cdots e\rangle` every coherence :math:`C_{\alpha\beta} =
    \langle\sigma^+_\alpha\sigma^-_\beta\rangle` vanishes and the jump term creates
    :math:`\dot C_{\alpha\beta}(0) = \gamma_{\beta\alpha}` (the Hamiltonian and the
    anticommutator give nothing there), while every population falls at
    :math:`\gamma_{\alpha\alpha}`. Differentiating
    :math:`\mathcal R_\alpha = \gamma_{\alpha\alpha}n_\alpha + \sum_{\beta\ne\alpha}
    {\rm Re}[i(J_{\alpha\beta} - i\gamma_{\alpha\beta})C_{\alpha\beta}]` gives

    .. math::

        \mathcal R_\alpha'(0) = -\gamma_{\alpha\alpha}^2 + \sum_{\beta\ne\alpha}
        \left[|\gamma_{\alpha\beta}|^2 - {\rm Im}(J_{\alpha\beta}\gamma_{\beta\alpha})\right].

    Summed over :math:`\alpha` the J terms cancel:
    :math:`\mathcal R_{\rm tot}'(0) = \sum_{\alpha\ne\beta}|\gamma_{\alpha\beta}|^2
    - \sum_\alpha\gamma_{\alpha\alpha}^2`.

    Parameters
    ----------
    J, Gamma : array_like, shape (N, N)
        Hermitian coherent and dissipative couplings (as for ``QubitEnsemble``).

    Returns
    -------
    ndarray, shape (N,)
        :math:`\mathcal R_\alpha'(0)` in units of the couplings squared.
    """
    J = np.asarray(J, dtype=complex)
    G = np.asarray(Gamma, dtype=complex)
    if J.ndim != 2 or J.shape[0] != J.shape[1] or G.shape != J.shape:
        raise ValueError(f"J and Gamma must be square and of the same shape, got {J.shape}, {G.shape}")
    if not (np.allclose(J, J.conj().T) and np.allclose(G, G.conj().T)):
        raise ValueError("J and Gamma must be Hermitian")
    diag = np.diag(G).real
    off = ~np.eye(J.shape[0], dtype=bool)
    pair = np.where(off, np.abs(G) ** 2 - (J * G.T).imag, 0.0)
    return -diag**2 + pair.sum(axis=1)
