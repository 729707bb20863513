"""Benchmark: the block solver of QubitEnsemble.emission against qutip.mesolve and dynamiqs,
and the quantum trajectories beyond the exact solvers.

Runs every measurement in a fresh subprocess (so peak memory is that of one solve)
and prints two Markdown tables.

1. The exact solvers on the same problems, output times and tolerances (rtol 1e-8,
   atol 1e-10): wall time, peak resident memory, the largest difference of the
   emission rates from the block solver's, and the ratios qutip/blocks and
   dynamiqs/blocks.
2. The trajectories (``method="trajectories"``) for N = 10..16 on the film at
   k0 = 0.003, t in [0, 3] (61 points): wall time on all local cores, the relative
   standard error of the peak asymmetry max_t |R_1 - R_N| (at its maximum, with the
   covariance of R_1 and R_N), and the time extrapolated to a 2 % standard error,
   time x (relative s.e. / 2 %)^2, i.e. assuming the time grows as the number of
   trajectories. Up to N = 12 the block solver gives the exact peak on the same grid.

    python scripts/benchmark.py                 # N = 2..9 against qutip and dynamiqs, then N = 10..12 alone
    python scripts/benchmark.py --min-n 9 --max-fast 9 --problems film-k0=0.003 --max-traj 0   # the headline row
    python scripts/benchmark.py --max-fast 14 --problems film-k0=0.3   # push the block solver further
    python scripts/benchmark.py --max-fast 0 --max-qutip 0 --max-dynamiqs 0   # the trajectories table alone

dynamiqs is optional: ``pip install -e ".[bench]"`` (or ``pip install dynamiqs``).
Without it the script says so and leaves its columns empty.

The block solver's numba kernels are compiled once and cached on disk (a warm-up
process does that before the first row); every block-solver and qutip measurement
then starts with a 2-qubit warm-up solve of the same solver, so the times exclude
loading the cached kernels (about 0.3 s, once per Python process).

Problems (t in [0, 10] / gamma_0, 200 time points, fully excited initial state):
  random       random valid (J, Gamma): Hermitian J, positive semidefinite Gamma (seed 0)
  film-k0=...  Li & Flebus NV array above the chiral film (Eqs. 48-49), spacing 20 nm

The solvers and what is timed:
  blocks    QubitEnsemble(J, Gamma).emission(times, method="blocks"): the median of
            three solves in the process (one if a solve takes more than 10 s).
  qutip     one qutip.mesolve on the full Liouvillian (built before the clock starts),
            the populations as e_ops, states stored for the rates.
  dynamiqs  dq.mesolve with double precision, the sparse DIA layout, on the CPU, with
            the eigen-channels of Gamma as jump operators and Dopri8 (--dynamiqs-method).
            Its first call includes the JIT compilation and is reported on its own; the
            time in the table is the compiled call (the median of up to three, like the
            block solver's). Populations and rates are its expectation values of n_a and
            of the rate operator R_a = -L^dagger(n_a), for which Tr(R_a rho) = -d<n_a>/dt.
The rates of qutip and of the block solver also come from the generator (R_a = -Tr(n_a L rho)).
"cores" is the CPU time of the timed section over its wall time.
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
RTOL, ATOL = 1e-8, 1e-10  # every exact solver: the block solver's defaults, qutip's and dynamiqs's
REPEAT = 3
TRAJ_TIMES = np.linspace(0, 3, 61)  # the trajectories table: t in [0, 3] at the spacing of TIMES
TRAJ_TARGET = 0.02  # the relative standard error the trajectory times are extrapolated to
INSTALL_HINT = 'pip install -e ".[bench]"  (or: pip install dynamiqs)'


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


def rate_operators(J: np.ndarray, Gamma: np.ndarray):
    """qutip operators n_a = sigma^+_a sigma^-_a and R_a = -L^dagger(n_a), with Tr(R_a rho) = -Tr(n_a L rho).

    L^dagger(X) = i[H, X] + sum_k (c_k^dagger X c_k - {c_k^dagger c_k, X}/2), with H and the
    collapse operators c_k of the reference solver.
    """
    from nonreciprocal.solvers.reference import qutip_operators

    H, c_ops, sm = qutip_operators(J, Gamma)
    n_ops = [s.dag() * s for s in sm]
    rate_ops = []
    for x in n_ops:
        adj = 1j * (H * x - x * H)
        for c in c_ops:
            cdc = c.dag() * c
            adj += c.dag() * x * c - 0.5 * (cdc * x + x * cdc)
        rate_ops.append(-adj)
    return n_ops, rate_ops


def _clock():
    return time.perf_counter(), time.process_time()


def _since(clock):
    wall, cpu = _clock()
    return wall - clock[0], cpu - clock[1]


def _repeat(solve):
    """(last result, median wall time, its cores) of up to REPEAT solves; one if a solve takes more than 10 s."""
    runs = []
    for _ in range(REPEAT):
        clock = _clock()
        res = solve()
        runs.append(_since(clock))
        if runs[-1][0] > 10:
            break
    wall = float(np.median([r[0] for r in runs]))
    cores = float(np.median([r[1] / r[0] for r in runs]))
    return res, wall, cores


def run_blocks(J, G, n, times="exact"):
    from nonreciprocal import QubitEnsemble
    from nonreciprocal.magnetic_bath import peak_summary

    t = TIMES if times == "exact" else TRAJ_TIMES

    # warm-up in this process: loads the compiled kernels from the disk cache (about 0.3 s)
    QubitEnsemble(*problem("random", 2)).emission(TIMES[:3], method="blocks")
    # the median of up to REPEAT solves (in one process, as a chapter runs them): single
    # solves of a second or less vary by tens of percent on this shared 2-core machine
    res, wall, cores = _repeat(lambda: QubitEnsemble(J, G).emission(t, method="blocks", rtol=RTOL, atol=ATOL))
    return {"seconds": wall, "cores": cores, "evaluations": res.stats["rhs_evaluations"], "rates": res.rates,
            "peak": peak_summary(res)}


def run_qutip(J, G, n):
    import qutip

    from nonreciprocal import QubitEnsemble
    from nonreciprocal.solvers.reference import lowering_operators

    QubitEnsemble(*problem("random", 2)).emission(TIMES[:3], method="qutip")  # qutip's first-call machinery
    # plain qutip: build the Liouvillian, mesolve with the populations as e_ops
    L = QubitEnsemble(J, G).liouvillian()
    rho0 = qutip.ket2dm(qutip.tensor([qutip.basis(2, 1)] * n))
    sm = lowering_operators(n)
    opts = {"atol": ATOL, "rtol": RTOL, "progress_bar": False, "store_states": True}
    clock = _clock()
    out = qutip.mesolve(L, rho0, TIMES, e_ops=[s.dag() * s for s in sm], options=opts)
    wall, cpu = _since(clock)  # mesolve itself
    # rates from the generator, R_a = -Tr(n_a L rho), on the stored states
    rates = np.array([[-qutip.expect(s.dag() * s, qutip.vector_to_operator(L * qutip.operator_to_vector(st))).real
                       for st in out.states] for s in sm])
    return {"seconds": wall, "cores": cpu / wall, "rates": rates}


def dynamiqs_setup(J, G, n, method: str = "Dopri8"):
    """dynamiqs's fastest CPU setup for this problem; returns a function that solves it once.

    Double precision, the sparse DIA layout (only the nonzero diagonals of H, the jump
    operators and the expectation operators are stored; the state is dense), CPU, no
    progress bar, no stored states. The populations and rates are expectation values.
    """
    import dynamiqs as dq
    import qutip

    from nonreciprocal.solvers.reference import qutip_operators

    dq.set_precision("double")
    dq.set_layout("dia")
    dq.set_device("cpu")
    dq.set_progress_meter(False)
    H, c_ops, _ = qutip_operators(J, G)
    n_ops, rate_ops = rate_operators(J, G)
    H = dq.asqarray(H, layout=dq.dia)
    jump_ops = [dq.asqarray(c, layout=dq.dia) for c in c_ops]
    exp_ops = [dq.asqarray(x, layout=dq.dia) for x in n_ops + rate_ops]
    rho0 = dq.asqarray(qutip.ket2dm(qutip.tensor([qutip.basis(2, 1)] * n)), layout=dq.dense)
    solver = getattr(dq.method, method)(rtol=RTOL, atol=ATOL)

    def solve():
        res = dq.mesolve(H, jump_ops, rho0, TIMES, exp_ops=exp_ops, method=solver, save_states=False)
        res.expects.block_until_ready()
        return res

    return solve


def run_dynamiqs(J, G, n, method: str = "Dopri8"):
    clock = _clock()
    solve = dynamiqs_setup(J, G, n, method)
    setup, _ = _since(clock)
    clock = _clock()
    solve()  # traces, compiles (XLA) and solves
    first, _ = _since(clock)
    res, wall, cores = _repeat(solve)  # the compiled call
    expects = np.asarray(res.expects)
    return {"seconds": wall, "cores": cores, "first_seconds": first, "setup_seconds": setup,
            "steps": int(res.infos.nsteps), "method": method, "rates": expects[n:].real,
            "populations": expects[:n].real}


def run_trajectories(name, n, ntraj, seed):
    from nonreciprocal import QubitEnsemble
    from nonreciprocal.magnetic_bath import peak_summary
    from nonreciprocal.solvers.parallel import default_jobs

    n_jobs = default_jobs()  # all local cores

    # warm-up with the same workers: the pool starts and every worker loads the compiled kernels
    QubitEnsemble(*problem("random", 2)).emission(TRAJ_TIMES[:3], method="trajectories", ntraj=2 * n_jobs,
                                                   seed=seed, n_jobs=n_jobs)
    J, G = problem(name, n)
    clock = _clock()
    res = QubitEnsemble(J, G).emission(TRAJ_TIMES, method="trajectories", ntraj=ntraj, seed=seed, n_jobs=n_jobs)
    wall, _ = _since(clock)
    # the peak of |delta_1N| and its standard error there (with the covariance of R_1 and R_N)
    return {"seconds": wall, "ntraj": ntraj, "n_jobs": n_jobs, "peak": peak_summary(res)}


def run_one(solver: str, name: str, n: int, extra: dict) -> dict:
    """One measurement, in this process. Returns rates for the comparison."""
    if solver == "trajectories":
        result = run_trajectories(name, n, **extra)
    else:
        J, G = problem(name, n)
        if solver == "blocks":
            result = run_blocks(J, G, n, **extra)
        elif solver == "qutip":
            result = run_qutip(J, G, n)
        elif solver == "dynamiqs":
            result = run_dynamiqs(J, G, n, **extra)
        else:
            raise ValueError(solver)
    result = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in result.items()}
    result.update(solver=solver, problem=name, n=n, peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


def measure(solver, name, n, **extra):
    cmd = [sys.executable, __file__, "--one", solver, name, str(n), json.dumps(extra)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"]
        return {"solver": solver, "problem": name, "n": n, "error": lines[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def have(module: str) -> bool:
    """Whether ``module`` imports, asked of a subprocess: imported here, it would raise the peak
    memory of every measurement (on Linux a child starts with its parent's peak)."""
    return subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True).returncode == 0


