"""One way to style, name and save a figure of the book.

Every reproduced figure is saved as ``figures/<chapter>/<name>.png`` together with
the plotted data as ``figures/<chapter>/<name>.csv``. The CSV starts with comment
lines (``#``): the title, if given, and the unit of every column. Then comes a header row
with the column names, then the data. ``pandas.read_csv(path, comment="#")`` reads it, as
does ``numpy.genfromtxt(path, delimiter=",", names=True, skip_header=2)`` (with a title).

Where they go is :func:`figures_root`. The committed ``figures/`` is written only by
``make figures`` (``scripts/twins.py``); ``make book`` and ``make test`` set
``NONRECIPROCAL_FIGURES`` to a build folder, so building or testing the book changes no
tracked file, and ``tests/test_figure_data.py`` compares what they wrote with the committed
files.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Mapping

import numpy as np

__all__ = ["save_figure", "save_data", "style", "figures_root", "committed_figures_root"]

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def style() -> None:
    """Apply the book's matplotlib style (sizes, fonts, a deterministic PNG backend)."""
    import matplotlib

    matplotlib.rcParams.update(
        {
            "figure.figsize": (6.4, 4.0),
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "font.size": 11,
            "axes.titlesize": 11,
            "axes.labelsize": 11,
            "legend.fontsize": 9,
            "lines.linewidth": 1.8,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "svg.hashsalt": "nonreciprocal",
        }
    )


def figures_root() -> Path:
    """The folder that figures (and report-card records) are written to.

    ``$NONRECIPROCAL_FIGURES`` if set (the Makefile sets it to a build folder for
    ``make book`` and ``make test``); otherwise ``figures/`` beside the nearest
    ``_toc.yml`` at or above the working directory (chapters run in ``book/``);
    otherwise ``./figures``.
    """
    env = os.environ.get("NONRECIPROCAL_FIGURES")
    if env:
        return Path(env)
    return committed_figures_root()


def committed_figures_root() -> Path:
    """The book's committed ``figures/`` folder, whatever ``$NONRECIPROCAL_FIGURES`` says.

    Read precomputed data (CSV files written by the scripts in ``scripts/``) from here:
    during ``make book`` and ``make test`` :func:`figures_root` points to a build folder,
    which holds only what the current run wrote. ``figures/`` beside the nearest
    ``_toc.yml`` at or above the working directory; otherwise ``./figures``.
    """
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "_toc.yml").is_file():
            return folder / "figures"
    return here / "figures"


def save_figure(fig, chapter: str, name: str, columns: Mapping[str, np.ndarray], units: Mapping[str, str],
                title: str | None = None) -> Path:
    """Save ``fig`` as ``figures/<chapter>/<name>.png`` and its data as ``<name>.csv``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to save.
    chapter, name : str
        Lower-case names of the chapter folder and of the figure (letters, digits, ``-``, ``_``).
    columns : mapping of str to 1-D array
        The plotted data, one column each, all of the same length.
    units : mapping of str to str
        The unit of every column (``"1"`` for dimensionless numbers).
    title : str, optional
        A one-line description written at the top of the CSV.

    Returns
    -------
    pathlib.Path
        The path of the PNG file.
    """
    _check_columns(columns, units)
    folder = _chapter_folder(chapter, name)
    png = folder / f"{name}.png"
    fig.savefig(png, metadata={"Software": None}, bbox_inches="tight")
    save_data(chapter, name, columns, units, title)
    return png


def save_data(chapter: str, name: str, columns: Mapping[str, np.ndarray], units: Mapping[str, str],
              title: str | None = None) -> Path:
    """Write ``figures/<chapter>/<name>.csv``: a title line, a units line, a header and the columns.

    The format of :func:`save_figure`'s CSV, for data without a figure (the tables that the
    scripts in ``scripts/`` precompute). Returns the path of the CSV.
    """
    data = _check_columns(columns, units)
    folder = _chapter_folder(chapter, name)
    lines = []
    if title:
        lines.append(f"# {title}")
    lines.append("# units: " + "; ".join(f"{c} [{units[c]}]" for c in columns))
    lines.append(",".join(columns))
    table = np.column_stack(data)
    lines += [",".join(f"{x:.10g}" for x in row) for row in table]
    path = folder / f"{name}.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _chapter_folder(chapter: str, name: str) -> Path:
    for label, value in (("chapter", chapter), ("name", name)):
        if not _NAME.match(value):
            raise ValueError(f"{label} {value!r} must be lower-case letters, digits, '-' or '_'")
    folder = figures_root() / chapter
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _check_columns(columns, units):
    if not columns:
        raise ValueError("columns must name at least one column of plotted data")
    missing = [c for c in columns if c not in units]
    if missing:
        raise ValueError(f"units are missing for columns {missing}")
    bad = [c for c in columns if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", c)]
    if bad:
        raise ValueError(f"column names must be identifiers (letters, digits, '_'): {bad}")
    data = [np.asarray(v, dtype=float).ravel() for v in columns.values()]
    lengths = {len(d) for d in data}
    if len(lengths) != 1:
        raise ValueError(f"all columns must have the same length, got {sorted(lengths)}")
    return data
