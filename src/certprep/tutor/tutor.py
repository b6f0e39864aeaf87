"""The tutor: one pack's passages, a retrieval index over them, and an optional language model on top.

:meth:`Tutor.answer` returns a whole answer; :meth:`Tutor.stream` yields it as events for a page that shows the text
as it arrives. Both follow the same rules:

1. Read the mode from the query (:mod:`certprep.tutor.modes`).
2. Refuse to discuss a question of an exam that is still running (``TutorContext.blocked``): explaining it is refused
   outright, a pasted scenario is refused, and its explanation and option reasons never appear among the passages.
3. Repair typos (:mod:`certprep.tutor.spelling`); if an authored explainer answers the question well
   (:mod:`certprep.tutor.explainers`), answer with it, its practice questions and its notes section; otherwise
   retrieve passages and compose from them (:mod:`certprep.tutor.compose`), or, when nothing is about what was
   asked, say so and offer the nearest topics.
4. If a model is configured, ask it to rewrite the answer from the same passages, citing them; if it is unreachable,
   slow, or answers garbage, keep the retrieval answer and say so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from certprep.content.models import Explainer, Pack
from certprep.tutor.compose import (
    WELL_COVERED,
    answer_ask,
    answers_well,
    compare,
    explain,
    explainer_answer,
    mentions,
    nearest_topics,
    quiz,
    resembles,
)
from certprep.tutor.explainers import MATCH_THRESHOLD, ExplainerFinder, ExplainerMatch, related_questions, squash
from certprep.tutor.facts import Fact, FactIndex
from certprep.tutor.index import Hit, PassageIndex, Reranker
from certprep.tutor.llm import LLMClient, LLMConfig, LLMError, Message
from certprep.tutor.modes import Mode, Request, errors_in, parse
from certprep.tutor.passages import Passage, extract_passages, passage_url
from certprep.tutor.spelling import Speller

Source = Literal["retrieval", "llm"]
ASK_PASSAGES = 5
PRACTISE = 3
ALSO = 2
# A fair explainer match (below MATCH_THRESHOLD) is used when BM25 over every passage ranks the same explainer first.
AGREED_THRESHOLD = 0.45
# A passage listed under "Also relevant" holds at least this share of the query's words (the first passage and
# the nearest-topics test use WELL_COVERED, more than half).
RELATED_SHARE = 0.4
# Two readings that agree overrule the word count of the nearest-topics test from this similarity on: below it, in
# a small pack, the only explainer on a service is everyone's first choice for any question naming the service.
AGREED_FLOOR = 0.25
# The nearest explainer joins an answer composed from the index from this similarity on.
NEAR_THRESHOLD = 0.35
# How many explainers (the index's best for the query) a question quoting an error code is checked against for one
# whose title names that code.
ERROR_CANDIDATES = 10
NEAREST = 4
_CITATION = re.compile(r"\[(\d+)\]")

REFUSAL = (
    "That question is part of an exam you have not submitted yet, so I will not discuss it now. "
    "Submit the exam (or wait for its time to run out) and ask again: I will then walk you through the scenario, "
    "the key and every distractor."
)


@dataclass(frozen=True)
class TutorContext:
    """What the tutor must know about the learner asking.

    ``blocked``: ids of questions in the learner's running exams whose answers may not be revealed yet.
    ``positions``: position → question id in the learner's most recent attempt, so "explain question 12" works.
    ``orders``: position → the authoring ids of that item's options as the attempt showed them, top to bottom, for
    items shown in an order of their own (practice shuffles), so the explanation uses the letters the learner saw.
    ``sealed``: set while the learner sits a timed exam: the sentence to answer every question with, since the tutor
    is closed then, as it would be at the test centre.
    """

    blocked: frozenset[str] = frozenset()
    positions: Mapping[int, str] = field(default_factory=dict)
    orders: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    sealed: str | None = None


@dataclass(frozen=True)
class Answer:
    """A finished answer. ``source`` says who wrote the text; ``note`` why the model was not used, if it was not."""

    mode: Mode
    text: str
    hits: tuple[Hit, ...]
    source: Source = "retrieval"
    refused: bool = False
    note: str = ""

    def passages_json(self, pack_id: str) -> list[dict[str, Any]]:
        return [
            {
                "id": hit.passage.id,
                "kind": hit.passage.kind,
                "title": hit.passage.title,
                "text": hit.passage.text,
                "score": round(hit.score, 4),
                "url": passage_url(pack_id, hit.passage),
            }
            for hit in self.hits
        ]

    def to_json(self, pack_id: str) -> dict[str, Any]:
        """The documented shape: ``{"mode", "answer", "passages": [{"id", "kind", "title", "text", "score",
        "url"}]}``, passages in the order the answer cites them."""
        return {"mode": self.mode, "answer": self.text, "passages": self.passages_json(pack_id)}


SYSTEM_PROMPT = (
    "You are the tutor of certprep, a study tool for the {exam} exam ({name}). Answer the learner using only the "
    "numbered passages. Reason through the trade-offs the way the exam expects: name the scenario's constraint, say "
    "which choice meets it and why the alternatives lose. Cite every claim with the passage number in square "
    "brackets, like [2]. A passage marked (explainer) is an authored, checked answer to a question learners ask: "
    "when one is given, open with its answer. If the passages do not answer the question, say that instead of "
    "guessing. Be concise."
)


def build_index(pack: Pack) -> PassageIndex:
    """The search index over every passage of ``pack``."""
    return PassageIndex(extract_passages(pack))


@dataclass(frozen=True)
class Prepared:
    """Everything a tutor builds from its pack before the first answer: the search index, the explainer matcher,
    the spelling vocabulary and the sentence index for key facts. Together about 1.3 s for DOP-C02, so a
    running certprep builds them once per pack and keeps them in its start-up cache
    (:mod:`certprep.services.tutoring`); all four pickle."""

    index: PassageIndex
    finder: ExplainerFinder
    speller: Speller
    facts: FactIndex


def prepare(pack: Pack, index: PassageIndex | None = None) -> Prepared:
    """The slow step of making a tutor for ``pack`` (``index``: one built earlier, reused)."""
    index = index if index is not None else build_index(pack)
    speller = Speller(f"{passage.title} {passage.text} {passage.keywords}" for passage in index.passages)
    return Prepared(index, ExplainerFinder(pack.explainers), speller, FactIndex(index.passages))


class Tutor:
    """Answers for one pack. Build it once per pack (preparing the pack is the only slow step)."""

    def __init__(
        self,
        pack: Pack,
        llm: LLMConfig | None = None,
        reranker: Reranker | None = None,
        index: PassageIndex | None = None,
        prepared: Prepared | None = None,
    ) -> None:
        """``prepared``: the pack's parts made earlier by :func:`prepare` (a cached copy); ``index``: only the
        index made earlier by :func:`build_index`. What is not given is built here."""
        self.pack = pack
        parts = prepared if prepared is not None else prepare(pack, index)
        self.index = parts.index
        self.finder = parts.finder
        self.speller = parts.speller
        self.facts = parts.facts
        self.llm = LLMClient(llm) if llm is not None else None
        self.reranker = reranker

    # -- retrieval --------------------------------------------------------------------------------------------------

    def _question_for(self, ref: str, context: TutorContext) -> str | None:
        """The authoring id a learner means: a position of their latest attempt, or a public code (an authoring
        id still works for authors, and for references saved before codes existed)."""
        if ref.isdigit():
            return context.positions.get(int(ref))
        by_code = self.pack.question_by_code(ref)
        if by_code is not None:
            return by_code.id
        return ref.lower() if self.pack.question(ref.lower()) is not None else None

    def retrieve(self, request: Request, context: TutorContext) -> Answer:
        """The retrieval tutor's answer: always available, no network."""
        if context.sealed is not None:
            return Answer(request.mode, context.sealed, (), refused=True)
        blocked = context.blocked
        if request.mode == "explain":
            question_id = self._question_for(request.ref, context)
            if question_id is None:
                where = (
                    "your latest attempt has no question "
                    if request.ref.isdigit()
                    else "this pack has no question with the id "
                )
                return Answer("explain", f"I cannot explain that: {where}'{request.ref}'.", ())
            if question_id in blocked:
                return Answer("explain", REFUSAL, (), refused=True)
            question = self.pack.question(question_id)
            assert question is not None  # positions and ids both come from this pack
            order = context.orders.get(int(request.ref)) if request.ref.isdigit() else None
            if order is not None:
                question = question.shown_in(order)
            text, hits = explain(self.index, question, self.pack.code(question.id))
            return Answer("explain", text, tuple(hits))
        if any(
            resembles(request.query, question.stem)
            for question_id in blocked
            if (question := self.pack.question(question_id)) is not None
        ):
            return Answer(request.mode, REFUSAL, (), refused=True)
        if request.mode == "quiz":
            text, hits = quiz(self.index, request.topic, blocked)
            return Answer("quiz", text, tuple(hits))
        fixed = self.speller.fix(request.query)
        wanted = parse(fixed) if fixed != request.query else request
        found = self.index.search(fixed, limit=ASK_PASSAGES, exclude_questions=blocked, reranker=self.reranker)
        # The learner's own sentence after a comparison steers retrieval and the heading, not the explainer match.
        ranked = self.finder.rank(wanted.without_aside, wanted, limit=1)
        # "compare TOPIC" asks for a family (every CodeDeploy strategy); an explainer compares named sides, so the
        # notes' comparison table answers it instead.
        family = request.mode == "compare" and not wanted.sides
        match = None if family else _match(ranked, found)
        if match is not None:
            text, hits = self._with_facts(self._explained(match, fixed, found, wanted.sides, blocked), fixed, blocked)
            return Answer(request.mode, text, tuple(hits))
        if request.mode == "compare":
            text, hits = self._with_facts(
                lambda facts: compare(self.index, wanted.sides, wanted.topic, blocked, wanted.context, facts),
                fixed,
                blocked,
            )
            return Answer("compare", text, tuple(hits))
        # The word count is overruled when the explainer matcher and BM25 both put the same explainer first: two
        # independent readings agree, and chatty words no passage uses ("keeps", "3am") are what failed the count.
        if found and not answers_well(fixed, found) and not _agreed(ranked, found, AGREED_FLOOR):
            text, hits = nearest_topics(self._nearest(fixed, found))
            return Answer("ask", text, tuple(hits))
        found = [found[0], *(hit for hit in found[1:] if _on_topic(hit, fixed, (), RELATED_SHARE))] if found else []
        found = _error_first(
            _with_near(found, ranked),
            errors_in(fixed),
            lambda: self.index.search(fixed, limit=ERROR_CANDIDATES, kinds=("explainer",)),
        )
        text, hits = self._with_facts(lambda facts: answer_ask(found, fixed, facts), fixed, blocked)
        return Answer("ask", text, tuple(hits))

    def _with_facts(
        self, compose: Callable[[Sequence[Fact]], tuple[str, list[Hit]]], query: str, blocked: frozenset[str]
    ) -> tuple[str, list[Hit]]:
        """An answer composed twice: once to see what its passages say, then with the key facts they leave out
        (:mod:`certprep.tutor.facts`). Never for an answer that found nothing, and never from the first passage: the
        answer quotes it (an explainer, a comparison table) in a layout of its own, so its sentences are there."""
        text, hits = compose(())
        if not hits:
            return text, hits
        facts = self.facts.find(query, text, exclude_questions=blocked, exclude_passages={hits[0].passage.id})
        return compose(facts) if facts else (text, hits)

    def _explained(
        self,
        match: ExplainerMatch,
        query: str,
        found: list[Hit],
        sides: tuple[str, ...],
        blocked: frozenset[str],
    ) -> Callable[[Sequence[Fact]], tuple[str, list[Hit]]]:
        """The explainer's answer, the best other passages for the query, its practice questions (never blocked
        ones) and its notes section: five passages in all, like any other answer. Returned as the composition
        for given key facts, so that the passages are chosen once and the answer composed twice cheaply."""
        explainer = match.explainer
        study = self._study(explainer)
        taken = {match.passage.id, study.id if study else ""}
        # Only passages about the question itself: for a comparison, ones that name every side; otherwise ones
        # that hold most of the query's words. A passage that shares one word is what the issue called unrelated.
        # Another explainer is listed only when it matches the question well by itself: two explainers asked in
        # the same words ("findings from every account in one place") can answer very different questions.
        close = {other.passage.id for other in self.finder.rank(query, limit=4) if other.similarity >= MATCH_THRESHOLD}
        also = [
            hit.passage
            for hit in found
            if hit.passage.id not in taken
            and _on_topic(hit, query, sides, RELATED_SHARE)
            and (hit.passage.kind != "explainer" or hit.passage.id in close)
        ]
        practise: list[tuple[str, Passage]] = []
        for question in related_questions(self.pack.questions, explainer, blocked, limit=PRACTISE):
            code = self.pack.code(question.id)
            passage = self.index.by_id.get(f"question-{code}")
            if passage is not None:
                practise.append((code, passage))
        # Five passages: the explainer, its study section, two or three questions, and the rest "also relevant".
        room = ASK_PASSAGES - 1 - (study is not None)
        if also and len(practise) > 2:
            practise = practise[: max(2, room - ALSO)]
        also = also[: room - len(practise)]
        return lambda facts: explainer_answer(explainer, match.passage, practise, study, also, query, facts)

    def _study(self, explainer: Explainer) -> Passage | None:
        """The notes section of the explainer's domain that teaches its topic: the best note passage for its
        title, services and tags; for a comparison or a choice, the notes' comparison table of the same sides when
        there is one (it is the page to study the trade-off on)."""
        query = " ".join((explainer.title, *explainer.services, *(tag.replace("-", " ") for tag in explainer.tags)))
        notes = [hit.passage for hit in self.index.search(query, limit=8, kinds=("note",))]
        notes = [passage for passage in notes if passage.domain == explainer.domain]
        if explainer.choose:
            sides = [choice.option for choice in explainer.choose]
            tables = [passage for passage in notes if passage.section == "Comparison tables"]
            covering = [passage for passage in tables if sum(_names(passage, side) for side in sides) >= 2]
            if covering:
                return covering[0]
        return notes[0] if notes else None

    def _nearest(self, text: str, found: list[Hit]) -> list[Passage]:
        """Topics to offer when nothing answers well: the closest explainers (their titles are questions a
        learner can ask as they are), then the best notes and cards, each once."""
        topics = [match.passage for match in self.finder.rank(text, limit=NEAREST) if match.similarity > 0.2]
        topics += [hit.passage for hit in found if hit.passage.kind in ("note", "card", "explainer")]
        return list({passage.id: passage for passage in topics}.values())[:NEAREST]

    def search(self, query: str, limit: int = 3, context: TutorContext | None = None) -> list[Hit]:
        """Plain ranked retrieval of the best ``limit`` passages, without composing an answer."""
        blocked = context.blocked if context else frozenset()
        return self.index.search(query, limit=limit, exclude_questions=blocked, reranker=self.reranker)

    # -- answering --------------------------------------------------------------------------------------------------

    def _messages(self, request: Request, draft: Answer) -> list[Message]:
        blueprint = self.pack.blueprint
        numbered = "\n\n".join(
            f"[{number}] {hit.passage.title}{' (explainer)' if hit.passage.kind == 'explainer' else ''}\n"
            f"{hit.passage.text}"
            for number, hit in enumerate(draft.hits, start=1)
        )
        return [
            {"role": "system", "content": SYSTEM_PROMPT.format(exam=blueprint.exam_code, name=blueprint.name)},
            {"role": "user", "content": f"Passages:\n\n{numbered}\n\nMode: {request.mode}\nLearner: {request.query}"},
        ]

    def _uses_model(self, draft: Answer) -> bool:
        return self.llm is not None and not draft.refused and bool(draft.hits)

    @staticmethod
    def _cited(text: str, count: int) -> str:
        """The model's text, with a sources line added when it cited none of the passages it was given."""
        if any(1 <= int(number) <= count for number in _CITATION.findall(text)):
            return text
        return text.rstrip() + "\n\nSources: " + ", ".join(f"[{number}]" for number in range(1, count + 1))

    def answer(self, query: str, context: TutorContext | None = None) -> Answer:
        """A whole answer: the model's if one is configured and answers, else the retrieval tutor's."""
        request = parse(query)
        draft = self.retrieve(request, context or TutorContext())
        if not self._uses_model(draft):
            return draft
        assert self.llm is not None
        try:
            text = self.llm.complete(self._messages(request, draft))
        except LLMError as error:
            return Answer(draft.mode, draft.text, draft.hits, note=f"The model was not used: {error}.")
        return Answer(draft.mode, self._cited(text, len(draft.hits)), draft.hits, source="llm")

    def stream(self, query: str, context: TutorContext | None = None) -> Iterator[dict[str, Any]]:
        """The answer as events: ``start`` (mode, source, passages), ``delta`` (text), ``reset`` (the model failed
        mid-way: drop the text so far), ``end`` (final source and note). Events are JSON-ready dicts."""
        request = parse(query)
        draft = self.retrieve(request, context or TutorContext())
        passages = draft.passages_json(self.pack.id)
        if self._uses_model(draft):
            assert self.llm is not None
            yield {"event": "start", "mode": draft.mode, "source": "llm", "passages": passages}
            received: list[str] = []
            try:
                for piece in self.llm.stream(self._messages(request, draft)):
                    received.append(piece)
                    yield {"event": "delta", "text": piece}
            except LLMError as error:
                note = f"The model was not used: {error}."
                yield {"event": "reset", "source": "retrieval", "note": note}
                yield from _pieces(draft.text)
                yield {"event": "end", "source": "retrieval", "note": note, "refused": False}
                return
            whole = "".join(received)
            cited = self._cited(whole, len(draft.hits))
            if cited != whole:
                yield {"event": "delta", "text": cited[len(whole) :]}
            yield {"event": "end", "source": "llm", "note": "", "refused": False}
            return
        yield {"event": "start", "mode": draft.mode, "source": "retrieval", "passages": passages}
        yield from _pieces(draft.text)
        yield {"event": "end", "source": "retrieval", "note": draft.note, "refused": draft.refused}


