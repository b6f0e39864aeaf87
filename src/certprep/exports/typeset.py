"""Typesetting PDFs with Typst, through the ``typst`` PyPI package (the compiler is inside the wheel).

Each document is a template under ``exports/templates/`` plus a JSON payload handed over in ``sys.inputs``.
Only the fonts embedded in the typst package are used (Libertinus Serif, New Computer Modern, DejaVu Sans Mono), never
the system's, so a PDF comes out the same on every machine and nothing has to be installed besides the wheel.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

import typst

TEMPLATES = Path(__file__).resolve().parent / "templates"

Paper = Literal["a4", "letter"]
PAPERS: tuple[Paper, ...] = ("a4", "letter")
# Typst's names for the two paper sizes a learner can choose.
_TYPST_PAPER: dict[Paper, str] = {"a4": "a4", "letter": "us-letter"}
# Page sizes in PostScript points, as a PDF's MediaBox states them (used by tests and documented in exports.md).
PAGE_POINTS: dict[Paper, tuple[float, float]] = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}


class TypesetError(RuntimeError):
    """Typst could not make the PDF. This is a bug in a template, not a user mistake; the message says where."""


@cache
def _fonts() -> typst.Fonts:
    # Embedded fonts only: identical output everywhere, and no slow scan of the system's font folders.
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True)


def check_paper(paper: str) -> Paper:
    """``paper`` as a Paper, or ValueError with a sentence naming the choices."""
    for choice in PAPERS:
        if paper.strip().lower() == choice:
            return choice
    raise ValueError(f"unknown paper size '{paper}'; choose {' or '.join(PAPERS)}")


def _moment(when: dt.datetime | None) -> dt.datetime:
    return (when or dt.datetime.now(dt.UTC)).replace(microsecond=0)  # typst takes whole seconds only


def _inputs(data: dict[str, Any], paper: Paper, when: dt.datetime) -> dict[str, str]:
    payload = {**data, "paper": _TYPST_PAPER[paper], "generated": when.strftime("%Y-%m-%d")}
    return {"data": json.dumps(payload, ensure_ascii=False)}


def render_pdf(template: str, data: dict[str, Any], paper: Paper = "a4", when: dt.datetime | None = None) -> bytes:
    """Typeset ``templates/<template>.typ`` with ``data`` on ``paper`` and return the PDF bytes."""
    when = _moment(when)
    try:
        pdf = typst.compile(
            TEMPLATES / f"{template}.typ",
            root=TEMPLATES,
            font_paths=_fonts(),
            sys_inputs=_inputs(data, paper, when),
            format="pdf",
            timestamp=when,
        )
    except typst.TypstError as error:
        raise TypesetError(f"typst could not typeset {template}.typ: {error.message}\n{error.diagnostic}") from error
    if not isinstance(pdf, bytes):  # compile() returns bytes for a single PDF; anything else is a package change
        raise TypesetError(f"typst returned {type(pdf).__name__} instead of PDF bytes")
    return _without_default_suspects(pdf)


# Typst (0.15.2, the newest release) marks its tagged PDFs with ``/MarkInfo <</Marked true /Suspects false>>``. That
# is valid PDF, but poppler (pdfinfo and every viewer built on it; Debian 12 ships 22.12) takes a false Suspects for
# a wrong type and prints "Syntax Error: Suspects object is wrong type (boolean)" for every file. False is the
# entry's default in the PDF standard, so blanking it out changes nothing in the document, and as many spaces as it
# had keep every byte offset in the cross-reference table right. pdf_tags=False would silence poppler too, but the
# tags are what lets a screen reader read the PDF.
_MARK_INFO = re.compile(rb"/MarkInfo\s*<<[^<>]*>>")
_SUSPECTS_FALSE = re.compile(rb"/Suspects\s+false")


def _without_default_suspects(pdf: bytes) -> bytes:
    def blank(mark_info: re.Match[bytes]) -> bytes:
        return _SUSPECTS_FALSE.sub(lambda entry: b" " * len(entry.group()), mark_info.group())

    return _MARK_INFO.sub(blank, pdf, count=1)


def query_labels(
    template: str, data: dict[str, Any], label: str, paper: Paper = "a4", when: dt.datetime | None = None
) -> list[Any]:
    """The values of the metadata labelled ``<label>`` once ``templates/<template>.typ`` is laid out with ``data``.

    A template records facts that only the layout knows (where something landed) this way, for a second pass.
    """
    try:
        found = typst.query(
            TEMPLATES / f"{template}.typ",
            f"<{label}>",
            field="value",
            root=TEMPLATES,
            font_paths=_fonts(),
            sys_inputs=_inputs(data, paper, _moment(when)),
            format="json",
        )
    except typst.TypstError as error:
        raise TypesetError(f"typst could not lay out {template}.typ: {error.message}\n{error.diagnostic}") from error
    values = json.loads(found)
    if not isinstance(values, list):
        raise TypesetError(f"typst answered the query for <{label}> with {type(values).__name__}, not a list")
    return values
