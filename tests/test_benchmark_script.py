"""The benchmark command runs and prints its table (tiny problems; the real numbers are in the README)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_prints_a_table_with_agreeing_solvers():
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "benchmark.py"), "--max-qutip", "3", "--max-fast", "3",
         "--problems", "random,film-k0=0.3"],
        capture_output=True, text=True, timeout=300, check=True,
    ).stdout.splitlines()
    assert out[0].startswith("| problem | N | block solver (s)")
    rows = [line.split("|") for line in out[2:]]
    assert len(rows) == 4  # two problems, N = 2 and 3
    for row in rows:
        assert float(row[-2]) < 1e-6  # max abs difference of the rates between the two solvers
