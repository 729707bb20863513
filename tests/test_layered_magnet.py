"""Mean-field model of Hanai et al. (Eq. 8): closed forms, two routes to the phases, bad input."""

import numpy as np
import pytest

from nonreciprocal.layered_magnet import PHASES, LayeredFerromagnet, phase_diagram

M = LayeredFerromagnet()
UNIT = M.alpha_B * abs(M.g_B)


def test_single_layer_weiss_closed_form():
    # decoupled layers: -T a + (1 - j^2 a^2 / 3T^2) j a = 0  ->  a^2 = 3 T^2 (j - T) / j^3 for j > T
    m = M.with_(j_AB=0.0)
    fps = [p for p in m.fixed_points(0.0) if p.stable and p.phase != "disordered"]
    assert fps and fps[0].m_A == pytest.approx(np.sqrt(3 * 81 * (10 - 9) / 1000), rel=1e-8)
    assert fps[0].m_B < 1e-9  # j_BB = 5 < k_BT = 9: layer B alone is paramagnetic
    s = m.long_time_state(0.0, seed=3)
    assert s.m_A == pytest.approx(np.sqrt(0.243), rel=1e-5) and s.m_B < 1e-3


def test_hot_system_is_disordered():
    m = M.with_(kT=20.0)
    assert m.long_time_state(0.0).phase == "disordered"
    assert [p.phase for p in m.fixed_points(0.0) if p.stable] == ["disordered"]


@pytest.mark.parametrize("ratio,phase", [(0.0, "aligned"), (1.1, "antialigned"), (1.5, "chiral"), (5.0, "disordered")])
def test_two_routes_agree(ratio, phase):
    s = M.long_time_state(ratio * UNIT, seed=1)
    p = M.scan([ratio * UNIT])[0]
    assert s.phase == p.phase == phase
    assert s.m_A == pytest.approx(p.m_A, abs=1e-4) and s.m_B == pytest.approx(p.m_B, abs=1e-4)
    assert s.delta_phi == pytest.approx(p.delta_phi, abs=1e-3, nan_ok=True)
    assert len(s.spread["phases"]) == 1  # no dependence on the initial condition
    if phase == "chiral":
        assert 0 < s.delta_phi < np.pi and s.omega == pytest.approx(p.omega, rel=1e-3) and s.omega > 1e-3


def test_first_transition_where_the_drive_on_b_flips():
    g = np.linspace(0.97, 0.98, 1001)
    phases = [p.phase for p in M.scan(g * UNIT)]
    k = phases.index("antialigned")
    a = M.scan([g[k] * UNIT])[0].m_A
    c_B = 1 - (M.j_AB * a) ** 2 / (3 * M.kT**2)
    assert abs(g[k] - c_B) < 2e-5


def test_phase_diagram_mirror_symmetry_and_shape():
    g = np.linspace(0, 5, 12) * UNIT
    j = np.linspace(0.5, 8, 9)
    up = phase_diagram(M, g, j)
    down = phase_diagram(M, g, -j)
    assert up.shape == (9, 12)
    np.testing.assert_array_equal(np.array([1, 0, 2, 3])[down], up)
    assert set(np.unique(up)) <= set(range(len(PHASES)))


def test_delta_phi_is_undefined_without_order():
    s = M.long_time_state(5.0 * UNIT, seed=2)
    fps = M.fixed_points(5.0 * UNIT)
    assert s.phase == "disordered" and np.isnan(s.delta_phi)
    assert all(np.isnan(p.delta_phi) for p in fps if p.phase == "disordered")
    # ordered states keep a defined angle
    assert np.isfinite(M.scan([1.1 * UNIT])[0].delta_phi)


def _closed_form_transverse(model, p, gamma_B):
    """2 x 2 transverse (angle) block M of a collinear state; its eigenvalues are 0 and tr M."""
    a, x, T = p.state[0], p.state[2], model.kT
    hA, hB = model.j_AA * a + model.j_AB * x, model.j_AB * a + model.j_BB * x
    cA, cB = 1 - hA**2 / (3 * T * T), 1 - hB**2 / (3 * T * T)
    return np.array([
        [model.alpha_A * (-T + cA * model.j_AA), model.alpha_A * cA * model.j_AB],
        [model.alpha_B * cB * model.j_AB - gamma_B / abs(model.g_B) * model.j_AB,
         model.alpha_B * (-T + cB * model.j_BB) - gamma_B * model.n],
    ])


@pytest.mark.parametrize("ratio,phase", [(0.0, "aligned"), (1.1, "antialigned"), (1.3, "antialigned")])
def test_eigenvalues_goldstone_and_trace_on_collinear_branch(ratio, phase):
    g = ratio * UNIT
    p = next(q for q in M.fixed_points(g) if q.phase == phase)
    vals = p.eigenvalues
    assert vals.shape == (4,) and p.eigenvectors.shape == (4, 4)
    J = M.jacobian(p.state, g)
    assert np.linalg.norm(J @ p.goldstone) < 1e-12  # the Goldstone zero mode: a global rotation
    assert np.min(np.abs(vals)) < 1e-12
    tr = np.trace(_closed_form_transverse(M, p, g))
    assert np.min(np.abs(vals - tr)) < 1e-10  # the Delta-phi mode: tr M
    # the eigenvector of tr M is transverse: it changes the angles, not the magnitudes
    k = int(np.argmin(np.abs(vals - tr)))
    assert abs(p.eigenvectors[0, k]) < 1e-8 and abs(p.eigenvectors[2, k]) < 1e-8


