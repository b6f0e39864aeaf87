"""Find the authored explainer that answers a learner's question, when one answers it well enough.

Explainers are written for the questions learners ask, and each lists the ways learners type it (``asks``). So the
best evidence that an explainer answers a query is how much the query and one of its asks say the same thing:

- **word overlap, weighted by rarity**: the query's content words (and their synonyms, from
  :mod:`certprep.tutor.expand`) against an ask's, each word weighted by its inverse document frequency over all
  explainers, so sharing "canary" counts for more than sharing "deployment". Words are compared by their first six
  letters, a crude stemmer that makes "accounts" meet "account" and "replication" meet "replica";
- **wording**: :class:`difflib.SequenceMatcher` over the two content-word strings, for near-copies and word order;
- **error codes**: an ask that quotes the error the learner pasted (``AccessDenied``, ``UPDATE_ROLLBACK_FAILED``,
  also typed as "access denied") is a strong match, since an error name is the most specific thing in a question;
- **every side of a comparison**: for "X vs Y", the explainer must talk about X and about Y, so a question about
  CodeDeploy canary and linear never gets an explainer about CodeDeploy and Elastic Beanstalk.

The overlap is an F1 of the two coverages (how much of the query the ask covers, how much of the ask the query
covers), so a long ask that merely contains the query's one word does not win. All of it is set arithmetic over a
few hundred explainers, well under a millisecond; only the best few candidates pay for the sequence matcher.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from certprep.content.models import Explainer, Question
from certprep.tutor.expand import content_words, expand
from certprep.tutor.modes import Request, errors_in
from certprep.tutor.passages import Passage, explainer_passage

STEM = 6
# A query is answered by an explainer when the similarity reaches this (0..1). Below it the tutor composes from
# the notes, cards and questions instead: a near miss answers a different question, which is worse than no answer.
MATCH_THRESHOLD = 0.55
ERROR_BONUS = 0.3
# The final score: the best ask's word overlap, the share of the query the explainer as a whole speaks of (asks,
# answer, sides, services: a query's words may be spread over two asks), and the wording of the best ask.
ASK_WEIGHT = 0.6
WHOLE_WEIGHT = 0.2
SEQUENCE_WEIGHT = 0.2
RESCORE = 12
_SQUASH = re.compile(r"[^a-z0-9]+")
_PARTS = re.compile(r"[\s/-]+")
_CODE = re.compile(r"^[45]\d\d$")


def stems(words: Iterable[str]) -> frozenset[str]:
    """Six-letter prefixes of ``words``; phrases and hyphenated words ("fastest-rto") also give their parts."""
    found: set[str] = set()
    for word in words:
        found.update(part[:STEM] for part in _PARTS.split(word) if part)
        if " " not in word:
            found.add(word[:STEM])
    return frozenset(found)


def squash(text: str) -> str:
    """Lower case without spaces or punctuation: "Access Denied" and "AccessDenied" meet as "accessdenied"."""
    return _SQUASH.sub("", text.lower())


@dataclass(frozen=True)
class _Text:
    """A query's or an ask's words, ready to compare: its own stems, with synonyms added, and the plain string."""

    own: frozenset[str]
    wide: frozenset[str]
    plain: str

    @classmethod
    def of(cls, text: str) -> _Text:
        terms = expand(text)
        # Counts ("50 accounts", "3 Regions") say how big, not what about; HTTP-style codes (403, 502) stay.
        own = stems([word for word in terms.words if not word.isdigit() or _CODE.match(word)])
        return cls(own, own | stems(terms.added), " ".join(content_words(text)))


@dataclass(frozen=True)
class ExplainerMatch:
    """The explainer that answers a query, its passage, and how well it matched (0..1)."""

    explainer: Explainer
    passage: Passage
    similarity: float


class ExplainerFinder:
    """Matches queries against one pack's explainers."""

    def __init__(self, explainers: Sequence[Explainer]) -> None:
        self.explainers = list(explainers)
        self.passages = {explainer.id: explainer_passage(explainer) for explainer in self.explainers}
        self._asks = {explainer.id: [_Text.of(ask) for ask in explainer.asks] for explainer in self.explainers}
        self._errors = {
            explainer.id: {squash(error) for ask in explainer.asks for error in errors_in(ask)}
            for explainer in self.explainers
        }
        self._mentions = {explainer.id: _Text.of(_mention_text(explainer)).wide for explainer in self.explainers}
        frequency: Counter[str] = Counter()
        for explainer in self.explainers:
            frequency.update(set().union(*(ask.wide for ask in self._asks[explainer.id])))
        count = max(1, len(self.explainers))
        self._idf = {stem: math.log(1 + count / seen) for stem, seen in frequency.items()}
        # A query word no explainer uses counts like a typical word: it may be the learner's own way of saying
        # something (weighted high, it would sink every match), or what no explainer covers.
        self._unseen_idf = sum(self._idf.values()) / len(self._idf) if self._idf else 1.0
        # An inverted list from stem to the explainers whose asks use it: a query is compared only with the
        # explainers it shares a word with, and each ask's own weight is summed once, here.
        self._postings: dict[str, set[int]] = {}
        for number, explainer in enumerate(self.explainers):
            for ask in self._asks[explainer.id]:
                for stem in ask.wide:
                    self._postings.setdefault(stem, set()).add(number)
        # Keyed by the ask's text (unique within an explainer, and the matcher is pickled into the start-up cache).
        # One-word service names ("AWS CodeDeploy" → codedeploy, "Amazon EKS" → eks): a query that names one is about
        # that service, so an explainer that never mentions it answers another question however alike the words.
        self._services = stems(
            words[0] for explainer in self.explainers for name in explainer.services if len(words := _name(name)) == 1
        )
        self._ask_weight = {ask.plain: self._weight(ask.own) for asks in self._asks.values() for ask in asks}

    def _weight(self, words: Collection[str]) -> float:
        return sum(self._idf.get(word, self._unseen_idf) for word in words)

    def _overlap(self, query: _Text, query_weight: float, ask: _Text) -> float:
        """F1 of the two idf-weighted coverages: the query's words in the ask, the ask's words in the query."""
        ask_weight = self._ask_weight[ask.plain]
        if not query_weight or not ask_weight:
            return 0.0
        covered = self._weight(query.own & ask.wide) / query_weight
        recalled = self._weight(ask.own & query.wide) / ask_weight
        return 0.0 if covered + recalled == 0 else 2 * covered * recalled / (covered + recalled)

    def _covers_sides(self, explainer: Explainer, sides: Sequence[str]) -> bool:
        """Whether the explainer talks about every side: most of each side's words, or a spelling of its name."""
        known = self._mentions[explainer.id]
        for side in sides:
            words = _Text.of(side)
            if not words.own:
                continue
            shared = len(words.own & known)
            if shared * 2 < len(words.own) and not (words.wide - words.own) & known:
                return False
        return True

    def _sides_chosen(self, explainer: Explainer, sides: Sequence[str]) -> float:
        """The share of a comparison's sides that are rows of the explainer's "choose" list: of two explainers
        that both mention Run Command, State Manager and Automation, the one that compares all three wins."""
        options = [_Text.of(choice.option).wide for choice in explainer.choose]
        if not options:
            return 0.0
        chosen = 0
        for side in sides:
            own = _Text.of(side).own
            chosen += bool(own) and any(len(own & option) * 2 >= len(own) for option in options)
        return chosen / len(sides)

    def rank(self, text: str, request: Request | None = None, limit: int = 3) -> list[ExplainerMatch]:
        """The best explainers for ``text``, best first, with their similarity (any, even poor)."""
        query = _Text.of(text)
        if not query.own:
            return []
        squashed = squash(text)
        query_weight = self._weight(query.own)
        numbers = set().union(*(self._postings.get(stem, set()) for stem in query.own))
        rough: list[tuple[float, Explainer, _Text]] = []
        for number in numbers:
            explainer = self.explainers[number]
            scored = ((self._overlap(query, query_weight, ask), ask) for ask in self._asks[explainer.id])
            best, best_ask = max(scored, key=_first)
            if any(error in squashed for error in self._errors[explainer.id]):
                best += ERROR_BONUS
            rough.append((best, explainer, best_ask))
        rough.sort(key=lambda item: (-item[0], item[1].id))
        ranked: list[ExplainerMatch] = []
        for overlap, explainer, best_ask in rough[:RESCORE]:
            if request is not None and request.sides and not self._covers_sides(explainer, request.sides):
                continue
            if (query.own & self._services) - self._mentions[explainer.id]:
                continue
            whole = self._weight(query.own & self._mentions[explainer.id]) / query_weight
            if request is not None and len(request.sides) >= 2:
                whole = (whole + self._sides_chosen(explainer, request.sides)) / 2
            wording = _ratio(query.plain, best_ask.plain)
            score = min(1.0, ASK_WEIGHT * overlap + WHOLE_WEIGHT * whole + SEQUENCE_WEIGHT * wording)
            ranked.append(ExplainerMatch(explainer, self.passages[explainer.id], score))
        ranked.sort(key=lambda match: (-match.similarity, match.explainer.id))
        return ranked[:limit]

    def find(self, text: str, request: Request | None = None) -> ExplainerMatch | None:
        """The explainer that answers ``text`` well, or None."""
        ranked = self.rank(text, request, limit=1)
        return ranked[0] if ranked and ranked[0].similarity >= MATCH_THRESHOLD else None


