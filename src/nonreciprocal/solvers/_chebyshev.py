r"""Chebyshev propagation of a linear, autonomous master equation.

For a generator :math:`\mathcal L` whose spectrum lies inside an ellipse with centre
:math:`c` on the real axis and foci :math:`c \pm f` (real axis) or :math:`c \pm i f`
(imaginary axis), the propagator over a step :math:`\tau` is

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

The ellipse is fitted to the spectrum itself (the convex hull of the block
generators' eigenvalues), not to a box around it: for the strongly coherent problems
of the book the spectrum is a lens, tall (:math:`\pm 44i\gamma_0` at N = 9) and narrow
where it is tall, and an ellipse around the lens hardly leaves the left half-plane,
so one step may span the whole time interval. The number of terms then approaches
:math:`\tau(a+b)` for semi-axes a, b, against about twice as many for ellipses
through the corners of the bounding box with steps short enough to keep
:math:`|e^{\tau z}|` bounded on them. Explicit Runge-Kutta methods need a step inside
a small stability region; here a step covers hundreds of radians of the fastest
oscillation.

The expansion's terms are checked on the actual vectors (see
``blocks.propagate_chebyshev``): non-normality makes them grow faster than the
ellipse predicts, and the step is shortened where it does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Plan", "plan", "coefficients", "enclosing_ellipses"]

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
    from ._kernels import bessel_table

    tau = np.atleast_1d(np.asarray(tau, dtype=float))
    eps = np.where(np.arange(m) == 0, 1.0, 2.0)[None, :]
    table = bessel_table(np.abs(tau) * p.focal, m, p.kind == "I")
    shift = p.center + p.focal if p.kind == "I" else p.center
    with np.errstate(over="ignore"):
        return eps * table * np.exp(tau * shift)[:, None]


def enclosing_ellipses(points):
    """Ellipses (kind, centre, focal distance, semi-axis ratio r) that enclose ``points``.

    Centres on the real axis between the leftmost and the rightmost point, axis ratios
    from 1/60 to 60; for each pair the smallest scale that contains every point.
    Foci lie on the real axis ("I") when the real semi-axis is the longer one, on the
    imaginary axis ("J") otherwise.
    """
    z = np.asarray(points, dtype=complex).ravel()
    x, y = z.real, np.abs(z.imag)
    span = max(float(np.ptp(x)), float(y.max()), 1e-8 * (1.0 + float(np.abs(x).max())))
    lo, hi = float(x.min()), float(x.max())
    out = []
    for frac in (0.3, 0.4, 0.5, 0.6, 0.7):
        c = lo + frac * (hi - lo)
        for q in np.geomspace(1 / 60, 60, 36):
            if abs(np.log(q)) < 0.05:
                continue  # nearly a circle: the foci merge and the series degenerates
            b = max(float(np.sqrt(((x - c) / q) ** 2 + y**2).max()), 1e-3 * span)
            a = q * b  # a: real semi-axis, b: imaginary semi-axis
            kind, f = ("I", np.sqrt(a * a - b * b)) if a > b else ("J", np.sqrt(b * b - a * a))
            out.append((kind, c, float(f), float((a + b) / f), a, b))
    return out


def plan(points, duration: float, tol: float) -> Plan:
    """Choose the ellipse and step that minimize the predicted work for a spectrum inside ``points``.

    ``points`` are complex numbers whose convex hull contains the spectrum of the
    generator (its eigenvalues, or the corners of a box around them). For each
    enclosing ellipse (:func:`enclosing_ellipses`) the step is the longest, up to
    ``duration``, for which the bound |coefficient_m| r^m on the terms stays below
    ``MAX_GROWTH`` (it grows like exp(h max Re z) over the ellipse) and the vectors
    T_m v (growing like r^m) stay far from overflow; the number of terms is where
    the bound falls below ``tol``. The plan with the fewest terms per unit time wins.
    """
    duration = max(float(duration), 1e-3)
    best = None
    for kind, c, f, r, a, b in enclosing_ellipses(points):
        right = c + a  # |exp(h z)| on the ellipse peaks at its rightmost point
        h = duration if right <= 0 else min(duration, np.log(MAX_GROWTH) / right)
        for _ in range(40):
            m = int(1.3 * h * (a + b) + 8 * (h * (a + b)) ** (1 / 3) + 40)
            trial = Plan(kind, c, f, r, h, m)
            with np.errstate(divide="ignore"):
                row = np.log(np.abs(coefficients(trial, h, m)[0])) + np.arange(m) * np.log(r)
            above = np.nonzero(row >= np.log(tol))[0]
            growth = float(row.max())
            too_long = growth > np.log(MAX_GROWTH) or (above.size and above[-1] * np.log(r) > 600.0)
            if too_long or (above.size and above[-1] + 1 >= m):
                h *= 0.7
                continue
            trial = Plan(kind, c, f, r, h, int(above[-1] + 1) if above.size else 1)
            if best is None or trial.cost() < best.cost():
                best = trial
            break
    if best is None:
        raise RuntimeError("no Chebyshev plan for this spectrum")
    return best
