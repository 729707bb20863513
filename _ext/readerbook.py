"""The reader's side of the book: a local Sphinx extension of the Jupyter Book build.

What it adds to the build (``sphinx: local_extensions`` in ``_config.yml``):

* **Offline maths.** MathJax 3 from the npm package ``mathjax`` (``npm ci`` installs it into
  ``node_modules/``; ``make book`` does that) is copied into ``_static/mathjax/`` of the
  site; ``mathjax_path`` in ``_config.yml`` points there. A build without it stops with a
  message instead of silently loading MathJax from a CDN.
* **No Thebe.** ``sphinx_thebe`` is loaded by Jupyter Book whether or not it is used. Its
  script declared ``THEBE_JS_URL`` twice per page (a JavaScript error) and pointed at a CDN.
  The book has no live code, so its event handlers are disconnected and its files dropped.
* **Notebook downloads.** Each chapter page offers its executed notebook (``.ipynb``) in the
  download menu: the notebook that this build executed, without stderr (progress bars,
  warnings) and execution timestamps.
* **Generated pages.** ``book/figures.md`` and ``book/report_card.md`` end with a marker
  line; at ``source-read`` the extension appends the generated MyST text: every figure of
  ``figures/`` with the caption that its chapter gives it, and the report card built from
  the chapters' ``figures/<chapter>/report-card.json`` records.
* **Author-year bibliography labels** (``bibtex_default_style: authoryear``), matching the
  author-year citations of the text.

The page generators are plain functions (no Sphinx), so the tests can call them.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: the marker line after which a generated page's text is appended
MARKER = re.compile(r"^<!--\s*generated:\s*([a-z-]+)\s*-->\s*$", re.MULTILINE)

#: the MathJax files the site needs: the combined component, the lazily loaded TeX
#: extensions, the CommonHTML fonts, and the accessibility/menu components it may load
MATHJAX_FILES = ("tex-mml-chtml.js", "input", "output", "a11y", "ui", "sre", "adaptors")

STATUS_ORDER = ("reproduced", "partly", "differs", "not reproducible")


# --------------------------------------------------------------------------- chapters


def chapter_sources(root: Path = ROOT) -> list[Path]:
    """The notebook chapters of ``_toc.yml``, in the order of the table of contents."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text())
    out = []
    for part in toc.get("parts", []):
        for entry in part.get("chapters", []):
            path = root / f"{entry['file']}.md"
            text = path.read_text() if path.is_file() else ""
            if text.startswith("---") and "kernelspec:" in text.split("---")[1]:
                out.append(path)
    return out


def chapter_folder(source: Path) -> str | None:
    """The figure folder of a chapter: its ``CHAPTER = "..."`` assignment."""
    m = re.search(r'^CHAPTER\s*=\s*["\']([a-z0-9_-]+)["\']', source.read_text(), re.MULTILINE)
    return m.group(1) if m else None


def chapter_title(source: Path) -> str:
    """The first level-1 heading of a chapter."""
    m = re.search(r"^#\s+(.+?)\s*$", source.read_text(), re.MULTILINE)
    return m.group(1) if m else source.stem


def section_labels(source: Path) -> set[str]:
    """The MyST labels ``(label)=`` a chapter defines."""
    return set(re.findall(r"^\(([^()\s]+)\)=\s*$", source.read_text(), re.MULTILINE))


_SAVE = re.compile(r"save_figure\(\s*\w+\s*,\s*CHAPTER\s*,\s*[\"']([a-z0-9_-]+)[\"']")


def chapter_figures(source: Path) -> list[dict]:
    """The figures a chapter saves, in order: file name, MyST figure name and caption.

    The caption and name come from the ``mystnb: figure:`` metadata of the cell that calls
    ``save_figure(fig, CHAPTER, "<name>", ...)``; a figure saved from a cell without that
    metadata has an empty caption.
    """
    import jupytext

    out = []
    for cell in jupytext.read(source).cells:
        if cell.cell_type != "code":
            continue
        meta = (cell.metadata.get("mystnb") or {}).get("figure") or {}
        for name in _SAVE.findall(cell.source):
            out.append({"file": name, "name": meta.get("name", ""),
                        "caption": " ".join(str(meta.get("caption", "")).split())})
    return out


# --------------------------------------------------------------------------- figures page


