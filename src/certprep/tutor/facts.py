"""Key facts: single sentences of the pack that hold what an answer's passages leave out.

An answer quotes a few whole passages (an explainer, the gist of two or three others). The fact a learner needs is
often one sentence of a passage that ranks sixth or twentieth as a whole: a limit in a flashcard, a default in a
question's explanation, an error's cause in a note about something wider. Ranked as a passage it never makes the
answer; ranked as a sentence against the learner's words it often comes first. On three earlier probe sets, read
with the explainers as they stood when each set was written, adding the best three such sentences raised the share
of answers holding every key point by 6 to 8 points (docs/benchmarks.md, "Key facts").

The sentences are searched with the same BM25 index as passages (:class:`~certprep.tutor.index.PassageIndex`), one
sentence per indexed piece, each remembering the passage it came from, so it is cited like any passage and a
question's sentences are hidden with that question while an exam that holds it runs.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from certprep.tutor.compose import answers_well, plain, sentences
from certprep.tutor.expand import content_words, expand
from certprep.tutor.explainers import stems
from certprep.tutor.index import PassageIndex
from certprep.tutor.passages import Passage

__all__ = ["FACTS", "Fact", "FactIndex"]

# Teaching text only. An option's text is one answer to one scenario and is false for every distractor; a task
# statement lists skills, not facts.
FACT_KINDS = ("explainer", "note", "card", "question")
# Shorter is a fragment ("See below."), longer a paragraph that a sentence split missed.
MIN_LENGTH = 40
MAX_LENGTH = 400
# A sentence must share this many word stems with the query (its own words and their spellings): with fewer, a
# sentence that merely names the same service ranks well on one rare word and answers something else.
MIN_SHARED = 3
FACTS = 3
# ... and hold more than this share of the learner's own words (or a spelling of each): shared stems alone let the
# synonyms of one phrase ("ASG" is "Auto Scaling group") carry a sentence about something else. Chosen on the
# three earlier probe sets (0.3: the same scores as no such test, with fewer stray sentences; 0.4 lost 1-3 points).
OWN_SHARE = 0.3
# Two sentences sharing this share of their stems say one fact twice (the notes and a flashcard often do).
SIMILAR = 0.6
# How many sentences BM25 hands over before the shared-words test.
CANDIDATES = 40
# A question's explanation speaks of its own scenario in places ("option B fails", "the company's pipeline", "X fails
# the requirement because"); such a sentence is no fact outside that question.
_SCENARIO = re.compile(
    r"\b(options?|the company|the team|scenario|the key|distractors?|fails?|failed)\b|\([A-F]\)", re.IGNORECASE
)
# A sentence that leans on the one before it ("It ...", "Both of them ...") says nothing alone.
_LEANS_BACK = re.compile(
    r"^(it|its|this|these|they|their|that|those|both|either|neither|such|here|there|the others?|\w+ of them)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Fact:
    """One sentence worth adding to an answer, and the passage it is cited from."""

    passage: Passage
    sentence: str


def _similar(left: str, right: str) -> bool:
    """Whether two sentences say much the same (most of their word stems shared): the notes and a flashcard often
    state one fact twice."""
    one, two = _stems(left), _stems(right)
    return bool(one and two) and len(one & two) / min(len(one), len(two)) >= SIMILAR


def _stems(text: str) -> frozenset[str]:
    """The stems of a text's content words, counts left out: "50 accounts" and "default 50" share no topic."""
    return stems(word for word in content_words(text) if not word.isdigit())


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


class FactIndex:
    """The pack's teaching sentences, searchable one by one. Built once per pack with the passage index; pickles."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        """Each passage is cut into sentences as an answer quotes it: a card without its prompt, a table as rows."""
        self.sources: dict[str, Passage] = {}
        pieces: list[Passage] = []
        for passage in passages:
            if passage.kind not in FACT_KINDS:
                continue
            for number, sentence in enumerate(sentences(plain(passage))):
                if (
                    not MIN_LENGTH <= len(sentence) <= MAX_LENGTH
                    or _SCENARIO.search(sentence)
                    or _LEANS_BACK.match(sentence)
                ):
                    continue
                piece = Passage(
                    id=f"{passage.id}#{number}",
                    kind=passage.kind,
                    title="",
                    text=sentence,
                    question_id=passage.question_id,
                )
                pieces.append(piece)
                self.sources[piece.id] = passage
        self.index = PassageIndex(pieces)

    def find(
        self,
        query: str,
        shown: str,
        exclude_questions: Collection[str] = (),
        exclude_passages: Collection[str] = (),
        limit: int = FACTS,
    ) -> list[Fact]:
        """The best ``limit`` sentences for ``query`` that ``shown`` (the answer so far) does not already say, from
        passages other than ``exclude_passages`` (those the answer quotes whole, in words of its own)."""
        terms = expand(query)
        wanted = stems(word for word in terms.all if not word.isdigit())
        seen = _normal(shown)
        found: list[Fact] = []
        if limit <= 0:
            return found
        for hit in self.index.search(terms, limit=CANDIDATES, exclude_questions=exclude_questions):
            sentence = hit.passage.text
            source = self.sources[hit.passage.id]
            if (
                source.id in exclude_passages
                or _normal(sentence) in seen
                or len(wanted & _stems(sentence)) < MIN_SHARED
                or not answers_well(query, [hit], top=1, share=OWN_SHARE)
                or any(_similar(sentence, fact.sentence) for fact in found)
            ):
                continue
            found.append(Fact(source, sentence))
            seen += " " + _normal(sentence)
            if len(found) == limit:
                break
        return found
