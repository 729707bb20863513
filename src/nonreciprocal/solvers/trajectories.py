r"""Quantum trajectories: the master equation unravelled into quantum jumps.

Between jumps a trajectory is a pure state :math:`|\tilde\psi\rangle` of definite
excitation number :math:`k` that evolves under the non-Hermitian
:math:`H_{\rm eff} = \mathcal H - \tfrac i2 \sum_{\alpha\beta}\Gamma_{\alpha\beta}
\sigma^+_\alpha\sigma^-_\beta`; its norm decays. Write
:math:`\Gamma = \sum_c g_c\, s_c s_c^\dagger` (eigenvalues :math:`g_c \ge 0`,
eigenvectors :math:`s_c`). The dissipator is then
:math:`\sum_c g_c\,\mathcal D[O_c]` with :math:`O_c = \sum_\beta \overline{s_{\beta c}}\,
\sigma^-_\beta`, the decay channels. A jump happens when :math:`\langle\tilde\psi|
\tilde\psi\rangle` falls to a uniform random number :math:`r` (drawn after each
jump); it applies channel :math:`c` with probability :math:`\propto g_c\|O_c\psi\|^2`
and lowers the excitation number by one (Dalibard, Castin & Mølmer 1992; Plenio &
Knight 1998; the waiting-time form: Dum, Zoller & Ritsch 1992; Mølmer, Castin & Dalibard
1993). The average of :math:`|\psi\rangle\langle\psi|` over trajectories is
:math:`\rho(t)`.

Every observable is linear in :math:`\rho`, so each trajectory contributes
:math:`\langle\psi|\hat R_\alpha|\psi\rangle` to the rate, with the rate operator
:math:`\hat R_\alpha` of the exact block solver (:attr:`BlockSystem.rate_ops`,
:math:`{\rm Tr}\,\hat R_\alpha\rho = -\tfrac12 d\langle\sigma^z_\alpha\rangle/dt`), and
:math:`\langle\psi|n_\alpha|\psi\rangle` to the population. Nothing is differenced in
time. The standard errors are the standard deviations over trajectories divided by
:math:`\sqrt{n_{\rm traj}}`.

The state between jumps is propagated by a Taylor series of :math:`e^{-iH_k h}` over
steps of :math:`h\,\|H_k\|_1 \le 6`, summed until the terms fall below ``atol``; the
polynomial gives the state at any time inside the step, which places output times
and the jump time (Newton's method on the norm, safeguarded by bisection) without
further products with :math:`H_k`.

Trajectory :math:`i` draws its random numbers from
``numpy.random.default_rng(SeedSequence(seed, spawn_key=(i,)))``. The trajectories
run in fixed chunks of ``CHUNK`` whose sums are added in chunk order, so the result
is the same bit for bit whatever the number of workers, local or on a Dask cluster.
"""

from __future__ import annotations

import numbers
from functools import partial

import numpy as np
import scipy.sparse as sp

from .blocks import BlockSystem
from .parallel import local_workers, parallel_map
from .result import EmissionResult

__all__ = ["solve", "memory_estimate", "DEFAULT_NTRAJ", "CHUNK"]

#: Trajectories when ``ntraj`` is not given.
DEFAULT_NTRAJ = 500
#: Trajectories per task: fixed, so that the sums do not depend on the number of workers.
CHUNK = 20
#: The step: h times the 1-norm of H_k.
STEP_NORM = 6.0
#: Largest order of the Taylor series in one step (6^m/m! < 1e-16 from m = 39 on; a step that
#: needs more raises, which would mean a norm bound that does not bound).
MAX_ORDER = 60


def memory_estimate(n: int) -> int:
    """Bytes one worker process needs for the trajectories of N = ``n`` qubits.

    The block system's sparse maps of every manifold and its tables of the :math:`2^N` basis
    states (as for the exact solver, :func:`.blocks.memory_estimate`), plus the lowering maps
    (k entries a row, 24 bytes an entry) and a few state vectors of the largest manifold.
    """
    from math import comb

    from .blocks import _tables_bytes

    if int(n) != n or n < 1:
        raise ValueError(f"n must be a positive integer, got {n}")
    n = int(n)
    lowering = sum(comb(n, k) * k for k in range(1, n + 1))
    return int(_tables_bytes(n) + 24 * lowering + 16 * (MAX_ORDER + 8) * comb(n, n // 2))


class _Manifolds:
    """What a trajectory needs in each excitation manifold k, built once per process."""

    def __init__(self, J: np.ndarray, Gamma: np.ndarray, k_top: int):
        bs = BlockSystem(J, Gamma)
        n = bs.n
        self.n = n
        g, S = np.linalg.eigh(Gamma)
        keep = g > 1e-14 * max(1.0, g.max())
        self.g = g[keep]
        self.SH = np.ascontiguousarray(S[:, keep].conj().T)  # row c: the channel vector s_c^dagger
        self.H, self.R, self.D, self.occ, self.norm1 = {}, {}, {}, {}, {}
        for k in range(1, k_top + 1):
            H = bs.H[k].tocsr()
            self.H[k] = (-1j * H).tocsr()  # d psi / dt = -i H_eff psi
            self.norm1[k] = float(abs(H).sum(axis=0).max())
            self.R[k] = bs.rate_ops[k]
            self.occ[k] = np.ascontiguousarray(bs.bits[k].T, dtype=float)  # (n, d_k)
            # stacked lowering maps: row b*d_{k-1} + (index of s with qubit b lowered), column s
            d, dl = bs.dims[k], bs.dims[k - 1]
            st, bt = bs.states[k], bs.bits[k]
            rows, cols = [], []
            for b in range(n):
                src = np.nonzero(bt[:, b])[0]
                rows.append(b * dl + bs.index[st[src] ^ bs.masks[b]])
                cols.append(src)
            rows, cols = np.concatenate(rows), np.concatenate(cols)
            self.D[k] = sp.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n * dl, d))
        self.dims = bs.dims
        self.index = bs.index


