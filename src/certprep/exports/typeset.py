"""Typesetting PDFs with Typst, through the ``typst`` PyPI package (the compiler is inside the wheel).

Each document is a template under ``exports/templates/`` plus a JSON payload handed over in ``sys.inputs``.
Only the fonts embedded in the typst package are used (Libertinus Serif, New Computer Modern, DejaVu Sans Mono), never
the system's, so a PDF comes out the same on every machine and nothing has to be installed besides the wheel.
"""

from __future__ import annotations

import datetime as dt
import json
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


def render_pdf(template: str, data: dict[str, Any], paper: Paper = "a4", when: dt.datetime | None = None) -> bytes:
    """Typeset ``templates/<template>.typ`` with ``data`` on ``paper`` and return the PDF bytes."""
    when = (when or dt.datetime.now(dt.UTC)).replace(microsecond=0)  # typst takes whole seconds only
    payload = {**data, "paper": _TYPST_PAPER[paper], "generated": when.strftime("%Y-%m-%d")}
    try:
        pdf = typst.compile(
            TEMPLATES / f"{template}.typ",
            root=TEMPLATES,
            font_paths=_fonts(),
            sys_inputs={"data": json.dumps(payload, ensure_ascii=False)},
            format="pdf",
            timestamp=when,
        )
    except typst.TypstError as error:
        raise TypesetError(f"typst could not typeset {template}.typ: {error.message}\n{error.diagnostic}") from error
    if not isinstance(pdf, bytes):  # compile() returns bytes for a single PDF; anything else is a package change
        raise TypesetError(f"typst returned {type(pdf).__name__} instead of PDF bytes")
    return pdf
