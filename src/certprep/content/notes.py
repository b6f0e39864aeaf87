"""The parts of a domain's notes below its level-2 sections: the level-3 subsections (one service card, one comparison
table), the top-level bullets of a list (one exam pattern) and the bold lead that names a pattern.

One reading of the notes' Markdown layout (see docs/pack-format.md), shared by the tutor, which cuts them into
passages, and the study pages, which show them as sections with their cards and questions: both must agree on where
a service card ends and what a pattern is called, or a tutor citation and a study link would name different things.
"""

from __future__ import annotations

import re

_BOLD_LEAD = re.compile(r"^\*\*(?P<lead>[^*]+)\*\*:?\s*")
_SLUG_STRIP = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A lower-case, dash-separated form of ``text`` for ids and anchors."""
    return _SLUG_STRIP.sub("-", text.lower()).strip("-")[:60] or "x"


def bullets(body: str) -> list[str]:
    """The top-level bullets of a Markdown body, continuation lines joined."""
    items: list[str] = []
    for line in body.splitlines():
        if line.startswith("- "):
            items.append(line[2:].strip())
        elif items and line.startswith("  ") and line.strip():
            items[-1] += " " + line.strip()
    return items


def bold_lead(bullet: str) -> str | None:
    """The name of a pattern bullet (``**Name**: ...``), or None when the bullet does not open with one."""
    lead = _BOLD_LEAD.match(bullet)
    return lead.group("lead") if lead else None


def subsections(body: str) -> tuple[str, list[tuple[str, str]]]:
    """Split a section body at level-3 headings: (text before the first heading, [(heading, body), ...])."""
    preamble: list[str] = []
    parts: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("### "):
            parts.append((line[4:].strip(), []))
        elif parts:
            parts[-1][1].append(line)
        else:
            preamble.append(line)
    return "\n".join(preamble).strip(), [(title, "\n".join(lines).strip()) for title, lines in parts]