_CACHE: dict = {}


def _manifolds(J, Gamma, k_top) -> _Manifolds:
    key = (J.tobytes(), Gamma.tobytes(), J.shape, k_top)
    if key not in _CACHE:
        _CACHE.clear()  # one problem at a time per process
        _CACHE[key] = _Manifolds(J, Gamma, k_top)
    return _CACHE[key]


def _observe(m: _Manifolds, k: int, psi: np.ndarray):
    """Rates <psi|R_a|psi> and populations <psi|n_a|psi> of a normalised psi in manifold k."""
    if k == 0:
        return np.zeros(m.n), np.zeros(m.n)
    Rpsi = (m.R[k] @ psi).reshape(m.n, -1)
    rates = (Rpsi @ psi.conj()).real
    pops = m.occ[k] @ (psi.real**2 + psi.imag**2)
    return rates, pops


def _trajectory(m: _Manifolds, t: np.ndarray, k0: int, s0: int, rng, atol: float):
    """One trajectory from the product state s0 (k0 excitations): rates and populations (n, T), jumps."""
    n, T = m.n, t.size
    rates = np.zeros((n, T))
    pops = np.zeros((n, T))
    k = k0
    psi = np.zeros(m.dims[k], dtype=complex)
    psi[m.index[s0]] = 1.0
    rates[:, 0], pops[:, 0] = _observe(m, k, psi)
    j, t_now, jumps = 1, float(t[0]), 0
    r = rng.random()  # the jump happens when the norm^2 falls to r
    norm2 = 1.0  # of the unnormalised state, relative to the last jump
    while j < T and k > 0:
        h = min(STEP_NORM / max(m.norm1[k], 1e-300), float(t[-1]) - t_now)
        # Taylor terms v_m = (-i H h)^m psi / m!
        A = m.H[k]
        terms = [psi]
        scale = np.abs(psi).max()
        for order in range(1, MAX_ORDER + 1):
            v = (A @ terms[-1]) * (h / order)
            terms.append(v)
            if np.abs(v).max() < atol * scale:
                break
        else:
            raise RuntimeError(f"the Taylor series did not converge in {MAX_ORDER} terms at t={t_now:.6g}")
        V = np.array(terms)  # (M, d)
        powers = np.arange(V.shape[0])

        def state(s):
            return (s**powers) @ V

        end = state(1.0)
        end_sq = float(np.vdot(end, end).real)
        end_norm2 = norm2 * end_sq
        if end_norm2 > r:  # no jump in this step
            s_jump = None
        else:  # the norm (monotone) falls to r inside the step: Newton with a bisection bracket
            lo, hi, s = 0.0, 1.0, 0.5
            dV = V[1:] * powers[1:, None]
            for _ in range(100):
                p = state(s)
                f = norm2 * float(np.vdot(p, p).real) - r
                if f > 0:
                    lo = s
                else:
                    hi = s
                if hi - lo < 1e-13:
                    break
                dp = (s ** powers[:-1]) @ dV
                df = 2 * norm2 * float(np.vdot(p, dp).real)
                s_new = s - f / df if df < 0 else 0.5 * (lo + hi)
                s = s_new if lo < s_new < hi else 0.5 * (lo + hi)
            else:
                raise RuntimeError(f"the jump time was not found to 1e-13 of a step at t={t_now:.6g}")
            s_jump = 0.5 * (lo + hi)
        s_stop = 1.0 if s_jump is None else s_jump
        while j < T and t[j] - t_now <= s_stop * h * (1 + 1e-12):
            p = state((t[j] - t_now) / h)
            p /= np.sqrt(float(np.vdot(p, p).real))
            rates[:, j], pops[:, j] = _observe(m, k, p)
            j += 1
        if s_jump is None:
            norm2 = end_norm2
            psi = end / np.sqrt(end_sq)
            t_now += h
            continue
        # the jump: pick a channel c with probability g_c |O_c psi|^2
        p = state(s_jump)
        p /= np.sqrt(float(np.vdot(p, p).real))
        lowered = (m.D[k] @ p).reshape(n, -1)  # row b: sigma^-_b psi, in manifold k-1
        O = m.SH @ lowered  # row c: O_c psi
        weights = m.g * np.einsum("cd,cd->c", O.conj(), O).real
        if not weights.sum() > 0:  # the norm fell although no channel can act: cannot happen for a valid Gamma
            raise RuntimeError(f"a jump at t={t_now + s_jump * h:.6g} found no decay channel (norm drift)")
        c = int(np.searchsorted(np.cumsum(weights), rng.random() * weights.sum(), side="right"))
        c = min(c, weights.size - 1)
        psi = O[c] / np.sqrt(weights[c] / m.g[c])
        k -= 1
        jumps += 1
        t_now += s_jump * h
        r, norm2 = rng.random(), 1.0
    # in the ground state nothing changes: rates and populations stay zero
    return rates, pops, jumps


