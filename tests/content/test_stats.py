"""`pack stats` figures, checked against counts made by hand on the tiny pack."""

from __future__ import annotations

import json

from certprep.content import load_pack, pack_stats
from tests.conftest import TINY_PACK, run_certprep


def test_stats_match_hand_counts() -> None:
    stats = pack_stats(load_pack(TINY_PACK))
    assert stats["questions"] == {"total": 7, "usable": 6, "by_status": {"live": 5, "pretest": 1, "retired": 1}}
    assert stats["types"] == {"single": 4, "multiple": 2}
    assert stats["difficulty"] == {"1": 1, "2": 1, "3": 2, "4": 1, "5": 1}
    assert stats["flashcards"] == 3
    first, second = stats["domains"]
    assert (first["id"], first["weight"], first["exam_items"], first["questions"]) == (1, 60, 3, 4)
    assert (second["id"], second["weight"], second["exam_items"], second["questions"]) == (2, 40, 2, 2)
    assert first["multiple"] == 1
    assert first["multiple_percent"] == 25.0
    assert [(t["id"], t["questions"], t["flashcards"]) for t in first["tasks"]] == [("1.1", 2, 1), ("1.2", 2, 1)]
    assert [(t["id"], t["questions"], t["flashcards"]) for t in second["tasks"]] == [("2.1", 2, 1)]
    assert first["notes"] is True
    assert stats["explainers"] == {
        "total": 2,
        "by_kind": {"compare": 1, "why": 0, "troubleshoot": 1, "choose": 0, "fact": 0},
    }
    assert [(t["id"], t["explainers"]) for t in first["tasks"]] == [("1.1", 1), ("1.2", 1)]
    assert (first["explainers"], second["explainers"]) == (2, 0)
    assert stats["documentation_check"]["explainers_checked"] == 2
    assert stats["services"] == {"in_scope": 6, "covered": 5, "uncovered": ["grep"]}


def test_stats_json_from_the_cli_is_the_same() -> None:
    result = run_certprep("pack", "stats", str(TINY_PACK), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == pack_stats(load_pack(TINY_PACK))
