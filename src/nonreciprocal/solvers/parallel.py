"""Independent tasks on the local cores (joblib) or on a Dask cluster.

Trajectories and parameter sweeps are embarrassingly parallel. :func:`parallel_map`
runs ``func`` over ``items`` and returns the results **in the order of the items**,
whoever computed them and in whatever order they finished, so a result that only depends on its item
(and on a seed derived from the item, never from the worker) is the same bit for bit locally and
on a cluster of the same machines:

- by default with joblib's process pool on ``n_jobs`` local cores
  (``n_jobs=None``: all of them; ``n_jobs=1``: in this process, no pool);
- with ``client=`` a :class:`dask.distributed.Client`, on that cluster
  (``client.map`` and ``client.gather``);
- inside ``with joblib.parallel_config(backend="dask"):`` (after creating a Client),
  joblib sends the same tasks to the cluster.

Every task runs with one BLAS thread and one numba thread, wherever it runs: the tasks are
many small dense and sparse products, for which threads cost more than they save, and the
workers are the parallelism. Give a Dask cluster one thread per worker process
(``threads_per_worker=1``): numba's compiled kernels are not safe to call from several
threads of one process under its default ``workqueue`` threading layer, and two tasks in one
process would share its memory.

Bit for bit means on the same hardware and software: the compiled kernels are built for the
CPU they run on (vector width, fused multiply-add), so workers of another CPU type may
differ in the last digits.
"""

from __future__ import annotations

import uuid
from functools import partial
from numbers import Integral
from typing import Any, Callable, Iterable

__all__ = ["parallel_map", "default_jobs", "local_workers"]


def default_jobs() -> int:
    """The number of local cores this process may use (CPU affinity and cgroup quotas, via joblib)."""
    from joblib import cpu_count

    return max(1, int(cpu_count()))


def run_single_threaded(func: Callable[[Any], Any], item: Any) -> Any:
    """``func(item)`` with one BLAS/OpenMP thread (threadpoolctl) and one numba thread; restores both after."""
    from threadpoolctl import threadpool_limits

    try:
        import numba
    except ImportError:  # pragma: no cover - numba is a dependency of the package
        numba = None
    before = numba.get_num_threads() if numba is not None else None
    if numba is not None:
        numba.set_num_threads(1)
    try:
        with threadpool_limits(limits=1):
            return func(item)
    finally:
        if numba is not None:
            numba.set_num_threads(before)


def local_workers(n_jobs: int | None, n_items: int) -> int:
    """The number of local processes :func:`parallel_map` uses for ``n_items`` items (one: no pool).

    ``n_jobs`` as in :func:`parallel_map`; ``None`` takes the ``n_jobs`` of an enclosing
    ``joblib.parallel_config``, else all cores. Never more processes than items.
    """
    _check_jobs(n_jobs)
    _, config_jobs = _active_joblib_backend()
    jobs = n_jobs if n_jobs is not None else config_jobs
    jobs = default_jobs() if jobs in (None, -1) else int(jobs)
    return min(jobs, max(1, n_items))


def _check_jobs(n_jobs) -> None:
    if n_jobs is None:
        return
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, Integral) or (n_jobs < 1 and n_jobs != -1):
        raise ValueError(f"n_jobs must be a positive integer, -1 (all cores) or None (all cores), got {n_jobs!r}")


def _check_client(client) -> None:
    try:
        from distributed import Client
    except ImportError:
        raise ValueError(
            f"client must be a dask.distributed.Client, got {type(client).__name__}; Dask is not installed "
            "(pip install 'nonreciprocal[dask]')"
        ) from None
    if not isinstance(client, Client):
        raise ValueError(f"client must be a dask.distributed.Client, got {type(client).__name__}")


def _active_joblib_backend():
    """joblib's active backend and its n_jobs (``parallel_config``); (None, None) if that cannot be read."""
    try:
        from joblib.parallel import get_active_backend

        return get_active_backend()
    except Exception:  # pragma: no cover - joblib internals changed
        return None, None


def _joblib_backend_is_external() -> bool:
    """True inside ``joblib.parallel_config(backend=...)`` with a backend other than joblib's default process pool."""
    backend, _ = _active_joblib_backend()
    return backend is not None and type(backend).__name__ not in ("LokyBackend", "SequentialBackend")


def parallel_map(func: Callable[[Any], Any], items: Iterable[Any], *, n_jobs: int | None = None, client=None,
                 progress: bool = False, desc: str | None = None) -> list:
    """``[func(item) for item in items]``, computed in parallel; results in the order of ``items``.

    Parameters
    ----------
    func : callable
        A function of one argument. It and the items are pickled (cloudpickle) to reach the
        workers: a module-level function, or a :func:`functools.partial` of one, travels best.
    items : iterable
        The arguments.
    n_jobs : int or None
        Local worker processes (joblib's default process pool). ``None`` or ``-1``: all
        cores (or the ``n_jobs`` of an enclosing ``joblib.parallel_config``); ``1``: in this
        process, no pool. Inside ``joblib.parallel_config(backend=...)`` with another backend
        (``"dask"``), that backend decides.
    client : dask.distributed.Client or None
        Run on this Dask cluster instead (``client.map``/``client.gather``); exclusive with
        ``n_jobs``.
    progress : bool
        A progress bar (tqdm) over the items as their results arrive.
    desc : str
        The progress bar's label (also the prefix of the task names on the Dask dashboard).

    Returns
    -------
    list
        The results, in the order of ``items``.

    Raises
    ------
    ValueError
        For a ``func`` that is not callable, a bad ``n_jobs``, a ``client`` that is not a
        :class:`dask.distributed.Client`, or both ``n_jobs`` and ``client``. An exception
        raised by a task is re-raised here.
    """
    if not callable(func):
        raise ValueError(f"func must be callable, got {type(func).__name__}")
    _check_jobs(n_jobs)
    if client is not None:
        _check_client(client)
        if n_jobs is not None:
            raise ValueError("give either n_jobs (local processes) or client (a Dask cluster), not both")
    items = list(items)
    task = partial(run_single_threaded, func)
    bar = None
    if progress and items:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(items), desc=desc)
    try:
        if client is not None:
            return _dask_map(client, task, items, bar, desc or getattr(func, "__name__", "task"))
        external = _joblib_backend_is_external()
        if not external:
            jobs = local_workers(n_jobs, len(items))
            if jobs == 1:
                out = []
                for item in items:
                    out.append(task(item))
                    if bar is not None:
                        bar.update(1)
                return out
        from joblib import Parallel, delayed

        if external:  # the backend (e.g. Dask) decides how many workers
            runner = Parallel(return_as="generator" if _supports_generator() else "list")
        else:
            runner = Parallel(n_jobs=jobs, return_as="generator")
        out = []
        for value in runner(delayed(task)(item) for item in items):
            out.append(value)
            if bar is not None:
                bar.update(1)
        return out
    finally:
        if bar is not None:
            bar.close()


def _supports_generator() -> bool:
    backend, _ = _active_joblib_backend()
    return bool(getattr(backend, "supports_return_generator", False))


def _dask_map(client, task, items, bar, label):
    """Submit every item to the cluster, follow them as they finish, gather in item order."""
    token = uuid.uuid4().hex[:12]
    keys = [f"{label}-{i}-{token}" for i in range(len(items))]
    futures = client.map(task, items, key=keys, pure=False)
    try:
        if bar is not None:
            from distributed import as_completed

            for _ in as_completed(futures):
                bar.update(1)
        return client.gather(futures)
    except BaseException:
        client.cancel(futures)
        raise
