"""The book's plumbing: dependency lists agree, chapters and their executed twins agree."""

import re
import sys
import tomllib
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _normalise(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    name = m.group(1).lower().replace("_", "-")
    spec = ",".join(sorted(p.strip() for p in m.group(2).split(",") if p.strip()))
    return name, spec


def test_environment_yml_matches_pyproject():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(meta["dependencies"])
    for name, extra in meta["optional-dependencies"].items():
        if name != "bench":  # the benchmark's peers (dynamiqs): pip only, named in environment.yml
            wanted += extra
    env = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    conda = [d for d in env if isinstance(d, str) and not d.startswith(("python=", "pip"))]
    assert sorted(map(_normalise, wanted)) == sorted(map(_normalise, conda))


def _chapter_sources():
    sys.path.insert(0, str(ROOT / "_ext"))
    import readerbook

    return readerbook.chapter_sources(ROOT)


def test_every_toc_entry_exists():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [e["file"] for p in toc["parts"] for e in p["chapters"]]
    missing = [f for f in files if not (ROOT / f"{f}.md").is_file()]
    assert not missing


@pytest.mark.parametrize("source", _chapter_sources(), ids=lambda p: p.stem)
def test_chapter_and_twin_agree(source):
    twin = ROOT / "tests" / "nbval" / f"{source.stem}.ipynb"
    assert twin.is_file(), f"no executed twin for {source.name}: run `make figures`"
    code = [c.source.strip() for c in jupytext.read(source).cells if c.cell_type == "code"]
    stored = nbformat.read(twin, as_version=4)
    twin_code = [c.source.strip() for c in stored.cells if c.cell_type == "code"]
    assert code == twin_code, f"{source.name} and its twin differ in their code: run `make figures`"
    checked = [c for c in stored.cells if c.cell_type == "code" and "nbval-check-output" in c.metadata.get("tags", [])]
    assert not any("NBVAL_CHECK_OUTPUT" in c for c in code), "mark checked cells with the tag nbval-check-output"
    assert checked, f"{source.name} marks no cell for nbval to compare"
    assert all(c.outputs for c in checked), f"{twin.name} has checked cells without stored outputs"


@pytest.mark.parametrize("source", _chapter_sources(), ids=lambda p: p.stem)
def test_every_figure_is_saved_with_its_data(source):
    text = source.read_text()
    names = re.findall(r"save_figure\(fig, CHAPTER, \"([a-z0-9_-]+)\"", text)
    chapter = re.search(r'CHAPTER = "([a-z0-9_-]+)"', text).group(1)
    assert names
    for name in names:
        for ext in ("png", "csv"):
            assert (ROOT / "figures" / chapter / f"{name}.{ext}").is_file(), f"figures/{chapter}/{name}.{ext} missing"


def test_mathjax_is_shipped_from_npm_not_loaded_from_a_cdn():
    """The book reads offline: MathJax 3 comes from the npm package pinned in package.json."""
    import json

    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    version = package["dependencies"]["mathjax"]
    assert re.fullmatch(r"3\.\d+\.\d+", version), f"pin MathJax 3 exactly, got {version!r}"
    assert lock["packages"]["node_modules/mathjax"]["version"] == version
    sphinx = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]
    assert "://" not in sphinx["mathjax_path"] and sphinx["mathjax_path"].startswith("mathjax/")
    assert "readerbook" in yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["local_extensions"]


def test_builds_and_tests_write_figures_to_a_build_folder():
    """make book / make test change no tracked file; only make figures writes figures/."""
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^export NONRECIPROCAL_FIGURES := \$\(CURDIR\)/_build/", makefile, re.MULTILINE)
    assert "os.environ[\"NONRECIPROCAL_FIGURES\"] = str(FIGURES)" in (ROOT / "scripts" / "twins.py").read_text()
    # the figure-data test runs after nbval and the browser test after the build
    test_recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    order = [test_recipe.index(t) for t in ("unit", "nbval", "figure-data", "build-strict", "browser-test")]
    assert order == sorted(order)
