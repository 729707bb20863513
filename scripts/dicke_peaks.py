"""Peak of the Dicke burst for N = 10 ... 10^4 qubits: writes data/framework/dicke-peaks.csv.

The framework chapter reads this table (the largest N take ~20 s together) and recomputes
one row to check it. Usage:  python scripts/dicke_peaks.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nonreciprocal.analytic import dicke_burst

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "framework" / "dicke-peaks.csv"
NS = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)


def main() -> None:
    lines = [
        "# Dicke ladder, N qubits with gamma_ab = gamma_0, from the fully excited state "
        "(nonreciprocal.analytic.dicke_burst, Radau rtol=1e-10 atol=1e-13)",
        "# units: N [1]; peak [gamma_0]; t_peak [1/gamma_0]",
        "N,peak,t_peak",
    ]
    for n in NS:
        b = dicke_burst(n)
        lines.append(f"{n},{b['peak']:.12e},{b['t_peak']:.12e}")
        print(lines[-1], flush=True)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
