"""Machine-readable records of what a chapter reproduces: the data of the report card.

Each chapter calls :func:`record` once per figure panel, table or quantitative claim of its
paper, right where it computes our value. The records of one chapter are written, as the
chapter executes, to ``<figures_root>/<chapter>/report-card.json`` (the same folder as its
figures). The book's report card page is generated from these files, so it cannot drift
from the computation.

Example
-------
>>> record("li-flebus", "fig3c-peak", paper="Li & Flebus", item="Fig. 3(c)",
...        claim="R_2 has an interior peak", paper_value="peak near t ~ 1/gamma_0",
...        our_value="t = 0.83/gamma_0", deviation="", status="reproduced",
...        section="lf-fig3")  # doctest: +SKIP
"""

from __future__ import annotations

import json
import re

from .figures import figures_root

__all__ = ["record", "STATUSES", "records"]

#: The allowed values of ``status``.
STATUSES = ("reproduced", "partly", "differs", "not reproducible")

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")

# chapter -> {id: record}, in the order of the first call: the file always holds exactly the
# records of the current execution of the chapter (one kernel per execution)
_RECORDS: dict[str, dict[str, dict]] = {}


def _text(name: str, value) -> str:
    if isinstance(value, float):
        raise TypeError(f"{name} must be a string with its unit (format the number), got {value!r}")
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    return value.strip()


def record(chapter: str, id: str, *, paper: str, item: str, claim: str, paper_value: str,
           our_value: str, status: str, section: str, deviation: str = "", why: str = "") -> dict:
    """Record one reproduced item of a paper for the report card.

    Parameters
    ----------
    chapter : str
        The chapter's figure folder (``CHAPTER`` in the chapter, e.g. ``"li-flebus"``).
    id : str
        A unique, stable, lower-case name of the item within the chapter.
    paper : str
        Which paper (short form, e.g. ``"Li & Flebus"``).
    item : str
        What is reproduced: ``"Fig. 3(c)"``, ``"Table I, quartz row"``, ``"Eq. (21)"``, or a
        short name of a claim in the text.
    claim : str
        The paper's statement or quantity, in one sentence.
    paper_value, our_value : str
        The two values, formatted with units (``"0.2"``, ``"12 ps"``, ``"-"`` when none).
    status : str
        One of :data:`STATUSES`.
    section : str
        The MyST label of the section of the book where it is computed (``(label)=``).
    deviation : str, optional
        The difference, with units or as a ratio (``"3 %"``, ``"factor 2"``).
    why : str, optional
        Why the status is not ``reproduced``; required then.

    Returns
    -------
    dict
        The stored record.
    """
    for label, value, pattern in (("chapter", chapter, _ID), ("id", id, _ID), ("section", section, _LABEL)):
        if not isinstance(value, str) or not pattern.match(value):
            raise ValueError(f"{label} {value!r} must match {pattern.pattern}")
    if status not in STATUSES:
        raise ValueError(f"status {status!r} must be one of {STATUSES}")
    entry = {
        "id": id,
        "paper": _text("paper", paper),
        "item": _text("item", item),
        "claim": _text("claim", claim),
        "paper_value": _text("paper_value", paper_value),
        "our_value": _text("our_value", our_value),
        "deviation": _text("deviation", deviation),
        "status": status,
        "why": _text("why", why),
        "section": section,
    }
    if status != "reproduced" and not entry["why"]:
        raise ValueError(f"record {id!r}: status {status!r} needs a reason (why=...)")
    chapter_records = _RECORDS.setdefault(chapter, {})
    chapter_records[id] = entry
    folder = figures_root() / chapter
    folder.mkdir(parents=True, exist_ok=True)
    payload = {"chapter": chapter, "records": list(chapter_records.values())}
    (folder / "report-card.json").write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
    return entry


def records(chapter: str) -> list[dict]:
    """The records of ``chapter`` made so far in this process."""
    return list(_RECORDS.get(chapter, {}).values())
