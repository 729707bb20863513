"""Unit tests of the shared Lindblad core against closed forms, invariants and bad input."""

import numpy as np
import pytest
import qutip
from scipy.integrate import simpson

from conftest import random_problem
from nonreciprocal import QubitEnsemble
from nonreciprocal.analytic import dicke_ladder, single_qubit_rate, two_qubit_symmetric

T = np.linspace(0, 10, 201)
TOL = 1e-6  # absolute, on rates of order gamma_0: a 1% error is 1e4 times larger


def test_single_qubit_decay():
    res = QubitEnsemble([[0.3]], [[1.0]]).emission(T)
    np.testing.assert_allclose(res.rates[0], single_qubit_rate(T), atol=TOL, rtol=0)
    np.testing.assert_allclose(res.populations[0], np.exp(-T), atol=TOL, rtol=0)


@pytest.mark.parametrize("gamma0", [0.5, 2.0])
def test_single_qubit_decay_rate_scales(gamma0):
    res = QubitEnsemble([[0.0]], [[gamma0]]).emission(T)
    np.testing.assert_allclose(res.rates[0], single_qubit_rate(T, gamma0), atol=TOL * gamma0, rtol=0)


@pytest.mark.parametrize("gamma_s", [-0.6, 0.0, 0.5, 0.9, 1.0])
@pytest.mark.parametrize("method", ["blocks", "qutip"])
def test_two_qubit_dicke_closed_form(gamma_s, method):
    ens = QubitEnsemble([[0, 0.7], [0.7, 0]], [[1, gamma_s], [gamma_s, 1]])
    res = ens.emission(T, method=method, rtol=1e-10, atol=1e-12)
    ref = two_qubit_symmetric(T, 1.0, gamma_s)
    for a in range(2):
        np.testing.assert_allclose(res.rates[a], ref["rate"], atol=TOL, rtol=0)
    pop = ref["rho_EE"] + 0.5 * (ref["rho_11"] + ref["rho_22"])
    np.testing.assert_allclose(res.populations[0], pop, atol=TOL, rtol=0)


@pytest.mark.parametrize("n", [2, 3, 4, 6])
def test_dicke_superradiance_n_qubits(n):
    ens = QubitEnsemble(np.zeros((n, n)), np.ones((n, n)))
    res = ens.emission(T)
    ref = dicke_ladder(T, n)
    np.testing.assert_allclose(res.total_rate, ref["total_rate"], atol=TOL * n, rtol=0)
    np.testing.assert_allclose(res.populations.sum(0), ref["excitations"], atol=TOL * n, rtol=0)


def test_tolerance_would_catch_a_one_percent_error():
    res = QubitEnsemble(np.zeros((2, 2)), [[1, 0.9], [0.9, 1]]).emission(T)
    ref = two_qubit_symmetric(T, 1.0, 0.9)["rate"]
    assert np.abs(res.rates[0] - ref).max() < TOL
    assert np.abs(1.01 * res.rates[0] - ref).max() > 100 * TOL


@pytest.mark.parametrize("n,seed", [(2, 0), (3, 1), (4, 2), (5, 3), (6, 4)])
def test_blocks_match_qutip_random(n, seed):
    J, G = random_problem(n, seed)
    ens = QubitEnsemble(J, G)
    gl, gr = ens.hoppings()
    assert not np.allclose(np.abs(gl), np.abs(gr)), "the random problem should be non-reciprocal"
    fast = ens.emission(T, method="blocks", rtol=1e-10, atol=1e-12)
    ref = ens.emission(T, method="qutip", rtol=1e-10, atol=1e-12)
    assert fast.method == "blocks" and ref.method == "qutip"
    np.testing.assert_allclose(fast.rates, ref.rates, atol=1e-7, rtol=0)
    np.testing.assert_allclose(fast.populations, ref.populations, atol=1e-7, rtol=0)


