r"""Compiled kernels of the block solver (numba).

The state of the block solver is one complex vector: the upper triangles
(diagonal included, row by row) of the blocks :math:`\rho_k`, top block first.
Element (i, j), i <= j, of a block of size d sits at ``tri_pos(i, j, d)``.

:func:`block_rhs` evaluates, for every block and every i <= j,

.. math::

    \dot\rho_k[i,j] = -i\Big(\sum_m H_k[i,m]\rho_k[m,j]
                     - \sum_m \overline{H_k[j,m]}\,\rho_k[i,m]\Big)
                     + \sum_{b\notin i}\sum_{a\notin j}\Gamma_{ab}\,
                       \rho_{k+1}[U(i,b), U(j,a)],

where H_k is the non-Hermitian Hamiltonian of manifold k (CSR) and U(i, b) is the
index, in manifold k+1, of state i with qubit b raised. The last term is the feed
:math:`\sum_{ab}\Gamma_{ab}\sigma^-_b\rho_{k+1}\sigma^+_a` written as a gather, so
no superoperator is stored. Rows of all blocks are processed in two parallel
loops, in an order that gives the threads equal shares of the work.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = ["balanced_rows", "bessel_table", "block_rhs", "chebyshev_update", "unpack_blocks", "tri_pos"]


@njit(cache=True, inline="always")
def tri_pos(i, j, d):
    """Position of element (i, j), i <= j, in the row-major upper triangle of a d x d matrix."""
    return i * d - (i * (i - 1)) // 2 + (j - i)


@njit(cache=True, inline="always")
def row_start(r, rows_q, rows_i, dims, yoff, foff):
    """Row ``r`` of the work list: its row i, block size d, its diagonal's position in the
    stacked triangles and the offset of its full block."""
    q = rows_q[r]
    i = rows_i[r]
    d = dims[q]
    return i, d, yoff[q] + tri_pos(i, i, d), foff[q]


@njit(cache=True, inline="always")
def block_row(a, f0, i, d):
    """Row i of the d x d block stored flat, row-major, at ``a[f0:]``, as a slice."""
    return a[f0 + i * d : f0 + i * d + d]


@njit(cache=True, inline="always")
def store_row(full, f0, i, d, src):
    """Write row i of a Hermitian block from its diagonal on (``src[j - i]`` = element (i, j)),
    and the mirror image into column i, into the full block at ``f0``.

    The diagonal is written as stored: its rounding-level imaginary part must not flip.
    Slices indexed by their own loop counter, so that the loops vectorise (see :func:`block_rhs`).
    """
    f_row = block_row(full, f0, i, d)[i:]  # (i, j), j >= i
    f_col = full[f0 + i * d + i : f0 + d * d : d]  # (j, i), j >= i
    for jj in range(d - i):
        f_row[jj] = src[jj]
    for jj in range(1, d - i):
        f_col[jj] = np.conj(src[jj])


@njit(cache=True, parallel=True)
def unpack_blocks(y, full, rows_q, rows_i, dims, yoff, foff):
    """Fill the full Hermitian blocks (flat, row-major, at ``foff``) from their upper triangles in ``y``."""
    for r in prange(rows_q.size):
        i, d, base, f0 = row_start(r, rows_q, rows_i, dims, yoff, foff)
        store_row(full, f0, i, d, y[base : base + d - i])


@njit(cache=True, parallel=True, fastmath=True)
def block_rhs(full, scratch, dy, rows_q, rows_i, dims, yoff, foff, hptr, hidx, hdat, hoff, fa, fu, fuoff, nfree, gamma_t):
    """Time derivative of the stacked upper triangles (see the module docstring).

    ``full`` holds the unpacked blocks (:func:`unpack_blocks`); ``scratch`` has the same
    size and receives H_k rho_k. Work is split over (block, row) pairs
    ``(rows_q[r], rows_i[r])``, ordered so that the two halves of the list cost the same
    (see :func:`balanced_rows`); each of the two passes is one parallel loop.
    Block q has size ``dims[q]``; its Hamiltonian is CSR with row pointers
    ``hptr[hoff[q] + i]`` (absolute positions into ``hidx``/``hdat``). For q > 0 the
    free qubits of state i of block q are ``fa[fuoff[q] + i*nfree[q] + s]`` and the
    corresponding raised states of block q-1 are ``fu[...]`` (same position).
    ``gamma_t`` is the transpose of Gamma, flattened: ``gamma_t[b*N + a] = Gamma[a, b]``.

    Inner loops index slices (rows) with their own loop counter: numba then knows the index
    is not negative, drops its wrap-around test and LLVM vectorises the loop (an index
    like ``offset + j`` keeps the test and the loop stays scalar, 2.5 times slower).
    """
    n = nfree[dims.size - 1] + 1  # the last block is k = 1, with N - 1 free qubits
    # pass 1: X = H_k rho_k, row by row: axpys of rows of rho_k, four nonzeros of H_k at a time
    for r in prange(rows_q.size):
        i, d, _, f0 = row_start(r, rows_q, rows_i, dims, yoff, foff)
        h0 = hoff[rows_q[r]]
        x = block_row(scratch, f0, i, d)
        x[:] = 0.0
        s = hptr[h0 + i]
        s1 = hptr[h0 + i + 1]
        while s + 4 <= s1:
            c0, c1, c2, c3 = hdat[s], hdat[s + 1], hdat[s + 2], hdat[s + 3]
            r0 = block_row(full, f0, hidx[s], d)
            r1 = block_row(full, f0, hidx[s + 1], d)
            r2 = block_row(full, f0, hidx[s + 2], d)
            r3 = block_row(full, f0, hidx[s + 3], d)
            for j in range(d):
                x[j] += c0 * r0[j] + c1 * r1[j] + c2 * r2[j] + c3 * r3[j]
            s += 4
        while s < s1:
            c0 = hdat[s]
            r0 = block_row(full, f0, hidx[s], d)
            for j in range(d):
                x[j] += c0 * r0[j]
            s += 1
    # pass 2: upper triangle of -i (H rho - rho H^dagger) plus the feed
    for r in prange(rows_q.size):
        q = rows_q[r]
        i, d, base, f0 = row_start(r, rows_q, rows_i, dims, yoff, foff)
        m = d - i
        out = dy[base : base + m]  # out[j - i] = drho[i, j]
        x_row = block_row(scratch, f0, i, d)[i:]  # X[i, j], j >= i
        x_col = scratch[f0 + i * d + i : f0 + d * d : d]  # X[j, i], j >= i
        for jj in range(m):
            out[jj] = -1j * (x_row[jj] - np.conj(x_col[jj]))
        if q > 0:
            # feed from block q-1 (one more excitation): rows U(i, b) of rho_{k+1}, transposed
            # so that the sum over b runs over contiguous memory
            du = dims[q - 1]
            fu0 = foff[q - 1]
            nf = nfree[q]
            t0 = fuoff[q]
            rt = np.empty((du, nf), dtype=np.complex128)
            gi = np.empty((n, nf), dtype=np.complex128)
            for sb in range(nf):
                b = fa[t0 + i * nf + sb]
                src = block_row(full, fu0, fu[t0 + i * nf + sb], du)
                g_b = gamma_t[b * n : b * n + n]
                for u in range(du):
                    rt[u, sb] = src[u]
                for a in range(n):
                    gi[a, sb] = g_b[a]
            fa_j = fa[t0 + i * nf : t0 + d * nf]  # free qubits of the states j >= i
            fu_j = fu[t0 + i * nf : t0 + d * nf]
            for jj in range(m):
                g = 0j
                for sa in range(nf):
                    g_a = gi[fa_j[jj * nf + sa]]
                    rho_u = rt[fu_j[jj * nf + sa]]
                    for sb in range(nf):
                        g += g_a[sb] * rho_u[sb]
                out[jj] += g


def balanced_rows(dims, nfree, threads=2):
    """(block, row) pairs ordered so that consecutive equal-count chunks carry equal work.

    numba splits a parallel loop into equal-count chunks, one per thread. Rows are
    sorted by cost (pass 2: (d - i)(1 + nfree^2) + d) and dealt in a snake order
    (thread 0, 1, 1, 0, 0, 1, ...), then concatenated thread by thread.
    """
    q = np.concatenate([np.full(d, k) for k, d in enumerate(dims)]).astype(np.int64)
    i = np.concatenate([np.arange(d) for d in dims]).astype(np.int64)
    d = np.asarray(dims)[q]
    cost = (d - i) * (1 + np.asarray(nfree)[q] ** 2) + d
    order = np.argsort(-cost, kind="stable")
    lanes = [[] for _ in range(threads)]
    for rank, r in enumerate(order):
        lap, pos = divmod(rank, threads)
        lanes[pos if lap % 2 == 0 else threads - 1 - pos].append(r)
    # equal counts per lane, so numba's equal-count chunks coincide with the lanes
    take = np.concatenate([np.array(lane, dtype=np.int64) for lane in lanes])
    return q[take], i[take]


@njit(cache=True, parallel=True, fastmath=True)
def chebyshev_update(lw, w, w_prev, center, focal, sign, acc, active, coef, full, row_max, rows_q, rows_i, dims, yoff,
                     foff):
    """One term of the Chebyshev recurrence, in place, in one parallel pass over the rows.

    On entry ``lw`` holds L w; on exit it holds w_next = 2 (L w - c w) / f + sign * w_prev,
    ``acc[active[k]] += coef[k] * w_next`` for the accumulators still open (one per
    candidate end of the step), and ``full`` holds the unpacked blocks of w_next (as :func:`unpack_blocks`
    would leave them), ready for the next application of L. Returns max |w_next|
    (as |Re| + |Im|); ``row_max`` is scratch of one entry per row.
    """
    scale = 2.0 / focal
    ends = active.size
    for r in prange(rows_q.size):
        i, d, base, f0 = row_start(r, rows_q, rows_i, dims, yoff, foff)
        m = d - i
        # rows as slices indexed by the loop counter: vectorised (see block_rhs)
        lw_r = lw[base : base + m]
        w_r = w[base : base + m]
        wp_r = w_prev[base : base + m]
        big = 0.0
        for jj in range(m):
            v = (lw_r[jj] - center * w_r[jj]) * scale + sign * wp_r[jj]
            lw_r[jj] = v
            big = max(big, abs(v.real) + abs(v.imag))
        store_row(full, f0, i, d, lw_r)
        for k in range(ends):
            a_r = acc[active[k], base : base + m]
            ck = coef[k]
            for jj in range(m):
                a_r[jj] += ck * lw_r[jj]
        row_max[r] = big
    return row_max.max()


@njit(cache=True)
def bessel_table(x, m, modified):
    r"""J_k(x) (``modified`` False) or e^{-x} I_k(x) (True) for k = 0..m-1 and every x >= 0.

    Miller's backward recurrence, :math:`Z_{k-1} = (2k/x) Z_k \mp Z_{k+1}`, started far
    above both m and x (where the wanted solution is negligible) and normalised by
    :math:`J_0 + 2\sum_k J_{2k} = 1` or :math:`e^{-x}(I_0 + 2\sum_k I_k) = 1`. The wanted
    solutions are the minimal ones of these recurrences, so the backward direction is
    stable; values are rescaled on the way down to stay inside the floating-point range.
    Returns an array of shape (x.size, m).
    """
    out = np.zeros((x.size, m))
    sgn = 1.0 if modified else -1.0
    for t in range(x.size):
        xt = x[t]
        if xt <= 1e-300:
            out[t, 0] = 1.0
            continue
        top = max(m, int(xt)) + 30 + int(8.0 * max(xt, 1.0) ** (1.0 / 3.0))
        top += top % 2
        buf = np.zeros(top + 2)
        buf[top] = 1e-280
        norm = 0.0
        for k in range(top, 0, -1):
            buf[k - 1] = (2.0 * k / xt) * buf[k] + sgn * buf[k + 1]
            if abs(buf[k - 1]) > 1e250:
                buf[k - 1 :] *= 1e-250
                norm *= 1e-250
            if modified:
                norm += 2.0 * buf[k]
            elif k % 2 == 0:
                norm += 2.0 * buf[k]
        norm += buf[0]
        for k in range(min(m, top + 1)):
            out[t, k] = buf[k] / norm
    return out
