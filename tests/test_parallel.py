"""parallel_map and the sweeps: the same numbers, bit for bit, in this process, on a joblib pool,
on a Dask LocalCluster (client=) and through joblib's Dask backend."""

import os
import time

import numpy as np
import pytest

from nonreciprocal import sweeps
from nonreciprocal.layered_magnet import LayeredFerromagnet
from nonreciprocal.layered_magnet import phase_diagram as serial_phase_diagram
from nonreciprocal.magnetic_bath import FerromagneticFilm, scaling_row
from nonreciprocal.solvers.parallel import parallel_map

K0S = [0.003, 0.3]
NS = [2, 3, 4]
TIMES = np.linspace(0, 2, 41)


# ------------------------------------------------------------------ tasks (module level: they travel)
def slow_square(i):
    """Later items finish first: the results must still come back in item order."""
    time.sleep(0.04 * (5 - i))
    return i * i, os.getpid()


def task_pid(_):
    return os.getpid()


def fails_on_three(i):
    if i == 3:
        raise ValueError(f"task {i} failed")
    return i


def thread_counts(_):
    import numba
    from threadpoolctl import threadpool_info

    blas = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    return numba.get_num_threads(), blas


# ------------------------------------------------------------------ references, computed serially
@pytest.fixture(scope="module")
def film_reference():
    return sweeps.film_scaling(K0S, NS, TIMES, n_jobs=1)


def hanai_grid():
    model = LayeredFerromagnet()
    unit = model.alpha_B * abs(model.g_B)
    return model, np.linspace(0, 6, 12) * unit, np.linspace(0.1, 10, 8)


@pytest.fixture(scope="module")
def hanai_reference():
    model, g, j = hanai_grid()
    return serial_phase_diagram(model, g, j, return_multistability=True)


def assert_same_film(a, b):
    assert a.keys() == b.keys()
    for key in a:
        assert a[key].dtype == b[key].dtype, key
        assert np.array_equal(a[key], b[key]), key


def assert_same_map(a, b):
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


# ------------------------------------------------------------------ parallel_map
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_results_in_item_order(n_jobs):
    out = parallel_map(slow_square, range(6), n_jobs=n_jobs)
    assert [v for v, _ in out] == [i * i for i in range(6)]
    pids = {p for _, p in out}
    if n_jobs == 1:
        assert pids == {os.getpid()}
    else:
        assert os.getpid() not in pids  # a pool of other processes computed them


def test_empty_items():
    assert parallel_map(task_pid, [], n_jobs=2) == []


@pytest.mark.parametrize("n_jobs", [0, -2, 1.5, "2", True])
def test_bad_n_jobs_rejected(n_jobs):
    with pytest.raises(ValueError, match="n_jobs must be a positive integer"):
        parallel_map(task_pid, [1], n_jobs=n_jobs)


@pytest.mark.parametrize("client", [object(), "tcp://127.0.0.1:8786", 2])
def test_non_client_rejected(client):
    with pytest.raises(ValueError, match="client must be a dask.distributed.Client"):
        parallel_map(task_pid, [1], client=client)


def test_func_must_be_callable():
    with pytest.raises(ValueError, match="func must be callable"):
        parallel_map([1, 2], [1])


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_task_error_reaches_the_caller(n_jobs):
    with pytest.raises(ValueError, match="task 3 failed"):
        parallel_map(fails_on_three, range(5), n_jobs=n_jobs)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_tasks_run_single_threaded(n_jobs):
    import numba
    from threadpoolctl import threadpool_info, threadpool_limits

    before = numba.get_num_threads()
    with threadpool_limits(limits=2, user_api="blas"):
        outside = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
        (numba_threads, blas), = parallel_map(thread_counts, [0], n_jobs=n_jobs)
    assert numba_threads == 1
    assert all(b == 1 for b in blas)
    if n_jobs == 1:
        assert outside and max(outside) == 2  # the limit was raised around the call, so the test can fail
        assert numba.get_num_threads() == before  # restored in this process


def test_progress_bar(capsys):
    assert parallel_map(task_pid, range(3), n_jobs=1, progress=True, desc="demo sweep") == [os.getpid()] * 3
    err = capsys.readouterr().err
    assert "demo sweep" in err and "3/3" in err


# ------------------------------------------------------------------ the sweeps, locally
def test_film_sweep_is_scaling_row_per_point(film_reference):
    ref = film_reference
    assert ref["max_abs_delta"].shape == (2, 3) and list(ref["N"]) == NS and list(ref["k0"]) == K0S
    film = FerromagneticFilm()
    for i, k0 in enumerate(K0S):
        for j, n in enumerate(NS):
            row = scaling_row(film, k0, n, TIMES)
            for name in sweeps.FILM_COLUMNS:
                assert ref[name][i, j] == row[name], (k0, n, name)
    # the numbers differ from point to point, so a misplaced point would show
    assert np.unique(ref["max_abs_delta"]).size == 6