def test_blocks_match_qutip_unidirectional_product_state():
    # J^a = gamma^s, J^s = -gamma^a: gamma^L = 0 (one-way, an exceptional point of H_eff)
    gs, ga = 0.5, 0.2
    ens = QubitEnsemble.from_components(
        1.0,
        J_s=[[0, -ga, 0], [-ga, 0, -ga], [0, -ga, 0]],
        J_a=[[0, gs, 0], [-gs, 0, gs], [0, -gs, 0]],
        gamma_s=[[0, gs, 0], [gs, 0, gs], [0, gs, 0]],
        gamma_a=[[0, ga, 0], [-ga, 0, ga], [0, -ga, 0]],
    )
    gl, _ = ens.hoppings()
    assert np.abs(gl[np.triu_indices(3, 1)]).max() < 1e-15
    for init in ([1, 0, 0], [0, 0, 1], [1, 1, 0], "excited"):
        fast = ens.emission(T, init, method="blocks", rtol=1e-10, atol=1e-12)
        ref = ens.emission(T, init, method="qutip", rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(fast.rates, ref.rates, atol=1e-7, rtol=0)
    # one-way: an excitation on the last qubit decays as an isolated qubit; none reaches the first
    last = ens.emission(T, [0, 0, 1])
    np.testing.assert_allclose(last.rates[2], single_qubit_rate(T), atol=TOL, rtol=0)
    assert np.abs(last.populations[:2]).max() < 1e-9
    first = ens.emission(T, [1, 0, 0])
    assert first.populations[2].max() > 0.05


def test_density_matrix_initial_states():
    J, G = random_problem(3, 7)
    ens = QubitEnsemble(J, G)
    # block-diagonal mixture -> fast path, same as qutip
    rho = 0.3 * qutip.ket2dm(qutip.tensor(qutip.basis(2, 1), qutip.basis(2, 0), qutip.basis(2, 1)))
    rho += 0.7 * qutip.ket2dm(qutip.tensor(qutip.basis(2, 1), qutip.basis(2, 1), qutip.basis(2, 1)))
    fast = ens.emission(T, rho, rtol=1e-10, atol=1e-12)
    assert fast.method == "blocks"
    ref = ens.emission(T, rho, method="qutip", rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fast.rates, ref.rates, atol=1e-7, rtol=0)
    # coherent superposition of 0 and 1 excitation: falls back to qutip
    psi = (qutip.tensor(qutip.basis(2, 0), qutip.basis(2, 0), qutip.basis(2, 0))
           + qutip.tensor(qutip.basis(2, 1), qutip.basis(2, 0), qutip.basis(2, 0))).unit()
    res = ens.emission(T, qutip.ket2dm(psi))
    assert res.method == "qutip"
    with pytest.raises(ValueError, match="coherences between excitation numbers"):
        ens.emission(T, qutip.ket2dm(psi), method="blocks")


@pytest.mark.parametrize("init,expected", [("excited", 3), ([1, 0, 1], 2), ([0, 1, 0], 1)])
def test_emitted_energy_equals_initial_excitation(init, expected):
    J, G = random_problem(3, 11)
    G = G + 0.2 * np.eye(3)  # full rank: no dark state keeps excitation forever
    t = np.linspace(0, 60, 6001)
    res = QubitEnsemble(J, G).emission(t, init)
    emitted = simpson(res.total_rate, x=t)
    assert res.populations[:, -1].sum() < 1e-8
    assert abs(emitted - expected) < 1e-5


def test_trace_and_positivity_preserved():
    J, G = random_problem(3, 5)
    ens = QubitEnsemble(J, G)
    L = ens.liouvillian()
    rho0 = qutip.ket2dm(qutip.tensor([qutip.basis(2, 1)] * 3))
    res = qutip.mesolve(L, rho0, T, options={"atol": 1e-10, "rtol": 1e-10, "progress_bar": False})
    for st in res.states:
        assert abs(st.tr() - 1) < 1e-9
        assert np.linalg.eigvalsh(st.full()).min() > -1e-9
    # and the fast path gives probabilities
    fast = ens.emission(T)
    assert fast.populations.min() > -1e-9 and fast.populations.max() < 1 + 1e-9


def test_liouvillian_is_eq3_term_by_term():
    """The channel decomposition used by both solvers equals Eq. (3) written pair by pair."""
    n = 3
    J, G = random_problem(n, 9)
    sm = [qutip.tensor([qutip.destroy(2) if i == a else qutip.qeye(2) for i in range(n)]) for a in range(n)]
    H = sum(0.5 * J[a, b] * sm[a].dag() * sm[b] for a in range(n) for b in range(n))
    L = -1j * (qutip.spre(H) - qutip.spost(H))
    for a in range(n):
        for b in range(n):
            # Gamma_ab (s-_b rho s+_a - 1/2 {s+_a s-_b, rho})
            L += G[a, b] * (qutip.sprepost(sm[b], sm[a].dag())
                            - 0.5 * qutip.spre(sm[a].dag() * sm[b]) - 0.5 * qutip.spost(sm[a].dag() * sm[b]))
    diff = (QubitEnsemble(J, G).liouvillian() - L).full()
    assert np.abs(diff).max() < 1e-12


def test_hoppings_are_eqs_6_7():
    J, G = random_problem(4, 3)
    ens = QubitEnsemble(J, G)
    gl, gr = ens.hoppings()
    heff = ens.effective_hamiltonian()
    for a in range(4):
        for b in range(a + 1, 4):
            assert np.isclose(gl[a, b], heff[a, b])  # multiplies s+_a s-_b (b -> a, right to left)
            assert np.isclose(gr[a, b], heff[b, a])  # multiplies s+_b s-_a (a -> b, left to right)
            assert np.isclose(gl[b, a], gr[a, b])
            Js, Ja, gs, ga = J[a, b].real, J[a, b].imag, G[a, b].real, G[a, b].imag
            assert np.isclose(gl[a, b], 0.5 * ((Js + ga) + 1j * (Ja - gs)))
            assert np.isclose(gr[a, b], 0.5 * ((Js - ga) - 1j * (Ja + gs)))
    assert np.all(np.diag(gl) == 0) and np.all(np.diag(gr) == 0)


def test_reciprocal_when_no_antisymmetric_parts():
    J, G = random_problem(4, 8)
    ens = QubitEnsemble(J.real, G.real)
    gl, gr = ens.hoppings()
    np.testing.assert_allclose(np.abs(gl), np.abs(gr), atol=1e-14)


def test_asymmetry_and_total_rate():
    res = QubitEnsemble(*random_problem(3, 2)).emission(T)
    np.testing.assert_allclose(res.total_rate, res.rates.sum(0))
    np.testing.assert_allclose(res.asymmetry(), res.rates[0] - res.rates[2])
    with pytest.raises(ValueError, match="outside 1..3"):
        res.asymmetry(0)


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "J,G,message",
    [
        (np.zeros((2, 3)), np.eye(2), "square"),
        (np.zeros(3), np.eye(3), "square"),
        (np.zeros((2, 2)), np.eye(3), "same shape"),
        ([[0, np.nan], [np.nan, 0]], np.eye(2), "non-finite"),
        (np.eye(2), [[1, np.inf], [np.inf, 1]], "non-finite"),
        ([[0, 1], [2, 0]], np.eye(2), "J must be Hermitian"),
        ([[0, 1j], [1j, 0]], np.eye(2), "J must be Hermitian"),
        (np.zeros((2, 2)), [[1, 0.5j], [0.5j, 1]], "Gamma must be Hermitian"),
        (np.zeros((2, 2)), [[1, 2], [2, 1]], "positive semidefinite"),
        (np.zeros((1, 1)), [[-0.1]], "positive semidefinite"),
        (np.zeros((0, 0)), np.zeros((0, 0)), "at least one qubit"),
        ([["a", "b"], ["c", "d"]], np.eye(2), "numeric"),
    ],
)
def test_bad_couplings_rejected(J, G, message):
    with pytest.raises(ValueError, match=message):
        QubitEnsemble(J, G)


