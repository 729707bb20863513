"""Direct integration of HOT Eq. (8) on random cells of the Fig. 1c maps (Hanai chapter).

The chapter draws HOT Fig. 1c from the stable fixed points of the co-rotating dynamics. This
script checks that route a second way on cells the chapter does not integrate: it picks
random cells of the two 100 x 100 maps (k_BT = 9 and 5 meV), integrates HOT Eq. (8) from
eight random initial conditions per cell, and writes the phase reached next to the map's
phase. It takes a few minutes on one core, so the chapter reads its CSV and recomputes one
row.

Usage: ``python scripts/hanai_map_check.py`` (writes
``figures/hanai-photoinduced/map-direct-check.csv``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nonreciprocal.layered_magnet import PHASES, LayeredFerromagnet, phase_diagram

OUT = Path(__file__).resolve().parents[1] / "figures" / "hanai-photoinduced" / "map-direct-check.csv"
N_CELLS = 30  # per temperature
SEED = 2026


def grid():
    """The axes of the chapter's maps: gamma_B/(alpha_B|g_B|) and j_AB (meV)."""
    return np.linspace(0, 6, 100), np.linspace(0.1, 10, 100)


def near_boundary(mp, i, j):
    """True if a neighbouring cell of the map (4-neighbourhood) has another phase."""
    rows, cols = mp.shape
    for di, dj in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        a, b = i + di, j + dj
        if 0 <= a < rows and 0 <= b < cols and mp[a, b] != mp[i, j]:
            return True
    return False


def check_cell(model, T, g_ratio, j_AB):
    """Phase reached by direct integration (8 random starts, seed 0) at one cell."""
    unit = model.alpha_B * abs(model.g_B)
    s = model.with_(kT=T, j_AB=j_AB).long_time_state(g_ratio * unit, seed=0)
    return s


def main():
    model = LayeredFerromagnet()
    unit = model.alpha_B * abs(model.g_B)
    g_axis, j_axis = grid()
    rng = np.random.default_rng(SEED)
    rows = []
    for T in (9.0, 5.0):
        mp = phase_diagram(model.with_(kT=T), g_axis * unit, j_axis)
        cells = rng.choice(mp.size, size=N_CELLS, replace=False)
        for c in cells:
            i, j = np.unravel_index(c, mp.shape)
            s = check_cell(model, T, g_axis[j], j_axis[i])
            rows.append((T, g_axis[j], j_axis[i], mp[i, j], PHASES.index(s.phase),
                         len(s.spread["phases"]), s.m_A, s.m_B, float(near_boundary(mp, i, j))))
            print(f"T = {T:.0f}, gamma ratio {g_axis[j]:.3f}, j_AB {j_axis[i]:.2f}: "
                  f"map {PHASES[mp[i, j]]}, direct {s.phase}", flush=True)
    header = ("# Direct integration of HOT Eq. (8) (8 random starts) on random cells of the "
              "Fig. 1c maps; written by scripts/hanai_map_check.py\n"
              "# units: kT [meV]; gamma_ratio [1]; j_AB_meV [meV]; map_phase [0 aligned, "
              "1 antialigned, 2 chiral, 3 disordered]; direct_phase [same]; n_phases [1]; "
              "m_A [1]; m_B [1]; near_boundary [1]\n"
              "kT,gamma_ratio,j_AB_meV,map_phase,direct_phase,n_phases,m_A,m_B,near_boundary")
    body = "\n".join(",".join(f"{x:.10g}" for x in r) for r in rows)
    OUT.write_text(header + "\n" + body + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
