"""The block solver's peak memory against ``solvers.blocks.memory_estimate``.

For each N, a fresh Python process builds the Li & Flebus film at k0 = 0.003 (the hardest
case of the benchmark), loads the compiled kernels with a small solve, records its resident
memory, solves the fully excited array on the chapter's grid (161 times in [0, 2]) and
reports the peak resident memory (``resource.getrusage(...).ru_maxrss``) minus the memory
before the solve. A second fresh process repeats the solve under ``tracemalloc`` (the peak of
the bytes numpy and Python allocate, which does not depend on the C allocator's caching).
Prints one Markdown table row per N; N = 11 takes ~20 s, N = 12 ~2 min.

Usage (from the repository root):  python scripts/memory_check.py [--min-n 8] [--max-n 11]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(var, "1")

K0 = 0.003

CHILD = r"""
import resource, sys, time, tracemalloc
import numpy as np
from nonreciprocal import QubitEnsemble
from nonreciprocal.magnetic_bath import FerromagneticFilm

def rss():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024

n, k0, traced = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3] == "1"
film = FerromagneticFilm()
t = np.linspace(0, 2, 161)
QubitEnsemble(*film.couplings(k0, 8)).emission(t[:3])  # load the compiled kernels (parallel ones too)
ens = QubitEnsemble(*film.couplings(k0, n))
before = rss()
if traced:
    tracemalloc.start()
t0 = time.perf_counter()
res = ens.emission(t)
seconds = time.perf_counter() - t0
if traced:
    print(tracemalloc.get_traced_memory()[1], res.stats["steps"], f"{seconds:.1f}")
else:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux
    print(peak - before, res.stats["steps"], f"{seconds:.1f}")
"""


def measure(n: int, traced: bool):
    out = subprocess.run([sys.executable, "-c", CHILD, str(n), str(K0), "1" if traced else "0"],
                         check=True, capture_output=True, text=True).stdout.split()
    return int(out[0]), int(out[1]), float(out[2])


def main(min_n: int, max_n: int) -> None:
    from nonreciprocal.solvers.blocks import memory_estimate

    mb = 1e6
    print("| N | peak RSS - RSS before (MB) | tracemalloc peak (MB) | memory_estimate (MB) "
          "| estimate / RSS | Chebyshev steps | solve (s) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in range(min_n, max_n + 1):
        rss, steps, seconds = measure(n, traced=False)
        traced, _, _ = measure(n, traced=True)
        est = memory_estimate(n)
        print(f"| {n} | {rss / mb:.1f} | {traced / mb:.1f} | {est / mb:.1f} | {est / rss:.2f} | {steps} "
              f"| {seconds:.1f} |", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-n", type=int, default=8)
    parser.add_argument("--max-n", type=int, default=11)
    args = parser.parse_args()
    main(args.min_n, args.max_n)
