r"""A chiral ferromagnetic film as a bath for an array of NV centres (Li & Flebus Sec. V).

The film's spin waves have the non-reciprocal dispersion (Eq. 45, frequencies in Hz)

.. math:: f_F(\mathbf k) = J k^2 - 2 D k_x + \Delta, \qquad \mathbf k \text{ in units of } 1/a,

with :math:`J = \rho_s / a^2` and :math:`k_0 = D/J`. An NV centre at
:math:`f_q = \Delta_0 - \tilde\gamma B_0` couples to the resonant magnons on the ring
:math:`|\mathbf k - k_0\hat x| = k_1`, :math:`k_1^2 = k_0^2 + (f_q - \Delta)/J`. In the limit
:math:`e^{d/\lambda_1}\to 1` the couplings between qubits a distance
:math:`x_{\alpha\beta}` apart are (Eqs. 48-49, :math:`\lambda_{0,1} = a/k_{0,1}`)

.. math::

    \gamma_{\alpha\beta}/\gamma_0 = e^{i x_{\alpha\beta}/\lambda_0}\left[J_0(x_{\alpha\beta}/\lambda_1)
        + i c\, J_1(x_{\alpha\beta}/\lambda_1)\right], \qquad
    J_{\alpha\beta}/\gamma_0 = e^{i x_{\alpha\beta}/\lambda_0}\left[Y_0(|x_{\alpha\beta}|/\lambda_1)
        + i c\,\mathrm{sgn}(x_{\alpha\beta}) Y_1(|x_{\alpha\beta}|/\lambda_1)\right],

with :math:`c = 2\lambda_0\lambda_1/(\lambda_0^2 + \lambda_1^2)`. Readings of the transcribed
equations fixed here (see the Li & Flebus chapter):

* Eq. (47) must read :math:`\Omega = (\mathbf k - k_0\hat x)^2 - k_1^2` (a resonant ring; with
  ``+ k_1^2`` the delta function of Eq. 46 never fires and there is no dissipation).
* The film gap at the field is :math:`\Delta(B_0) = \Delta(0) + \gamma B_0`.
* :math:`x_{\alpha\beta} = x_\alpha - x_\beta`, signed; :math:`Y_{0,1}` are continued as an even
  and an odd function so that :math:`J` is Hermitian, as :math:`J_{0,1}` are for :math:`\Gamma`.
* The on-site :math:`J_{\alpha\alpha}` (a divergent Lamb shift) is dropped, as in Eq. (5).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import j0, j1, y0, y1

__all__ = ["FerromagneticFilm", "film_couplings", "kspace_kernels", "initial_slope_total_rate",
           "edge_signal", "gamma0_rate", "scaling_row", "peak_summary", "trajectory_row", "K0_CONTINUUM_MAX"]


@dataclass(frozen=True)
class FerromagneticFilm:
    """YIG-like film and NV array of Li & Flebus Sec. V (SI units, frequencies in Hz).

    Attributes
    ----------
    B0_G : float
        Field along the NV axis, in gauss (400 G).
    f_gap0_Hz : float
        Zero-field magnon gap :math:`\\Delta(B_0 = 0)` (0.55 GHz).
    rho_s_Hz_m2 : float
        Spin stiffness :math:`\\rho_s` (7.7e-6 Hz m^2).
    a_m : float
        Film lattice constant (1.2 nm).
    a_q_m : float
        Spacing of the NV centres (20 nm).
    f_nv_zero_field_Hz : float
        NV zero-field splitting :math:`\\Delta_0` (2.87 GHz).
    gyro_nv_Hz_per_G, gyro_film_Hz_per_G : float
        Gyromagnetic ratios :math:`\\tilde\\gamma/2\\pi` and :math:`\\gamma/2\\pi` (2.8 MHz/G, g = 2).
    """

    B0_G: float = 400.0
    f_gap0_Hz: float = 0.55e9
    rho_s_Hz_m2: float = 7.7e-6
    a_m: float = 1.2e-9
    a_q_m: float = 20e-9
    f_nv_zero_field_Hz: float = 2.87e9
    gyro_nv_Hz_per_G: float = 2.8e6
    gyro_film_Hz_per_G: float = 2.8e6

    def __post_init__(self):
        for name in ("B0_G", "rho_s_Hz_m2", "a_m", "a_q_m", "f_nv_zero_field_Hz", "gyro_nv_Hz_per_G", "gyro_film_Hz_per_G"):
            value = getattr(self, name)
            if not np.isfinite(value) or value <= 0:
                raise ValueError(f"{name} must be positive and finite, got {value}")
        if self.f_gap0_Hz < 0:
            raise ValueError(f"f_gap0_Hz must be non-negative, got {self.f_gap0_Hz}")
        if self.f_qubit_Hz <= 0:
            raise ValueError(f"the NV transition {self.f_qubit_Hz:.3g} Hz is not positive at B0 = {self.B0_G} G")
        if self.f_qubit_Hz <= self.f_gap_Hz:
            raise ValueError(
                f"the NV transition ({self.f_qubit_Hz / 1e9:.4g} GHz) lies below the magnon gap "
                f"({self.f_gap_Hz / 1e9:.4g} GHz): no resonant magnons, no correlated decay"
            )

    @property
    def f_qubit_Hz(self) -> float:
        """NV transition :math:`f_q = \\Delta_0 - \\tilde\\gamma B_0` (Hz)."""
        return self.f_nv_zero_field_Hz - self.gyro_nv_Hz_per_G * self.B0_G

    @property
    def f_gap_Hz(self) -> float:
        """Magnon gap at the field, :math:`\\Delta(B_0) = \\Delta(0) + \\gamma B_0` (Hz)."""
        return self.f_gap0_Hz + self.gyro_film_Hz_per_G * self.B0_G

    @property
    def J_Hz(self) -> float:
        """Exchange :math:`J = \\rho_s / a^2` (Hz), the scale of Eq. (45) with k in units of 1/a."""
        return self.rho_s_Hz_m2 / self.a_m**2

    def k1(self, k0):
        """Radius :math:`k_1 = \\sqrt{k_0^2 + (f_q - \\Delta)/J}` of the resonant ring (units of 1/a)."""
        k0 = np.asarray(k0, dtype=float)
        return np.sqrt(k0**2 + (self.f_qubit_Hz - self.f_gap_Hz) / self.J_Hz)

    def lambdas_m(self, k0):
        """Characteristic lengths :math:`(\\lambda_0, \\lambda_1) = (a/k_0, a/k_1)` in metres (:math:`\\lambda_0 = \\infty` at k0 = 0)."""
        k0 = np.asarray(k0, dtype=float)
        lam0 = np.where(k0 == 0, np.inf, self.a_m / np.where(k0 == 0, 1.0, k0))  # signed: k0 < 0 mirrors the bath
        return lam0, self.a_m / self.k1(k0)

    def couplings(self, k0: float, n: int):
        """(J, Gamma) in units of :math:`\\gamma_0` for ``n`` NV centres spaced ``a_q_m`` apart (Eqs. 48-49)."""
        if int(n) != n or n < 1:
            raise ValueError(f"n must be a positive integer, got {n}")
        if not np.isfinite(k0):
            raise ValueError(f"k0 must be finite, got {k0}")
        lam0, lam1 = self.lambdas_m(k0)
        return film_couplings(np.arange(int(n)) * self.a_q_m, float(lam0), float(lam1))


def film_couplings(x_m, lambda0_m: float, lambda1_m: float):
    """Eqs. (48)-(49) of Li & Flebus for qubits at positions ``x_m`` (metres).

    Returns ``(J, Gamma)`` in units of :math:`\\gamma_0`; ``lambda0_m = inf`` is the reciprocal bath.
    """
    x = np.asarray(x_m, dtype=float)
    if x.ndim != 1:
        raise ValueError("x_m must be a 1-D array of positions")
    if not (lambda1_m > 0 and np.isfinite(lambda1_m)):
        raise ValueError(f"lambda1_m must be positive and finite, got {lambda1_m}")
    if lambda0_m == 0 or np.isnan(lambda0_m):
        raise ValueError(f"lambda0_m must be non-zero (use inf for a reciprocal bath), got {lambda0_m}")
    dx = x[:, None] - x[None, :]
    u = np.abs(dx) / lambda1_m
    sgn = np.sign(dx)
    c = 0.0 if np.isinf(lambda0_m) else 2 * lambda0_m * lambda1_m / (lambda0_m**2 + lambda1_m**2)
    phase = np.exp(1j * dx / lambda0_m)
    Gamma = phase * (j0(u) + 1j * c * sgn * j1(u))
    off = ~np.eye(x.size, dtype=bool)
    J = np.zeros_like(Gamma)
    J[off] = (phase * (y0(np.where(off, u, 1.0)) + 1j * c * sgn * y1(np.where(off, u, 1.0))))[off]
    return J, Gamma


def kspace_kernels(k0: float, k1: float, x: float, d: float = 0.0, q_max: float | None = None):
    r"""The two k-space integrals behind Eqs. (48)-(49), evaluated numerically (k in units of 1/a).

    With :math:`\mathbf k = k_0\hat x + q(\cos\phi, \sin\phi)`, :math:`\Omega = q^2 - k_1^2` and the
    weight :math:`w = k^2 e^{-2kd}` of Eq. (43):

    * ``D`` :math:`= \int d^2k\, w\, e^{i k_x x}\, \delta(\Omega) = \tfrac12\int_0^{2\pi} d\phi\, w\, e^{i k_x x}|_{q=k_1}`
      gives the dissipative couplings;
    * ``P`` :math:`= \mathrm{P.V.}\int d^2k\, w\, e^{i k_x x}/\Omega` gives the coherent ones.

    ``x`` is the signed separation and ``d`` the qubit-film distance, both in units of a.
    ``P`` needs ``d > 0``: it converges through :math:`e^{-2kd}`. As d -> 0 the integrals tend to
    ``D = pi (k0^2+k1^2) e^{i k0 x} [J0(k1|x|) + i c sgn(x) J1(k1|x|)]`` and
    ``P = -pi^2 (k0^2+k1^2) e^{i k0 x} [Y0 + i c sgn(x) Y1]`` with ``c = 2 k0 k1/(k0^2+k1^2)``.
    The angular integral uses the trapezoid rule (exact to rounding for a periodic integrand);
    the radial principal value subtracts the pole and uses Gauss-Legendre panels.
    """

    def angular(q):
        q = np.atleast_1d(np.asarray(q, dtype=float))
        m = int(2 * (np.abs(x) * q.max() + np.abs(x) * abs(k0) + 8 * q.max() * max(d, 0) + 40))
        phi = 2 * np.pi * np.arange(m) / m
        kx = k0 + q[:, None] * np.cos(phi)[None, :]
        k = np.hypot(kx, q[:, None] * np.sin(phi)[None, :])
        return (k**2 * np.exp(-2 * k * d) * np.exp(1j * kx * x)).mean(axis=1) * 2 * np.pi

    D = 0.5 * angular(k1)[0]
    if d <= 0:
        return D, None
    q_max = q_max if q_max is not None else k1 + 30.0 / d
    # P.V. int_0^Q q A(q)/(q^2 - k1^2) dq = int [q A(q) - k1 A(k1)]/(q^2 - k1^2) dq + k1 A(k1) ln|(Q-k1)/(Q+k1)|/(2 k1)
    A1 = angular(k1)[0]
    edges = np.unique(np.concatenate([np.linspace(0, 2 * k1, 9), np.arange(2 * k1, q_max, 0.05), [q_max]]))
    nodes, weights = np.polynomial.legendre.leggauss(16)
    lo, hi = edges[:-1], edges[1:]
    q = (0.5 * (hi - lo)[:, None] * nodes[None, :] + 0.5 * (hi + lo)[:, None]).ravel()
    w = (0.5 * (hi - lo)[:, None] * weights[None, :]).ravel()
    total = 0j
    for chunk in np.array_split(np.arange(q.size), max(1, q.size // 400)):
        qq = q[chunk]
        total += np.sum(w[chunk] * (qq * angular(qq) - k1 * A1) / (qq**2 - k1**2))
    P = total + A1 * np.log(abs((q_max - k1) / (q_max + k1))) / 2
    return D, P


# --------------------------------------------------------------------------- referee-pass helpers
#: Largest k0 (units of 1/a) at which the continuum model is used in the book: lambda_1 >= 3 a.
K0_CONTINUUM_MAX = 1.0 / 3.0


def initial_slope_total_rate(Gamma) -> float:
    r"""Initial slope :math:`d\mathcal R_{\rm tot}/dt` at t = 0 from the fully excited state.

    From the master equation (Li & Flebus Eqs. 1-3), :math:`\mathcal R_{\rm tot} =
    -d\langle\hat N\rangle/dt = \sum_{\alpha\beta}\gamma_{\alpha\beta}
    \langle\sigma^+_\alpha\sigma^-_\beta\rangle`, and from :math:`|E\rangle`,
    :math:`d\langle\sigma^+_\alpha\sigma^-_\beta\rangle/dt|_0 = \gamma_{\beta\alpha}` for
    :math:`\alpha\ne\beta` and :math:`-\gamma_{\alpha\alpha}` for :math:`\alpha = \beta`. Hence

    .. math:: \dot{\mathcal R}_{\rm tot}(0) = \sum_{\alpha\ne\beta}|\gamma_{\alpha\beta}|^2
              - \sum_\alpha \gamma_{\alpha\alpha}^2 .

    The coherent couplings J do not enter.

    Parameters
    ----------
    Gamma : array_like, shape (N, N)
        Hermitian dissipative couplings (in units of a rate; the result is in rate squared).

    Returns
    -------
    float
    """
    G = np.asarray(Gamma, dtype=complex)
    if G.ndim != 2 or G.shape[0] != G.shape[1]:
        raise ValueError(f"Gamma must be a square (N, N) array, got shape {G.shape}")
    if np.abs(G - G.conj().T).max() > 1e-10 * max(1.0, np.abs(G).max()):
        raise ValueError("Gamma must be Hermitian")
    diag = np.real(np.diag(G))
    off = np.abs(G) ** 2
    return float(off.sum() - np.sum(diag**2) - np.sum(diag**2))


def edge_signal(populations, m: int):
    r"""Edge sub-ensemble readout: signal and projection-noise variance per repetition.

    The signal is :math:`S(t) = \sum_{\alpha\le m} n_\alpha - \sum_{\alpha > N-m} n_\alpha`
    (excited populations of the ``m`` leftmost minus the ``m`` rightmost qubits). Each qubit
    read out projectively gives 0 or 1; neglecting correlations between the qubits, the
    variance of one repetition is :math:`\sum_{\alpha\in L\cup R} n_\alpha(1-n_\alpha)`.

    Parameters
    ----------
    populations : array_like, shape (N, T)
        :math:`\langle\sigma^+_\alpha\sigma^-_\alpha\rangle(t)`.
    m : int
        Size of each edge sub-ensemble, ``1 <= m <= N // 2``.

    Returns
    -------
    signal, variance : ndarray, shape (T,)
    """
    n = np.asarray(populations, dtype=float)
    if n.ndim != 2:
        raise ValueError("populations must have shape (N, T)")
    if int(m) != m or not 1 <= m <= n.shape[0] // 2:
        raise ValueError(f"m must be an integer in 1..{n.shape[0] // 2}, got {m}")
    m = int(m)
    left, right = n[:m], n[-m:]
    signal = left.sum(axis=0) - right.sum(axis=0)
    variance = (left * (1 - left)).sum(axis=0) + (right * (1 - right)).sum(axis=0)
    return signal, variance


def gamma0_rate(k0: float, film: "FerromagneticFilm | None" = None, *, d_m: float = 0.0,
                M_s_A_per_m: float = 1.4e5, thickness_m: float = 20e-9) -> float:
    r"""Decay rate :math:`\gamma_0` (1/s) of one NV centre above the film, golden rule at T = 0.

    A magnon of in-plane wave vector :math:`\mathbf k` in a thin film (:math:`kt_F \ll 1`)
    magnetised out of plane has the stray field :math:`|B_\parallel| = \tfrac{\mu_0 t_F}{2} k
    e^{-kd}|m_\parallel|` at height d; Holstein-Primakoff with the angular-momentum density
    :math:`s = M_s/\gamma` gives :math:`|\langle 1_k|m_\parallel|0\rangle|^2 = \gamma^2\hbar s
    /(2 A t_F)`. The NV transition :math:`m_s = -1 \to 0` has :math:`|\langle 0|S^+|-1\rangle|^2
    = 2`, so the coupling is :math:`(\tilde\gamma/\sqrt2) B^-\sigma^-`. With the dispersion of
    Eq. (45), :math:`\omega = 2\pi\rho_s[(\mathbf k - k_0\hat x)^2 - k_1^2] + \omega_q` (k in 1/m),

    .. math:: \gamma_0 = \frac{\tilde\gamma^2\mu_0^2\gamma^2\hbar s t_F}{128\pi^2\rho_s}
              \int_0^{2\pi}\! d\phi\; k^2 e^{-2kd}\Big|_{|\mathbf k - k_0\hat x| = k_1}
              \;\xrightarrow{d\to 0}\; \frac{\tilde\gamma^2\mu_0^2\gamma^2\hbar s t_F}{64\pi\rho_s}
              (k_0^2 + k_1^2).

    Parameters
    ----------
    k0 : float
        Non-reciprocity D/J in units of 1/a.
    film : FerromagneticFilm, optional
        Film and NV parameters (default: the paper's).
    d_m : float
        NV-film distance in metres (>= 0).
    M_s_A_per_m : float
        Saturation magnetisation of the film (YIG at room temperature: 1.4e5 A/m).
    thickness_m : float
        Film thickness t_F (20 nm).

    Returns
    -------
    float
        :math:`\gamma_0` in 1/s.
    """
    from scipy.constants import hbar, mu_0

    film = FerromagneticFilm() if film is None else film
    for name, value in (("d_m", d_m), ("M_s_A_per_m", M_s_A_per_m), ("thickness_m", thickness_m)):
        if not np.isfinite(value) or value < 0 or (name != "d_m" and value == 0):
            raise ValueError(f"{name} must be {'non-negative' if name == 'd_m' else 'positive'}, got {value}")
    if not np.isfinite(k0):
        raise ValueError(f"k0 must be finite, got {k0}")
    gyro_nv = 2 * np.pi * film.gyro_nv_Hz_per_G * 1e4  # rad / (s T)
    gyro_f = 2 * np.pi * film.gyro_film_Hz_per_G * 1e4
    s = M_s_A_per_m / gyro_f  # angular-momentum density, J s / m^3
    k1 = float(film.k1(k0))
    D, _ = kspace_kernels(k0, k1, 0.0, d=d_m / film.a_m)  # (1/2) int dphi k^2 e^{-2kd}, k in 1/a
    angular = 2 * D.real / film.a_m**2  # int dphi k^2 e^{-2kd}, k in 1/m
    pref = gyro_nv**2 * mu_0**2 * gyro_f**2 * hbar * s * thickness_m / (128 * np.pi**2 * film.rho_s_Hz_m2)
    return float(pref * angular)


def scaling_row(film: "FerromagneticFilm", k0: float, n: int, times):
    r"""Asymmetry, burst and edge-readout numbers of ``n`` NV centres at ``k0``, fully excited start.

    Parameters
    ----------
    film : FerromagneticFilm
    k0 : float
        Non-reciprocity (units of 1/a).
    n : int
        Number of qubits (>= 2).
    times : array_like
        Time grid in units of :math:`1/\gamma_0`, starting at 0.

    Returns
    -------
    dict
        ``max_abs_delta`` and ``t_at_max`` (:math:`\max_t|\delta_{1,N}|` and where),
        ``peak_total_rate`` (:math:`\max_t \mathcal R_{\rm tot}`), and for edge sub-ensembles of
        ``m = max(1, n // 3)`` qubits (:func:`edge_signal`): ``max_abs_signal`` and
        ``t_at_signal`` at the time that needs the fewest ``repetitions`` for signal-to-noise 1.
    """
    from .ensemble import QubitEnsemble

    if int(n) != n or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n}")
    t = np.asarray(times, dtype=float)
    res = QubitEnsemble(*film.couplings(k0, int(n))).emission(t)
    peaks = peak_summary(res)
    m = max(1, int(n) // 3)
    signal, var = edge_signal(res.populations, m)
    reps = np.full(t.size, np.inf)
    ok = np.abs(signal) > 1e-12
    reps[ok] = var[ok] / signal[ok] ** 2
    j = int(np.argmin(reps))
    return {"N": int(n), "k0": float(k0), "max_abs_delta": peaks["max_abs_delta"], "t_at_max": peaks["t_at_max"],
            "peak_total_rate": peaks["peak_total_rate"], "m": m, "max_abs_signal": float(abs(signal[j])),
            "t_at_signal": float(t[j]), "repetitions": float(reps[j])}


def peak_summary(res) -> dict:
    r"""The asymmetry peak :math:`\max_t|\delta_{1,N}|` and the burst :math:`\max_t\mathcal R_{\rm tot}` of a result.

    Returns ``max_abs_delta``, ``t_at_max``, ``peak_total_rate``, ``t_at_peak`` and, for
    trajectories, the standard errors ``max_abs_delta_err`` and ``peak_total_rate_err`` at
    those times (NaN for the exact solvers). On a noisy estimate the maximum over the grid
    is biased upwards, by up to about one standard error.
    """
    t = res.times
    delta = np.abs(res.asymmetry())
    i = int(delta.argmax())
    total = res.total_rate
    j = int(total.argmax())
    d_err, t_err = res.asymmetry_err(), res.total_rate_err
    return {"max_abs_delta": float(delta[i]), "t_at_max": float(t[i]),
            "max_abs_delta_err": float("nan") if d_err is None else float(d_err[i]),
            "peak_total_rate": float(total[j]), "t_at_peak": float(t[j]),
            "peak_total_rate_err": float("nan") if t_err is None else float(t_err[j])}


def trajectory_row(film: "FerromagneticFilm", k0: float, n: int, times, *, ntraj: int, seed: int, n_jobs=None,
                   client=None, progress=False) -> dict:
    r"""The asymmetry peak and the burst of ``n`` NV centres at ``k0`` from quantum trajectories.

    Fully excited start; ``ntraj`` trajectories with ``seed`` (see
    :mod:`nonreciprocal.solvers.trajectories`), on the local cores (``n_jobs``) or a Dask
    ``client``. Returns ``N``, ``k0``, ``ntraj``, ``seed`` and the entries of
    :func:`peak_summary` with their standard errors. The same arguments give the same
    numbers bit for bit, wherever they run.
    """
    from .ensemble import QubitEnsemble

    if int(n) != n or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n}")
    ens = QubitEnsemble(*film.couplings(k0, int(n)))
    res = ens.emission(np.asarray(times, dtype=float), method="trajectories", ntraj=ntraj, seed=seed,
                       n_jobs=n_jobs, client=client, progress=progress)
    return {"N": int(n), "k0": float(k0), "ntraj": int(ntraj), "seed": int(seed), **peak_summary(res)}
