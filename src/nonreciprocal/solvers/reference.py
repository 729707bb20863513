"""The reference solver: ``qutip.mesolve`` on the full Liouvillian.

It accepts any initial density matrix and is what the fast solvers are tested
against. Its cost grows as :math:`4^N`; it is limited to ``MAX_QUTIP_QUBITS``.
"""

from __future__ import annotations

import numpy as np

from .result import EmissionResult

__all__ = ["lowering_operators", "qutip_operators", "liouvillian", "solve", "product_density", "MAX_QUTIP_QUBITS"]

#: Largest N for which the general (qutip) path builds a 4^N x 4^N Liouvillian.
MAX_QUTIP_QUBITS = 10


def lowering_operators(n: int):
    """The qutip operators :math:`\\sigma^-_\\alpha` of n qubits (qubit 1 first, ``basis(2, 1)`` excited)."""
    import qutip

    if int(n) != n or n < 1:
        raise ValueError(f"n must be a positive integer, got {n}")
    return [qutip.tensor([qutip.destroy(2) if i == a else qutip.qeye(2) for i in range(int(n))]) for a in range(int(n))]


def qutip_operators(J: np.ndarray, Gamma: np.ndarray):
    """The Hamiltonian, the collapse operators (eigen-channels of Gamma) and the sigma^- of (J, Gamma)."""
    n = J.shape[0]
    sm = lowering_operators(n)
    H = 0 * sm[0].dag() * sm[0]
    for a in range(n):
        for b in range(n):
            if J[a, b] != 0:
                H += 0.5 * J[a, b] * sm[a].dag() * sm[b]
    g, S = np.linalg.eigh(Gamma)
    c_ops = []
    for k in range(n):
        if g[k] > 1e-14 * max(1.0, g.max()):
            # O_k = sum_b conj(S[b, k]) sigma^-_b: sum_ab Gamma_ab (.) = sum_k g_k D[O_k]
            op = sum(np.conj(S[b, k]) * sm[b] for b in range(n))
            c_ops.append(np.sqrt(g[k]) * op)
    return H, c_ops, sm


def liouvillian(J: np.ndarray, Gamma: np.ndarray):
    """The full Liouvillian as a qutip superoperator."""
    import qutip

    n = J.shape[0]
    if n > MAX_QUTIP_QUBITS:
        raise ValueError(f"the full Liouvillian of N={n} qubits (4^N = {4 ** n}) is too large")
    H, c_ops, _ = qutip_operators(J, Gamma)
    return qutip.liouvillian(H, c_ops)


def solve(J: np.ndarray, Gamma: np.ndarray, t: np.ndarray, rho0: np.ndarray, *, rtol: float, atol: float):
    """Rates (from the generator) and populations with ``qutip.mesolve``."""
    import qutip

    n = J.shape[0]
    if n > MAX_QUTIP_QUBITS:
        raise ValueError(f"the qutip path is limited to N <= {MAX_QUTIP_QUBITS} qubits")
    H, c_ops, sm = qutip_operators(J, Gamma)
    L = qutip.liouvillian(H, c_ops)
    dims = [[2] * n, [2] * n]
    rho = qutip.Qobj(rho0, dims=dims)
    opts = {"atol": atol, "rtol": rtol, "progress_bar": False, "store_states": True, "nsteps": 10**6}
    res = qutip.mesolve(L, rho, t, options=opts)
    n_ops = [s.dag() * s for s in sm]
    pops = np.array([[qutip.expect(n_op, st) for st in res.states] for n_op in n_ops]).real
    rates = np.empty_like(pops)
    for j, st in enumerate(res.states):
        drho = qutip.vector_to_operator(L * qutip.operator_to_vector(st))
        rates[:, j] = [-qutip.expect(n_op, drho).real for n_op in n_ops]
    return EmissionResult(t, rates, pops, "qutip")


def product_density(bits) -> np.ndarray:
    """The density matrix of a product state (0/1 per qubit, qubit 1 = most significant bit)."""
    n = len(bits)
    s = int("".join(map(str, bits)), 2)
    rho = np.zeros((2**n, 2**n), dtype=complex)
    rho[s, s] = 1
    return rho
