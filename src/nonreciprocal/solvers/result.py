"""The result every solver returns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["EmissionResult"]


@dataclass
class EmissionResult:
    r"""Emission dynamics of an ensemble.

    Attributes
    ----------
    times : ndarray, shape (T,)
        Times, in the units of the couplings (e.g. :math:`1/\gamma_0`).
    rates : ndarray, shape (N, T)
        :math:`\mathcal R_\alpha(t) = -\tfrac12\, d\langle\sigma^z_\alpha\rangle/dt`
        (Li & Flebus Eq. 8), evaluated from the generator.
    populations : ndarray, shape (N, T)
        :math:`\langle \sigma^+_\alpha \sigma^-_\alpha \rangle`.
    method : str
        ``"blocks"``, ``"qutip"`` or ``"trajectories"``: which solver produced the result.
    rates_err, populations_err : ndarray, shape (N, T), or None
        Standard errors of ``rates`` and ``populations`` (the standard deviation
        over trajectories divided by the square root of their number). ``None``
        for the exact solvers.
    rates_cov : ndarray, shape (N, N, T), or None
        Covariance of the estimated rates between qubits at each time (the rates of
        one trajectory are correlated); ``rates_err**2`` is its diagonal.
    stats : dict
        What the solver reports about its work (evaluations, steps, trajectories).
    """

    times: np.ndarray
    rates: np.ndarray
    populations: np.ndarray
    method: str
    stats: dict = field(default_factory=dict, repr=False)
    rates_err: np.ndarray | None = None
    populations_err: np.ndarray | None = None
    rates_cov: np.ndarray | None = None

    @property
    def total_rate(self) -> np.ndarray:
        r"""Collective emission rate :math:`\sum_\alpha \mathcal R_\alpha(t)`, shape (T,)."""
        return self.rates.sum(axis=0)

    def asymmetry(self, alpha: int = 1, beta: int | None = None) -> np.ndarray:
        r"""Rate difference :math:`\mathcal R_\alpha - \mathcal R_\beta` (1-based qubit labels).

        With the default ``beta=None`` the last qubit is used, which gives
        :math:`\delta_{1,N}` of Li & Flebus (in units of the couplings).
        """
        n = self.rates.shape[0]
        beta = n if beta is None else beta
        for label in (alpha, beta):
            if not 1 <= label <= n:
                raise ValueError(f"qubit label {label} is outside 1..{n}")
        return self.rates[alpha - 1] - self.rates[beta - 1]

    def asymmetry_err(self, alpha: int = 1, beta: int | None = None) -> np.ndarray | None:
        r"""Standard error of :meth:`asymmetry` (``None`` for the exact solvers).

        :math:`\sqrt{C_{\alpha\alpha} + C_{\beta\beta} - 2C_{\alpha\beta}}` with the covariance
        ``rates_cov``: the two rates come from the same trajectories.
        """
        if self.rates_cov is None:
            return None
        n = self.rates.shape[0]
        beta = n if beta is None else beta
        self.asymmetry(alpha, beta)  # validates the labels
        a, b = alpha - 1, beta - 1
        c = self.rates_cov
        return np.sqrt(np.maximum(c[a, a] + c[b, b] - 2 * c[a, b].real, 0.0))

    @property
    def total_rate_err(self) -> np.ndarray | None:
        """Standard error of :attr:`total_rate` (``None`` for the exact solvers)."""
        if self.rates_cov is None:
            return None
        return np.sqrt(np.maximum(self.rates_cov.sum(axis=(0, 1)), 0.0))

