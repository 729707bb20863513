"""The generated pages of the book: the report card and the Figures page (_ext/readerbook.py)."""

import sys
from pathlib import Path

import pytest

from nonreciprocal import report

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
import readerbook  # noqa: E402

CHAPTER_SOURCE = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A demo chapter

```{code-cell} ipython3
CHAPTER = "demo"
```

(demo-fig1)=
## Figure 1

```{code-cell} ipython3
---
mystnb:
  figure:
    name: fig-demo-one
    caption: |
      The demo curve $y = x^2$,
      over two lines.
---
save_figure(fig, CHAPTER, "one", {"x": x}, {"x": "1"})
```
"""


@pytest.fixture
def book(tmp_path, monkeypatch):
    """A one-chapter book in tmp_path whose chapter records two items."""
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/intro\nparts:\n"
                                       "  - chapters:\n      - file: book/demo\n      - file: book/empty\n")
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "demo.md").write_text(CHAPTER_SOURCE)
    (tmp_path / "book" / "empty.md").write_text(CHAPTER_SOURCE.replace('"demo"', '"empty"')
                                                .replace("# A demo chapter", "# An empty chapter"))
    monkeypatch.setenv("NONRECIPROCAL_FIGURES", str(tmp_path / "figures"))
    monkeypatch.setattr(report, "_RECORDS", {})
    report.record("demo", "fig1", paper="Demo et al.", item="Fig. 1", claim="y grows as $x^2$",
                  paper_value="4 at x = 2", our_value="4.000", status="reproduced", section="demo-fig1")
    report.record("demo", "fig1-tail", paper="Demo et al.", item="Fig. 1, tail", claim="y | x stays finite",
                  paper_value="1", our_value="1.5", deviation="50 %", status="differs",
                  section="demo-fig1", why="the paper's curve is cut at x = 1")
    return tmp_path


def test_report_card_has_one_row_per_record_with_its_link(book):
    text = readerbook.report_card_markdown(book)
    assert text.count("* - **Fig. 1") == 2
    assert text.count("{ref}`demo-fig1`") == 2
    assert "**differs**: the paper's curve is cut at x = 1" in text
    assert "| Demo et al. | 1 | 0 | 1 | 0 | 2 |" in text
    assert "The chapter {doc}`empty` records no item yet." in text


def test_missing_section_label_is_found(book):
    assert readerbook.missing_sections(book) == []
    report.record("demo", "bad", paper="Demo et al.", item="Fig. 2", claim="c", paper_value="1",
                  our_value="1", status="reproduced", section="no-such-label")
    assert readerbook.missing_sections(book) == [
        "demo/bad: section 'no-such-label' is not a label of demo.md"]


def test_figures_page_shows_captions_and_links(book):
    folder = book / "figures" / "demo"
    (folder / "one.png").write_bytes(b"png")
    (folder / "one.csv").write_text("x\n1\n")
    text = readerbook.figures_markdown(book)
    assert "```{figure} ../figures/demo/one.png" in text
    assert "The demo curve $y = x^2$, over two lines." in text
    assert "{download}`CSV (plotted data) <../figures/demo/one.csv>`" in text
    assert "{numref}`fig-demo-one`" in text


def test_committed_records_point_to_existing_sections():
    """Every row of the book's report card links to a section that exists."""
    assert readerbook.missing_sections(ROOT) == []


def test_every_committed_figure_is_on_the_figures_page():
    text = readerbook.figures_markdown(ROOT)
    pngs = sorted(ROOT.glob("figures/*/*.png"))
    assert pngs
    for png in pngs:
        assert f"../figures/{png.parent.name}/{png.name}" in text
        assert f"../figures/{png.parent.name}/{png.stem}.csv" in text
    assert "(no caption in the chapter)" not in text, "a saved figure has no caption in its chapter"