EXACT_HEADER = (
    "| problem | N | blocks (s) | applications of L | blocks peak (MB) | qutip mesolve (s) | qutip peak (MB) "
    "| dynamiqs compiled (s) | dynamiqs 1st call incl. JIT (s) | dynamiqs steps | dynamiqs peak (MB) "
    "| qutip / blocks | dynamiqs / blocks | cores blocks/qutip/dynamiqs | max abs diff qutip | max abs diff dynamiqs |"
)


def ratio(slow: float, fast: float) -> str:
    r = slow / fast
    return f"{r:.0f}x" if r >= 10 else f"{r:.2g}x"


def exact_row(name, n, fast, ref, dqr) -> str:
    def diff(other):
        return f"{np.abs(np.array(fast['rates']) - np.array(other['rates'])).max():.1e}"

    cells = [name, str(n), f"{fast['seconds']:.3f}", str(fast["evaluations"]), f"{fast['peak_mb']:.0f}"]
    cores = [f"{fast['cores']:.1f}", "", ""]
    ratios, diffs = ["", ""], ["", ""]
    if ref is None:
        cells += ["", ""]
    elif "error" in ref:
        cells += [f"failed: {ref['error']}", ""]
    else:
        cells += [f"{ref['seconds']:.3f}", f"{ref['peak_mb']:.0f}"]
        ratios[0], cores[1], diffs[0] = ratio(ref["seconds"], fast["seconds"]), f"{ref['cores']:.1f}", diff(ref)
    if dqr is None:
        cells += ["", "", "", ""]
    elif "error" in dqr:
        cells += [f"failed: {dqr['error']}", "", "", ""]
    else:
        cells += [f"{dqr['seconds']:.3f}", f"{dqr['first_seconds']:.1f}", str(dqr["steps"]), f"{dqr['peak_mb']:.0f}"]
        ratios[1], cores[2], diffs[1] = ratio(dqr["seconds"], fast["seconds"]), f"{dqr['cores']:.1f}", diff(dqr)
    cells += ratios + ["/".join(cores)] + diffs
    return "| " + " | ".join(cells) + " |"