def related_questions(
    questions: Sequence[Question], explainer: Explainer, blocked: Collection[str], limit: int = 3
) -> list[Question]:
    """Live questions to practise an explainer's point on: the same task counts most, then shared tags, then shared
    services. Questions the learner may not see yet (``blocked``, those of a running exam) are never offered, nor
    retired or pretest ones."""
    tags, services = set(explainer.tags), set(explainer.services)
    scored: list[tuple[int, str, Question]] = []
    for question in questions:
        if question.status != "live" or question.id in blocked:
            continue
        shared_tags = len(tags.intersection(question.tags))
        score = 3 * (question.task == explainer.task) + 2 * shared_tags + len(services.intersection(question.services))
        if score >= 3 and (shared_tags or question.task == explainer.task):
            scored.append((score, question.id, question))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [question for _, _, question in scored[:limit]]


def _first(pair: tuple[float, _Text]) -> float:
    return pair[0]


def _ratio(left: str, right: str) -> float:
    return difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()


def _name(service: str) -> list[str]:
    """A service's name without the vendor: "AWS CodeDeploy" → ["codedeploy"]."""
    return [word for word in content_words(service) if word not in ("amazon", "aws")]


def _mention_text(explainer: Explainer) -> str:
    return " ".join(
        (*explainer.asks, explainer.answer, *(choice.option for choice in explainer.choose), *explainer.services)
    )