def test_negative_rates_rejected():
    with pytest.raises(ValueError, match="positive semidefinite"):
        QubitEnsemble(np.zeros((2, 2)), np.diag([1.0, -0.5]))


def test_components_validated():
    with pytest.raises(ValueError, match="antisymmetric"):
        QubitEnsemble.from_components(1.0, J_a=[[0, 1], [1, 0]])
    with pytest.raises(ValueError, match="symmetric"):
        QubitEnsemble.from_components(1.0, gamma_s=[[0, 1], [0.5, 0]])
    ens = QubitEnsemble.from_components(1.0, J_a=[[0, 0.2], [-0.2, 0]], gamma_s=[[0, 0.9], [0.9, 0]])
    np.testing.assert_allclose(ens.J, [[0, 0.2j], [-0.2j, 0]])
    np.testing.assert_allclose(ens.Gamma, [[1, 0.9], [0.9, 1]])


@pytest.mark.parametrize(
    "times,initial,message",
    [
        ([0, 1, 1], "excited", "strictly increasing"),
        ([], "excited", "non-empty"),
        ([0, np.nan], "excited", "finite"),
        ([0, 1], "ground", "initial must be"),
        ([0, 1], [1, 2], "each 0 or 1"),
        ([0, 1], [1, 0, 1], "each 0 or 1"),
        ([0, 1], np.eye(3), "shape"),
        ([0, 1], np.eye(4), "trace"),
        ([0, 1], np.diag([1.5, -0.5, 0, 0]), "positive semidefinite"),
    ],
)
def test_bad_emission_arguments_rejected(times, initial, message):
    ens = QubitEnsemble(np.zeros((2, 2)), np.eye(2))
    with pytest.raises(ValueError, match=message):
        ens.emission(times, initial)


