"""Execute the chapters and write their executed twins for nbval.

Each chapter is a MyST-Markdown notebook ``book/<name>.md`` (the source the book is
built from). Its twin ``tests/nbval/<name>.ipynb`` is the same notebook executed,
with outputs: nbval re-executes it in ``make test`` and compares the cells tagged
``nbval-check-output`` with the outputs stored here.

This script is the one writer of the committed ``figures/``: executing a chapter here
rewrites its figures (PNG + CSV) and its report-card records
(``figures/<chapter>/report-card.json``). ``make book`` and ``make test`` write theirs to
a build folder instead (``NONRECIPROCAL_FIGURES``), and ``tests/test_figure_data.py``
compares those with the committed ones.

Usage:  python scripts/twins.py [NAME ...]     (default: every chapter in _toc.yml)
        make figures [CHAPTER=li_flebus]
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TWINS = ROOT / "tests" / "nbval"
FIGURES = ROOT / "figures"
sys.path.insert(0, str(ROOT / "_ext"))
import readerbook  # noqa: E402  (the chapter list of the build)


def chapters() -> list[Path]:
    """The notebook chapters listed in _toc.yml (one definition: the book extension's)."""
    return readerbook.chapter_sources(ROOT)


def execute(source: Path) -> nbformat.NotebookNode:
    nb = jupytext.read(source)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(source.parent)}})
    client.execute()
    return nb


def merged_streams(outputs) -> list:
    """Consecutive stdout chunks joined into one output (the kernel splits them at random)."""
    merged = []
    for out in outputs:
        if out.output_type == "stream" and merged and merged[-1].output_type == "stream" and merged[-1].name == out.name:
            merged[-1].text += out.text
        else:
            merged.append(out)
    return merged


def figure_folder(source: Path) -> Path | None:
    """``figures/<CHAPTER>`` of a chapter (its ``CHAPTER = "..."`` assignment)."""
    m = re.search(r'^CHAPTER\s*=\s*["\']([a-z0-9_-]+)["\']', source.read_text(), re.MULTILINE)
    return FIGURES / m.group(1) if m else None


def main(names: list[str]) -> int:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # the kernels inherit this: figures and records go to the committed figures/
    os.environ["NONRECIPROCAL_FIGURES"] = str(FIGURES)
    sources = chapters()
    if names:
        sources = [s for s in sources if s.stem in names]
        if len(sources) != len(names):
            print(f"unknown chapter among {names}; known: {[s.stem for s in chapters()]}", file=sys.stderr)
            return 2
    TWINS.mkdir(parents=True, exist_ok=True)
    for source in sources:
        start = time.perf_counter()
        folder = figure_folder(source)
        if folder is not None:
            # the execution writes the records anew; a chapter that records nothing has none
            (folder / "report-card.json").unlink(missing_ok=True)
        started = time.time()
        nb = execute(source)
        nb.metadata.pop("jupytext", None)
        # stable cell ids, no execution timestamps and no progress bars (stderr, with rates in
        # it/s; nbval does not compare stderr): a regenerated twin differs from the last one
        # only where an output changed
        for index, cell in enumerate(nb.cells):
            cell.id = f"{source.stem[:40]}-{index}"
            cell.metadata.pop("execution", None)
            if cell.cell_type == "code":
                cell.outputs = merged_streams(o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr"))
        nbformat.write(nb, TWINS / f"{source.stem}.ipynb")
        print(f"{source.relative_to(ROOT)} -> tests/nbval/{source.stem}.ipynb ({time.perf_counter() - start:.1f} s)")
        if folder is not None and folder.is_dir():
            stale = sorted(p.name for p in folder.glob("*.png") if p.stat().st_mtime < started)
            if stale:
                print(f"  not written by this execution (remove them if the chapter dropped them): "
                      f"{', '.join(stale)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
