"""Parameter sweeps of the book, on the local cores or on a Dask cluster.

Each sweep cuts its grid into independent points (or rows), hands them to
:func:`nonreciprocal.solvers.parallel.parallel_map` and puts the results back in place. The
physics is the package's own: :func:`~nonreciprocal.magnetic_bath.scaling_row` for the
Li & Flebus film, :func:`~nonreciprocal.layered_magnet.phase_diagram` for the Hanai maps.
A point's result depends only on the point, so a sweep returns the same numbers, bit for bit,
whether it runs in this process (``n_jobs=1``), on the local cores (``n_jobs=None``, the
default: all of them), on a Dask cluster (``client=``) or through joblib's Dask backend
(``with joblib.parallel_config(backend="dask"):``)::

    import numpy as np
    from dask.distributed import Client
    from nonreciprocal import sweeps

    client = Client("tcp://scheduler:8786")  # or Client(LocalCluster(threads_per_worker=1))
    table = sweeps.film_scaling([0.003, 0.3], range(3, 13), np.linspace(0, 2, 161), client=client)

Give the workers one thread each (see :mod:`nonreciprocal.solvers.parallel`) and, for the
exact solver, the memory it needs (``solvers.blocks.memory_estimate``: 0.5 GB at N = 12,
7.5 GB at N = 14): a worker without it raises ``ValueError`` before it allocates.
"""

from __future__ import annotations

from math import comb
from numbers import Integral

import numpy as np

from .layered_magnet import LayeredFerromagnet, grid_axes
from .layered_magnet import phase_diagram as _phase_diagram
from .magnetic_bath import FerromagneticFilm, scaling_row
from .solvers.parallel import parallel_map

__all__ = ["film_scaling", "phase_diagram", "FILM_COLUMNS"]

#: The numbers :func:`film_scaling` returns per (k0, N) point: those of
#: :func:`~nonreciprocal.magnetic_bath.scaling_row`.
FILM_COLUMNS = ("max_abs_delta", "t_at_max", "peak_total_rate", "m", "max_abs_signal", "t_at_signal", "repetitions")


def _film_point(item):
    film, k0, n, times = item
    return scaling_row(film, k0, n, times)


def film_scaling(k0s, ns, times, *, film: FerromagneticFilm | None = None, n_jobs=None, client=None,
                 progress: bool = False) -> dict:
    r"""Asymmetry and burst of the Li & Flebus NV array on a k0 x N grid (exact solver).

    Each point is :func:`~nonreciprocal.magnetic_bath.scaling_row` (``N`` fully excited NV
    centres above the film at non-reciprocity ``k0``, block solver), one task per point; the
    largest N are sent first so that no worker is left with a long point at the end.

    Parameters
    ----------
    k0s : array_like, shape (K,)
        Non-reciprocities of the bath (units of 1/a).
    ns : iterable of int, length M
        Numbers of qubits (each >= 2).
    times : array_like, shape (T,)
        Time grid in units of :math:`1/\gamma_0`, starting at 0 (the chapter uses
        ``np.linspace(0, 2, 161)``).
    film : FerromagneticFilm
        The film and the NV array (default: the paper's).
    n_jobs, client
        Where to compute (see :func:`~nonreciprocal.solvers.parallel.parallel_map`).
    progress : bool
        A progress bar over the points.

    Returns
    -------
    dict
        ``"k0"`` (K,) and ``"N"`` (M,), the axes; for each name in :data:`FILM_COLUMNS` an
        array of shape (K, M), entry [i, j] for ``k0s[i]`` and ``ns[j]``: ``max_abs_delta``
        (:math:`\max_t|\delta_{1,N}|`), ``t_at_max`` (its time), ``peak_total_rate`` (the
        burst, :math:`\max_t\mathcal R_{\rm tot}`) and the edge-readout numbers.
    """
    film = FerromagneticFilm() if film is None else film
    if not isinstance(film, FerromagneticFilm):
        raise ValueError(f"film must be a FerromagneticFilm, got {type(film).__name__}")
    k0 = np.asarray(k0s, dtype=float)
    if k0.ndim != 1 or k0.size == 0 or not np.all(np.isfinite(k0)):
        raise ValueError(f"k0s must be a non-empty 1-D sequence of finite numbers, got {k0s!r}")
    ns = list(ns)
    if not ns or any(isinstance(n, bool) or not isinstance(n, Integral) or n < 2 for n in ns):
        raise ValueError(f"ns must be a non-empty sequence of integers >= 2, got {ns!r}")
    t = np.asarray(times, dtype=float)
    if t.ndim != 1 or t.size == 0 or not np.all(np.isfinite(t)):
        raise ValueError("times must be a non-empty 1-D array of finite numbers")
    cells = [(i, j) for i in range(k0.size) for j in range(len(ns))]
    cells.sort(key=lambda c: -comb(2 * ns[c[1]], ns[c[1]]))  # the state size sets the cost; stable sort
    rows = parallel_map(_film_point, [(film, float(k0[i]), int(ns[j]), t) for i, j in cells],
                        n_jobs=n_jobs, client=client, progress=progress, desc="film k0 x N")
    out = {"k0": k0.copy(), "N": np.array(ns, dtype=int)}
    for name in FILM_COLUMNS:
        out[name] = np.empty((k0.size, len(ns)), dtype=int if name == "m" else float)
    for (i, j), row in zip(cells, rows):
        for name in FILM_COLUMNS:
            out[name][i, j] = row[name]
    return out


def _map_rows(item):
    model, gammas, jabs, multistability = item
    return _phase_diagram(model, gammas, jabs, return_multistability=multistability)


def phase_diagram(model: LayeredFerromagnet, gammas, jabs, return_multistability=False, *, rows_per_task=1,
                  n_jobs=None, client=None, progress=False):
    """:func:`nonreciprocal.layered_magnet.phase_diagram`, its rows (values of ``jabs``) computed in parallel.

    Same arguments and the same result, equal entry for entry: the fixed-point search is
    vectorised cell by cell, so a row computed on its own gives what it gives inside the
    whole grid. Each task computes ``rows_per_task`` consecutive rows (a 100 x 100 map costs
    about 2 s on one core, 20 ms a row).

    Returns
    -------
    ndarray, shape (len(jabs), len(gammas))
        Phase codes (indices into :data:`~nonreciprocal.layered_magnet.PHASES`); with
        ``return_multistability=True`` also the number of stable ordered phases per cell.
    """
    if not isinstance(model, LayeredFerromagnet):
        raise ValueError(f"model must be a LayeredFerromagnet, got {type(model).__name__}")
    if isinstance(rows_per_task, bool) or not isinstance(rows_per_task, Integral) or rows_per_task < 1:
        raise ValueError(f"rows_per_task must be a positive integer, got {rows_per_task!r}")
    gammas, jabs = grid_axes(model, gammas, jabs)
    if jabs.size == 0:
        return _phase_diagram(model, gammas, jabs, return_multistability)
    chunks = [jabs[i : i + rows_per_task] for i in range(0, jabs.size, rows_per_task)]
    parts = parallel_map(_map_rows, [(model, gammas, c, bool(return_multistability)) for c in chunks],
                         n_jobs=n_jobs, client=client, progress=progress, desc="phase diagram rows")
    if return_multistability:
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    return np.concatenate(parts)
