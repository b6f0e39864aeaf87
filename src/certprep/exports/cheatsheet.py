"""The cheat-sheet PDF: each domain's service cards, key exam patterns and comparison tables, then one master quick
reference gathered from every domain's "Quick reference" section.

The notes' standard sections (see docs/pack-format.md) are what make this possible without any extra authoring:
the cheat sheet is a re-arrangement of the notes for print, dense but readable.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from certprep.content.models import Pack
from certprep.exports.markdown import Block, parse_blocks
from certprep.exports.typeset import Paper, query_labels, render_pdf

# (section title in the notes, number of text columns). Cards and patterns are short lists that read well in two
# columns; comparison tables need the full width.
CHEATSHEET_SECTIONS: tuple[tuple[str, int], ...] = (
    ("Service cards", 2),
    ("Key exam patterns", 2),
    ("Comparison tables", 1),
)
QUICK_REFERENCE = "Quick reference"
# A column break is only worth it when it shortens the longer column by more than about two lines (in points).
WORTH_A_BREAK = 24.0


def cheatsheet_data(pack: Pack) -> dict[str, Any]:
    """Everything the cheat-sheet template shows, as plain JSON-ready data."""
    blueprint = pack.blueprint
    domains = []
    for domain in blueprint.domains:
        note = pack.note(domain.id)
        sections = []
        for title, columns in CHEATSHEET_SECTIONS:
            section = note.section(title) if note else None
            if section is not None and section.body.strip():
                sections.append({"title": title, "columns": columns, "blocks": parse_blocks(section.body)})
        if not sections:
            missing = [{"k": "paragraph", "c": [{"k": "text", "v": "This pack has no notes for this domain yet."}]}]
            sections.append({"title": "Notes", "columns": 1, "blocks": missing})
        domains.append(
            {
                "id": domain.id,
                "name": domain.name,
                "weight": f"{domain.weight:g}",
                "tasks": "tasks " + ", ".join(task.id for task in domain.tasks),
                "sections": sections,
            }
        )
    return {
        "title": f"{blueprint.exam_code} cheat sheet",
        "subtitle": "Service cards, exam patterns, comparison tables and a quick reference",
        "exam_name": blueprint.name,
        "exam_code": blueprint.exam_code,
        "content_version": blueprint.content_version,
        "domains": domains,
        "quick_reference": master_quick_reference(pack),
        "breaks": {},
    }


def master_quick_reference(pack: Pack) -> list[Block]:
    """One table of every domain's quick-reference rows, sorted by its first column, with a Domain column.

    The pack format suggests a two-column "Service | Fact to remember" table per domain; when every domain follows
    it (same header, table only), the rows are merged so that all facts about one service sit together. Otherwise
    each domain's section is printed under its own heading, so that nothing an author wrote is dropped.
    """
    parts: list[tuple[int, str, list[Block]]] = []
    for domain in pack.blueprint.domains:
        note = pack.note(domain.id)
        section = note.section(QUICK_REFERENCE) if note else None
        if section is not None and section.body.strip():
            parts.append((domain.id, domain.name, parse_blocks(section.body)))
    if not parts:
        return [{"k": "paragraph", "c": [{"k": "text", "v": "This pack has no quick-reference sections."}]}]
    tables = [blocks[0] for _, _, blocks in parts if len(blocks) == 1 and blocks[0]["k"] == "table"]
    if len(tables) == len(parts) and all(table["header"] == tables[0]["header"] for table in tables):
        rows = []
        for (domain_id, _, _), table in zip(parts, tables, strict=True):
            rows += [[*row, [{"k": "text", "v": str(domain_id)}]] for row in table["rows"]]
        rows.sort(key=lambda row: _sort_key(row[0]))  # stable: within one service, domain order is kept
        header = [*tables[0]["header"], [{"k": "text", "v": "Domain"}]]
        widths = [0] + [1] * (len(header) - 2) + [0]
        return [{"k": "table", "header": header, "rows": rows, "widths": widths}]
    blocks: list[Block] = []
    for domain_id, name, section_blocks in parts:
        blocks.append({"k": "heading", "level": 2, "c": [{"k": "text", "v": f"Domain {domain_id}: {name}"}]})
        blocks += section_blocks
    return blocks


def _sort_key(cell: list[dict[str, Any]]) -> str:
    return "".join(str(run.get("v", "")) for run in cell).casefold()


@dataclass(frozen=True)
class Place:
    """Where one mark of the cheat sheet's two-column flow landed (cheatsheet.typ, ``place-mark``), in points."""

    key: str
    page: int
    x: float
    y: float
    middle: float  # the page's vertical centre line: a place left of it is in the left column
    top: float  # where the text area of the page starts and ends
    bottom: float

    @property
    def left(self) -> bool:
        return self.x < self.middle

    @property
    def breakable(self) -> bool:
        """A column may start here: at a heading or a list item, but not between a heading and its list."""
        parts = self.key.split(".")
        return parts[-1] not in ("start", "end") and not (len(parts) == 4 and parts[-1] == "0")


def balancing_break(places: list[Place]) -> str | None:
    """The place of one domain's flow before which a column break evens out the columns of its last page.

    Typst fills the left column to the bottom before it starts the right one, so a flow that ends on a page leaves
    the right column short or empty. Moving the left column's tail over from a heading or list item near half the
    page's text makes both columns end about level. None when no break shortens the longer column noticeably.
    """
    start = next(place for place in places if place.key.endswith(".start"))
    end = next(place for place in places if place.key.endswith(".end"))
    top = start.y if start.page == end.page else end.top
    column = end.bottom - top
    right_used = not end.left or any(place.page == end.page and not place.left for place in places)
    left_length = column if right_used else end.y - top
    right_length = end.y - top if not end.left else 0.0
    total = left_length + right_length
    best: tuple[float, str] | None = None
    for place in places:
        if place.page != end.page or not place.left or not place.breakable:
            continue
        before = place.y - top
        after = total - before
        if before <= 0 or after > column - WORTH_A_BREAK:  # the right column must hold what moves over
            continue
        longer = max(before, after)
        if best is None or longer < best[0]:
            best = (longer, place.key)
    if best is None or best[0] > max(left_length, right_length) - WORTH_A_BREAK:
        return None
    return best[1]


def cheatsheet_pdf(pack: Pack, paper: Paper = "a4", when: dt.datetime | None = None) -> bytes:
    """The cheat sheet of ``pack`` as PDF bytes on A4 or US Letter, the columns of each domain's last page balanced."""
    data = cheatsheet_data(pack)
    by_domain: dict[str, list[Place]] = defaultdict(list)
    for value in query_labels("cheatsheet", data, "place", paper, when):
        place = Place(**value)
        by_domain[place.key.split(".")[0]].append(place)
    breaks = {domain: balancing_break(places) for domain, places in by_domain.items()}
    data["breaks"] = {domain: key for domain, key in breaks.items() if key is not None}
    return render_pdf("cheatsheet", data, paper, when)
