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