def _chunk(task, J, Gamma, t, bits, seed, atol):
    """Sums over the trajectories first..last-1 of the rates, populations, their squares, and the jumps."""
    first, last = task
    k0 = int(np.sum(bits))
    s0 = int("".join(map(str, bits)), 2)
    m = _manifolds(J, Gamma, max(k0, 1))
    n, T = J.shape[0], t.size
    acc = np.zeros((4, n, T))
    cross = np.zeros((n, n, T))  # sum of R_a R_b
    jumps = 0
    for i in range(first, last):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))
        rates, pops, nj = _trajectory(m, t, k0, s0, rng, atol)
        acc[0] += rates
        acc[1] += pops
        acc[2] += rates**2
        acc[3] += pops**2
        cross += rates[:, None, :] * rates[None, :, :]
        jumps += nj
    return acc, cross, jumps


def _check_count(name, value, minimum):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def solve(ensemble, t: np.ndarray, bits, *, ntraj=None, seed=None, atol=1e-10, progress=False, n_jobs=None,
          client=None) -> EmissionResult:
    """Average ``ntraj`` trajectories from the product state ``bits`` (0/1 per qubit, qubit 1 first).

    Called by :meth:`QubitEnsemble.emission` with ``method="trajectories"``; returns an
    :class:`EmissionResult` with standard errors ``rates_err`` and ``populations_err``.
    """
    ntraj = DEFAULT_NTRAJ if ntraj is None else _check_count("ntraj", ntraj, 2)
    seed = 0 if seed is None else _check_count("seed", seed, 0)
    from ..ensemble import _gib, available_memory

    tasks = [(a, min(a + CHUNK, ntraj)) for a in range(0, ntraj, CHUNK)]
    # every local worker process builds the operators once; a cluster's workers have their own memory
    workers = 1 if client is not None else local_workers(n_jobs, len(tasks))
    need, have = memory_estimate(ensemble.N), available_memory()
    if workers * need > have:
        raise ValueError(f"the trajectories of N={ensemble.N} qubits build the sparse operators of all 2^N = "
                         f"{2**ensemble.N:.3g} basis states, about {_gib(need)} in every worker process "
                         f"({workers} here), more than the {_gib(have)} available (fewer n_jobs, or "
                         "NONRECIPROCAL_MEMORY_BYTES to override the available memory)")
    J = np.ascontiguousarray(ensemble.J)
    Gamma = np.ascontiguousarray(ensemble.Gamma)
    bits = np.asarray(bits, dtype=int)
    work = partial(_chunk, J=J, Gamma=Gamma, t=t, bits=bits, seed=seed, atol=atol)
    parts = parallel_map(work, tasks, n_jobs=n_jobs, client=client, progress=progress,
                         desc=f"N={ensemble.N} trajectories")
    acc = np.zeros_like(parts[0][0])
    cross = np.zeros_like(parts[0][1])
    jumps = 0
    for a, x, nj in parts:  # in chunk order: the same sums whoever computed the chunks
        acc += a
        cross += x
        jumps += nj
    mean_r, mean_p = acc[0] / ntraj, acc[1] / ntraj
    var_r = np.maximum(acc[2] / ntraj - mean_r**2, 0.0) * ntraj / (ntraj - 1)
    var_p = np.maximum(acc[3] / ntraj - mean_p**2, 0.0) * ntraj / (ntraj - 1)
    cov = (cross / ntraj - mean_r[:, None, :] * mean_r[None, :, :]) * ntraj / (ntraj - 1) / ntraj
    stats = {"ntraj": ntraj, "seed": seed, "chunk": CHUNK, "mean_jumps": jumps / ntraj}
    return EmissionResult(t, mean_r, mean_p, "trajectories", stats, rates_err=np.sqrt(var_r / ntraj),
                          populations_err=np.sqrt(var_p / ntraj), rates_cov=cov)
