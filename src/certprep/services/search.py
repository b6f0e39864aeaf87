"""Search over a pack's study notes, flashcards and the questions a learner has already answered, and the learner's
own notes, with the matches highlighted.

The pack's text is copied into ``search_passages`` (once per content version) and searched by the database's own
full-text engine: SQLite's FTS5 (porter stemming, ``highlight()``) or PostgreSQL's English text search
(``websearch_to_tsquery``, ``ts_headline``). Questions are searched with their options and explanation, so a result
would give a key away: only questions whose key the learner has already seen and may see now are returned
(``ExamService.revealed``), and while a timed exam runs the search is closed altogether.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from enum import StrEnum

from markupsafe import Markup, escape
from sqlalchemy import String, bindparam, delete, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from certprep.content.models import Pack
from certprep.content.study import study_guide
from certprep.errors import Forbidden, InvalidInput
from certprep.services.exams import ExamService
from certprep.services.marks import MarkService
from certprep.store.db import transaction
from certprep.store.schema import SearchPassage

__all__ = ["Hit", "HitKind", "SearchError", "SearchService"]

MAX_QUERY = 200
LIMIT = 30
# Marks around a match that no pack text contains; the text is escaped first, then they become <mark> tags, so the
# highlighted snippet is safe HTML whatever the notes hold.
_OPEN, _CLOSE = "\x02", "\x03"
_WORD = re.compile(r"\w[\w.-]*", re.UNICODE)


class HitKind(StrEnum):
    NOTE = "note"  # a section of the study notes
    CARD = "card"
    QUESTION = "question"
    MINE = "mine"  # the learner's own note on a question or card


class SearchError(InvalidInput):
    """A search that cannot be run, as one sentence."""


class SearchClosed(Forbidden):
    """No search while a timed exam runs: its results could show keys."""


@dataclass(frozen=True)
class Hit:
    """One result: what it is, where it opens, its title and a snippet with the matches in <mark>."""

    kind: HitKind
    title: str
    url: str
    snippet: Markup


class SearchService:
    def __init__(
        self, sessions: sessionmaker[Session], packs: dict[str, Pack], exams: ExamService, marks: MarkService
    ) -> None:
        self.sessions = sessions
        self.packs = packs
        self.exams = exams
        self.marks = marks
        self._indexed: dict[str, str] = {}

    def ensure_index(self, pack_id: str) -> None:
        """Copy the pack's text into the search table when its content version is not there yet."""
        pack = self.packs[pack_id]
        if self._indexed.get(pack_id) == pack.content_version:
            return
        with transaction(self.sessions) as session:
            if session.get_bind().dialect.name == "postgresql":
                # Two workers may both find the index stale; one rebuilds while the other waits, then finds it fresh
                # (SQLite's BEGIN IMMEDIATE in ``transaction`` serialises them already).
                session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"search:{pack_id}"})
            stored = session.scalar(select(SearchPassage.content_version).where(SearchPassage.pack_id == pack_id))
            if stored != pack.content_version:
                session.execute(delete(SearchPassage).where(SearchPassage.pack_id == pack_id))
                session.execute(insert(SearchPassage), list(_passages(pack)))
                if session.get_bind().dialect.name == "sqlite":
                    session.execute(text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
        self._indexed[pack_id] = pack.content_version

    def search(self, user_id: int, pack_id: str, query: str, limit: int = LIMIT) -> list[Hit]:
        """The best matches for ``query`` among what the learner may read, best first."""
        if self.exams.seal(user_id) is not None:
            raise SearchClosed("Search is closed while your timed exam runs: its results could show answers.")
        words = _WORD.findall(query or "")[:12]
        if not words or len(query) > MAX_QUERY:
            raise SearchError(f"Type one to a dozen words to search for (at most {MAX_QUERY} characters).")
        pack = self.packs.get(pack_id)
        if pack is None:
            raise SearchError(f"No pack '{pack_id}' is installed.")
        self.ensure_index(pack_id)
        allowed = self.exams.revealed(user_id, pack_id)
        with self.sessions() as session:
            rows = _matches(session, pack_id, words, allowed, limit)
        hits = [
            Hit(HitKind(kind), title, _url(pack, HitKind(kind), item), _marked(snip))
            for kind, item, title, snip in rows
        ]
        return [*self._mine(user_id, pack, words), *hits][:limit]

    def _mine(self, user_id: int, pack: Pack, words: list[str]) -> list[Hit]:
        """The learner's own notes that hold every word (few, and the learner's own: matched here, not indexed)."""
        found = []
        lowered = [word.lower() for word in words]
        for mark in self.marks.marks(user_id, pack.id):
            if mark.note and all(word in mark.note.lower() for word in lowered):
                pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
                snippet = pattern.sub(lambda m: f"{_OPEN}{m.group(0)}{_CLOSE}", mark.note[:300])
                url = f"/packs/{pack.id}/bookmarks#mark-{mark.label}"
                found.append(Hit(HitKind.MINE, f"Your note on {mark.label}: {mark.title[:60]}", url, _marked(snippet)))
        return found


def _passages(pack: Pack) -> list[dict[str, str]]:
    version = pack.content_version
    rows = [
        {"kind": HitKind.NOTE.value, "item_id": section.anchor, "title": section.title, "body": section.body}
        for section in study_guide(pack).sections
    ]
    rows += [
        {"kind": HitKind.CARD.value, "item_id": card.id, "title": " ".join(card.front.split()), "body": card.back}
        for card in pack.flashcards
    ]
    for question in pack.questions:
        if question.status == "retired":
            continue
        options = "\n".join(f"{option.text} {option.why}" for option in question.options)
        title = f"{pack.code(question.id)}: {textwrap.shorten(question.stem, 90, placeholder='…')}"
        body = f"{question.stem}\n{options}\n{question.explanation}"
        rows.append({"kind": HitKind.QUESTION.value, "item_id": question.id, "title": title, "body": body})
    return [{"pack_id": pack.id, "content_version": version, **row} for row in rows]


def _matches(
    session: Session, pack_id: str, words: list[str], allowed: frozenset[str], limit: int
) -> list[tuple[str, str, str, str]]:
    """The best matching passages: sections and cards, and only the ``allowed`` questions (filtered in the query,
    so unseen questions never crowd the learner's results out)."""
    if session.get_bind().dialect.name == "sqlite":
        # Each word quoted: FTS5 reads them as terms, never as its query syntax (AND, NEAR, column filters).
        match = " ".join('"' + word.replace('"', "") + '"' for word in words)
        statement = text(
            "SELECT p.kind, p.item_id, p.title, snippet(search_fts, 1, :open, :close, ' … ', 24) "
            "FROM search_fts JOIN search_passages p ON p.id = search_fts.rowid "
            "WHERE search_fts MATCH :match AND p.pack_id = :pack AND (p.kind != 'question' OR p.item_id IN :allowed) "
            "ORDER BY bm25(search_fts, 5.0, 1.0) LIMIT :limit"
        )
        params = {"match": match, "pack": pack_id, "limit": limit, "open": _OPEN, "close": _CLOSE}
    else:
        statement = text(
            "SELECT kind, item_id, title, ts_headline('english', body, q, :options) FROM search_passages, "
            "websearch_to_tsquery('english', :query) q "
            "WHERE pack_id = :pack AND to_tsvector('english', title || ' ' || body) @@ q "
            "AND (kind != 'question' OR item_id IN :allowed) "
            "ORDER BY ts_rank(to_tsvector('english', title || ' ' || body), q) DESC LIMIT :limit"
        )
        options = f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords=35, MinWords=15, MaxFragments=2"
        params = {"query": " ".join(words), "pack": pack_id, "limit": limit, "options": options}
    statement = statement.bindparams(bindparam("allowed", expanding=True, type_=String()))
    params["allowed"] = sorted(allowed)
    return [(row[0], row[1], row[2], row[3]) for row in session.execute(statement, params)]


def _marked(snippet: str) -> Markup:
    """The snippet as safe HTML: escaped, then the match marks turned into <mark> elements."""
    flat = " ".join(snippet.split())
    return Markup(str(escape(flat)).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))


def _url(pack: Pack, kind: HitKind, item_id: str) -> str:
    if kind is HitKind.NOTE:
        section = study_guide(pack).by_anchor.get(item_id)
        domain = section.domain if section is not None else 1
        return f"/packs/{pack.id}/study/domains/{domain}#{item_id}"
    if kind is HitKind.CARD:
        return f"/packs/{pack.id}/flashcards/{item_id}"
    return f"/packs/{pack.id}/questions/{pack.code(item_id)}"