def test_bad_method_rejected():
    with pytest.raises(ValueError, match="method"):
        QubitEnsemble(np.zeros((2, 2)), np.eye(2)).emission([0, 1], method="euler")


def test_pair_builds_the_two_qubit_components():
    ens = QubitEnsemble.pair(0.8, J_s=0.1, J_a=0.2, gamma_s=0.3, gamma_a=0.4)
    np.testing.assert_allclose(ens.J, [[0, 0.1 + 0.2j], [0.1 - 0.2j, 0]])
    np.testing.assert_allclose(ens.Gamma, [[0.8, 0.3 + 0.4j], [0.3 - 0.4j, 0.8]])


@pytest.mark.parametrize("problem", ["random", "one-way"])
def test_chebyshev_and_dop853_integrators_agree(problem):
    """The two time propagators of the block solver are independent routes to the same dynamics."""
    if problem == "random":
        ens = QubitEnsemble(*random_problem(6, 5))
    else:  # one-way nearest-neighbour chain (J^s = gamma^a): a strongly non-normal generator
        chain = np.diag([0.5] * 4, 1)
        ens = QubitEnsemble.from_components(1.0, J_s=chain + chain.T, gamma_a=chain - chain.T)
        assert np.abs(np.triu(ens.hoppings()[1], 1)).max() < 1e-12  # gamma_R = 0: one way only
    cheb = ens.emission(T, method="blocks", atol=1e-12)
    rk = ens.emission(T, method="blocks", integrator="dop853", rtol=1e-11, atol=1e-13)
    assert cheb.stats["integrator"] == "chebyshev" and rk.stats["integrator"] == "dop853"
    np.testing.assert_allclose(cheb.rates, rk.rates, atol=1e-9, rtol=0)
    np.testing.assert_allclose(cheb.populations, rk.populations, atol=1e-9, rtol=0)


def test_solver_paths_match_qutip(monkeypatch):
    """Paths normally taken only at large N: two threads, the field-of-values spectral box,
    and the step halving when the expansion's terms grow faster than the box predicts."""
    import nonreciprocal.solvers._chebyshev as cheb
    import nonreciprocal.solvers.blocks as core

    J, G = random_problem(5, 21)
    ref = QubitEnsemble(J, G).emission(T, method="qutip", rtol=1e-10, atol=1e-12)
    monkeypatch.setattr(core, "PARALLEL_MIN_STATE", 0)
    monkeypatch.setattr(core, "EXACT_BOX_MAX_DIM", 0)
    fast = QubitEnsemble(J, G).emission(T, method="blocks", atol=1e-12)
    np.testing.assert_allclose(fast.rates, ref.rates, atol=1e-7, rtol=0)
    assert fast.stats["growth"] <= cheb.MAX_GROWTH
    # a spectrum ten times too small: the terms outgrow the plan. The longer candidate ends
    # drop out and steps end early; with the whole step as the only candidate, every step
    # fails at first and is retried shorter
    points = core.BlockSystem.spectral_points
    monkeypatch.setattr(core.BlockSystem, "spectral_points", lambda self, ks: points(self, ks) / 10)
    for fractions, path in [(core.STEP_FRACTIONS, "steps"), ((1.0,), "halvings")]:
        monkeypatch.setattr(core, "STEP_FRACTIONS", fractions)
        halved = QubitEnsemble(J, G).emission(T, method="blocks", atol=1e-12)
        assert halved.stats["plan"].step == T[-1]  # the plan: one step over the whole interval
        assert halved.stats[path] > 1 and halved.stats["growth"] <= cheb.MAX_GROWTH
        np.testing.assert_allclose(halved.rates, ref.rates, atol=1e-7, rtol=0)


