"""The solvers of the emission problem, one module each; all return :class:`EmissionResult`.

- :mod:`.blocks`: the exact block solver (excitation-number blocks, compiled kernels
  in :mod:`._kernels`, Chebyshev propagator in :mod:`._chebyshev`);
- :mod:`.reference`: ``qutip.mesolve`` on the full Liouvillian, the reference;
- :mod:`.trajectories`: quantum jumps, for N beyond the exact solvers' memory;
- :mod:`.parallel`: how independent tasks (trajectories, sweeps) run on the local
  cores (joblib) or on a Dask cluster.
"""

from .result import EmissionResult

__all__ = ["EmissionResult"]
