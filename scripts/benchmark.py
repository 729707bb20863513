"""Benchmark: the block solver of QubitEnsemble.emission against qutip.mesolve.

Runs every measurement in a fresh subprocess (so peak memory is that of one solve)
and prints a Markdown table: wall time, peak resident memory, and the largest
difference of the emission rates between the two solvers.

    python scripts/benchmark.py                 # N = 2..9 against qutip, then N = 10..12 alone
    python scripts/benchmark.py --max-fast 14 --problems film-k0=0.3   # push the block solver further

The block solver's numba kernels are compiled once and cached on disk (a warm-up
process does that before the first row); every measurement then starts with a
2-qubit warm-up solve of the same solver, so the times exclude loading the cached
kernels (about 0.3 s, once per Python process).

Problems (t in [0, 10] / gamma_0, 200 time points, fully excited initial state):
  random       random valid (J, Gamma): Hermitian J, positive semidefinite Gamma (seed 0)
  film-k0=...  Li & Flebus NV array above the chiral film (Eqs. 48-49), spacing 20 nm

The block solver's time is the median of three solves in the process (one if a solve
takes more than 10 s); qutip's is one mesolve.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np

TIMES = np.linspace(0, 10, 200)
REPEAT = 3


def problem(name: str, n: int):
    if name == "random":
        rng = np.random.default_rng(n)
        A = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
        B = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
        return (A + A.conj().T) / 2, B @ B.conj().T / n
    if name.startswith("film-k0="):
        from nonreciprocal.magnetic_bath import FerromagneticFilm

        return FerromagneticFilm().couplings(float(name.split("=")[1]), n)
    raise ValueError(f"unknown problem {name!r}")


def run_one(solver: str, name: str, n: int) -> dict:
    """One measurement, in this process. Returns rates for the comparison."""
    import qutip

    from nonreciprocal import QubitEnsemble
    from nonreciprocal.ensemble import lowering_operators

    # warm-up in this process: loads the block solver's compiled kernels from the disk cache
    # (about 0.3 s once per process) and qutip's first-call machinery, for both solvers alike
    QubitEnsemble(*problem("random", 2)).emission(TIMES[:3], method=solver)
    J, G = problem(name, n)
    start = time.perf_counter()
    evaluations = None
    if solver == "blocks":
        # the median of up to REPEAT solves (in one process, as a chapter runs them): single
        # solves of a second or less vary by tens of percent on this shared 2-core machine
        runs = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            res = QubitEnsemble(J, G).emission(TIMES, method="blocks")
            runs.append(time.perf_counter() - start)
            if runs[-1] > 10:
                break
        rates = res.rates
        evaluations = res.stats["rhs_evaluations"]
    elif solver == "qutip":
        # plain qutip: build the Liouvillian, mesolve with the populations as e_ops
        ens = QubitEnsemble(J, G)
        L = ens.liouvillian()
        rho0 = qutip.ket2dm(qutip.tensor([qutip.basis(2, 1)] * n))
        sm = lowering_operators(n)
        opts = {"atol": 1e-10, "rtol": 1e-8, "progress_bar": False, "store_states": True}
        out = qutip.mesolve(L, rho0, TIMES, e_ops=[s.dag() * s for s in sm], options=opts)
        elapsed_mesolve = time.perf_counter() - start
        # rates from the generator, R_a = -Tr(n_a L rho), on the stored states
        rates = np.array([[-qutip.expect(s.dag() * s, qutip.vector_to_operator(L * qutip.operator_to_vector(st))).real
                           for st in out.states] for s in sm])
    else:
        raise ValueError(solver)
    elapsed = float(np.median(runs)) if solver == "blocks" else time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"solver": solver, "problem": name, "n": n, "seconds": elapsed, "peak_mb": peak_mb,
              "evaluations": evaluations, "rates": rates.tolist()}
    if solver == "qutip":
        result["seconds"] = elapsed_mesolve  # time of mesolve itself, the fairest baseline
    return result


def measure(solver, name, n):
    cmd = [sys.executable, __file__, "--one", solver, name, str(n)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return {"solver": solver, "problem": name, "n": n, "error": proc.stderr.strip().splitlines()[-1]}
    return json.loads(proc.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--one", nargs=3, metavar=("SOLVER", "PROBLEM", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--max-qutip", type=int, default=9, help="largest N solved with qutip too (default 9)")
    parser.add_argument("--max-fast", type=int, default=12, help="largest N for the block solver alone (default 12)")
    parser.add_argument("--min-n", type=int, default=2, help="smallest N (default 2)")
    parser.add_argument("--problems", default="random,film-k0=0.003,film-k0=0.3")
    args = parser.parse_args()
    if args.one:
        solver, name, n = args.one
        print(json.dumps(run_one(solver, name, int(n))))
        return
    problems = args.problems.split(",")
    measure("blocks", "random", 3)  # compiles and caches the kernels
    print("| problem | N | block solver (s) | applications of L | block peak (MB) | qutip mesolve (s) | qutip peak (MB) | speed-up | max abs diff of rates |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in problems:
        for n in range(args.min_n, max(args.max_qutip, args.max_fast) + 1):
            fast = measure("blocks", name, n)
            if "error" in fast:
                print(f"| {name} | {n} | failed: {fast['error']} | | | | | | |", flush=True)
                break
            row = f"| {name} | {n} | {fast['seconds']:.3f} | {fast['evaluations']} | {fast['peak_mb']:.0f} |"
            if n <= args.max_qutip:
                ref = measure("qutip", name, n)
                if "error" in ref:
                    row += f" failed: {ref['error']} | | | |"
                else:
                    diff = np.abs(np.array(fast["rates"]) - np.array(ref["rates"])).max()
                    row += (f" {ref['seconds']:.2f} | {ref['peak_mb']:.0f} | {ref['seconds'] / fast['seconds']:.2g}x |"
                            f" {diff:.1e} |")
            else:
                row += " | | | |"
            print(row, flush=True)


if __name__ == "__main__":
    main()
