"""Bookmarks, notes and search through the real app (in process): the star and the note under a practice question,
"My bookmarks" and its practice session, a question's own page only once its key was seen, search with highlighted
matches that never shows an unseen question, and every door closed while a timed exam runs."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from certprep.content import load_pack
from tests.conftest import TINY_PACK

TINY = load_pack(TINY_PACK)


def test_bookmark_note_practise_and_search(client: TestClient) -> None:
    started = client.post("/packs/tiny/practice", data={"mode": "quick", "count": "3"})
    attempt = started.headers["location"].split("/")[2]
    page = client.get(f"/attempts/{attempt}/q/1").text
    code = re.search(r'data-bookmark="(Q-[0-9A-Z]{6})"', page)
    assert code and "☆ Bookmark" in page
    back = f"/attempts/{attempt}/q/1"
    starred = client.post(
        "/packs/tiny/marks",
        data={"kind": "question", "ref": code[1], "bookmarked": "on", "back": back},
        follow_redirects=False,
    )
    assert starred.status_code == 303 and starred.headers["location"] == back
    assert "★ Bookmarked" in client.get(back).text
    noted = client.post("/packs/tiny/marks", data={"kind": "question", "ref": code[1], "note": "Quokka trick: -a"})
    assert noted.status_code == 303 and noted.headers["location"] == "/packs/tiny/bookmarks"  # no page named
    listing = client.get("/packs/tiny/bookmarks").text
    assert code[1] in listing and "Quokka trick" in listing and "Practise my 1 bookmarked question" in listing
    assert TINY.question_by_code(code[1]).id not in listing  # type: ignore[union-attr]
    # The question's own page opens only once its key was seen.
    assert client.get(f"/packs/tiny/questions/{code[1]}").status_code == 403
    client.post(f"/attempts/{attempt}/q/1", data={"action": "check", "selected": ["A"]})
    view = client.get(f"/packs/tiny/questions/{code[1]}")
    assert view.status_code == 200 and "Correct" in view.text
    found = client.get("/packs/tiny/search", params={"q": "quokka"}).text
    assert "<mark>Quokka</mark>" in found and "your note" in found
    session = client.post("/packs/tiny/bookmarks/practice", follow_redirects=False)
    assert session.status_code == 303 and "/q/1" in session.headers["location"]
    assert client.get("/packs/tiny/search", params={"q": "?!"}).status_code == 422
    card = TINY.flashcards[0]
    assert client.get(f"/packs/tiny/flashcards/{card.id}").status_code == 200
    assert client.get("/packs/tiny/flashcards/no-such-card").status_code == 404
    bad = client.post("/packs/tiny/marks", data={"kind": "question", "ref": "Q-NOPE00", "bookmarked": "on"})
    assert bad.status_code == 404


def test_search_never_shows_an_unseen_question_and_closes_during_a_timed_exam(client: TestClient) -> None:
    question = TINY.questions[0]
    word = next(w for w in question.stem.split() if len(w) > 5 and w.isalpha())
    found = client.get("/packs/tiny/search", params={"q": word}).text
    assert TINY.code(question.id) not in found and "question you answered" not in found
    exam = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "full", "seed": 3})
    assert exam.status_code == 201
    closed = client.get("/packs/tiny/search", params={"q": word})
    assert closed.status_code == 403 and "timed exam" in closed.text
    assert client.get(f"/packs/tiny/questions/{TINY.code(question.id)}").status_code == 409
