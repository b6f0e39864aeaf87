"""Compose answers from retrieved passages, one function per mode. No model: every sentence is the pack's own.

An answer is plain text with light Markdown (bold, lists) and citation marks ``[n]`` that refer to the n-th passage
of the answer's passage list, so a reader (or the page) can always go from a claim to its source.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from certprep.content.models import Question
from certprep.tutor.expand import content_words, expand
from certprep.tutor.index import Hit, PassageIndex
from certprep.tutor.passages import Passage, question_passages

# Phrases that mark a scenario's constraints: the words that decide between two workable designs.
CONSTRAINT_CUES = (
    "least",
    "most",
    "minimum",
    "minimal",
    "minimize",
    "minimise",
    "lowest",
    "fewest",
    "without",
    "must",
    "only",
    "no ",
    "not ",
    "cannot",
    "forbid",
    "require",
    "requirement",
    "cost",
    "overhead",
    "downtime",
    "quickly",
    "automatic",
    "within",
    "every",
    "all ",
    "compliance",
    "audit",
    "secure",
    "encrypt",
)
_SENTENCE = re.compile(r"(?<=[.?!])\s+(?=[A-Z(\"])")

NOTHING_FOUND = (
    "I found nothing in this pack about that. Try the names of the services or features involved "
    '(for example "CodeDeploy blue/green" or "StackSets across Regions").'
)


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE.split(" ".join(text.split())) if part.strip()]


def gist(passage: Passage, limit: int = 320) -> str:
    """The part of a passage worth quoting inline: a card's answer, a bullet without its bold lead-in, ..."""
    text = passage.text
    if passage.kind == "card":
        text = text.split("\n", 1)[-1]
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = ""
    for sentence in sentences(text):
        if cut and len(cut) + len(sentence) > limit:
            break
        cut = f"{cut} {sentence}".strip()
    return cut if cut else text[:limit].rsplit(" ", 1)[0] + " …"


def _label(passage: Passage) -> str:
    if passage.kind == "card":
        return f"Flashcard: {passage.title}"
    return passage.title


def answer_ask(hits: Sequence[Hit]) -> str:
    """The best passage in full, then the gist of the others, each with its citation."""
    if not hits:
        return NOTHING_FOUND
    first = hits[0].passage
    body = gist(first, 900)
    lines = [f"{body} [1]"]
    if len(hits) > 1:
        lines += ["", "Also relevant:"]
        lines += [
            f"- **{_label(hit.passage)}**: {gist(hit.passage, 260)} [{number}]"
            for number, hit in enumerate(hits[1:], start=2)
        ]
    return "\n".join(lines)