def test_eigenvalues_chiral_match_reduced_dynamics():
    g = 1.5 * UNIT
    p = next(q for q in M.fixed_points(g) if q.phase == "chiral")
    J = M.jacobian(p.state, g, omega=_signed_omega(p, g))
    assert np.linalg.norm(J @ p.goldstone) < 1e-9  # zero mode in the co-rotating frame
    rest = p.eigenvalues[np.argsort(np.abs(p.eigenvalues))[1:]]
    assert rest.real.max() == pytest.approx(p.max_growth, abs=1e-6)  # the 3 x 3 reduced Jacobian
    assert np.iscomplexobj(p.eigenvalues) and np.any(np.abs(rest.imag) > 1e-3)


def _signed_omega(p, g):
    a, _, x, y = p.state
    return float(M._reduced(a, x, y, g)[3])


@pytest.mark.parametrize("mean_field", ["cubic", "tanh"])
def test_jacobian_matches_finite_differences(mean_field):
    m = M.with_(mean_field=mean_field)
    state, g, om = np.array([0.5, 0.1, -0.2, 0.3]), 0.03, 0.01
    rot = np.kron(np.eye(2), np.array([[0.0, -1.0], [1.0, 0.0]]))

    def flow(s):
        dA, dB = m.rhs(s[None, :2], s[None, 2:], g)
        return np.concatenate([dA[0], dB[0]]) - om * rot @ s

    eps = 1e-6
    num = np.column_stack([(flow(state + eps * e) - flow(state - eps * e)) / (2 * eps) for e in np.eye(4)])
    np.testing.assert_allclose(m.jacobian(state, g, omega=om), num, atol=1e-9)


def test_tanh_mean_field_weiss_closed_form():
    from scipy.optimize import brentq

    m = M.with_(j_AB=0.0, mean_field="tanh")
    a = brentq(lambda s: s - np.tanh(m.j_AA * s / m.kT), 0.05, 1.0)  # Weiss: m = tanh(j m / k_BT)
    fps = [p for p in m.fixed_points(0.0) if p.stable and p.phase != "disordered"]
    assert fps and fps[0].m_A == pytest.approx(a, rel=1e-7)
    # small fields: the tanh form reduces to the cubic one to third order
    h2 = np.array([1e-2, 1e-1])
    assert np.all(np.abs(m._sat(h2) - M._sat(h2)) <= 0.2 * (h2 / 81) ** 2)  # 2 x^4 / 15


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"kT": -1.0}, "temperature"),
        ({"kT": 0.0}, "temperature"),
        ({"alpha_A": 0.0}, "Gilbert"),
        ({"alpha_B": -1e-3}, "Gilbert"),
        ({"n": 0.0}, "filling"),
        ({"g_B": 0.0}, "g_B"),
        ({"j_AB": np.nan}, "finite"),
        ({"mean_field": "quartic"}, "mean_field"),
    ],
)
def test_bad_parameters_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        LayeredFerromagnet(**kwargs)


def test_bad_gamma_and_initial_conditions_rejected():
    with pytest.raises(ValueError, match="non-negative"):
        M.long_time_state(-0.01)
    with pytest.raises(ValueError, match="non-negative"):
        phase_diagram(M, [-1.0, 0.0], [1.0])
    with pytest.raises(ValueError, match="shape"):
        M.trajectories(0.0, np.zeros((2, 3)), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="shape"):
        M.jacobian(np.zeros(3), 0.0)


def test_collinear_branch_trace_matches_eigenvalue():
    g = np.array([1.1, 1.3]) * UNIT
    a, x, tr = M.collinear_branch(g, sign=-1)
    for k in range(2):
        p = next(q for q in M.fixed_points(g[k]) if q.phase == "antialigned")
        assert a[k] == pytest.approx(p.m_A, rel=1e-8) and x[k] == pytest.approx(p.state[2], rel=1e-7)
        assert np.min(np.abs(p.eigenvalues - tr[k])) < 1e-10
    assert np.all(np.isnan(M.collinear_branch([1.1 * UNIT], sign=1)[2]))  # no aligned state there
    with pytest.raises(ValueError, match="sign"):
        M.collinear_branch([0.0], sign=0)


def test_chiral_branch_is_born_at_the_hopf_point_of_m_zero():
    # just below the Hopf point x = 4.6 the ordered state is tiny but rotating: chiral, with
    # the onset frequency sqrt(det M) and angle arg[(i omega - m11)/m12] of the m = 0 block
    x = 4.5998
    p = M.scan([x * UNIT])[0]
    g = 4.6 * UNIT
    m11, m12 = M.alpha_A * (M.j_AA - M.kT), M.alpha_A * M.j_AB
    m21 = (M.alpha_B - g / abs(M.g_B)) * M.j_AB
    m22 = M.alpha_B * (M.j_BB - M.kT) - g * M.n
    omega_c = np.sqrt(m11 * m22 - m12 * m21)
    assert p.phase == "chiral" and p.m_A < 1e-2
    assert p.omega == pytest.approx(omega_c, rel=1e-3)
    assert p.delta_phi == pytest.approx(abs(np.angle((1j * omega_c - m11) / m12)), abs=1e-3)
    assert M.scan([4.6001 * UNIT])[0].phase == "disordered"
