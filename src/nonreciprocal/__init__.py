"""Non-reciprocal interactions: the shared package of the book.

The core, :class:`QubitEnsemble`, evolves N qubits with coherent couplings J and
dissipative couplings Gamma (Li & Flebus, Eqs. 1-3). Physics modules turn a bath
into ``(J, Gamma)``; :mod:`nonreciprocal.figures` styles and saves figures.
"""

from .ensemble import EmissionResult, QubitEnsemble
from .figures import save_figure, style

__all__ = ["QubitEnsemble", "EmissionResult", "save_figure", "style"]
__version__ = "0.1.0"