def _mentions(passage: Passage, side: str) -> bool:
    """Whether a passage talks about one side of a comparison: most of its words, or a spelling of its name
    ("ALB" is also "Application Load Balancer")."""
    terms = expand(side)
    words = [word for word in terms.words if len(word) > 1]
    haystack = f"{passage.title} {passage.text}".lower()
    if any(spelling in haystack for spelling in terms.added if len(spelling) > 3):
        return True
    return bool(words) and sum(word in haystack for word in words) >= max(1, len(words) // 2 + len(words) % 2)


def compare(index: PassageIndex, sides: Sequence[str], topic: str, exclude: Collection[str]) -> tuple[str, list[Hit]]:
    """A side-by-side: the comparison table that covers the things compared, then the key facts of each side."""
    wanted = " ".join(sides) if sides else topic
    candidates = index.search(wanted, limit=12, exclude_questions=exclude, kinds=("note",))
    tables = [hit for hit in candidates if hit.passage.section == "Comparison tables"]
    if sides:
        covering = [hit for hit in tables if all(_mentions(hit.passage, side) for side in sides)]
        # No table covers both: keep one that covers at least one side, never an unrelated table.
        tables = covering or [hit for hit in tables if any(_mentions(hit.passage, side) for side in sides)][:1]
    hits: list[Hit] = list(tables[:1])
    lines: list[str] = []
    title = " and ".join(sides) if sides else topic
    lines.append(f"Comparing {title}.")
    if hits:
        lines += ["", f"From the notes' comparison table **{hits[0].passage.title}** [1]:", "", hits[0].passage.text]
    per_side = sides or (topic,)
    for side in per_side:
        facts = [
            hit
            for hit in index.search(side, limit=6, exclude_questions=exclude)
            if hit.passage.section != "Comparison tables" and hit.passage.id not in {h.passage.id for h in hits}
        ]
        if sides:
            facts = [hit for hit in facts if _mentions(hit.passage, side)] or facts
        facts = facts[:2] if sides else facts[:3]
        if not facts:
            continue
        lines += ["", f"**{side}**:" if sides else "Key facts:"]
        for hit in facts:
            hits.append(hit)
            lines.append(f"- {gist(hit.passage, 260)} [{len(hits)}]")
    if not hits:
        return NOTHING_FOUND, []
    if sides and len(sides) == 2:
        lines += [
            "",
            "On the exam, read the scenario's constraint (cost, operational overhead, downtime, scope) "
            "and pick the side whose facts above meet it; the other is usually the distractor.",
        ]
    return "\n".join(lines), hits


def constraints_of(question: Question) -> list[str]:
    """The sentences of a scenario that carry its constraints (and the final ask)."""
    found = []
    for sentence in sentences(question.stem):
        lowered = f" {sentence.lower()} "
        if sentence.startswith("(Choose"):
            continue  # the answer count is on screen already; it is not a constraint of the scenario
        if any(cue in lowered for cue in CONSTRAINT_CUES) or sentence.endswith("?"):
            found.append(sentence)
    return found or sentences(question.stem)[-1:]


def explain(index: PassageIndex, question: Question, code: str) -> tuple[str, list[Hit]]:
    """Walk through a question: its constraints, why the key wins, why each distractor loses, related cards."""
    # Built from the question itself rather than looked up in the index, so a retired question (not indexed for
    # free questions) can still be explained when a learner's old attempt asks for it.
    question_passage, *option_passages = question_passages(question, code)
    by_id = {passage.id: passage for passage in option_passages}
    hits = [Hit(question_passage, 1.0)]
    lines = [
        f"**Question {code}** (domain {question.domain}, task {question.task}).",
        "",
        "**The scenario's constraints:**",
    ]
    lines += [f"- {sentence}" for sentence in constraints_of(question)]
    key = [option for option in question.options if option.correct]
    wrong = [option for option in question.options if not option.correct]
    lines += ["", "**Why the key wins:**"]
    for option in key:
        hits.append(Hit(by_id[f"question-{code}-{option.id.lower()}"], 1.0))
        lines.append(f"- **{option.id}** — {option.text} {option.why} [{len(hits)}]")
    lines += ["", "**Why each distractor loses:**"]
    for option in wrong:
        hits.append(Hit(by_id[f"question-{code}-{option.id.lower()}"], 1.0))
        lines.append(f"- **{option.id}** — {option.text} {option.why} [{len(hits)}]")
    lines += ["", f"**In short:** {gist(question_passage, 600)} [1]"]
    topic = " ".join((*question.tags, *question.services, sentences(question.explanation)[0]))
    cards = index.search(topic, limit=3, kinds=("card",))
    if cards:
        lines += ["", "**Related flashcards:**"]
        for hit in cards:
            hits.append(hit)
            lines.append(f"- {hit.passage.title} [{len(hits)}]")
    return "\n".join(lines), hits


def quiz(index: PassageIndex, topic: str, exclude: Collection[str], size: int = 5) -> tuple[str, list[Hit]]:
    """Flashcard prompts on a topic, answers listed after them so the learner can try first."""
    if not content_words(topic):
        return (
            'Name a topic to be quizzed on, for example "quiz me on CloudFormation StackSets" or '
            '"quiz me on deployment strategies".'
        ), []
    cards = index.search(topic, limit=size, kinds=("card",), exclude_questions=exclude)
    if not cards:
        return NOTHING_FOUND, []
    lines = [f"{len(cards)} questions on {topic}. Answer each one yourself before you read the answers.", ""]
    for number, hit in enumerate(cards, start=1):
        lines.append(f"{number}. {hit.passage.title} [{number}]")
    lines += ["", "**Answers:**"]
    for number, hit in enumerate(cards, start=1):
        lines.append(f"{number}. {gist(hit.passage, 400)}")
    return "\n".join(lines), cards


PASTE_MIN_SHARED = 12


def resembles(query: str, stem: str) -> bool:
    """True when ``query`` is mostly a copy of a question's scenario (a learner pasting the question).

    A topical question shares a few words with many scenarios; a paste shares a dozen or more with one, and is
    made mostly of that scenario's words.
    """
    asked = set(content_words(query))
    shared = asked & set(content_words(stem))
    return len(shared) >= PASTE_MIN_SHARED and len(shared) / len(asked) >= 0.7
