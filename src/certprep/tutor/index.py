"""BM25 retrieval over a pack's passages with SQLite FTS5, in memory.

Why FTS5: it ships with Python's ``sqlite3``, ranks with Okapi BM25 (``bm25()``), stems English with the Porter
tokenizer, and builds an index of a few thousand passages in well under a second, so the tutor needs no model, no
download and no network. The index lives in an in-memory database owned by this object and is built once per pack.

Ranking, in order:

1. FTS5 ``bm25()`` over three columns with weights: the title counts most (a heading or a flashcard prompt says what
   a passage is about), the keywords next (services, tags, a question's scenario), the body least.
2. A small prior per kind: notes and flashcards are written to teach, option reasons are written to justify one
   answer in one scenario, so at equal BM25 the teaching text goes first, notes before cards.
3. Passages the caller must not see (the questions of a running exam) are dropped before the cut.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from certprep.tutor.expand import Terms, expand
from certprep.tutor.passages import Passage

# Column weights for bm25(): title, keywords, text.
TITLE_WEIGHT = 4.0
KEYWORD_WEIGHT = 1.5
TEXT_WEIGHT = 1.0
# Multipliers applied to the (positive) BM25 score. Notes come first: a card's prompt is a whole question whose many
# words match many queries, and with 600 cards they crowded out the note that teaches the rule (probe recall@3 fell
# from 91% to 86% when the bank grew to 768 questions; with notes at 1.3 and cards at 1.0 it is 91% again).
KIND_PRIOR: dict[str, float] = {"note": 1.3, "card": 1.0, "task": 0.9, "question": 0.9, "option": 0.8}
# Added spellings (synonyms, expansions) count for less than the learner's own words.
EXPANSION_WEIGHT = 0.5
CANDIDATES = 60


@dataclass(frozen=True)
class Hit:
    """A passage and its score for one query (higher is better)."""

    passage: Passage
    score: float


Reranker = Callable[[str, Sequence[Hit]], list[Hit]]


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class PassageIndex:
    """Search one pack's passages. Thread-safe: the web app's worker threads share one index."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self.passages = list(passages)
        self.by_id = {passage.id: passage for passage in self.passages}
        self._lock = threading.Lock()
        # check_same_thread=False: the connection is used from several threads, always under self._lock.
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute("CREATE VIRTUAL TABLE passages USING fts5(title, keywords, text, tokenize='porter unicode61')")
        self._db.executemany(
            "INSERT INTO passages(rowid, title, keywords, text) VALUES (?, ?, ?, ?)",
            ((row, p.title, p.keywords, p.text) for row, p in enumerate(self.passages)),
        )
        self._db.commit()

    def __getstate__(self) -> dict[str, object]:
        # Pickled for the start-up cache (certprep.content.cache): the FTS5 tables travel as SQLite's own image.
        with self._lock:
            return {"passages": self.passages, "image": self._db.serialize()}

    def __setstate__(self, state: dict[str, object]) -> None:
        passages = state["passages"]
        image = state["image"]
        assert isinstance(passages, list) and isinstance(image, bytes)
        self.passages = passages
        self.by_id = {passage.id: passage for passage in self.passages}
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.deserialize(image)

    def _bm25(self, terms: Sequence[str], limit: int) -> dict[int, float]:
        if not terms:
            return {}
        match = " OR ".join(_fts_phrase(term) for term in terms)
        with self._lock:
            rows = self._db.execute(
                "SELECT rowid, -bm25(passages, ?, ?, ?) FROM passages WHERE passages MATCH ? "
                "ORDER BY bm25(passages, ?, ?, ?) LIMIT ?",
                (TITLE_WEIGHT, KEYWORD_WEIGHT, TEXT_WEIGHT, match, TITLE_WEIGHT, KEYWORD_WEIGHT, TEXT_WEIGHT, limit),
            ).fetchall()
        return {int(row): float(score) for row, score in rows}

    def search(
        self,
        query: str | Terms,
        limit: int = 5,
        exclude_questions: Collection[str] = (),
        kinds: Collection[str] = (),
        reranker: Reranker | None = None,
    ) -> list[Hit]:
        """The best ``limit`` passages for ``query``, best first.

        ``exclude_questions``: question ids whose passages must not be returned. ``kinds``: keep only these kinds.
        """
        terms = expand(query) if isinstance(query, str) else query
        # BM25 is a sum over query terms, so scoring the added spellings in a second query and adding them at a
        # lower weight is exactly a per-term weight, which FTS5's MATCH syntax cannot express by itself.
        own = self._bm25(terms.words, CANDIDATES * 2)
        extra = self._bm25(terms.added, CANDIDATES * 2)
        scores: dict[int, float] = {}
        for row in own.keys() | extra.keys():
            scores[row] = own.get(row, 0.0) + EXPANSION_WEIGHT * extra.get(row, 0.0)
        hits = []
        for row, score in scores.items():
            passage = self.passages[row]
            if passage.question_id is not None and passage.question_id in exclude_questions:
                continue
            if kinds and passage.kind not in kinds:
                continue
            hits.append(Hit(passage, score * KIND_PRIOR.get(passage.kind, 1.0)))
        hits.sort(key=lambda hit: (-hit.score, hit.passage.id))
        if reranker is not None and hits:
            text = query if isinstance(query, str) else " ".join(terms.words)
            hits = reranker(text, hits[:CANDIDATES])
        return diversify(hits)[:limit]


def diversify(hits: Sequence[Hit]) -> list[Hit]:
    """Keep the order but move a question's second and later passages (its options) behind everything else.

    A question's explanation and its option reasons share most of their words, so without this one scenario can
    fill the top three and crowd out the note or flashcard that teaches the general rule.
    """
    first: list[Hit] = []
    later: list[Hit] = []
    seen: set[str] = set()
    for hit in hits:
        source = hit.passage.question_id
        if source is None:
            first.append(hit)
        elif source in seen:
            later.append(hit)
        else:
            seen.add(source)
            first.append(hit)
    return first + later