def figures_markdown(root: Path = ROOT, page_dir: str = "book") -> str:
    """MyST text of the Figures page: every figure with its caption and its PNG and CSV."""
    rel = "../" * len(Path(page_dir).parts)
    lines = []
    for source in chapter_sources(root):
        folder = chapter_folder(source)
        if folder is None:
            continue
        figures = chapter_figures(source)
        saved = {f["file"] for f in figures}
        on_disk = sorted(p.stem for p in (root / "figures" / folder).glob("*.png"))
        lines += [f"## {chapter_title(source)}", ""]
        lines += [f"From the chapter {{doc}}`{source.stem}`; files in `figures/{folder}/`.", ""]
        entries = figures + [{"file": f, "name": "", "caption": ""} for f in on_disk if f not in saved]
        if not entries:
            lines += ["This chapter saves no figure yet.", ""]
        for fig in entries:
            png = f"{rel}figures/{folder}/{fig['file']}.png"
            csv = f"{rel}figures/{folder}/{fig['file']}.csv"
            if not (root / "figures" / folder / f"{fig['file']}.png").is_file():
                lines += [f"*{fig['file']}*: not generated yet (`make figures`).", ""]
                continue
            caption = fig["caption"] or f"`{fig['file']}` (no caption in the chapter)."
            where = f" In the chapter: {{numref}}`{fig['name']}`." if fig["name"] else ""
            lines += [
                # no :name:, so no number: the figure keeps the number of its chapter
                "```{figure} " + png,
                ":width: 100%",
                "",
                caption,
                "",
                f"{{download}}`PNG <{png}>` · {{download}}`CSV (plotted data) <{csv}>`.{where}",
                "```",
                "",
            ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- report card


def load_records(root: Path = ROOT, figures: Path | None = None) -> list[tuple[Path, str, list[dict]]]:
    """(chapter source, figure folder, records) for every chapter, in toc order.

    ``figures`` is the folder that holds ``<chapter>/report-card.json`` (the committed
    ``figures/`` by default). A chapter without records gets an empty list.
    """
    figures = root / "figures" if figures is None else figures
    out = []
    for source in chapter_sources(root):
        folder = chapter_folder(source)
        if folder is None:
            continue
        path = figures / folder / "report-card.json"
        recs = json.loads(path.read_text())["records"] if path.is_file() else []
        out.append((source, folder, recs))
    return out


def _cell(text: str) -> str:
    """One line of table-cell text (list-table content)."""
    text = " ".join(str(text).split())
    return text if text else "–"


def report_card_markdown(root: Path = ROOT, figures: Path | None = None) -> str:
    """MyST text of the report card: a summary and one table per chapter."""
    chapters = load_records(root, figures)
    lines = ["## Summary", ""]
    counts: dict[str, dict[str, int]] = {}
    for _, _, recs in chapters:
        for r in recs:
            row = counts.setdefault(r["paper"], dict.fromkeys(STATUS_ORDER, 0))
            row[r["status"]] += 1
    if counts:
        lines += ["| paper | " + " | ".join(STATUS_ORDER) + " | items |",
                  "| --- | " + " | ".join("---:" for _ in STATUS_ORDER) + " | ---: |"]
        for paper, row in counts.items():
            cells = " | ".join(str(row[s]) for s in STATUS_ORDER)
            lines.append(f"| {paper} | {cells} | {sum(row.values())} |")
        lines.append("")
    else:
        lines += ["No chapter has recorded an item yet.", ""]
    for source, folder, recs in chapters:
        lines += [f"## {chapter_title(source)}", ""]
        if not recs:
            lines += [f"The chapter {{doc}}`{source.stem}` records no item yet.", ""]
            continue
        lines += [
            "```{list-table}",
            ":header-rows: 1",
            ":widths: 30 14 16 16 12 12",
            ":class: report-card",
            "",
            "* - Item and claim",
            "  - Status",
            "  - Paper",
            "  - This book",
            "  - Deviation",
            "  - Section",
        ]
        for r in recs:
            status = f"**{r['status']}**"
            if r.get("why"):
                status += f": {_cell(r['why'])}"
            lines += [
                f"* - **{_cell(r['item'])}** ({_cell(r['paper'])}). {_cell(r['claim'])}",
                f"  - {status}",
                f"  - {_cell(r['paper_value'])}",
                f"  - {_cell(r['our_value'])}",
                f"  - {_cell(r['deviation'])}",
                f"  - {{ref}}`{r['section']}`",
            ]
        lines += ["```", ""]
    return "\n".join(lines)


def missing_sections(root: Path = ROOT, figures: Path | None = None) -> list[str]:
    """Records whose ``section`` is not a ``(label)=`` of their chapter's source."""
    bad = []
    for source, folder, recs in load_records(root, figures):
        labels = section_labels(source)
        bad += [f"{folder}/{r['id']}: section {r['section']!r} is not a label of {source.name}"
                for r in recs if r["section"] not in labels]
    return bad


GENERATORS = {"figures": figures_markdown, "report-card": report_card_markdown}


# --------------------------------------------------------------------------- notebooks


def clean_notebook(nb) -> None:
    """Drop stderr outputs (progress bars, warnings) and execution timestamps, in place."""
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]


# --------------------------------------------------------------------------- bibliography