TRAJ_HEADER = (
    "| problem | N | trajectories | workers | wall time (s) | peak abs(delta_1N) | its s.e. | relative s.e. "
    "| time to 2 % s.e. (s, extrapolated) | exact peak abs(delta_1N) | (traj - exact) / s.e. | exact blocks (s) |"
)


def traj_row(name, n, traj, exact) -> str:
    if "error" in traj:
        return f"| {name} | {n} | failed: {traj['error']} |" + " |" * 9
    peak, se = traj["peak"]["max_abs_delta"], traj["peak"]["max_abs_delta_err"]
    rel = se / peak
    cells = [name, str(n), str(traj["ntraj"]), str(traj["n_jobs"]), f"{traj['seconds']:.2f}", f"{peak:.4f}",
             f"{se:.4f}", f"{100 * rel:.1f} %", f"{traj['seconds'] * (rel / TRAJ_TARGET) ** 2:.0f}"]
    if exact is None:
        cells += ["", "", ""]
    elif "error" in exact:
        cells += [f"failed: {exact['error']}", "", ""]
    else:
        peak_exact = exact["peak"]["max_abs_delta"]
        cells += [f"{peak_exact:.4f}", f"{(peak - peak_exact) / se:+.1f}", f"{exact['seconds']:.2f}"]
    return "| " + " | ".join(cells) + " |"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--one", nargs=4, metavar=("SOLVER", "PROBLEM", "N", "EXTRA"), help=argparse.SUPPRESS)
    parser.add_argument("--max-qutip", type=int, default=9, help="largest N solved with qutip too (default 9)")
    parser.add_argument("--max-dynamiqs", type=int, default=9, help="largest N solved with dynamiqs too (default 9)")
    parser.add_argument("--dynamiqs-method", default="Dopri8", choices=("Tsit5", "Dopri5", "Dopri8"),
                        help="dynamiqs's adaptive Runge-Kutta method (default Dopri8, its fastest here at N = 5-7)")
    parser.add_argument("--max-fast", type=int, default=12,
                        help="largest N for the block solver alone (default 12; with the other two at 0, "
                             "no table of the exact solvers)")
    parser.add_argument("--min-n", type=int, default=2, help="smallest N (default 2)")
    parser.add_argument("--problems", default="random,film-k0=0.003,film-k0=0.3")
    parser.add_argument("--min-traj", type=int, default=10, help="smallest N of the trajectories table (default 10)")
    parser.add_argument("--max-traj", type=int, default=16,
                        help="largest N of the trajectories table (default 16; 0 leaves the table out)")
    parser.add_argument("--traj-problem", default="film-k0=0.003", help="problem of the trajectories table")
    parser.add_argument("--ntraj", type=int, default=200, help="trajectories per row (default 200)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the trajectories (default 0)")
    parser.add_argument("--max-exact-traj", type=int, default=12,
                        help="largest N at which the trajectories are compared with the block solver (default 12)")
    args = parser.parse_args()
    if args.one:
        solver, name, n, extra = args.one
        print(json.dumps(run_one(solver, name, int(n), json.loads(extra))))
        return
    if args.ntraj < 2:
        parser.error(f"--ntraj must be at least 2 (a standard error needs two trajectories), got {args.ntraj}")

    with_dynamiqs = args.max_dynamiqs >= args.min_n and have("dynamiqs")
    if args.max_dynamiqs >= args.min_n and not with_dynamiqs:
        print(f"dynamiqs is not installed: its columns stay empty. Install it with  {INSTALL_HINT}",
              file=sys.stderr, flush=True)
    measure("blocks", "random", 3)  # compiles and caches the kernels
    sizes = range(args.min_n, max(args.max_qutip, args.max_dynamiqs if with_dynamiqs else 0, args.max_fast) + 1)
    if sizes:
        print(EXACT_HEADER)
        print("|" + " --- | ---: |" + " ---: |" * (EXACT_HEADER.count("|") - 3))
    for name in args.problems.split(",") if sizes else ():
        for n in sizes:
            fast = measure("blocks", name, n)
            if "error" in fast:
                print(f"| {name} | {n} | failed: {fast['error']} |" + " |" * 13, flush=True)
                break
            ref = measure("qutip", name, n) if n <= args.max_qutip else None
            dqr = (measure("dynamiqs", name, n, method=args.dynamiqs_method)
                   if with_dynamiqs and n <= args.max_dynamiqs else None)
            print(exact_row(name, n, fast, ref, dqr), flush=True)

    if args.max_traj < args.min_traj or args.max_traj <= 0:
        return
    if not have("nonreciprocal.solvers.trajectories"):
        print("the trajectories table needs nonreciprocal.solvers.trajectories, which this checkout does not have",
              file=sys.stderr, flush=True)
        return
    if sizes:
        print()
    print(TRAJ_HEADER)
    print("|" + " --- | ---: |" + " ---: |" * (TRAJ_HEADER.count("|") - 3))
    for n in range(args.min_traj, args.max_traj + 1):
        traj = measure("trajectories", args.traj_problem, n, ntraj=args.ntraj, seed=args.seed)
        exact = None
        if n <= args.max_exact_traj:
            exact = measure("blocks", args.traj_problem, n, times="trajectories")
        print(traj_row(args.traj_problem, n, traj, exact), flush=True)


if __name__ == "__main__":
    main()
