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
    assert s.delta_phi == pytest.approx(p.delta_phi, abs=1e-3)
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