def _pieces(text: str) -> Iterator[dict[str, Any]]:
    """A composed answer in line-sized deltas, so the page renders it the same way as a model's stream."""
    for line in text.splitlines(keepends=True):
        yield {"event": "delta", "text": line}


def _names(passage: Passage, side: str) -> bool:
    """Whether a note passage names a side of a comparison (its first words, before any parenthesis)."""
    name = side.split("(")[0].strip().lower()
    return bool(name) and name in f"{passage.title} {passage.text}".lower()


def _on_topic(hit: Hit, query: str, sides: tuple[str, ...], share: float = WELL_COVERED) -> bool:
    """Whether a passage is about the question: it names every side of a comparison, or holds more than
    ``share`` of the query's own words."""
    if sides:
        return all(mentions(hit.passage, side) for side in sides)
    return answers_well(query, [hit], share=share)


def _agreed(ranked: list[ExplainerMatch], found: list[Hit], floor: float) -> bool:
    """Whether BM25 over every passage ranks the matcher's best explainer first too (and that explainer matches
    at least ``floor``)."""
    return (
        bool(ranked) and bool(found) and found[0].passage.id == ranked[0].passage.id and ranked[0].similarity >= floor
    )


def _match(ranked: list[ExplainerMatch], found: list[Hit]) -> ExplainerMatch | None:
    """The explainer that answers the query: a close match of its asks, or a fair one that BM25 over every passage
    ranks first too (two independent readings of the question agree)."""
    if not ranked:
        return None
    best = ranked[0]
    return best if best.similarity >= MATCH_THRESHOLD or _agreed(ranked, found, AGREED_THRESHOLD) else None


