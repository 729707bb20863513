r"""The exact block solver.

The Hamiltonian conserves the number of excitations and every jump removes one,
so a state without coherences between excitation numbers stays block diagonal:
block :math:`k` (size :math:`\binom Nk`) evolves under :math:`H_{\rm eff}` plus a
feed from block :math:`k+1`. Only the upper triangles of the blocks are stored,
:math:`\binom{2N}{N}` complex numbers in all instead of :math:`4^N`. The time
derivative is the compiled kernel of :mod:`._kernels`; the propagator is a
Chebyshev expansion (:mod:`._chebyshev`) or scipy's DOP853.
"""

from __future__ import annotations

from math import comb

import numpy as np
import scipy.sparse as sp
from scipy.integrate import DOP853

from .result import EmissionResult

__all__ = ["BlockSystem", "initial_blocks", "memory_estimate", "propagate_chebyshev"]

#: The block solver's kernel uses all numba threads from this state size on (N >= 8).
PARALLEL_MIN_STATE = 5000

#: Blocks up to this size enter the spectral hull with their exact eigenvalues (N <= 12);
#: larger ones with the box of their field of values. At N = 12 (blocks up to 924) the
#: eigenvalues cost 3 s and save a third of the applications of L for the film at k0 = 0.003
#: (888 instead of 1371, 87 s instead of 123 s); at N = 13 (1716) they would cost ~20 s.
EXACT_BOX_MAX_DIM = 1000
#: Candidate ends of a Chebyshev step, as fractions of the planned step (see propagate_chebyshev).
STEP_FRACTIONS = (0.125, 0.25, 0.5, 1.0)


