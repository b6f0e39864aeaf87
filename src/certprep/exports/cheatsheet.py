"""The cheat-sheet PDF: each domain's service cards, key exam patterns and comparison tables, then one master quick
reference gathered from every domain's "Quick reference" section.

The notes' standard sections (see docs/pack-format.md) are what make this possible without any extra authoring:
the cheat sheet is a re-arrangement of the notes for print, dense but readable.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from certprep.content.models import Pack
from certprep.exports.markdown import Block, parse_blocks
from certprep.exports.typeset import Paper, render_pdf

# (section title in the notes, number of text columns). Cards and patterns are short lists that read well in two
# columns; comparison tables need the full width.
CHEATSHEET_SECTIONS: tuple[tuple[str, int], ...] = (
    ("Service cards", 2),
    ("Key exam patterns", 2),
    ("Comparison tables", 1),
)
QUICK_REFERENCE = "Quick reference"


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


def cheatsheet_pdf(pack: Pack, paper: Paper = "a4", when: dt.datetime | None = None) -> bytes:
    """The cheat sheet of ``pack`` as PDF bytes on A4 or US Letter."""
    return render_pdf("cheatsheet", cheatsheet_data(pack), paper, when)
