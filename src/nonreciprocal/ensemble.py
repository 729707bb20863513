r"""N two-level systems with coherent and dissipative couplings.

This module is the shared core of the book. It implements exactly the master
equation of Li & Flebus, Eqs. (1)-(3), with :math:`\hbar = 1`:

.. math::

    \dot\rho = -i[\mathcal H, \rho] + \mathcal L[\rho], \qquad
    \mathcal H = \tfrac12 \sum_{\alpha\beta} J_{\alpha\beta}\,
                 \sigma^+_\alpha \sigma^-_\beta, \qquad
    \mathcal L[\rho] = \sum_{\alpha\beta} \Gamma_{\alpha\beta}
        \left(\sigma^-_\beta \rho \sigma^+_\alpha
        - \tfrac12 \{\sigma^+_\alpha \sigma^-_\beta, \rho\}\right).

Qubit 1 is the leftmost qubit; in the computational basis it is the most
significant bit, as in ``qutip.tensor``. The core knows no paper: the physics
modules turn a bath into ``(J, Gamma)`` and hand it over.

The model and its validation live here; the solvers live in
:mod:`nonreciprocal.solvers`, one module each, and all return the same
:class:`~nonreciprocal.solvers.EmissionResult`:

``"blocks"`` (:mod:`~nonreciprocal.solvers.blocks`)
    The exact fast path. The Hamiltonian conserves the number of excitations and
    every jump removes one, so a state without coherences between excitation
    numbers stays block diagonal: block :math:`k` (size :math:`\binom Nk`)
    evolves under :math:`H_{\rm eff}` plus a feed from block :math:`k+1`.
    Only :math:`\binom{2N}{N}` numbers are propagated instead of :math:`4^N`.
``"qutip"`` (:mod:`~nonreciprocal.solvers.reference`)
    The general path: ``qutip.mesolve`` on the full Liouvillian. It accepts any
    initial density matrix and is the reference the fast paths are tested against.
``"trajectories"`` (:mod:`~nonreciprocal.solvers.trajectories`)
    Quantum jumps: pure states of definite excitation number, averaged over
    ``ntraj`` random trajectories. Statistical, with standard errors; its memory
    grows as :math:`2^N` instead of :math:`\binom{2N}{N}`.
"""

from __future__ import annotations

import os

import numpy as np

from .solvers import reference
from .solvers.blocks import BlockSystem, initial_blocks, memory_estimate
from .solvers.reference import lowering_operators
from .solvers.result import EmissionResult

__all__ = ["QubitEnsemble", "EmissionResult", "lowering_operators", "available_memory"]

METHODS = ("auto", "blocks", "qutip", "trajectories")


def available_memory() -> int:
    """Bytes the exact solvers may use: ``NONRECIPROCAL_MEMORY_BYTES`` if set, else the memory
    the kernel reports available (``MemAvailable``), else the physical memory."""
    env = os.environ.get("NONRECIPROCAL_MEMORY_BYTES")
    if env:
        try:
            value = int(float(env))
        except ValueError:
            raise ValueError(f"NONRECIPROCAL_MEMORY_BYTES must be a number of bytes, got {env!r}") from None
        if value <= 0:
            raise ValueError(f"NONRECIPROCAL_MEMORY_BYTES must be positive, got {env!r}")
        return value
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))


def _gib(b: float) -> str:
    """A number of bytes with the binary prefix that keeps it readable ("7 GiB", "16.4 YiB")."""
    units = ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB")
    k = 0
    while k + 1 < len(units) and b >= 1024 ** (k + 1):
        k += 1
    return f"{int(b)} bytes" if k == 0 else f"{b / 1024**k:.3g} {units[k]}"


def _validated_matrix(name: str, value, n: int | None) -> np.ndarray:
    try:
        a = np.array(value, dtype=complex)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a numeric (N, N) array: {exc}") from None
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"{name} must be a square (N, N) array, got shape {a.shape}")
    if a.shape[0] == 0:
        raise ValueError(f"{name} must describe at least one qubit, got shape {a.shape}")
    if n is not None and a.shape[0] != n:
        raise ValueError(f"J and Gamma must have the same shape, got {(n, n)} and {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} has non-finite entries (nan or inf)")
    scale = max(1.0, float(np.abs(a).max()))
    err = float(np.abs(a - a.conj().T).max())
    if err > 1e-10 * scale:
        raise ValueError(
            f"{name} must be Hermitian ({name}_ab = conj({name}_ba)); "
            f"max |{name} - {name}^dagger| = {err:.3g}"
        )
    return 0.5 * (a + a.conj().T)