def _with_near(found: list[Hit], ranked: list[ExplainerMatch]) -> list[Hit]:
    """The passages of an answer composed from the index, with the nearest explainer second when it is a fair
    match that BM25 missed: not close enough to answer by itself, but usually the most useful passage after the
    best one. It takes the score of the passage after it, so the list stays in score order."""
    if not found or not ranked or ranked[0].similarity < NEAR_THRESHOLD:
        return found
    near = ranked[0].passage
    if any(hit.passage.id == near.id for hit in found):
        return found
    score = found[1].score if len(found) > 1 else found[0].score
    return [found[0], Hit(near, score), *found[1:]][:ASK_PASSAGES]


def _error_first(found: list[Hit], errors: Sequence[str], explainers: Callable[[], Sequence[Hit]]) -> list[Hit]:
    """The passages with the explainer whose title names the error the learner quoted ("INSUFFICIENT_DATA",
    "AccessDenied") first: it is written about that error, while a note that merely shares the query's other
    words opens on something else. It is looked for among the passages, then, only if none is there, among the
    explainers alone as the index ranks them (``explainers()``), since notes and cards can crowd it out of the
    first five. The order of the rest is kept."""
    squashed = [squash(error) for error in errors]
    if not squashed or not found:
        return found

    def titled(hits: Iterable[Hit]) -> Passage | None:
        return next(
            (
                hit.passage
                for hit in hits
                if hit.passage.kind == "explainer" and any(error in squash(hit.passage.title) for error in squashed)
            ),
            None,
        )

    passage = titled(found) or titled(explainers())
    if passage is None or passage.id == found[0].passage.id:
        return found
    rest = [other for other in found if other.passage.id != passage.id]
    return [Hit(passage, found[0].score), *rest][:ASK_PASSAGES]
