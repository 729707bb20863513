import numpy as np
import pytest

from nonreciprocal import save_figure


def test_save_figure_writes_png_and_csv(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setenv("NONRECIPROCAL_FIGURES", str(tmp_path))
    fig, ax = plt.subplots()
    t = np.linspace(0, 1, 5)
    ax.plot(t, t**2)
    png = save_figure(fig, "demo", "square", {"t": t, "y": t**2}, {"t": "1/gamma_0", "y": "gamma_0"}, title="a test")
    plt.close(fig)
    assert png == tmp_path / "demo" / "square.png" and png.stat().st_size > 1000
    csv = (tmp_path / "demo" / "square.csv").read_text().splitlines()
    assert csv[0] == "# a test"
    assert csv[1] == "# units: t [1/gamma_0]; y [gamma_0]"
    assert csv[2] == "t,y"
    data = np.genfromtxt(tmp_path / "demo" / "square.csv", delimiter=",", names=True, skip_header=2)
    np.testing.assert_allclose(data["y"], t**2)


@pytest.mark.parametrize(
    "chapter,name,columns,units,message",
    [
        ("Demo", "x", {"a": [1]}, {"a": "1"}, "chapter"),
        ("demo", "x y", {"a": [1]}, {"a": "1"}, "name"),
        ("demo", "x", {}, {}, "at least one column"),
        ("demo", "x", {"a": [1]}, {}, "units are missing"),
        ("demo", "x", {"a": [1], "b": [1, 2]}, {"a": "1", "b": "1"}, "same length"),
        ("demo", "x", {"a b": [1]}, {"a b": "1"}, "identifiers"),
    ],
)
def test_save_figure_rejects_bad_input(tmp_path, monkeypatch, chapter, name, columns, units, message):
    monkeypatch.setenv("NONRECIPROCAL_FIGURES", str(tmp_path))
    with pytest.raises(ValueError, match=message):
        save_figure(None, chapter, name, columns, units)


def test_committed_root_ignores_the_build_folder(tmp_path, monkeypatch):
    from nonreciprocal.figures import committed_figures_root, figures_root

    (tmp_path / "_toc.yml").write_text("root: intro\n")
    (tmp_path / "book").mkdir()
    monkeypatch.chdir(tmp_path / "book")
    monkeypatch.setenv("NONRECIPROCAL_FIGURES", str(tmp_path / "_build" / "figures"))
    assert figures_root() == tmp_path / "_build" / "figures"
    assert committed_figures_root() == tmp_path.resolve() / "figures"