class QubitEnsemble:
    r"""N qubits with coherent couplings ``J`` and dissipative couplings ``Gamma``.

    Parameters
    ----------
    J : array_like, shape (N, N)
        Coherent couplings :math:`J_{\alpha\beta}` (Hermitian). The diagonal is
        an on-site energy shift.
    Gamma : array_like, shape (N, N)
        Dissipative couplings :math:`\gamma_{\alpha\beta}` (Hermitian, positive
        semidefinite). The diagonal :math:`\gamma_{\alpha\alpha}` is the decay
        rate of an isolated qubit.
    psd_tol : float
        Tolerance, relative to the largest eigenvalue of ``Gamma``, below which
        a negative eigenvalue is treated as rounding noise.

    Raises
    ------
    ValueError
        For non-square or mismatched shapes, non-finite entries, a non-Hermitian
        ``J`` or ``Gamma``, or a ``Gamma`` that is not positive semidefinite.
    """

    def __init__(self, J, Gamma, *, psd_tol: float = 1e-9):
        J = _validated_matrix("J", J, None)
        Gamma = _validated_matrix("Gamma", Gamma, J.shape[0])
        eig = np.linalg.eigvalsh(Gamma)
        scale = max(1.0, float(np.abs(eig).max()))
        if eig.min() < -psd_tol * scale:
            raise ValueError(
                "Gamma must be positive semidefinite (otherwise the master equation "
                f"does not preserve positivity); its smallest eigenvalue is {eig.min():.6g}"
            )
        self._J = J
        self._Gamma = Gamma
        self._J.setflags(write=False)
        self._Gamma.setflags(write=False)
        self._blocks: BlockSystem | None = None

    # ------------------------------------------------------------------ basics
    @classmethod
    def from_components(cls, gamma0=1.0, *, J_s=None, J_a=None, gamma_s=None, gamma_a=None, n=None):
        r"""Build the ensemble from the parts :math:`J = J^s + iJ^a`, :math:`\Gamma = \gamma^s + i\gamma^a`.

        ``J_s``/``gamma_s`` must be symmetric, ``J_a``/``gamma_a`` antisymmetric
        (N, N) real arrays; only their off-diagonal entries are used. The diagonal of
        ``Gamma`` is set to ``gamma0`` (a scalar or a length-N sequence) and the
        diagonal of ``J`` to zero, as in Li & Flebus Eq. (5).
        """
        parts = {"J_s": (J_s, 1), "J_a": (J_a, -1), "gamma_s": (gamma_s, 1), "gamma_a": (gamma_a, -1)}
        sizes = {np.shape(v)[0] for v, _ in parts.values() if v is not None}
        if n is not None:
            sizes.add(n)
        if np.ndim(gamma0) == 1:
            sizes.add(len(gamma0))
        if len(sizes) != 1:
            raise ValueError(f"cannot infer one number of qubits from the components (sizes {sorted(sizes)})")
        size = sizes.pop()
        arrays = {}
        for name, (value, parity) in parts.items():
            a = np.zeros((size, size)) if value is None else np.array(value, dtype=float)
            if a.shape != (size, size):
                raise ValueError(f"{name} must have shape {(size, size)}, got {a.shape}")
            off = a - np.diag(np.diag(a))
            if np.abs(off - parity * off.T).max() > 1e-12 * max(1.0, np.abs(off).max()):
                kind = "symmetric" if parity == 1 else "antisymmetric"
                raise ValueError(f"{name} must be {kind}")
            arrays[name] = off
        J = arrays["J_s"] + 1j * arrays["J_a"]
        Gamma = arrays["gamma_s"] + 1j * arrays["gamma_a"] + np.diag(np.broadcast_to(gamma0, size))
        return cls(J, Gamma)

    @classmethod
    def pair(cls, gamma0=1.0, *, J_s=0.0, J_a=0.0, gamma_s=0.0, gamma_a=0.0):
        r"""Two qubits from the four real numbers :math:`J^s_{12}, J^a_{12}, \gamma^s_{12}, \gamma^a_{12}`.

        Equivalent to :meth:`from_components` with 2 x 2 (anti)symmetric matrices; ``gamma0`` is
        the decay rate of each qubit.
        """
        sym = lambda v: [[0.0, v], [v, 0.0]]
        anti = lambda v: [[0.0, v], [-v, 0.0]]
        return cls.from_components(gamma0, J_s=sym(J_s), J_a=anti(J_a), gamma_s=sym(gamma_s), gamma_a=anti(gamma_a))

    @property
    def N(self) -> int:
        """Number of qubits."""
        return self._J.shape[0]

    @property
    def J(self) -> np.ndarray:
        """Coherent couplings (read-only copy of the validated input)."""
        return self._J

    @property
    def Gamma(self) -> np.ndarray:
        """Dissipative couplings (read-only copy of the validated input)."""
        return self._Gamma

    def __repr__(self) -> str:
        return f"QubitEnsemble(N={self.N})"

    def hoppings(self):
        r"""Complex Hatano-Nelson hoppings of Li & Flebus Eqs. (6)-(7).

        Returns
        -------
        gamma_L, gamma_R : ndarray, shape (N, N)
            ``gamma_L[a, b]`` (right-to-left) and ``gamma_R[a, b]``
            (left-to-right) for every pair; the diagonal is zero. For a < b,
            ``gamma_L[a, b]`` multiplies :math:`\sigma^+_a\sigma^-_b` and
            ``gamma_R[a, b]`` multiplies :math:`\sigma^+_b\sigma^-_a` in
            :math:`\mathcal H_{\rm eff}` (Eq. 5). They obey
            ``gamma_L[b, a] == gamma_R[a, b]``.
        """
        Js, Ja = self._J.real, self._J.imag
        gs, ga = self._Gamma.real, self._Gamma.imag
        gamma_L = 0.5 * ((Js + ga) + 1j * (Ja - gs))
        gamma_R = 0.5 * ((Js - ga) - 1j * (Ja + gs))
        np.fill_diagonal(gamma_L, 0)
        np.fill_diagonal(gamma_R, 0)
        return gamma_L, gamma_R

    def effective_hamiltonian(self) -> np.ndarray:
        r"""The single-excitation matrix of :math:`\mathcal H_{\rm eff} = \mathcal H - \tfrac i2\sum\Gamma_{\alpha\beta}\sigma^+_\alpha\sigma^-_\beta`.

        Entry ``[a, b]`` multiplies :math:`\sigma^+_a \sigma^-_b`; it equals
        :math:`(J_{ab} - i\Gamma_{ab})/2`.
        """
        return 0.5 * (self._J - 1j * self._Gamma)

    # ------------------------------------------------------------------ qutip
    def _qutip_operators(self):
        """The qutip Hamiltonian, collapse operators and sigma^- (see :func:`.solvers.reference.qutip_operators`)."""
        return reference.qutip_operators(self._J, self._Gamma)

    def liouvillian(self):
        """The full Liouvillian as a qutip superoperator (for cross-checks with ``qutip.mesolve``)."""
        return reference.liouvillian(self._J, self._Gamma)

    # ------------------------------------------------------------------ emission
    def emission(
        self,
        times,
        initial="excited",
        *,
        method="auto",
        rtol=1e-8,
        atol=1e-10,
        progress=False,
        integrator="chebyshev",
        ntraj=None,
        seed=None,
        allow_trajectories=False,
        n_jobs=None,
        client=None,
    ):
        r"""Emission rates and populations of every qubit in time.

        Parameters
        ----------
        times : array_like, shape (T,)
            Strictly increasing times; the initial state is taken at ``times[0]``.
        initial : "excited", sequence of 0/1, or density matrix
            ``"excited"`` is the fully excited state; a length-N sequence of 0/1 is
            a product state (1 = excited, qubit 1 first); a (2^N, 2^N) array or
            ``qutip.Qobj`` is a general density matrix (exact methods only).
        method : {"auto", "blocks", "qutip", "trajectories"}
            ``"auto"`` uses the block solver whenever the initial state has no
            coherences between excitation numbers and falls back to qutip otherwise.
            When the exact solver would need more memory than the machine has, it
            raises ``ValueError``, unless ``allow_trajectories=True``: then ``"auto"``
            runs the trajectories. Exact is always the default.
        rtol, atol : float
            Tolerances of the time integration. The block solver's Chebyshev
            propagator neglects terms below ``atol`` (in units of the density
            matrix); ``rtol`` applies to the Runge-Kutta integrators (DOP853, qutip).
            The trajectories use ``atol`` for their Taylor steps.
        progress : bool
            Show a progress bar (block solver and trajectories).
        integrator : {"chebyshev", "dop853"}
            Time propagation of the block solver: a Chebyshev expansion of the
            propagator (default, see :mod:`nonreciprocal.solvers._chebyshev`) or scipy's
            8th-order Dormand-Prince method (kept as an independent cross-check).
        ntraj : int
            Number of trajectories (``method="trajectories"``; default 500).
        seed : int
            Seed of the trajectories (default 0). Trajectory i draws from
            ``SeedSequence(seed, spawn_key=(i,))``, so the result does not depend on
            how the trajectories are shared among workers.
        allow_trajectories : bool
            Let ``method="auto"`` fall back to trajectories when the exact solver does
            not fit in memory.
        n_jobs : int or None
            Local worker processes for the trajectories (joblib; default: all cores).
        client : dask.distributed.Client or None
            Run the trajectories on this Dask cluster instead of the local cores.

        Returns
        -------
        EmissionResult
            With ``rates_err`` and ``populations_err`` for the trajectories.
        """
        t = np.asarray(times, dtype=float)
        if t.ndim != 1 or t.size == 0:
            raise ValueError("times must be a non-empty 1-D array")
        if not np.all(np.isfinite(t)):
            raise ValueError("times must be finite")
        if t.size > 1 and np.any(np.diff(t) <= 0):
            raise ValueError("times must be strictly increasing")
        if integrator not in ("chebyshev", "dop853"):
            raise ValueError(f"integrator must be 'chebyshev' or 'dop853', got {integrator!r}")
        if method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}, got {method!r}")
        if (ntraj is not None or seed is not None) and not (
            method == "trajectories" or (method == "auto" and allow_trajectories)
        ):
            raise ValueError("ntraj and seed apply to method='trajectories' (or 'auto' with allow_trajectories=True)")
        rho0, bits = self._parse_initial(initial)
        if method in ("auto", "blocks"):
            k_top = int(np.sum(bits)) if rho0 is None else self.N
            need, have = memory_estimate(self.N, k_top), available_memory()
            if need > have:
                if method == "auto" and allow_trajectories and rho0 is None:
                    method = "trajectories"
                else:
                    raise ValueError(
                        f"the exact block solver for N={self.N} qubits needs about {_gib(need)} "
                        f"(C(2N, N) = {_binom2(self.N):.3g} complex numbers, several copies), more than the "
                        f"{_gib(have)} available; use method='trajectories' (or allow_trajectories=True; "
                        "the environment variable NONRECIPROCAL_MEMORY_BYTES overrides the available memory)"
                    )
        if method == "trajectories":
            if rho0 is not None:
                raise ValueError("the trajectories start from a pure product state: 'excited' or a 0/1 sequence")
            from .solvers import trajectories

            return trajectories.solve(self, t, bits, ntraj=ntraj, seed=seed, atol=atol, progress=progress,
                                      n_jobs=n_jobs, client=client)
        blocks0 = None
        if method in ("auto", "blocks"):
            blocks0 = initial_blocks(self._block_system(), rho0, bits)
            if blocks0 is None and method == "blocks":
                raise ValueError("the block solver needs an initial state without coherences between excitation numbers")
        if blocks0 is not None:
            from threadpoolctl import threadpool_limits

            with threadpool_limits(limits=1):
                return self._block_system().solve(
                    t, blocks0, rtol=rtol, atol=atol, progress=progress, integrator=integrator
                )
        if rho0 is None:
            rho0 = reference.product_density(bits)
        return reference.solve(self._J, self._Gamma, t, rho0, rtol=rtol, atol=atol)

    def _parse_initial(self, initial):
        n = self.N
        if isinstance(initial, str):
            if initial != "excited":
                raise ValueError(f"initial must be 'excited', a 0/1 sequence or a density matrix, got {initial!r}")
            return None, np.ones(n, dtype=int)
        if hasattr(initial, "full") and hasattr(initial, "dims"):  # qutip.Qobj
            initial = initial.full()
        arr = np.asarray(initial)
        if arr.ndim == 1:
            if arr.shape != (n,) or not np.all(np.isin(arr, (0, 1))):
                raise ValueError(f"a product initial state is a sequence of N={n} entries, each 0 or 1; got {initial!r}")
            return None, arr.astype(int)
        if n > reference.MAX_QUTIP_QUBITS:
            raise ValueError(f"a density matrix of N={n} qubits has 4^N = {4**n:.3g} entries; "
                             "start from 'excited' or a 0/1 product state")
        dim = 2**n
        if arr.shape != (dim, dim):
            raise ValueError(f"a density matrix of N={n} qubits has shape {(dim, dim)}, got {arr.shape}")
        rho = np.array(arr, dtype=complex)
        if not np.all(np.isfinite(rho)):
            raise ValueError("the initial density matrix has non-finite entries")
        if np.abs(rho - rho.conj().T).max() > 1e-10:
            raise ValueError("the initial density matrix is not Hermitian")
        if abs(np.trace(rho) - 1) > 1e-8:
            raise ValueError(f"the initial density matrix has trace {np.trace(rho).real:.6g}, not 1")
        if np.linalg.eigvalsh(rho).min() < -1e-8:
            raise ValueError("the initial density matrix is not positive semidefinite")
        return rho, None

    def _block_system(self) -> BlockSystem:
        if self._blocks is None:
            self._blocks = BlockSystem(self._J, self._Gamma)
        return self._blocks


def _binom2(n: int) -> float:
    from math import comb

    return float(comb(2 * n, n))
