"""Bookmarks, personal notes and search (SQLite FTS5 and PostgreSQL full-text search): a learner's marks are theirs
alone, a bookmarks session holds the bookmarked questions, and search finds notes, cards and answered questions,
with the matches highlighted, never a question whose key the learner has not seen, and nothing during a timed exam."""

from __future__ import annotations

import pytest

from certprep.engine.forms import FormRequest
from certprep.services.exams import ExamService
from certprep.services.marks import MarkError, MarkService
from certprep.services.search import SearchClosed, SearchError, SearchService
from tests.conftest import Learners
from tests.services.test_exams import PACKS, T0

TINY = PACKS["tiny"]


def _services(learners: Learners) -> tuple[ExamService, MarkService, SearchService]:
    exams = ExamService(learners.sessions, PACKS)
    marks = MarkService(learners.sessions, PACKS, exams)
    return exams, marks, SearchService(learners.sessions, PACKS, exams, marks)


def test_marks_are_the_learners_own_and_bookmarks_make_a_session(learners: Learners) -> None:
    exams, marks, _ = _services(learners)
    live = [q for q in TINY.questions if q.status == "live"]
    with pytest.raises(MarkError, match="Bookmark a question first"):
        marks.start_bookmarks(learners.alice, "tiny")
    for question in live[:2]:
        marks.save(learners.alice, "tiny", "question", TINY.code(question.id), bookmarked=True, now=T0)
    card = TINY.flashcards[0]
    saved = marks.save(learners.alice, "tiny", "card", card.id, note="  Remember the -a flag.  ", now=T0)
    assert saved.note == "Remember the -a flag." and not saved.bookmarked
    assert {m.label for m in marks.marks(learners.alice, "tiny")} == {*(TINY.code(q.id) for q in live[:2]), card.id}
    assert marks.marks(learners.bob, "tiny") == []
    marks.save(learners.alice, "tiny", "question", TINY.code(live[1].id), bookmarked=False, now=T0)
    attempt = marks.start_bookmarks(learners.alice, "tiny")
    state = exams.state(learners.alice, attempt, now=T0)
    assert [q.question_id for q in state.questions] == [live[0].id] and state.label == "My bookmarks"
    with pytest.raises(MarkError, match="under 4000"):
        marks.save(learners.alice, "tiny", "card", card.id, note="x" * 4001)


def test_search_finds_notes_cards_and_only_answered_questions_highlighted(learners: Learners) -> None:
    exams, marks, search = _services(learners)
    question = next(q for q in TINY.questions if q.status == "live" and "dot" in q.stem.lower())
    word = "dot"
    assert all(hit.kind != "question" for hit in search.search(learners.alice, "tiny", word))  # not answered yet
    attempt = exams.start(learners.alice, "tiny", FormRequest(mode="custom", count=20), seed=1, now=T0)
    item = next(q for q in exams.state(learners.alice, attempt, now=T0).questions if q.question_id == question.id)
    exams.answer(learners.alice, attempt, item.position, selected=["A"], now=T0)
    # Saved but not checked: the key is still hidden, so the question is still not found.
    assert all(hit.kind != "question" for hit in search.search(learners.alice, "tiny", word))
    exams.check(learners.alice, attempt, item.position, now=T0)
    hits = search.search(learners.alice, "tiny", word)
    found = [hit for hit in hits if hit.kind == "question"]
    assert [hit.url for hit in found] == [f"/packs/tiny/questions/{TINY.code(question.id)}"]
    assert "<mark>" in str(found[0].snippet).lower()
    assert all(hit.kind != "question" for hit in search.search(learners.bob, "tiny", word))  # Bob never answered it
    # Cards and the learner's own notes are found too, the markup of the text escaped.
    card = TINY.flashcards[0]
    assert "hidden" in card.back  # a word no English stop list drops (PostgreSQL's drops "because")
    assert any(hit.kind == "card" for hit in search.search(learners.alice, "tiny", "hidden"))
    marks.save(learners.alice, "tiny", "card", card.id, note="<b>zebra</b> mnemonic for this card")
    mine = [hit for hit in search.search(learners.alice, "tiny", "zebra") if hit.kind == "mine"]
    assert mine and "&lt;b&gt;<mark>zebra</mark>" in str(mine[0].snippet)
    assert not [hit for hit in search.search(learners.bob, "tiny", "zebra") if hit.kind == "mine"]
    with pytest.raises(SearchError):
        search.search(learners.alice, "tiny", "  ?! ")


def test_search_is_closed_while_a_timed_exam_runs(learners: Learners) -> None:
    exams, _, search = _services(learners)
    exams.start(learners.alice, "tiny", FormRequest(mode="full"), seed=2)
    with pytest.raises(SearchClosed, match="timed exam"):
        search.search(learners.alice, "tiny", "process")
    assert search.search(learners.bob, "tiny", "process") is not None