def test_film_sweep_on_joblib_equals_serial(film_reference):
    assert_same_film(sweeps.film_scaling(K0S, NS, TIMES, n_jobs=2), film_reference)


@pytest.mark.parametrize("rows_per_task", [1, 3])
def test_phase_map_on_joblib_equals_serial(hanai_reference, rows_per_task):
    model, g, j = hanai_grid()
    assert len(np.unique(hanai_reference[0])) == 4  # every phase is on the small map
    par = sweeps.phase_diagram(model, g, j, return_multistability=True, rows_per_task=rows_per_task, n_jobs=2)
    assert_same_map(par, hanai_reference)
    assert np.array_equal(sweeps.phase_diagram(model, g, j, n_jobs=1), hanai_reference[0])


def test_phase_map_of_the_chapter_row_by_row():
    """The chapter's 100 x 100 map at k_BT = 9 meV (book/hanai_photoinduced.md), row by row in this process."""
    model = LayeredFerromagnet().with_(kT=9.0)
    unit = model.alpha_B * abs(model.g_B)
    g, j = np.linspace(0, 6, 100) * unit, np.linspace(0.1, 10, 100)
    assert np.array_equal(sweeps.phase_diagram(model, g, j, rows_per_task=7, n_jobs=1),
                          serial_phase_diagram(model, g, j))


def test_sweep_arguments_checked():
    with pytest.raises(ValueError, match="ns must be"):
        sweeps.film_scaling(K0S, [1, 3], TIMES, n_jobs=1)
    with pytest.raises(ValueError, match="ns must be"):
        sweeps.film_scaling(K0S, [3.0], TIMES, n_jobs=1)
    with pytest.raises(ValueError, match="k0s must be"):
        sweeps.film_scaling([np.nan], NS, TIMES, n_jobs=1)
    with pytest.raises(ValueError, match="times must be"):
        sweeps.film_scaling(K0S, NS, [[0, 1]], n_jobs=1)
    with pytest.raises(ValueError, match="film must be"):
        sweeps.film_scaling(K0S, NS, TIMES, film="YIG", n_jobs=1)
    model, g, j = hanai_grid()
    with pytest.raises(ValueError, match="rows_per_task"):
        sweeps.phase_diagram(model, g, j, rows_per_task=0)
    with pytest.raises(ValueError, match="gamma_B must be a non-negative"):
        sweeps.phase_diagram(model, -g, j, n_jobs=1)
    with pytest.raises(ValueError, match="model must be"):
        sweeps.phase_diagram("model", g, j)


# ------------------------------------------------------------------ the sweeps on a Dask cluster
@pytest.fixture(scope="module")
def dask_client():
    """Two single-threaded worker processes; closed (and their processes gone) after the tests."""
    distributed = pytest.importorskip("distributed")
    import psutil

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            pids = set(client.run(os.getpid).values())
            yield client, pids
    deadline = time.monotonic() + 10
    while any(psutil.pid_exists(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(psutil.pid_exists(p) for p in pids), "the LocalCluster's workers outlived it"


def test_dask_client_runs_the_tasks_in_order(dask_client):
    client, worker_pids = dask_client
    out = parallel_map(slow_square, range(6), client=client)
    assert [v for v, _ in out] == [i * i for i in range(6)]
    assert {p for _, p in out} <= worker_pids
    with pytest.raises(ValueError, match="task 3 failed"):
        parallel_map(fails_on_three, range(5), client=client)
    with pytest.raises(ValueError, match="not both"):
        parallel_map(task_pid, [1], client=client, n_jobs=2)
    (numba_threads, blas), = parallel_map(thread_counts, [0], client=client)
    assert numba_threads == 1 and all(b == 1 for b in blas)


def test_sweeps_on_dask_client_equal_serial(dask_client, film_reference, hanai_reference):
    client, _ = dask_client
    assert_same_film(sweeps.film_scaling(K0S, NS, TIMES, client=client), film_reference)
    model, g, j = hanai_grid()
    assert_same_map(sweeps.phase_diagram(model, g, j, return_multistability=True, client=client), hanai_reference)


def test_sweeps_on_joblib_dask_backend_equal_serial(dask_client, film_reference, hanai_reference):
    import joblib

    _, worker_pids = dask_client
    model, g, j = hanai_grid()
    with joblib.parallel_config(backend="dask"):
        assert set(parallel_map(task_pid, range(4))) <= worker_pids  # the cluster computed them
        film = sweeps.film_scaling(K0S, NS, TIMES)
        hanai = sweeps.phase_diagram(model, g, j, return_multistability=True)
    assert_same_film(film, film_reference)
    assert_same_map(hanai, hanai_reference)
