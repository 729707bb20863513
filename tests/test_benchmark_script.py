"""The benchmark command runs and prints its tables (tiny problems; the real numbers are in the book's performance page)."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "benchmark.py"


def load_script():
    spec = importlib.util.spec_from_file_location("benchmark_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(*args, env=None):
    proc = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=600,
                          env=env)
    assert proc.returncode == 0, proc.stderr
    return proc


def table(lines, header_start):
    """The rows (lists of stripped cells) of the Markdown table whose header starts with header_start."""
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    header = [c.strip() for c in lines[start].strip("|").split("|")]
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append(dict(zip(header, (c.strip() for c in line.strip("|").split("|")))))
    return rows


def test_rate_operator_is_minus_the_adjoint_generator_on_the_populations():
    """Tr(R_a rho) = -Tr(n_a L[rho]) for a random state of a random valid problem."""
    import qutip

    bench = load_script()
    J, G = bench.problem("random", 3)
    n_ops, rate_ops = bench.rate_operators(J, G)
    from nonreciprocal import QubitEnsemble

    L = QubitEnsemble(J, G).liouvillian()
    rho = qutip.rand_dm([2, 2, 2], seed=3)
    drho = qutip.vector_to_operator(L * qutip.operator_to_vector(rho))
    lhs = np.array([qutip.expect(r, rho) for r in rate_ops])
    rhs = -np.array([qutip.expect(x, drho) for x in n_ops])
    assert np.abs(rhs).max() > 0.1  # a state that does emit
    np.testing.assert_allclose(lhs, rhs, atol=1e-12)


def test_benchmark_without_dynamiqs_says_how_to_install_it(tmp_path):
    # a dynamiqs that cannot be imported, first on the path of the script and of its subprocesses
    (tmp_path / "dynamiqs.py").write_text("raise ImportError('hidden by the test')\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT / "src")]))
    proc = run("--max-qutip", "3", "--max-dynamiqs", "3", "--max-fast", "3", "--problems", "random,film-k0=0.3", "--max-traj", "0", env=env)
    assert 'pip install -e ".[bench]"' in proc.stderr
    lines = proc.stdout.splitlines()
    rows = table(lines, "| problem | N | blocks (s)")
    assert [(r["problem"], r["N"]) for r in rows] == [("random", "2"), ("random", "3"),
                                                     ("film-k0=0.3", "2"), ("film-k0=0.3", "3")]
    for r in rows:
        assert float(r["max abs diff qutip"]) < 1e-6  # the block solver and qutip agree
        assert r["qutip / blocks"].endswith("x")
        assert r["dynamiqs compiled (s)"] == r["max abs diff dynamiqs"] == ""
    assert not any(line.startswith("| problem | N | trajectories") for line in lines)


def test_benchmark_dynamiqs_columns_agree_with_the_block_solver():
    pytest.importorskip("dynamiqs")
    proc = run("--min-n", "3", "--max-qutip", "0", "--max-dynamiqs", "3", "--max-fast", "3",
               "--problems", "film-k0=0.003", "--max-traj", "0")
    (row,) = table(proc.stdout.splitlines(), "| problem | N | blocks (s)")
    assert row["N"] == "3"
    assert float(row["max abs diff dynamiqs"]) < 1e-6
    # the first call traces and compiles: it takes longer than the compiled call
    assert float(row["dynamiqs 1st call incl. JIT (s)"]) > float(row["dynamiqs compiled (s)"])
    assert int(row["dynamiqs steps"]) > 0 and row["dynamiqs / blocks"].endswith("x")
    assert row["qutip mesolve (s)"] == ""


def test_benchmark_trajectories_table():
    pytest.importorskip("nonreciprocal.solvers.trajectories")
    from nonreciprocal.solvers.parallel import default_jobs

    proc = run("--min-n", "2", "--max-qutip", "0", "--max-dynamiqs", "0", "--max-fast", "2",
               "--min-traj", "3", "--max-traj", "4", "--max-exact-traj", "3", "--ntraj", "200", "--seed", "1")
    rows = table(proc.stdout.splitlines(), "| problem | N | trajectories")
    assert [(r["problem"], r["N"], r["trajectories"]) for r in rows] == [("film-k0=0.003", "3", "200"),
                                                                       ("film-k0=0.003", "4", "200")]
    for r in rows:
        assert int(r["workers"]) == default_jobs()
        rel = float(r["relative s.e."].rstrip(" %")) / 100
        assert rel == pytest.approx(float(r["its s.e."]) / float(r["peak abs(delta_1N)"]), abs=1e-3)  # rounding
        # the extrapolation to a 2 % standard error: time * (rel / 0.02)^2
        assert float(r["time to 2 % s.e. (s, extrapolated)"]) == pytest.approx(
            float(r["wall time (s)"]) * (rel / 0.02) ** 2, rel=0.1, abs=1)
    # at N = 3 the exact peak is there, and the trajectories agree with it within their error
    assert abs(float(rows[0]["(traj - exact) / s.e."])) < 4
    assert rows[1]["exact peak abs(delta_1N)"] == ""


def test_benchmark_rejects_too_few_trajectories():
    proc = subprocess.run([sys.executable, str(SCRIPT), "--ntraj", "1"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "--ntraj must be at least 2" in proc.stderr