def _register_bibtex_style() -> None:
    """Author-year labels ("Li and Flebus, 2024") for the bibliography list."""
    from pybtex.plugin import register_plugin
    from pybtex.style.formatting.unsrt import Style as UnsrtStyle
    from pybtex.style.labels import BaseLabelStyle

    class AuthorYearLabels(BaseLabelStyle):
        def format_labels(self, sorted_entries):
            seen: dict[str, int] = {}
            labels = []
            for entry in sorted_entries:
                persons = entry.persons.get("author") or entry.persons.get("editor") or []
                last = [" ".join(p.last_names) for p in persons]
                last = [re.sub(r"[{}]", "", name) for name in last]
                if not last:
                    names = entry.key
                elif len(last) == 1:
                    names = last[0]
                elif len(last) == 2:
                    names = f"{last[0]} and {last[1]}"
                else:
                    names = f"{last[0]} et al."
                label = f"{names}, {entry.fields.get('year', 'n.d.')}"
                seen[label] = seen.get(label, 0) + 1
                labels.append(label)
            # the same author and year twice: 2024a, 2024b
            count: dict[str, int] = {}
            for label in labels:
                if seen[label] > 1:
                    count[label] = count.get(label, 0) + 1
                    yield label + "abcdefghijklmnopqrstuvwxyz"[count[label] - 1]
                else:
                    yield label

    class AuthorYearStyle(UnsrtStyle):
        default_label_style = AuthorYearLabels
        default_sorting_style = "author_year_title"

    register_plugin("pybtex.style.labels", "authoryear", AuthorYearLabels)
    register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)


# --------------------------------------------------------------------------- Sphinx glue


def _mathjax_source() -> Path:
    return ROOT / "node_modules" / "mathjax" / "es5"


def _check_mathjax(app) -> None:
    from sphinx.errors import ExtensionError

    if app.builder.format != "html":
        return
    path = str(app.config.mathjax_path)
    if "://" in path or path.startswith("//"):
        raise ExtensionError(f"mathjax_path {path!r} loads MathJax from the network; the book ships it")
    if not (_mathjax_source() / "tex-mml-chtml.js").is_file():
        raise ExtensionError("MathJax is not installed: run `npm ci` in the book's folder "
                             "(make book does) to install the npm package mathjax into node_modules/")


def _drop_thebe(app) -> None:
    """Disconnect sphinx_thebe (loaded by Jupyter Book, unused here) and drop its files."""
    for listeners in app.events.listeners.values():
        listeners[:] = [x for x in listeners if getattr(x.handler, "__module__", "") != "sphinx_thebe"]
    app.registry.css_files = [c for c in app.registry.css_files if "thebe" not in str(c[0])]
    app.registry.js_files = [j for j in app.registry.js_files if "thebe" not in str(j[0])]


def _source_read(app, docname, source) -> None:
    text = source[0]
    m = MARKER.search(text)
    if m is None:
        return
    kind = m.group(1)
    if kind not in GENERATORS:
        from sphinx.errors import ExtensionError

        raise ExtensionError(f"{docname}: unknown generated page {kind!r}; known: {sorted(GENERATORS)}")
    page_dir = str(Path(docname).parent)
    kwargs = {"page_dir": page_dir} if kind == "figures" else {}
    source[0] = text[: m.start()] + GENERATORS[kind](ROOT, **kwargs) + text[m.end():]


def _generated_docs(app, env, added, changed, removed) -> list[str]:
    """Re-read the generated pages at every build: their text depends on files that Sphinx
    does not track (the chapters' captions, figures/, the records)."""
    out = []
    for docname in env.found_docs:
        path = Path(env.doc2path(docname))
        if path.suffix == ".md" and path.is_file() and MARKER.search(path.read_text()):
            out.append(docname)
    return out


def _notebook_docs(app) -> dict[str, Path]:
    """docname -> chapter source for the notebook chapters."""
    return {str(p.relative_to(ROOT).with_suffix("")): p for p in chapter_sources(ROOT)}


def _page_context(app, pagename, templatename, context, doctree) -> None:
    if pagename in _notebook_docs(app):
        context["ipynb_source"] = f"{pagename}.ipynb"


def _build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    import nbformat

    out = Path(app.outdir)
    # MathJax
    target = out / "_static" / "mathjax"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in MATHJAX_FILES:
        src = _mathjax_source() / name
        if src.is_dir():
            shutil.copytree(src, target / name)
        elif src.is_file():
            shutil.copy2(src, target / name)
    # executed notebooks, beside the page sources that the download menu links to
    executed = out.parent / "jupyter_execute"
    for docname, source in _notebook_docs(app).items():
        candidates = [executed / f"{docname}.ipynb", ROOT / "tests" / "nbval" / f"{source.stem}.ipynb"]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            continue
        nb = nbformat.read(found, as_version=4)
        clean_notebook(nb)
        dest = out / "_sources" / f"{docname}.ipynb"
        dest.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, dest)


def setup(app):
    _register_bibtex_style()
    _drop_thebe(app)
    app.connect("builder-inited", _check_mathjax)
    app.connect("source-read", _source_read)
    app.connect("env-get-outdated", _generated_docs)
    # before sphinx-book-theme builds the download menu (priority 501)
    app.connect("html-page-context", _page_context, priority=400)
    app.connect("build-finished", _build_finished)
    app.add_css_file("reader.css")
    app.add_js_file("reader.js", defer="defer")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
