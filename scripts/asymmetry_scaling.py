"""Beyond N = 9: asymmetry, burst and edge-readout signal of the NV array against N.

Exact dynamics (block solver of QubitEnsemble.emission) of N = 3..12 NV centres above the
chiral film of Li & Flebus Sec. V, fully excited start, 0 <= gamma_0 t <= 2 (161 points, the
grid of the chapter), at k0 = 0.003 (the paper's k0,m), 0.03 (region II) and 0.3.
Writes, via nonreciprocal.save_figure (PNG + CSV with units):

  figures/li-flebus/asymmetry-scaling.csv   N, k0, max_abs_delta, t_at_max, peak_total_rate
  figures/li-flebus/sensing-scaling.csv     N, k0, m, max_abs_signal, t_at_signal, repetitions

The chapter book/li_flebus.md reads both, recomputes every row with N <= 9 and asserts
agreement. N = 10..12 take minutes (N = 12 at k0 = 0.003 about 1.5 min on one core).

Usage (from the repository root):  python scripts/asymmetry_scaling.py [--max-n 12]
"""

from __future__ import annotations

import argparse
import os

for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nonreciprocal import save_figure, style  # noqa: E402
from nonreciprocal.magnetic_bath import FerromagneticFilm, scaling_row  # noqa: E402

CHAPTER = "li-flebus"
TIMES = np.linspace(0, 2, 161)
K0_VALUES = (0.003, 0.03, 0.3)


def rows(n: int, k0: float, film: FerromagneticFilm):
    """One row of each table for N = n at k0 (the chapter calls scaling_row for n <= 9)."""
    r = scaling_row(film, k0, n, TIMES)
    return ((r["N"], r["k0"], r["max_abs_delta"], r["t_at_max"], r["peak_total_rate"]),
            (r["N"], r["k0"], r["m"], r["max_abs_signal"], r["t_at_signal"], r["repetitions"]))


def main(max_n: int) -> None:
    style()
    film = FerromagneticFilm()
    scaling, sensing = [], []
    for k0 in K0_VALUES:
        for n in range(3, max_n + 1):
            a, b = rows(n, k0, film)
            scaling.append(a)
            sensing.append(b)
            print(f"k0 = {k0}, N = {n}: max|delta| = {a[2]:.5f} at {a[3]:.4f}, peak R_tot = {a[4]:.4f}",
                  flush=True)
    sc, se = np.array(scaling), np.array(sensing)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    for k0 in K0_VALUES:
        sel = sc[:, 1] == k0
        axes[0].semilogy(sc[sel, 0], sc[sel, 2], "o-", label=f"$k_0$ = {k0:g}")
        axes[1].plot(sc[sel, 0], sc[sel, 4] - sc[sel, 0], "o-", label=f"$k_0$ = {k0:g}")
    axes[0].set_xlabel("N")
    axes[0].set_ylabel(r"$\max_t|\delta_{1,N}|$")
    axes[1].set_xlabel("N")
    axes[1].set_ylabel(r"$\max_t\mathcal{R}_{\rm tot} - N$")
    axes[0].legend()
    save_figure(fig, CHAPTER, "asymmetry-scaling",
                {"N": sc[:, 0], "k0": sc[:, 1], "max_abs_delta": sc[:, 2], "t_at_max": sc[:, 3],
                 "peak_total_rate": sc[:, 4]},
                {"N": "1", "k0": "1 (units of 1/a)", "max_abs_delta": "gamma_0", "t_at_max": "1/gamma_0",
                 "peak_total_rate": "gamma_0"},
                title="N = 3..12 NV centres, fully excited, 0 <= gamma_0 t <= 2: max |delta_1N| "
                      "and peak R_tot")
    plt.close(fig)
    fig, ax = plt.subplots()
    for k0 in K0_VALUES:
        sel = se[:, 1] == k0
        ax.semilogy(se[sel, 0], se[sel, 5], "o-", label=f"$k_0$ = {k0:g}")
    ax.set_xlabel("N")
    ax.set_ylabel("repetitions for SNR = 1")
    ax.legend()
    save_figure(fig, CHAPTER, "sensing-scaling",
                {"N": se[:, 0], "k0": se[:, 1], "m": se[:, 2], "max_abs_signal": se[:, 3],
                 "t_at_signal": se[:, 4], "repetitions": se[:, 5]},
                {"N": "1", "k0": "1 (units of 1/a)", "m": "1 (qubits per edge sub-ensemble)",
                 "max_abs_signal": "1 (excitations)", "t_at_signal": "1/gamma_0",
                 "repetitions": "1 (for signal-to-noise 1)"},
                title="Edge sub-ensembles (m = N // 3 qubits each): population difference at the best time and "
                      "repetitions needed against projection noise")
    plt.close(fig)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-n", type=int, default=12)
    main(parser.parse_args().max_n)