def test_step_ends_where_the_terms_stay_bounded():
    """A strongly non-normal generator (one-way chain, strong decay): the terms outgrow the
    plan's bound; the step must end at a candidate whose terms stayed within MAX_GROWTH,
    and the result must still agree with DOP853."""
    import nonreciprocal.solvers._chebyshev as cheb

    chain = np.diag([3.0] * 5, 1)
    ens = QubitEnsemble.from_components(6.0, J_s=chain + chain.T, gamma_a=chain - chain.T)
    cheb_run = ens.emission(T, method="blocks", atol=1e-12)
    rk = ens.emission(T, method="blocks", integrator="dop853", rtol=1e-11, atol=1e-13)
    assert cheb_run.stats["growth"] <= cheb.MAX_GROWTH
    assert cheb_run.stats["steps"] > 1  # the planned single step over [0, 10] was cut short
    np.testing.assert_allclose(cheb_run.rates, rk.rates, atol=1e-9, rtol=0)


def box(R, W):
    return np.array([W * 1j, -W * 1j, -R + W * 1j, -R - W * 1j])


LENS = np.concatenate([-6 + 6 * np.exp(1j * np.linspace(0, 2 * np.pi, 40)) * np.cos(np.linspace(0, 2 * np.pi, 40)) ** 2,
                       -6 + 44j * np.sin(np.linspace(0, 2 * np.pi, 40))])


@pytest.mark.parametrize("points", [box(18.6, 10.5), box(12.3, 44.0), box(9.0, 0.9), box(0.0, 3.0), box(3.0, 0.0), LENS])
def test_chebyshev_plan_bounds_the_growth_and_the_tail(points):
    """The plan's ellipse contains the points; its step keeps every term bound below
    MAX_GROWTH and its truncation below tol."""
    import nonreciprocal.solvers._chebyshev as cheb

    p = cheb.plan(points, 10.0, 1e-10)
    m = 4 * p.terms + 100
    bound = np.abs(cheb.coefficients(p, p.step, m)[0]) * p.ratio ** np.arange(m)
    assert bound.max() <= cheb.MAX_GROWTH
    assert bound[p.terms :].max() < 1e-10
    # inside the ellipse: |w + sqrt(w^2 -+ 1)| <= r for w = (z - c)/f, the Joukowski level
    w = (points - p.center) / p.focal
    w = w if p.kind == "I" else -1j * w
    level = np.maximum(np.abs(w + np.sqrt(w - 1) * np.sqrt(w + 1)), np.abs(w - np.sqrt(w - 1) * np.sqrt(w + 1)))
    assert level.max() <= p.ratio * (1 + 1e-9)


def test_chebyshev_coefficients_sum_to_the_exponential():
    """A generator with a known exponential: exp(t z) for z = -3 + 5i on the scalar "matrix"."""
    import nonreciprocal.solvers._chebyshev as cheb

    z = -3 + 5j
    for points in (box(6.0, 10.0), box(12.0, 2.0)):
        p = cheb.plan(points, 2.0, 1e-13)
        m = 4 * p.terms + 100
        taus = np.linspace(0, p.step, 7)
        x = (z - p.center) / p.focal
        if p.kind == "I":
            Tm = np.cos(np.arange(m) * np.arccos(x + 0j))
        else:
            Tm = np.array([1j**k * np.cos(k * np.arccos(-1j * x)) for k in range(m)])
        np.testing.assert_allclose(cheb.coefficients(p, taus, m) @ Tm, np.exp(taus * z), atol=1e-11)


