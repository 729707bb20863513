"""Independent tasks on the local cores (joblib) or on a Dask cluster.

Trajectories and parameter sweeps are embarrassingly parallel. :func:`parallel_map`
runs ``func`` over ``items`` and returns the results **in the order of the items**,
whoever computed them, so a result that only depends on its item (and on a seed
derived from the item, never from the worker) is the same bit for bit locally and
on a cluster:

- by default with joblib's process pool on ``n_jobs`` local cores
  (``n_jobs=None``: all of them; ``n_jobs=1``: in this process, no pool);
- with ``client=`` a :class:`dask.distributed.Client`, on that cluster
  (``client.map`` and ``client.gather``);
- inside ``with joblib.parallel_config(backend="dask"):`` (after creating a Client),
  joblib sends the same tasks to the cluster.

Workers run with one BLAS thread: the tasks are many small dense and sparse
products, for which threads cost more than they save.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Iterable

__all__ = ["parallel_map", "default_jobs"]


def default_jobs() -> int:
    """The number of local cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _single_threaded(func, item):
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return func(item)


def parallel_map(func: Callable[[Any], Any], items: Iterable[Any], *, n_jobs: int | None = None, client=None,
                 progress: bool = False, desc: str | None = None) -> list:
    """``[func(item) for item in items]``, computed in parallel; results in the order of ``items``.

    Parameters
    ----------
    func : callable
        A picklable function of one argument (a module-level function or a
        :func:`functools.partial` of one).
    items : iterable
        The arguments; each must be picklable.
    n_jobs : int or None
        Local worker processes (joblib). ``None``: all cores; ``1``: no pool.
        Ignored when ``client`` is given.
    client : dask.distributed.Client or None
        Run on this Dask cluster instead.
    progress : bool
        A progress bar over the items as they finish (local runs and Dask).
    desc : str
        The progress bar's label.
    """
    items = list(items)
    if n_jobs is not None and (int(n_jobs) != n_jobs or n_jobs == 0 or n_jobs < -1):
        raise ValueError(f"n_jobs must be a positive integer, -1 (all cores) or None, got {n_jobs!r}")
    bar = None
    if progress and items:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(items), desc=desc)
    try:
        if client is not None:
            if not hasattr(client, "map") or not hasattr(client, "gather"):
                raise ValueError(f"client must be a dask.distributed.Client, got {type(client).__name__}")
            from functools import partial

            futures = client.map(partial(_single_threaded, func), items, pure=False)
            if bar is not None:
                from dask.distributed import as_completed

                for _ in as_completed(futures):
                    bar.update(1)
            return client.gather(futures)
        jobs = default_jobs() if n_jobs in (None, -1) else int(n_jobs)
        jobs = min(jobs, max(1, len(items)))
        if jobs == 1 and not _joblib_backend_is_external():
            out = []
            for item in items:
                out.append(_single_threaded(func, item))
                if bar is not None:
                    bar.update(1)
            return out
        from joblib import Parallel, delayed

        # inside parallel_config(backend="dask"), the backend decides how many workers
        runner = Parallel(return_as="generator") if _joblib_backend_is_external() else Parallel(
            n_jobs=jobs, return_as="generator")
        out = []
        for value in runner(delayed(_single_threaded)(func, item) for item in items):
            out.append(value)
            if bar is not None:
                bar.update(1)
        return out
    finally:
        if bar is not None:
            bar.close()


def _joblib_backend_is_external() -> bool:
    """True inside ``joblib.parallel_config(backend=...)`` with a backend other than the default."""
    try:
        from joblib.parallel import get_active_backend

        backend, _ = get_active_backend()
    except Exception:  # pragma: no cover - joblib internals changed
        return False
    return type(backend).__name__ not in ("LokyBackend", "SequentialBackend")
