import os

# Small dense linear algebra: multithreaded BLAS is many times slower on 2 cores.
for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np
import pytest


def random_problem(n, seed, scale_J=1.0):
    """A random valid (J, Gamma): Hermitian J, Hermitian positive semidefinite Gamma."""
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    B = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    return scale_J * (A + A.conj().T) / 2, B @ B.conj().T / n


@pytest.fixture
def problem():
    return random_problem
