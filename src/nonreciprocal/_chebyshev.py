r"""Chebyshev propagation of a linear, autonomous master equation.

For a generator :math:`\mathcal L` whose spectrum lies in the box
:math:`-R \le \mathrm{Re}\,z \le 0`, :math:`|\mathrm{Im}\,z| \le W`, the propagator over
a step :math:`\tau` is expanded on an ellipse around the box with centre :math:`c = -R/2`
and foci :math:`c \pm f` (real axis) or :math:`c \pm i f` (imaginary axis):

.. math::

    e^{\tau\mathcal L} = e^{\tau c}\sum_m \epsilon_m I_m(\tau f)\,T_m\!\big((\mathcal L-c)/f\big)
    \quad\text{or}\quad
    e^{\tau c}\sum_m \epsilon_m J_m(\tau f)\,P_m\!\big((\mathcal L-c)/f\big),

with :math:`\epsilon_0 = 1`, :math:`\epsilon_{m>0} = 2`, Chebyshev polynomials
:math:`T_{m+1} = 2xT_m - T_{m-1}` and :math:`P_{m+1} = 2xP_m + P_{m-1}`
(:math:`P_m(x) = i^m T_m(-ix)`). All coefficients are real, so the recurrence
maps Hermitian matrices to Hermitian matrices, and one set of vectors
:math:`T_m v` serves every output time inside the step: only the coefficients
depend on :math:`\tau`. Each term costs one application of :math:`\mathcal L`.
Explicit Runge-Kutta methods need a step inside a small stability region; here the
step may cover tens of radians of the fastest oscillation, which cuts the number
of applications of :math:`\mathcal L` by up to three for the strongly coherent
problems of the book.

The expansion is stopped when its terms fall below ``tol`` (checked on the actual
vectors, so a generator whose non-normality makes them grow faster than the
box predicts is still propagated to tolerance).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

__all__ = ["Plan", "plan", "coefficients"]

#: Largest growth of the expansion's terms accepted relative to the state (rounding
#: errors are amplified by this factor: 1e4 keeps them near 1e-12).
MAX_GROWTH = 1e4


@dataclass(frozen=True)
class Plan:
    """Ellipse and step of the expansion: ``kind`` "I" (real foci) or "J" (imaginary foci)."""

    kind: str
    center: float
    focal: float
    ratio: float  # r = (a + b) / f: terms grow at most like r^m
    step: float
    terms: int  # predicted number of terms for a full step

    def cost(self) -> float:
        """Predicted applications of the generator per unit time."""
        return (self.terms + 1) / self.step


def coefficients(p: Plan, tau, m: int) -> np.ndarray:
    """Expansion coefficients for times ``tau`` (shape (T,)) and orders 0..m-1: shape (T, m)."""
    tau = np.atleast_1d(np.asarray(tau, dtype=float))[:, None]
    order = np.arange(m)[None, :]
    eps = np.where(order == 0, 1.0, 2.0)
    x = tau * p.focal
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if p.kind == "I":
            out = eps * special.ive(order, x) * np.exp(tau * (p.center + p.focal))
        else:
            out = eps * special.jv(order, x) * np.exp(tau * p.center)
    return np.nan_to_num(out, nan=np.inf)


def plan(R: float, W: float, duration: float, tol: float) -> Plan:
    """Choose the ellipse and step that minimize the predicted work for the box (R, W).

    For each ellipse through the corner of the box (foci on the real or the
    imaginary axis, 12 eccentricities) and each step h (24 values up to
    ``duration``), the terms are bounded by |coefficient_m(h)| r^m; the step is
    admissible when that bound never exceeds ``MAX_GROWTH`` and the terms fall
    below ``tol``. The plan with the fewest predicted terms per unit time wins.
    """
    R = max(float(R), 1e-8)
    W = max(float(W), 1e-8)
    p_half = R / 2
    hs = np.geomspace(1e-3, max(duration, 1e-3), 24)
    best = None
    for kind in ("I", "J"):
        for theta in np.linspace(0.05, 1.5, 12):
            # ellipse through the box corner: semi-axis a along the foci, b across
            along, across = (p_half, W) if kind == "I" else (W, p_half)
            a, b = along / np.cos(theta), across / np.sin(theta)
            if a <= b * 1.0001:
                continue
            f = np.sqrt(a * a - b * b)
            r = (a + b) / f
            for h in hs:
                m = int(h * a * 1.3 + 4 * (h * a) ** (1 / 3) + 40)
                trial = Plan(kind, -p_half, f, r, float(h), m)
                with np.errstate(divide="ignore", invalid="ignore"):
                    row = np.log(np.abs(coefficients(trial, h, m)[0])) + np.arange(m) * np.log(r)
                row = np.nan_to_num(row, nan=np.inf, neginf=-np.inf)
                if row.max() > np.log(MAX_GROWTH):
                    break  # the growth only increases with h
                above = np.nonzero(row >= np.log(tol))[0]
                if above.size == 0 or above[-1] + 1 >= m:
                    continue
                trial = Plan(kind, -p_half, f, r, float(h), int(above[-1] + 1))
                if best is None or trial.cost() < best.cost():
                    best = trial
    if best is None:
        raise RuntimeError(f"no Chebyshev plan for the spectral box R={R:.3g}, W={W:.3g}")
    return best
