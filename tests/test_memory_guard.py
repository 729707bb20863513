"""The memory guard of the exact block solver: memory_estimate against available_memory, before allocating."""

import os
import time
import tracemalloc

import numpy as np
import pytest

from nonreciprocal import QubitEnsemble
from nonreciprocal.ensemble import _gib, available_memory
from nonreciprocal.magnetic_bath import FerromagneticFilm
from nonreciprocal.solvers.blocks import memory_estimate

ENV = "NONRECIPROCAL_MEMORY_BYTES"
TIMES = np.linspace(0, 1, 11)


def test_n40_is_refused_by_name_and_size_without_allocating(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    ens = QubitEnsemble(*FerromagneticFilm().couplings(0.003, 40))
    for method in ("auto", "blocks"):
        tracemalloc.start()
        t0 = time.perf_counter()
        with pytest.raises(ValueError) as err:
            ens.emission(TIMES, method=method)
        seconds = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        msg = str(err.value)
        assert "N=40" in msg and f"about {_gib(memory_estimate(40))}" in msg
        assert "YiB" in msg  # 2 x C(80, 40) complex numbers and more: ~16 YiB
        assert "method='trajectories'" in msg and "allow_trajectories=True" in msg
        assert peak < 1_000_000 and seconds < 1.0  # refused before any state-sized array


def test_tiny_memory_refuses_n6(monkeypatch, problem):
    monkeypatch.setenv(ENV, "1000")
    assert available_memory() == 1000
    ens = QubitEnsemble(*problem(6, 0))
    for kwargs in ({}, {"method": "blocks"}, {"method": "blocks", "allow_trajectories": True}):
        with pytest.raises(ValueError, match=r"N=6 qubits needs about .* more than the 1000 bytes available"):
            ens.emission(TIMES, **kwargs)
    rho = np.zeros((64, 64))
    rho[0, 0] = 1.0  # a density matrix: the block solver, guarded as well
    with pytest.raises(ValueError, match="N=6 qubits needs about"):
        ens.emission(TIMES, initial=rho)
    assert ens.emission(TIMES, method="qutip").method == "qutip"  # the guard is the block solver's


def test_guard_threshold_is_the_estimate(monkeypatch, problem):
    ens = QubitEnsemble(*problem(6, 1))
    monkeypatch.setenv(ENV, str(memory_estimate(6)))
    assert ens.emission(TIMES).method == "blocks"
    monkeypatch.setenv(ENV, str(memory_estimate(6) - 1))
    with pytest.raises(ValueError, match="method='trajectories'"):
        ens.emission(TIMES)


def test_auto_falls_back_to_trajectories_only_when_allowed(monkeypatch, problem):
    from nonreciprocal.solvers.trajectories import memory_estimate as traj_memory

    # between the two solvers' needs: the exact one refuses, the trajectories (one task) fit
    assert traj_memory(6) < memory_estimate(6)
    monkeypatch.setenv(ENV, str(traj_memory(6) + 1))
    ens = QubitEnsemble(*problem(6, 0))
    res = ens.emission(TIMES, method="auto", allow_trajectories=True, ntraj=20, seed=1)
    assert res.method == "trajectories"


@pytest.mark.parametrize("value", ["abc", "0", "-5", ""])
def test_memory_override_checked(monkeypatch, value):
    monkeypatch.setenv(ENV, value)
    if value == "":  # empty: as if unset
        assert available_memory() > 0
        return
    with pytest.raises(ValueError, match=ENV):
        available_memory()


def test_available_memory(monkeypatch):
    monkeypatch.setenv(ENV, "2e9")
    assert available_memory() == 2_000_000_000
    monkeypatch.delenv(ENV)
    have = available_memory()
    assert 0 < have <= os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.parametrize("n", [0, -1, 2.5])
def test_memory_estimate_rejects_bad_n(n):
    with pytest.raises(ValueError, match="positive integer"):
        memory_estimate(n)


def test_memory_estimate_covers_the_measured_peak(problem):
    """tracemalloc's peak of a block solve that takes several Chebyshev steps (where the solver peaks):
    the estimate must not be below it, nor far above (scripts/memory_check.py measures the resident memory)."""
    QubitEnsemble(*problem(3, 0)).emission(TIMES)  # compile/load the kernels outside the measurement
    ens = QubitEnsemble(*problem(10, 1))
    tracemalloc.start()
    res = ens.emission(np.linspace(0, 5, 50))  # two Chebyshev steps
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert res.method == "blocks" and res.stats["steps"] >= 2
    assert peak <= memory_estimate(10) <= 1.5 * peak