def memory_estimate(n: int, k_top: int | None = None) -> int:
    r"""Bytes the block solver needs at its peak for N = ``n`` qubits (Chebyshev propagator).

    ``k_top`` is the largest excitation number of the initial state (default ``n``, the fully
    excited state): only the blocks k <= k_top are propagated, but the sparse maps of every
    manifold and the tables of all :math:`2^N` basis states are built.

    With :math:`C = \binom{2N}{N} = \sum_k \binom Nk^2` and 16 bytes a complex number:

    * the state is the stack of upper triangles of the blocks k >= 1,
      :math:`\mathrm{tri} = \sum_{k\ge1} \binom Nk(\binom Nk + 1)/2 = (C + 2^N)/2 - 1` numbers;
    * the kernel unpacks the full blocks into one array and writes :math:`H_k\rho_k` into a
      scratch array of the same size: :math:`2(C - 1)` numbers;
    * the Chebyshev propagator peaks at the start of its second and later steps, where it
      holds the initial state (kept by the caller), the current state and the first term of
      the series, the previous step's four accumulators (one per candidate end of the step,
      ``STEP_FRACTIONS``) and the new ones while they are built from two products of four
      vectors each: about 16 state-sized vectors (tracemalloc, N = 11 and 12, three steps;
      a run that ends in one step peaks lower). The estimate counts 19, a margin for
      temporaries;
    * the sparse maps: :math:`H_k` (:math:`1 + k(N-k)` entries a row) and the rate operators
      (:math:`k + 2k(N-k)` a row), kept as CSR matrices and again as the triangle functionals
      of the solve: 48 bytes an entry of the two (calibrated when the rate operators were also
      kept in a third form; the margin is now a little larger);
    * 4 MiB for the rest: the tables of Chebyshev coefficients (output times of a step x terms
      of the series, about 64 bytes an entry: ~2 MB for a few hundred output times, more for
      many thousands), the observables and the index tables.

    Calibrated with ``scripts/memory_check.py`` (the film at k0 = 0.003, 161 output times in
    [0, 2], peak resident memory of a fresh process minus its memory before the solve):
    measured 26.8, 127.5 and 485.6 MB at N = 10, 11 and 12 against estimates of 42.0, 143.1 and
    523.2 MB (ratios 1.56, 1.12, 1.08; N = 10 ends in one step). The vectors dominate from
    N = 11 on: 2 (C - 1) + 19 tri is about 11.5 C numbers, 184 C bytes. The DOP853 integrator
    (a cross-check) keeps more stages and is not covered.
    """
    if int(n) != n or n < 1:
        raise ValueError(f"n must be a positive integer, got {n}")
    n = int(n)
    k_top = n if k_top is None else int(k_top)
    if not 0 <= k_top <= n:
        raise ValueError(f"k_top must be in 0..{n}, got {k_top}")
    # sum_{1 <= k <= k_top} C(n, k)^2: the unpacked blocks (block 0 is not propagated)
    full = sum(comb(n, k) ** 2 for k in range(1, k_top + 1))
    tri = sum(comb(n, k) * (comb(n, k) + 1) // 2 for k in range(1, k_top + 1))  # the state
    vectors = 2 * full + 19 * tri
    return int(16 * vectors + _tables_bytes(n) + 4 * 2**20)


def _tables_bytes(n: int) -> int:
    """The sparse maps of every manifold (48 bytes an entry) and the tables of the 2^N basis states."""
    nnz = sum(comb(n, k) * ((1 + k * (n - k)) + (k + 2 * k * (n - k))) for k in range(1, n + 1))
    return 48 * nnz + 2**n * (24 + n)


def propagate_chebyshev(apply, update, y0, t, points, *, tol, observe, bar=None):
    """Observables (``observe(y)``, stacked) at the times ``t`` of y(t) = exp((t - t0) L) y0.

    ``apply(v)`` returns L v; ``update`` is one step of the recurrence
    (:func:`_kernels.chebyshev_update` with the solver's buffers). The ellipse and the
    longest step come from :func:`_chebyshev.plan` for a spectrum inside the convex hull
    of ``points``. The plan's bound on the terms ignores non-normality, which the
    block-triangular feed makes strong: the vectors T_m(L) v can outgrow r^m by orders of magnitude. So each
    step carries several candidate ends (``STEP_FRACTIONS`` of the step), one
    accumulated state each; a candidate drops out when its terms exceed
    ``MAX_GROWTH`` times the state (rounding errors would be amplified as much), and
    the step ends at the longest candidate that converged (terms below ``tol``); an
    accumulator stops as soon as its candidate has converged or dropped out. The next
    step is at most twice as long. If every candidate drops out the step is retried at
    a sixteenth of its length (counted in ``halvings``).
    """
    from . import _chebyshev as cheb

    T = t.size
    obs0 = observe(y0)
    out = np.empty((obs0.size, T))
    out[:, 0] = obs0
    info = {"steps": 0, "halvings": 0, "growth": 0.0}
    if T == 1:
        return out, info
    t_end = float(t[-1])
    p = cheb.plan(points, t_end - float(t[0]), tol)
    info["plan"] = p
    sign = -1.0 if p.kind == "I" else 1.0
    c, f, log_r = p.center, p.focal, np.log(p.ratio)
    fractions = np.asarray(STEP_FRACTIONS)
    K = fractions.size
    t_now, v, j, h = float(t[0]), y0, 1, p.step
    while j < T:
        if t_end - t_now < 1.5 * h:
            h = t_end - t_now  # the rest in one step: a short last step would pay the series' fixed overhead
        ends = h * fractions
        j_end = j
        while j_end < T and t[j_end] - t_now <= h * (1 + 1e-12):
            j_end += 1
        taus = np.concatenate([t[j:j_end] - t_now, ends])
        hx = h * p.ratio * f  # h (a + b): the terms needed grow like this
        m_cap = int(2.6 * hx + 16 * hx ** (1 / 3) + 80)
        coef = cheb.coefficients(p, taus, m_cap)
        coef_ends = np.ascontiguousarray(coef[-K:])
        # candidate k answers for every time up to its end (output times and the end itself)
        cover = taus[None, :] <= ends[:, None] * (1 + 1e-12)
        with np.errstate(divide="ignore"):
            bound = np.log(np.abs(coef)) + np.arange(m_cap) * log_r
        above = bound >= np.log(tol)
        need = np.where(above.any(axis=1), m_cap - np.argmax(above[:, ::-1], axis=1), 1)
        need_k = np.array([need[row].max() for row in cover])
        # log_peak[i, m]: the largest bound on the terms still to come for time i, max over m' >= m
        log_peak = np.maximum.accumulate(bound[:, ::-1], axis=1)[:, ::-1]
        scale = max(float(np.abs(v).max()), 1e-300)
        w_prev, w = v, (apply(v) - c * v) / f
        acc = coef_ends[:, :1] * v[None, :] + coef_ends[:, 1:2] * w[None, :]
        obs = [observe(v), observe(w)]
        bad = np.zeros(taus.size, dtype=bool)
        quiet = np.zeros(taus.size, dtype=int)
        converged = np.zeros(K, dtype=bool)
        closed = np.zeros(K, dtype=bool)  # accumulators that have converged or dropped out stop
        m = 2
        while True:
            w_next = apply(w)
            active = np.nonzero(~closed)[0]
            big = update(w_next, w, w_prev, c, f, sign, acc, active, np.ascontiguousarray(coef_ends[active, m]))
            sizes = np.abs(coef[:, m]) * big / scale
            # the non-normal growth so far, big / r^m, only increases in practice: a time whose
            # coming terms would exceed the limit even without further growth drops out now
            with np.errstate(divide="ignore"):
                ahead = np.exp(log_peak[:, min(m + 1, m_cap - 1)] + np.log(big / scale) - m * log_r)
            quiet = np.where(sizes < tol, quiet + 1, 0)
            settled = (quiet >= 3) & (m >= need // 2)
            bad |= (sizes > cheb.MAX_GROWTH) | ((ahead > cheb.MAX_GROWTH) & ~settled)
            viable = ~(cover & bad[None, :]).any(axis=1)
            converged |= viable & (cover <= settled[None, :]).all(axis=1) & (m >= need_k // 2)
            info["growth"] = max(info["growth"], float(sizes[~bad].max(initial=0.0)))
            obs.append(observe(w_next))
            w_prev, w = w, w_next
            if m + 1 >= m_cap:
                viable &= converged
            closed |= converged | ~viable
            if not viable.any() or converged[np.nonzero(viable)[0][-1]]:
                break
            m += 1
        if not viable.any():  # every candidate end grew too much: retry with a much shorter step
            info["halvings"] += 1
            h = ends[0] / 2
            if h < 1e-9 * max(1.0, abs(t_end)):
                raise RuntimeError("the Chebyshev expansion does not converge; use integrator='dop853'")
            continue
        best = int(np.nonzero(viable)[0][-1])
        step = float(ends[best])
        j_stop = j
        while j_stop < j_end and t[j_stop] - t_now <= step * (1 + 1e-12):
            j_stop += 1
        obs = np.array(obs)  # (m + 1, n_obs)
        out[:, j:j_stop] = (coef[: j_stop - j, : m + 1] @ obs).T
        v, t_now, j = acc[best].copy(), t_now + step, j_stop
        h = min(p.step, 2 * step)
        info["steps"] += 1
        if bar is not None:
            bar.n = float(t_now - t[0])
            bar.refresh()
    return out, info


class BlockSystem:
    r"""Excitation-number blocks of the master equation.

    For each manifold k (k excitations) it holds the non-Hermitian Hamiltonian
    H_k (sparse CSR) and the rate operators, stacked (``rate_ops``): the exact solver turns
    them into maps from the stored triangles to the rates, the trajectories apply them to states;
    :meth:`free_tables` gives the index tables of the feed from block k+1.
    The time derivative itself is the compiled kernel of :mod:`nonreciprocal.solvers._kernels`.
    """

    def __init__(self, J: np.ndarray, Gamma: np.ndarray):
        n = J.shape[0]
        self.n = n
        codes = np.arange(2**n)
        self.popcount = np.array([bin(c).count("1") for c in codes])
        self.states = [codes[self.popcount == k] for k in range(n + 1)]
        self.dims = [len(s) for s in self.states]
        self.index = np.empty(2**n, dtype=np.int64)
        for s in self.states:
            self.index[s] = np.arange(len(s))
        masks = [1 << (n - 1 - a) for a in range(n)]  # qubit a <-> bit (n-1-a)
        self.bits = [((self.states[k][:, None] & np.array(masks)[None, :]) != 0) for k in range(n + 1)]
        M = J - 1j * Gamma  # H_eff = 1/2 sum_ab M_ab s+_a s-_b
        self.H, self.rate_ops = {}, {}
        for k in range(1, n + 1):
            d, st, bt = self.dims[k], self.states[k], self.bits[k]
            # --- H_eff restricted to manifold k
            rows, cols, vals = [np.arange(d)], [np.arange(d)], [0.5 * (bt * np.diag(M)[None, :]).sum(1)]
            # --- rate operator R_a = Gamma_aa n_a + sum_{b!=a} [(i M_ab/2) s+_a s-_b + h.c.]
            r_rows, r_cols, r_vals = [[] for _ in range(n)], [[] for _ in range(n)], [[] for _ in range(n)]
            for a in range(n):
                idx = np.nonzero(bt[:, a])[0]
                r_rows[a].append(idx)
                r_cols[a].append(idx)
                r_vals[a].append(np.full(idx.size, Gamma[a, a].real, dtype=complex))
            for a in range(n):
                for b in range(n):
                    if a == b:
                        continue
                    src = np.nonzero(bt[:, b] & ~bt[:, a])[0]  # b excited, a empty
                    if src.size == 0:
                        continue
                    dst = self.index[st[src] ^ masks[a] ^ masks[b]]  # s+_a s-_b |src>
                    rows.append(dst)
                    cols.append(src)
                    vals.append(np.full(src.size, 0.5 * M[a, b]))
                    if M[a, b] != 0:
                        c = 0.5j * M[a, b]
                        r_rows[a] += [dst, src]
                        r_cols[a] += [src, dst]
                        r_vals[a] += [np.full(src.size, c), np.full(src.size, np.conj(c))]
            self.H[k] = sp.csr_matrix(
                (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(d, d)
            )
            # the rate operators, stacked: row a*d + i, column j holds R_hat_a[i, j]; R_a = Tr(R_hat_a rho)
            ii = np.concatenate([a * d + np.concatenate(r_rows[a]) for a in range(n)])
            jj = np.concatenate([np.concatenate(r_cols[a]) for a in range(n)])
            vv = np.concatenate([np.concatenate(r_vals[a]) for a in range(n)])
            self.rate_ops[k] = sp.csr_matrix((vv, (ii, jj)), shape=(n * d, d))
        self.gamma = np.ascontiguousarray(Gamma, dtype=complex)
        self.masks = masks

    def free_tables(self, k):
        """For every state i of manifold k: its empty qubits a, and the index of i with a raised in manifold k+1.

        Returns two (C(N,k), N-k) integer arrays; they drive the feed of block k from block k+1.
        """
        st, bt = self.states[k], self.bits[k]
        nf = self.n - k
        fa = np.nonzero(~bt)[1].reshape(self.dims[k], nf)
        fu = self.index[st[:, None] | np.array(self.masks)[fa]]
        return fa.astype(np.int64), fu.astype(np.int64)

    def spectral_points(self, ks):
        r"""Complex points whose convex hull contains the spectrum of the generator on the blocks ``ks``.

        The feed between blocks is block triangular and adds no eigenvalue, so the
        spectrum is the union of those of the block generators
        :math:`\rho \mapsto -i(H_k\rho - \rho H_k^\dagger)`, whose eigenvalues are
        :math:`-i(\lambda_i - \bar\lambda_j)` for eigenvalues :math:`\lambda` of H_k:
        the Minkowski sum of the set :math:`\{-i\lambda\}` and its mirror image, whose hull
        is spanned by the sums of the two sets' hull vertices. Blocks up to
        ``EXACT_BOX_MAX_DIM`` use these exact eigenvalues. For larger blocks, with
        :math:`H_k = A_k - iB_k` (A, B Hermitian), the field of values gives a box: real
        parts in :math:`[-2\max B_k, 0]`, imaginary parts within
        :math:`\pm(\max A_k - \min A_k)` (up to twice as wide as the spectrum for a
        non-normal H_k). The propagator checks the growth of its terms on the actual
        vectors, so points that ignore non-normality are safe.
        """
        from scipy.spatial import ConvexHull, QhullError

        pts = []
        for k in ks:
            H = self.H[k]
            if H.shape[0] <= EXACT_BOX_MAX_DIM:
                v = -1j * np.linalg.eigvals(H.toarray())
                if v.size > 3:
                    try:
                        v = v[ConvexHull(np.column_stack([v.real, v.imag])).vertices]
                    except QhullError:  # collinear or repeated eigenvalues: keep them all
                        pass
                pts.append((v[:, None] + v.conj()[None, :]).ravel())
                continue
            A = (H + H.conj().T) * 0.5
            B = (H - H.conj().T) * 0.5j
            if H.shape[0] <= 64:
                a = np.linalg.eigvalsh(A.toarray())
                amin, amax, bmax = a[0], a[-1], np.linalg.eigvalsh(B.toarray())[-1]
            else:
                from scipy.sparse.linalg import eigsh

                amax = eigsh(A, k=1, which="LA", tol=1e-8, return_eigenvectors=False)[0]
                amin = eigsh(A, k=1, which="SA", tol=1e-8, return_eigenvectors=False)[0]
                bmax = eigsh(B, k=1, which="LA", tol=1e-8, return_eigenvectors=False)[0]
            R, W = 2 * float(bmax) * (1 + 1e-6), float(amax - amin) * (1 + 1e-6)
            pts.append(np.array([W * 1j, -W * 1j, -R + W * 1j, -R - W * 1j]))
        # z = 0 as well: the blocks only lose trace, so exp(tL) is a contraction and its
        # pseudospectra reach up to the imaginary axis even when the eigenvalues do not (a
        # one-way chain has the single eigenvalue -k gamma_0 per block, and a series on the
        # bare segment [-N gamma_0, -gamma_0] needs fifty times more terms)
        return np.concatenate(pts + [np.zeros(1)])

    def triangle_functionals(self, ks, yoff):
        """Sparse maps from the stacked upper triangles to rates (complex; take .real) and populations."""
        from . import _kernels

        rr, rc, rv, pr, pc = [], [], [], [], []
        for q, k in enumerate(ks):
            d = self.dims[k]
            coo = self.rate_ops[k].tocoo()  # entry (a*d + i, j) holds R_hat_a[i, j]
            a, i, j = coo.row // d, coo.row % d, coo.col
            keep = i <= j
            i, j, a, v = i[keep], j[keep], a[keep], coo.data[keep]
            # Tr(R rho) over the pair (i, j), (j, i) of a Hermitian rho: 2 Re(conj(R[i, j]) rho[i, j])
            r = np.arange(d)
            row_start = yoff[q] + _kernels.tri_pos.py_func(r, r, d)  # position of element (r, r)
            rr.append(a)
            rc.append(row_start[i] + (j - i))
            rv.append(np.where(i < j, 2 * np.conj(v), v))
            b_, a_ = np.nonzero(self.bits[k])
            pr.append(a_)
            pc.append(row_start[b_])
        size = int(yoff[-1])
        rates = sp.csr_matrix((np.concatenate(rv), (np.concatenate(rr), np.concatenate(rc))), shape=(self.n, size))
        pops = sp.csr_matrix(
            (np.ones(sum(x.size for x in pr)), (np.concatenate(pr), np.concatenate(pc))), shape=(self.n, size)
        )
        return rates, pops

    def solve(self, t, blocks0, *, rtol, atol, progress=False, integrator="chebyshev"):
        """Integrate the blocks from ``t[0]``; each block is stored as its upper triangle (rho is Hermitian)."""
        import numba

        from . import _kernels

        n = self.n
        k_top = max(blocks0)
        ks = [k for k in range(k_top, 0, -1)]  # block 0 (ground state) feeds nothing and emits nothing
        T = t.size
        rates = np.zeros((n, T))
        pops = np.zeros((n, T))
        if not ks:
            return EmissionResult(t, rates, pops, "blocks", {"rhs_evaluations": 0})
        dims = np.array([self.dims[k] for k in ks], dtype=np.int64)
        yoff = np.concatenate([[0], np.cumsum(dims * (dims + 1) // 2)]).astype(np.int64)
        foff = np.concatenate([[0], np.cumsum(dims * dims)]).astype(np.int64)
        hptr, hidx, hdat, hoff = [], [], [], []
        fa, fu, fuoff, nfree = [], [], [], []
        nnz = pos = tpos = 0
        for q, k in enumerate(ks):
            H = self.H[k]
            hoff.append(pos)
            hptr.append(H.indptr.astype(np.int64) + nnz)
            hidx.append(H.indices.astype(np.int64))
            hdat.append(H.data.astype(complex))
            nnz += H.nnz
            pos += H.shape[0] + 1
            fuoff.append(tpos)
            nfree.append(n - k)
            if q > 0:
                a_, u_ = self.free_tables(k)
                fa.append(a_.ravel())
                fu.append(u_.ravel())
                tpos += a_.size
        empty = np.zeros(0, dtype=np.int64)
        kernel_args = (
            dims, yoff, foff,
            np.concatenate(hptr), np.concatenate(hidx), np.concatenate(hdat), np.array(hoff, dtype=np.int64),
            np.concatenate(fa) if fa else empty, np.concatenate(fu) if fu else empty,
            np.array(fuoff, dtype=np.int64), np.array(nfree, dtype=np.int64), np.ascontiguousarray(self.gamma.T).ravel(),
        )
        # two threads pay off from N = 8 on; below, their start-up costs more than it saves
        threads = max(1, numba.get_num_threads()) if yoff[-1] >= PARALLEL_MIN_STATE else 1
        rows_q, rows_i = _kernels.balanced_rows(dims, nfree, threads=threads)
        full = np.zeros(int(foff[-1]), dtype=complex)
        scratch = np.empty_like(full)
        y0 = np.zeros(int(yoff[-1]), dtype=complex)
        for q, k in enumerate(ks):
            if k in blocks0:
                iu, ju = np.triu_indices(self.dims[k])
                y0[yoff[q] : yoff[q + 1]] = blocks0[k][iu, ju]
        counter = [0]

        # the vector whose blocks the last Chebyshev update left in ``full`` (used once)
        unpacked = [None]
        row_max = np.empty(rows_q.size)

        def rhs(_t, y):
            counter[0] += 1
            dy = np.empty_like(y)
            if y is not unpacked[0]:
                _kernels.unpack_blocks(y, full, rows_q, rows_i, dims, yoff, foff)
            unpacked[0] = None
            _kernels.block_rhs(full, scratch, dy, rows_q, rows_i, *kernel_args)
            return dy

        def chebyshev_update(lw, w, w_prev, c, f, sign, acc, active, coef):
            big = _kernels.chebyshev_update(lw, w, w_prev, c, f, sign, acc, active, coef, full, row_max,
                                            rows_q, rows_i, dims, yoff, foff)
            unpacked[0] = lw
            return big

        # rates and populations in one sparse product (the population map is real)
        w_obs = sp.vstack(self.triangle_functionals(ks, yoff)).tocsr()

        def observe(y):
            return (w_obs @ y).real

        threads_before = numba.get_num_threads()
        numba.set_num_threads(threads)
        try:
            obs, stats_extra = self._propagate(rhs, chebyshev_update, observe, t, ks, y0, rtol=rtol, atol=atol,
                                               progress=progress, integrator=integrator)
        finally:
            numba.set_num_threads(threads_before)
        rates, pops = obs[:n], obs[n:]
        stats = {"rhs_evaluations": counter[0], "state_size": int(yoff[-1]), **stats_extra}
        return EmissionResult(t, rates, pops, "blocks", stats)

    def _propagate(self, rhs, update, observe, t, ks, y0, *, rtol, atol, progress, integrator):
        """Observables at the times ``t`` with the chosen integrator, and what it reports."""
        n, T = self.n, t.size
        bar = None
        if progress and T > 1:
            from tqdm.auto import tqdm

            bar = tqdm(total=float(t[-1] - t[0]), desc=f"N={n} emission", unit="t")
        if integrator == "chebyshev":
            points = self.spectral_points(ks)
            obs, info = propagate_chebyshev(lambda v: rhs(0.0, v), update, y0, t, points, tol=atol, observe=observe,
                                             bar=bar)
            stats_extra = {"integrator": "chebyshev", **info}
        elif integrator == "dop853":
            obs = np.empty((2 * n, T))
            obs[:, 0] = observe(y0)
            if T > 1:
                solver = DOP853(rhs, t[0], y0, t[-1], rtol=rtol, atol=atol)
                j = 1
                while j < T:
                    solver.step()
                    if solver.status == "failed":
                        raise RuntimeError(f"time integration failed at t={solver.t:.6g}: {solver.message}")
                    if bar is not None:
                        bar.n = float(solver.t - t[0])
                        bar.refresh()
                    if t[j] <= solver.t:
                        dense = solver.dense_output()
                        while j < T and t[j] <= solver.t:
                            obs[:, j] = observe(solver.y if t[j] == solver.t else dense(t[j]))
                            j += 1
            stats_extra = {"integrator": "dop853"}
        else:
            raise ValueError(f"integrator must be 'chebyshev' or 'dop853', got {integrator!r}")
        if bar is not None:
            bar.close()
        return obs, stats_extra


def initial_blocks(bs: BlockSystem, rho, bits):
    """Per-manifold blocks {k: rho_k} of the initial state, or None if it has inter-manifold coherences.

    ``bits`` is a product state (0/1 per qubit, qubit 1 first) when ``rho`` is None.
    """
    if rho is None:
        k = int(np.sum(bits))
        s = int("".join(map(str, bits)), 2)
        blk = np.zeros((bs.dims[k], bs.dims[k]), dtype=complex)
        blk[bs.index[s], bs.index[s]] = 1.0
        return {k: blk}
    exc = bs.popcount
    offdiag = exc[:, None] != exc[None, :]
    if np.abs(rho[offdiag]).max(initial=0.0) > 1e-12:
        return None
    out = {}
    for k in range(bs.n + 1):
        states = bs.states[k]
        blk = rho[np.ix_(states, states)]
        if np.abs(blk).max() > 0:
            out[k] = blk
    return out
