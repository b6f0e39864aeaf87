"""`certprep pack stats` reports the services and tags that questions or cards use but no note section covers."""

from __future__ import annotations

import json
from pathlib import Path

from certprep.content.study import study_guide
from tests.conftest import DOP_PACK, dop_pack, run_certprep


def test_stats_list_the_services_and_tags_no_note_covers(tiny_pack: Path) -> None:
    result = run_certprep("pack", "stats", str(tiny_pack))
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())  # long lists wrap at the terminal's width
    assert "Not covered by any note section: 7" in text
    assert "Services: cd (1), ps (1), top (1), vi (3)" in text
    assert "Tags: editing (2), listing (1), processes (1)" in text

    # A service card on vi that mentions editing closes two of the gaps, and the report says so.
    notes = tiny_pack / "notes" / "d1.md"
    text = notes.read_text()
    card = "### vi\n- Modal editing: `:x` saves a changed file and quits.\n"
    notes.write_text(text.replace("## Comparison tables\n", card + "## Comparison tables\n"))
    stats = json.loads(run_certprep("pack", "stats", str(tiny_pack), "--json").stdout)
    gaps = stats["notes_gaps"]
    assert gaps["count"] == 5
    assert [gap["name"] for gap in gaps["services"]] == ["cd", "ps", "top"]
    assert [gap["name"] for gap in gaps["tags"]] == ["listing", "processes"]


def test_the_dop_c02_notes_cover_every_service_and_tag() -> None:
    gaps = study_guide(dop_pack()).gaps()
    assert (gaps.services, gaps.tags) == ({}, {})
    result = run_certprep("pack", "stats", str(DOP_PACK))
    assert "Notes cover every service and tag that questions and cards use." in result.stdout
