r"""Two ferromagnetic layers with a light-induced non-reciprocal coupling (Hanai, Ootsuki & Tazai, Eq. 8).

The in-plane magnetizations :math:`\mathbf m_{A,B}` obey the phenomenological mean-field dynamics

.. math::

    \dot{\mathbf m}_A &= \alpha_A\left[-k_BT\,\mathbf m_A + \left(1 - \frac{h_A^2}{3(k_BT)^2}\right)\mathbf h_A\right],\\
    \dot{\mathbf m}_B &= \alpha_B\left[-k_BT\,\mathbf m_B + \left(1 - \frac{h_B^2}{3(k_BT)^2}\right)\mathbf h_B\right]
        - \gamma_B n\,\mathbf m_B - \Omega_{BA}\mathbf m_A,

with :math:`\mathbf h_a = \sum_b j_{ab}\mathbf m_b` and :math:`\Omega_{BA} = (\gamma_B/|g_B|)\,j_{AB}`.
Energies are in meV and time in :math:`\hbar`/meV. The equations are invariant under a global
rotation, so the phases are found two ways:

* **direct integration** of Eq. (8) from random initial conditions, many trajectories at once
  (:meth:`LayeredFerromagnet.long_time_state`);
* **fixed points** of the reduced dynamics in the frame that rotates with :math:`\mathbf m_A`:
  with :math:`a = |\mathbf m_A|` and :math:`w = (m_B^x + i m_B^y)e^{-i\varphi_A}`, a static state is a
  fixed point with :math:`\mathrm{Im}\,w = 0`, and a chiral (uniformly rotating) state one with
  :math:`\mathrm{Im}\,w \neq 0`, rotating at :math:`\omega = \dot\varphi_A`
  (:meth:`LayeredFerromagnet.fixed_points`, :func:`phase_diagram`).

Each fixed point carries the eigenvalues and eigenvectors of the linearization of Eq. (8)
(4 x 4, in the frame co-rotating with a chiral state), so the Goldstone mode and the mode
that coalesces with it at the non-reciprocal transition can be followed.

``mean_field="tanh"`` replaces the Ginzburg-Landau cubic :math:`(1 - h^2/3(k_BT)^2)\,\mathbf h`
by its untruncated form :math:`k_BT\tanh(|\mathbf h|/k_BT)\,\hat{\mathbf h}` (Brillouin
function of spin 1/2, whose Taylor series to third order is the cubic of Eq. (8)).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from scipy.integrate import solve_ivp
from scipy.sparse import block_diag

__all__ = ["LayeredFerromagnet", "LongTimeState", "FixedPoint", "phase_diagram", "PHASES", "MEAN_FIELDS"]

PHASES = ("aligned", "antialigned", "chiral", "disordered")
_ORDER_TOL = 1e-3  # |m| below this is "no order"
_ANGLE_TOL = 1e-3  # |sin(delta phi)| below this is collinear
_ZERO = 1e-9  # a collinear m_B smaller than this has no direction
MEAN_FIELDS = ("cubic", "tanh")
_ROT = np.array([[0.0, -1.0], [1.0, 0.0]])  # generator of in-plane rotations


@dataclass(frozen=True)
class LongTimeState:
    """Long-time state of Eq. (8): phase, angle difference in [0, pi], magnitudes, rotation rate (meV/hbar).

    ``delta_phi`` is NaN when the angle is undefined (disordered phase, or m_B = 0).
    """

    phase: str
    delta_phi: float
    m_A: float
    m_B: float
    omega: float
    spread: dict = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class FixedPoint:
    r"""A stationary or uniformly rotating solution of Eq. (8) and its linear stability.

    Attributes
    ----------
    phase : str
        One of :data:`PHASES`.
    m_A, m_B : float
        Magnitudes of the two magnetizations.
    delta_phi : float
        :math:`|\varphi_A - \varphi_B|` in [0, pi]; NaN where it is undefined (disordered
        phase, or :math:`\mathbf m_B = 0`).
    omega : float
        Rotation rate :math:`|\dot\varphi_A|` (meV/hbar); 0 for static states.
    stable : bool
        Linearly stable (largest growth rate of the reduced dynamics <= 0).
    max_growth : float
        Largest real part of the eigenvalues of the reduced (3 x 3) dynamics.
    state : ndarray, shape (4,)
        (m_A^x, m_A^y, m_B^x, m_B^y) in the co-rotating frame, with m_A along x.
    eigenvalues : ndarray, shape (4,), complex
        Eigenvalues of the linearization of Eq. (8) at ``state`` in the frame rotating with the
        state (meV/hbar), sorted by decreasing real part. One of them is the Goldstone zero mode
        of the rotation symmetry (for ordered states).
    eigenvectors : ndarray, shape (4, 4), complex
        The matching right eigenvectors (columns, unit norm).
    """

    phase: str
    m_A: float
    m_B: float
    delta_phi: float
    omega: float
    stable: bool
    max_growth: float
    state: np.ndarray = field(default=None, repr=False, compare=False)
    eigenvalues: np.ndarray = field(default=None, repr=False, compare=False)
    eigenvectors: np.ndarray = field(default=None, repr=False, compare=False)

    @property
    def goldstone(self):
        """Unit vector of an infinitesimal global rotation of ``state`` (None for m = 0)."""
        v = (np.kron(np.eye(2), _ROT) @ self.state) if self.state is not None else None
        if v is None or np.linalg.norm(v) == 0:
            return None
        return v / np.linalg.norm(v)


@dataclass(frozen=True)
class LayeredFerromagnet:
    """Mean-field model of two ferromagnetic layers A and B, light on layer B (Hanai et al. Eq. 8).

    Parameters (energies in meV): ``j_AA``, ``j_BB``, ``j_AB`` the intra- and interlayer couplings;
    ``alpha_A``, ``alpha_B`` the Gilbert damping rates (> 0); ``g_B`` the sd coupling of layer B
    (non-zero); ``n`` the filling (> 0); ``kT`` the temperature :math:`k_BT` (> 0);
    ``mean_field`` "cubic" (Eq. 8 as printed) or "tanh" (its untruncated Brillouin form).
    """

    j_AA: float = 10.0
    j_BB: float = 5.0
    j_AB: float = 5.0
    alpha_A: float = 0.1
    alpha_B: float = 2e-3
    g_B: float = -10.0
    n: float = 1.0
    kT: float = 9.0
    mean_field: str = "cubic"

    def __post_init__(self):
        if self.mean_field not in MEAN_FIELDS:
            raise ValueError(f"mean_field must be one of {MEAN_FIELDS}, got {self.mean_field!r}")
        for name in ("j_AA", "j_BB", "j_AB", "alpha_A", "alpha_B", "g_B", "n", "kT"):
            if not np.isfinite(getattr(self, name)):
                raise ValueError(f"{name} must be finite, got {getattr(self, name)}")
        if self.alpha_A <= 0 or self.alpha_B <= 0:
            raise ValueError(f"the Gilbert damping rates must be positive, got alpha_A={self.alpha_A}, alpha_B={self.alpha_B}")
        if self.kT <= 0:
            raise ValueError(f"the temperature kT must be positive (meV), got {self.kT}")
        if self.n <= 0:
            raise ValueError(f"the filling n must be positive, got {self.n}")
        if self.g_B == 0:
            raise ValueError("g_B must be non-zero (Omega_BA = gamma_B j_AB / |g_B|)")

    def with_(self, **changes) -> "LayeredFerromagnet":
        """A copy with some parameters changed."""
        return replace(self, **changes)

    def gamma_ratio(self, gamma_B):
        """:math:`\\gamma_B/(\\alpha_B|g_B|)`, the ratio at which the paper quotes its phases."""
        return np.asarray(gamma_B) / (self.alpha_B * abs(self.g_B))

    def _check_gamma(self, gamma_B):
        g = np.asarray(gamma_B, dtype=float)
        if not np.all(np.isfinite(g)) or np.any(g < 0):
            raise ValueError(f"gamma_B must be a non-negative rate (meV), got {gamma_B}")
        return g

    # ------------------------------------------------------------------ Eq. (8)
    def _sat(self, h2):
        """Saturation factor c(h^2) with f(h) = c h: 1 - h^2/3T^2 (cubic) or T tanh(h/T)/h."""
        T = self.kT
        if self.mean_field == "cubic":
            return 1 - h2 / (3 * T * T)
        x = np.sqrt(np.asarray(h2, dtype=float)) / T
        small = x < 1e-4
        xs = np.where(small, 1.0, x)
        return np.where(small, 1 - x * x / 3, np.tanh(xs) / xs)

    def _dsat(self, h2):
        """Derivative dc/d(h^2) of :meth:`_sat`."""
        T = self.kT
        if self.mean_field == "cubic":
            return np.full_like(np.asarray(h2, dtype=float), -1 / (3 * T * T))
        x = np.sqrt(np.asarray(h2, dtype=float)) / T
        small = x < 1e-3
        xs = np.where(small, 1.0, x)
        exact = (1 / np.cosh(xs) ** 2 / xs - np.tanh(xs) / xs**2) / (2 * T * T * xs)
        return np.where(small, (-1 / 3 + 2 * x * x / 15) / (T * T), exact)

    def rhs(self, mA, mB, gamma_B):
        """Right-hand side of Eq. (8) for arrays of 2-vectors (last axis x, y); returns (dm_A, dm_B)."""
        T = self.kT
        hA = self.j_AA * mA + self.j_AB * mB
        hB = self.j_AB * mA + self.j_BB * mB
        cA = self._sat((hA**2).sum(-1, keepdims=True))
        cB = self._sat((hB**2).sum(-1, keepdims=True))
        omega_BA = gamma_B / abs(self.g_B) * self.j_AB
        dA = self.alpha_A * (-T * mA + cA * hA)
        dB = self.alpha_B * (-T * mB + cB * hB) - gamma_B * self.n * mB - omega_BA * mA
        return dA, dB

    def trajectories(self, gamma_B, m0, t_eval, rtol=1e-8, atol=1e-11):
        """Integrate Eq. (8) for many initial conditions at once.

        ``m0`` has shape (K, 4): rows (m_A^x, m_A^y, m_B^x, m_B^y). Returns an array (K, 4, len(t_eval)).
        A stiff solver (BDF) with the block-diagonal Jacobian pattern keeps this fast.
        """
        g = float(self._check_gamma(gamma_B))
        m0 = np.atleast_2d(np.asarray(m0, dtype=float))
        if m0.shape[1] != 4:
            raise ValueError(f"initial conditions must have shape (K, 4), got {m0.shape}")
        k = m0.shape[0]

        def f(_t, y):
            m = y.reshape(k, 4)
            dA, dB = self.rhs(m[:, :2], m[:, 2:], g)
            return np.concatenate([dA, dB], axis=1).ravel()

        pattern = block_diag([np.ones((4, 4))] * k, format="csr")
        # BDF's step-size bookkeeping can transiently form inf - inf; the solution itself is checked below
        with np.errstate(invalid="ignore", over="ignore"):
            sol = solve_ivp(f, (0.0, float(t_eval[-1])), m0.ravel(), t_eval=t_eval, method="BDF", rtol=rtol, atol=atol,
                            jac_sparsity=pattern)
        if not sol.success:
            raise RuntimeError(f"integration of Eq. (8) failed: {sol.message}")
        if not np.all(np.isfinite(sol.y)):
            raise RuntimeError("integration of Eq. (8) produced non-finite magnetizations")
        return sol.y.reshape(k, 4, -1)

    def long_time_state(self, gamma_B, seed=0, n_initial=8, t_final=None):
        """Phase reached from ``n_initial`` random initial conditions (seeded), by direct integration.

        Returns a :class:`LongTimeState`; ``spread`` holds the largest differences between the
        trajectories, which measure the dependence on the initial condition.
        """
        g = float(self._check_gamma(gamma_B))
        rng = np.random.default_rng(seed)
        m0 = rng.uniform(-0.5, 0.5, size=(n_initial, 4))
        # slowest relaxation: alpha_B times the smallest energy scale, and 1/gamma; integrate many of them
        t_final = t_final or 60.0 / (self.alpha_B * min(self.kT, max(self.j_BB, 1.0)) + g * self.n)
        t_final = max(t_final, 4.0e3)
        y = self.trajectories(g, m0, np.array([0.0, 0.9 * t_final, t_final]))
        states = [self._classify(y[i, :, -1], g) for i in range(n_initial)]
        phases = {s.phase for s in states}
        phase = max(phases, key=lambda p: sum(s.phase == p for s in states))
        chosen = [s for s in states if s.phase == phase]
        angles = np.array([s.delta_phi for s in states])
        defined = angles[np.isfinite(angles)]
        spread = {
            "phases": sorted(phases),
            "m_A": float(np.ptp([s.m_A for s in states])),
            "m_B": float(np.ptp([s.m_B for s in states])),
            # the angle spread over the trajectories where it is defined (0 if it is nowhere)
            "delta_phi": float(np.ptp(defined)) if defined.size else 0.0,
            "abs_omega": float(np.ptp([abs(s.omega) for s in states])),
        }
        return LongTimeState(phase, float(np.mean([s.delta_phi for s in chosen])), float(np.mean([s.m_A for s in chosen])),
                             float(np.mean([s.m_B for s in chosen])), float(np.mean([abs(s.omega) for s in chosen])), spread)

    def _classify(self, m, gamma_B):
        mA, mB = m[:2], m[2:]
        a, b = np.linalg.norm(mA), np.linalg.norm(mB)
        if a < _ORDER_TOL and b < _ORDER_TOL:
            return LongTimeState("disordered", np.nan, float(a), float(b), 0.0)
        dA, _ = self.rhs(mA[None], mB[None], gamma_B)
        omega = float((mA[0] * dA[0, 1] - mA[1] * dA[0, 0]) / max(a * a, 1e-300))
        if b < _ZERO:
            return LongTimeState("aligned" if self.j_AB >= 0 else "antialigned", np.nan, float(a), float(b), 0.0)
        cos_d = float(mA @ mB / (a * b))
        sin_d = float((mA[0] * mB[1] - mA[1] * mB[0]) / (a * b))
        delta = float(np.arccos(np.clip(cos_d, -1, 1)))
        if abs(sin_d) < _ANGLE_TOL:
            return LongTimeState("aligned" if cos_d > 0 else "antialigned", delta, float(a), float(b), 0.0)
        return LongTimeState("chiral", delta, float(a), float(b), omega)

    def jacobian(self, state, gamma_B, omega=0.0, j_AB=None):
        """Jacobian of Eq. (8) at ``state`` in a frame rotating at ``omega`` (meV/hbar).

        Parameters
        ----------
        state : array_like, shape (4,)
            (m_A^x, m_A^y, m_B^x, m_B^y).
        gamma_B : float
            Light-induced decay rate of layer B (meV).
        omega : float, optional
            Angular velocity of the frame; in it the flow is F(m) - omega R m, with R the
            rotation generator acting on each layer.
        j_AB : float, optional
            Interlayer coupling (meV), default the model's.

        Returns
        -------
        ndarray, shape (4, 4)
        """
        m = np.asarray(state, dtype=float)
        if m.shape != (4,):
            raise ValueError(f"state must have shape (4,), got {m.shape}")
        g = float(self._check_gamma(gamma_B))
        jab = self.j_AB if j_AB is None else float(j_AB)
        T, eye = self.kT, np.eye(2)
        coupling = np.array([[self.j_AA, jab], [jab, self.j_BB]])
        h = coupling @ m.reshape(2, 2)  # rows h_A, h_B
        blocks = []
        for h_a in h:  # df/dh = c I + 2 c'(h^2) h h^T
            h2 = float(h_a @ h_a)
            blocks.append(self._sat(h2) * eye + 2 * self._dsat(h2) * np.outer(h_a, h_a))
        alpha = (self.alpha_A, self.alpha_B)
        J = np.zeros((4, 4))
        for a in range(2):
            for b in range(2):
                J[2 * a:2 * a + 2, 2 * b:2 * b + 2] = alpha[a] * blocks[a] @ (coupling[a, b] * eye)
            J[2 * a:2 * a + 2, 2 * a:2 * a + 2] -= alpha[a] * T * eye
        J[2:, 2:] -= g * self.n * eye
        J[2:, :2] -= g / abs(self.g_B) * jab * eye
        return J - omega * np.kron(eye, _ROT)

    def _linear_modes(self, state, gamma_B, omega, j_AB):
        """Eigenvalues (sorted by decreasing real part) and unit eigenvectors of :meth:`jacobian`."""
        vals, vecs = np.linalg.eig(self.jacobian(state, gamma_B, omega, j_AB).astype(complex))
        order = np.lexsort((-vals.imag, -vals.real))
        return vals[order], vecs[:, order] / np.linalg.norm(vecs[:, order], axis=0)

    def collinear_branch(self, gamma_B, sign=-1, j_AB=None, iters=60):
        r"""Collinear fixed points and the trace of their transverse (angle) block, vectorized.

        A collinear state :math:`\mathbf m_A = a\hat e`, :math:`\mathbf m_B = x\hat e` has a 2 x 2
        block :math:`M` for perturbations perpendicular to :math:`\hat e`. Its eigenvalues are 0
        (the Goldstone mode) and :math:`\mathrm{tr}\,M`, the growth rate of the mode that changes
        :math:`\Delta\varphi`.

        Parameters
        ----------
        gamma_B : array_like
            Light-induced decay rates (meV).
        sign : {-1, +1}
            The branch: -1 anti-aligned (x < 0), +1 aligned (x > 0).
        j_AB : array_like, optional
            Interlayer couplings (meV), broadcast against ``gamma_B``; default the model's.
        iters : int
            Newton iterations.

        Returns
        -------
        a, x, trace : ndarray
            Magnitude of m_A, the signed m_B along m_A, and tr M (meV/hbar); NaN where Newton found no
            ordered state on the requested branch.
        """
        if sign not in (-1, 1):
            raise ValueError(f"sign must be -1 (anti-aligned) or +1 (aligned), got {sign}")
        g = self._check_gamma(gamma_B)
        jab = np.asarray(self.j_AB if j_AB is None else j_AB, dtype=float)
        g, jab = np.broadcast_arrays(g, jab)
        a = np.maximum(_start_amplitude(self, jab), 0.05) * np.ones_like(g)
        x = sign * 0.3 * a
        eps = 1e-7

        def F(a_, x_):
            da, dx, _, _ = self._reduced(a_, x_, 0.0 * a_, g, jab)
            return da, dx

        for _ in range(iters):
            f1, f2 = F(a, x)
            a1, b1 = F(a + eps, x)
            a2, b2 = F(a, x + eps)
            j11, j12, j21, j22 = (a1 - f1) / eps, (a2 - f1) / eps, (b1 - f2) / eps, (b2 - f2) / eps
            det = j11 * j22 - j12 * j21
            with np.errstate(all="ignore"):
                da = np.where(det != 0, -(j22 * f1 - j12 * f2) / det, 0.0)
                dx = np.where(det != 0, -(-j21 * f1 + j11 * f2) / det, 0.0)
            norm = np.hypot(da, dx)
            damp = np.minimum(1.0, 0.5 / np.maximum(norm, 1e-300))
            a, x = np.abs(a + damp * da), x + damp * dx
        f1, f2 = F(a, x)
        ok = (np.maximum(np.abs(f1), np.abs(f2)) < 1e-10) & (a > _ORDER_TOL) & (sign * x > 0)
        T = self.kT
        cA = self._sat((self.j_AA * a + jab * x) ** 2)
        cB = self._sat((jab * a + self.j_BB * x) ** 2)
        trace = (self.alpha_A * (-T + cA * self.j_AA) + self.alpha_B * (-T + cB * self.j_BB) - g * self.n)
        nan = np.where(ok, 1.0, np.nan)
        return a * nan, x * nan, trace * nan

    # ------------------------------------------------------------------ fixed points
    def _reduced(self, a, x, y, gamma_B, j_AB=None):
        """Reduced dynamics in the frame of m_A: (da, dx, dy) and omega = dphi_A/dt. Broadcasts."""
        jab = self.j_AB if j_AB is None else j_AB
        T = self.kT
        hAr, hAi = self.j_AA * a + jab * x, jab * y
        hBr, hBi = jab * a + self.j_BB * x, self.j_BB * y
        cA = self._sat(hAr**2 + hAi**2)
        cB = self._sat(hBr**2 + hBi**2)
        omega_BA = gamma_B / abs(self.g_B) * jab
        da = self.alpha_A * (-T * a + cA * hAr)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            phidot = self.alpha_A * cA * hAi / a
        dwr = self.alpha_B * (-T * x + cB * hBr) - gamma_B * self.n * x - omega_BA * a + phidot * y
        dwi = self.alpha_B * (-T * y + cB * hBi) - gamma_B * self.n * y - phidot * x
        return da, dwr, dwi, phidot

    def _newton(self, start, gamma_B, j_AB, iters=60):
        """Vectorized Newton on the reduced fixed-point equations; start has shape (..., 3)."""
        z = np.array(start, dtype=float)
        eps = 1e-7
        for _ in range(iters):
            F = np.stack(self._reduced(z[..., 0], z[..., 1], z[..., 2], gamma_B, j_AB)[:3], axis=-1)
            Jm = np.empty(z.shape + (3,))
            for c in range(3):
                dz = np.zeros(3)
                dz[c] = eps
                zp = z + dz
                Fp = np.stack(self._reduced(zp[..., 0], zp[..., 1], zp[..., 2], gamma_B, j_AB)[:3], axis=-1)
                Jm[..., :, c] = (Fp - F) / eps
            with np.errstate(all="ignore"):
                step = np.linalg.solve(Jm + 1e-14 * np.eye(3), -F[..., None])[..., 0]
            step = np.where(np.isfinite(step), step, 0.0)
            # damp large steps
            norm = np.linalg.norm(step, axis=-1, keepdims=True)
            step = step * np.minimum(1.0, 0.5 / np.maximum(norm, 1e-300))
            z = z + step
            z[..., 0] = np.maximum(np.abs(z[..., 0]), 1e-8)  # |m_A| > 0: the rotating frame needs it
        F = np.stack(self._reduced(z[..., 0], z[..., 1], z[..., 2], gamma_B, j_AB)[:3], axis=-1)
        res = np.abs(F).max(axis=-1)
        return z, np.where(np.isfinite(res), res, np.inf), Jm

    def _disordered_growth(self, gamma_B, j_AB):
        """Largest real part of the linearization at m = 0 (both layers, a 2x2 matrix per component)."""
        T = self.kT
        m11 = self.alpha_A * (self.j_AA - T)
        m12 = self.alpha_A * j_AB
        m21 = self.alpha_B * j_AB - gamma_B / abs(self.g_B) * j_AB
        m22 = self.alpha_B * (self.j_BB - T) - gamma_B * self.n
        tr, det = m11 + m22, m11 * m22 - m12 * m21
        disc = tr * tr / 4 - det
        return np.where(disc >= 0, tr / 2 + np.sqrt(np.abs(disc)), tr / 2)

    def scan(self, gammas):
        """The selected stable state at each ``gamma_B`` (an ordered one if any is stable), vectorized.

        Returns a list of :class:`FixedPoint`, one per value of ``gammas`` (meV).
        """
        g = np.atleast_1d(self._check_gamma(gammas))
        out = _fixed_points_grid(self, g, np.array([self.j_AB]))[0]
        chosen = []
        for cands in out:
            stable = [p for p in cands if p.stable]
            ordered = [p for p in stable if p.phase != "disordered"]
            if ordered or stable:
                chosen.append((ordered or stable)[0])
            else:
                # within ~1e-6 of a continuous transition the ordered amplitude is below the order
                # threshold and the disordered state is barely unstable: take the least unstable state
                chosen.append(min(cands, key=lambda p: p.max_growth))
        return chosen

    def fixed_points(self, gamma_B):
        """All fixed points found from aligned, antialigned and chiral starting guesses, with their stability."""
        g = float(self._check_gamma(gamma_B))
        return _fixed_points_grid(self, np.array([g]), np.array([self.j_AB]))[0][0]


# starting guesses (|m_A|, Re w, Im w) in units of the expected amplitude; mirror pairs (Re w -> -Re w)
# keep the search symmetric under m_B -> -m_B, j_AB -> -j_AB, an exact symmetry of Eq. (8)
_START_SHAPES = [(1.0, 0.8, 0.0), (1.0, -0.8, 0.0), (1.0, 0.1, 0.0), (1.0, -0.1, 0.0),
                 (1.0, -0.1, 0.1), (1.0, 0.1, 0.1), (1.0, -0.3, 0.3), (1.0, 0.3, 0.3),
                 (1.0, 0.02, 0.0), (1.0, -0.02, 0.0)]


def _start_amplitude(model, JAB):
    """Ordered amplitude of the strongest collective mode, sqrt(3T^2(lam - T)/lam^3), per grid cell."""
    half_tr = 0.5 * (model.j_AA + model.j_BB)
    lam = half_tr + np.sqrt((0.5 * (model.j_AA - model.j_BB)) ** 2 + JAB**2)
    T = model.kT
    return np.where(lam > T, np.sqrt(3 * T**2 * np.maximum(lam - T, 0) / lam**3), 0.3)


def _starts(model, JAB):
    a0 = np.maximum(_start_amplitude(model, JAB), 0.05)
    return [np.stack([fa * a0, fx * a0, fy * a0], axis=-1) for fa, fx, fy in _START_SHAPES]


def _solve_starts(model, G, JAB, iters):
    """Newton from every starting guess at once: z, residual, largest growth rate and phase code.

    Arrays have shape (n_starts, *G.shape); the code indexes :data:`PHASES` for converged ordered
    fixed points (stable or not) and is -1 otherwise.
    """
    starts = _starts(model, JAB)
    n = len(starts)
    Gs, Js = np.concatenate([G] * n), np.concatenate([JAB] * n)
    z, res, Jm = model._newton(np.concatenate(starts, axis=0), Gs, Js, iters=iters)
    finite = np.all(np.isfinite(Jm), axis=(-2, -1))
    growth = np.full(Gs.shape, np.inf)
    with np.errstate(all="ignore"):
        growth[finite] = np.linalg.eigvals(Jm[finite]).real.max(axis=-1)
    a, x, y = z[..., 0], z[..., 1], z[..., 2]
    b = np.hypot(x, y)
    # collinear states: the sign of m_B along m_A decides, however small m_B is
    collinear = np.where(x > _ZERO, 0, np.where(x < -_ZERO, 1, np.where(Js >= 0, 0, 1)))
    # chiral: m_B has a direction (b > _ZERO) off the axis of m_A, however small m_B is (near the
    # Hopf point of m = 0 both magnitudes vanish as sqrt(distance); a threshold on b would call
    # the rotating state there "antialigned")
    code = np.where((np.abs(y) > _ANGLE_TOL * np.maximum(b, 1e-12)) & (b > _ZERO), 2, collinear)
    code = np.where((res < 1e-9) & (a > _ORDER_TOL), code, -1)
    shape = (n, *G.shape)
    return z.reshape(shape + (3,)), growth.reshape(shape), code.reshape(shape)


def _fixed_points_grid(model, gammas, jabs, iters=60):
    """All distinct fixed points on a grid, as lists of :class:`FixedPoint` (outer index j_AB, inner gamma_B)."""
    G, JAB = np.meshgrid(gammas, jabs, indexing="xy")  # shape (len(jabs), len(gammas))
    z, growth, code = _solve_starts(model, G, JAB, iters)
    dis_growth = model._disordered_growth(G, JAB)
    out = [[[] for _ in range(G.shape[1])] for _ in range(G.shape[0])]
    for i in range(G.shape[0]):
        for j in range(G.shape[1]):
            seen = []
            for s in range(code.shape[0]):
                if code[s, i, j] < 0:
                    continue
                a, x, y = z[s, i, j]
                key = (round(a, 6), round(x, 6), round(abs(y), 6))
                if key in seen:
                    continue
                seen.append(key)
                b = float(np.hypot(x, y))
                _, _, _, phidot = model._reduced(a, x, y, G[i, j], JAB[i, j])
                phase = PHASES[code[s, i, j]]
                omega = float(phidot) if phase == "chiral" else 0.0
                delta = float(np.arctan2(abs(y), x)) if b > _ZERO else np.nan
                state = np.array([a, 0.0, x, y])
                vals, vecs = model._linear_modes(state, G[i, j], omega, JAB[i, j])
                out[i][j].append(FixedPoint(phase, float(a), b, delta, abs(omega),
                                            bool(growth[s, i, j] < 1e-9), float(growth[s, i, j]),
                                            state, vals, vecs))
            dis_stable = bool(dis_growth[i, j] <= 1e-12)  # marginal at the bifurcation point itself
            vals, vecs = model._linear_modes(np.zeros(4), G[i, j], 0.0, JAB[i, j])
            out[i][j].append(FixedPoint("disordered", 0.0, 0.0, np.nan, 0.0, dis_stable, float(dis_growth[i, j]),
                                        np.zeros(4), vals, vecs))
    return out


def _phase_codes(model, gammas, jabs, iters=40):
    """Vectorized selection of the stable phase on a grid (used by :func:`phase_diagram`)."""
    G, JAB = np.meshgrid(gammas, jabs, indexing="xy")
    _, growth, code = _solve_starts(model, G, JAB, iters)
    code = np.where(growth < 1e-9, code, -1)
    out = np.full(G.shape, 3, dtype=int)  # disordered unless an ordered stable state exists
    for c in code[::-1]:  # the first start that finds a stable ordered state wins
        out = np.where(c >= 0, c, out)
    n_stable = sum(np.any(code == phase, axis=0).astype(int) for phase in range(3))
    return out, n_stable


def grid_axes(model: LayeredFerromagnet, gammas, jabs):
    """The axes of a phase diagram, checked: 1-D float arrays, non-negative finite ``gammas`` (meV)."""
    gammas = np.asarray(gammas, dtype=float)
    jabs = np.asarray(jabs, dtype=float)
    if gammas.ndim != 1 or jabs.ndim != 1:
        raise ValueError("gammas and jabs must be 1-D arrays")
    model._check_gamma(gammas)
    return gammas, jabs


def phase_diagram(model: LayeredFerromagnet, gammas, jabs, return_multistability=False):
    """Phase codes (indices into :data:`PHASES`) on a grid, shape (len(jabs), len(gammas)), from fixed points.

    ``gammas`` are values of :math:`\\gamma_B` (meV), ``jabs`` of :math:`j_{AB}` (meV). With
    ``return_multistability=True`` also returns the number of distinct stable ordered phases per cell.
    """
    gammas, jabs = grid_axes(model, gammas, jabs)
    codes, n_stable = _phase_codes(model, gammas, jabs)
    return (codes, n_stable) if return_multistability else codes