@pytest.mark.parametrize("modified", [False, True])
def test_bessel_table_matches_scipy(modified):
    """Miller's backward recurrence against scipy's Bessel functions, far into the tails."""
    from scipy import special

    from nonreciprocal.solvers._kernels import bessel_table

    x = np.array([0.0, 1e-9, 0.4, 3.0, 40.0, 445.0, 2000.0])
    k = np.arange(3000)
    table = bessel_table(x, k.size, modified)
    ref = np.array([special.ive(k, v) if modified else special.jv(k, v) for v in x])
    np.testing.assert_allclose(table, ref, atol=2e-13, rtol=0)
    tail = ref > 1e-250  # the tails decay superexponentially: check them relative to themselves
    np.testing.assert_allclose(table[tail], ref[tail], rtol=1e-9)


def test_dicke_burst_matches_dense_ladder():
    from nonreciprocal.analytic import dicke_burst

    for n in (5, 40):
        t = np.linspace(0, 3 * np.log(n) / n + 2 / n, 6001)
        dense = dicke_ladder(t, n)["total_rate"]
        burst = dicke_burst(n, x=n * t[1:] - np.log(n))
        assert abs(burst["peak"] - dense.max()) < 1e-6 * dense.max()
        assert abs(burst["t_peak"] - t[dense.argmax()]) < 2 * (t[1] - t[0])
        assert np.abs(burst["total_rate"] - dense[1:]).max() < 1e-7 * dense.max()


def test_dicke_delay_limit():
    from nonreciprocal.analytic import averaged_logistic_pulse, dicke_burst, dicke_delay_limit

    lim = dicke_delay_limit()
    # a single logistic pulse peaks at 1; averaging over the delay lowers and shifts it
    assert 0.7 < lim["ratio"] < 0.9 and 0 < lim["offset"] < np.euler_gamma
    assert averaged_logistic_pulse(lim["offset"] + 0.1) < lim["ratio"]
    assert averaged_logistic_pulse(lim["offset"] - 0.1) < lim["ratio"]
    # the pulse is normalised: N photons, i.e. integral of f dx = 4 (R_tot = N^2/4 f, dx = N dt)
    x = np.linspace(-15, 30, 4501)
    assert abs(np.trapezoid(averaged_logistic_pulse(x), x) - 4) < 1e-3
    b = dicke_burst(2000)
    assert abs(b["peak"] / (2000**2 / 4) - lim["ratio"]) < 1e-3


def test_dicke_burst_rejects_bad_input():
    from nonreciprocal.analytic import averaged_logistic_pulse, dicke_burst

    with pytest.raises(ValueError):
        dicke_burst(1)
    with pytest.raises(ValueError):
        dicke_burst(10, gamma0=0)
    with pytest.raises(ValueError):
        dicke_burst(10, x=[1.0, 0.5])
    with pytest.raises(ValueError):
        averaged_logistic_pulse(np.inf)


def test_closed_forms_reject_nonpositive_gamma0():
    for bad in (0.0, -1.0):
        with pytest.raises(ValueError, match="gamma0 must be positive"):
            single_qubit_rate([0.0, 1.0], gamma0=bad)
        with pytest.raises(ValueError, match="gamma0 must be positive"):
            two_qubit_symmetric([0.0, 1.0], gamma0=bad)
        with pytest.raises(ValueError, match="gamma0 must be positive"):
            dicke_ladder([0.0, 1.0], 3, gamma0=bad)


def test_initial_rate_slopes_match_solver():
    from nonreciprocal.analytic import initial_rate_slopes

    rng = np.random.default_rng(3)
    n = 4
    A = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    J = (A + A.conj().T) / 2
    B = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    G = B @ B.conj().T / n
    np.fill_diagonal(G, 1.0 + np.diag(G).real)
    ens = QubitEnsemble(J, G)
    t = np.linspace(0, 1e-3, 3)
    R = ens.emission(t, rtol=1e-12, atol=1e-14).rates
    slope = (-3 * R[:, 0] + 4 * R[:, 1] - R[:, 2]) / (2 * t[1])  # second order
    expected = initial_rate_slopes(ens.J, ens.Gamma)
    np.testing.assert_allclose(slope, expected, atol=1e-4)
    # the total is independent of J
    tot = initial_rate_slopes(np.zeros((n, n)), ens.Gamma).sum()
    assert abs(expected.sum() - tot) < 1e-12
    with pytest.raises(ValueError):
        initial_rate_slopes([[0, 1], [2, 0]], np.eye(2))
