"""Compose answers from retrieved passages, one function per mode. No model: every sentence is the pack's own.

An answer is plain text with light Markdown (bold, lists) and citation marks ``[n]`` that refer to the n-th passage
of the answer's passage list, so a reader (or the page) can always go from a claim to its source.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from certprep.content.models import Explainer, Question
from certprep.tutor.expand import content_words, expand
from certprep.tutor.explainers import stems
from certprep.tutor.index import Hit, PassageIndex
from certprep.tutor.modes import CONTEXT_WORDS
from certprep.tutor.passages import Passage, question_passages, shorten

if TYPE_CHECKING:  # facts.py quotes passages the way this module does, so it imports this one
    from certprep.tutor.facts import Fact

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


def table_rows(text: str) -> list[list[str]]:
    """The rows of the Markdown pipe table in ``text`` (header first, the ``|---|`` rule dropped)."""
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("|") and not set(line) <= set("|-: "):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def table_as_list(text: str) -> list[str]:
    """A comparison table as list items, one per row: "**Row**: Column A: cell; Column B: cell". A pipe table
    cannot wrap on a phone and breaks words mid-way; a list wraps like any sentence."""
    rows = table_rows(text)
    if len(rows) < 2:
        return []
    header, *body = rows
    items = []
    for row in body:
        cells = [f"{name}: {cell}" for name, cell in zip(header[1:], row[1:], strict=False) if cell]
        items.append(f"**{row[0]}**: " + "; ".join(cells) if row[0] else "; ".join(cells))
    return items


def plain(passage: Passage) -> str:
    """A passage's text as one run of prose: a card without its prompt, list markers dropped, a table's rows as
    sentences. Quoted inside a bullet, raw Markdown blocks would render as "- - " or as a broken table."""
    text = passage.text
    if passage.kind == "card":
        text = text.split("\n", 1)[-1]
    if table_rows(text):
        text = " ".join(f"{item.replace('**', '')}." for item in table_as_list(text)) or text
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and all(line.startswith("- ") for line in lines):
        return "; ".join(line[2:].strip() for line in lines)
    return " ".join(line.removeprefix("- ") for line in lines)


def gist(passage: Passage, limit: int = 320) -> str:
    """The part of a passage worth quoting inline: a card's answer, a bullet without its bold lead-in, ..."""
    text = " ".join(plain(passage).split())
    if len(text) <= limit:
        return text
    cut = ""
    for sentence in sentences(text):
        if cut and len(cut) + len(sentence) > limit:
            break
        cut = f"{cut} {sentence}".strip()
    return shorten(cut or text, limit)


def focused_gist(passage: Passage, query: str, limit: int) -> str:
    """A passage's gist for ``query``: its first sentence (a card's answer, an explainer's answer), then the
    sentences that share most of the query's words, in the passage's own order, within ``limit`` characters. The
    first sentences of a long passage often answer a neighbouring question; the one that names the learner's error
    or setting is what they asked about."""
    text = " ".join(plain(passage).split())
    parts = sentences(text)
    if len(text) <= limit or len(parts) < 2 or not query:
        return gist(passage, limit)
    wanted = stems(expand(query).all)
    if not wanted:
        return gist(passage, limit)

    shared = {number: len(wanted & stems(expand(parts[number]).all)) for number in range(1, len(parts))}
    chosen = {0}
    used = len(parts[0])
    for number in sorted(shared, key=lambda n: (-shared[n], n)):
        if shared[number] == 0:
            break
        if used + 1 + len(parts[number]) > limit:
            continue
        chosen.add(number)
        used += 1 + len(parts[number])
    if len(chosen) == 1:
        return gist(passage, limit)
    return " ".join(parts[number] for number in sorted(chosen))


# Long enough for an explainer's or a flashcard's whole question (the longest is 170 characters): a question cut
# short can drop the very words the learner asked about ("...used from outside AWS").
LABEL_LENGTH = 180


def _label(passage: Passage) -> str:
    """A passage's name inside an answer: never cut mid-word, never its id."""
    if passage.kind == "card":
        return f"Flashcard: {shorten(passage.title, LABEL_LENGTH)}"
    return shorten(passage.title, LABEL_LENGTH)


FIRST_LENGTH = 700  # characters of the best passage; with four short gists the answer reads in about a minute
EXPLAINER_LENGTH = 1200
GIST_LENGTH = 260
EXPLAINER_GIST = 400


def answer_ask(hits: Sequence[Hit], query: str = "", facts: Sequence[Fact] = ()) -> tuple[str, list[Hit]]:
    """The best passage (an explainer whole: it is written to read in a minute), then the gist of the others, each
    with its citation, then the key facts the passages leave out (``facts``)."""
    if not hits:
        return NOTHING_FOUND, []
    cited = list(hits)
    first = hits[0].passage
    body = gist(first, EXPLAINER_LENGTH if first.kind == "explainer" else FIRST_LENGTH)
    lines = [f"{body} [1]"]
    if len(hits) > 1:
        lines += ["", "**Also relevant:**"]
        lines += [
            f"- **{_label(hit.passage)}**: {focused_gist(hit.passage, query, _gist_length(hit.passage))} [{number}]"
            for number, hit in enumerate(hits[1:], start=2)
        ]
    lines += key_facts(facts, cited)
    return "\n".join(lines), cited


KEY_FACTS = "**Also worth knowing:**"


def key_facts(facts: Sequence[Fact], hits: list[Hit]) -> list[str]:
    """The lines that list ``facts``, each cited by the number of its passage: one the answer cites already keeps
    its number, another is added to ``hits``."""
    if not facts:
        return []
    lines = ["", KEY_FACTS]
    for fact in facts:
        number = next((n for n, hit in enumerate(hits, start=1) if hit.passage.id == fact.passage.id), 0)
        if not number:
            # The score of the passage before it: a fact's passage ranks as a whole below every quoted one.
            hits.append(Hit(fact.passage, hits[-1].score if hits else 0.0))
            number = len(hits)
        lines.append(f"- {fact.sentence} [{number}]")
    return lines


def _gist_length(passage: Passage) -> int:
    # An explainer's answer and reasoning are its point; a note's first sentences are.
    return EXPLAINER_GIST if passage.kind == "explainer" else GIST_LENGTH


def mentions(passage: Passage, side: str) -> bool:
    """Whether a passage talks about one side of a comparison: most of its words, or a spelling of its name
    ("ALB" is also "Application Load Balancer")."""
    return _says(f"{passage.title} {passage.text}", side)


def _says(text: str, side: str) -> bool:
    terms = expand(side)
    words = [word for word in terms.words if len(word) > 1]
    haystack = text.lower()
    if any(spelling in haystack for spelling in terms.added if len(spelling) > 3):
        return True
    # A plural's singular counts too: a table's column says "Nested stack" to a learner's "nested stacks".
    found = sum((word[:-1] if len(word) > 4 and word.endswith("s") else word) in haystack for word in words)
    return bool(words) and found >= max(1, len(words) // 2 + len(words) % 2)


def _compares(table: Passage, sides: Sequence[str]) -> bool:
    """Whether a comparison table compares these sides: each side is its own column, or each side its own row. A
    table that merely mentions them compares something else ("CodeDeploy versus Elastic Beanstalk" has a column
    "CodeDeploy" and a row "Canary or linear"), and opening an answer with it answered the wrong question."""
    rows = table_rows(table.text)
    if not rows:
        return False
    columns, heads = rows[0][1:], [row[0] for row in rows[1:]]
    return _each_in_own_cell(columns, sides) or _each_in_own_cell(heads, sides)


def _each_in_own_cell(cells: Sequence[str], sides: Sequence[str]) -> bool:
    used: set[int] = set()
    for side in sides:
        free = [number for number, cell in enumerate(cells) if number not in used and _says(cell, side)]
        if not free:
            return False
        used.add(free[0])
    return True


def compare(
    index: PassageIndex,
    sides: Sequence[str],
    topic: str,
    exclude: Collection[str],
    context: str = "",
    facts: Sequence[Fact] = (),
) -> tuple[str, list[Hit]]:
    """A side-by-side: the comparison table that covers every side, as a list, then the key facts of each side.

    ``context`` ("for Lambda") narrows each side's search. A table that covers only some sides is not shown: it
    compares something else (canary vs linear is not CodeDeploy vs Elastic Beanstalk).
    """
    wanted = " ".join((*sides, context)) if sides else topic
    candidates = index.search(wanted, limit=12, exclude_questions=exclude, kinds=("note",))
    tables = [hit for hit in candidates if hit.passage.section == "Comparison tables"]
    if sides:
        tables = [hit for hit in tables if _compares(hit.passage, sides)]
    hits: list[Hit] = list(tables[:1])
    title = ", ".join(sides[:-1]) + f" and {sides[-1]}" if sides else topic
    lines = [f"Comparing {title}{_context_phrase(context)}."]
    if hits:
        lines += ["", f"From the notes' comparison table **{hits[0].passage.title}** [1]:", ""]
        lines += [f"- {item}" for item in table_as_list(hits[0].passage.text)]
    per_side = sides or (topic,)
    for side in per_side:
        side_hits = [
            hit
            for hit in index.search(f"{side} {context}".strip(), limit=6, exclude_questions=exclude)
            if hit.passage.section != "Comparison tables" and hit.passage.id not in {h.passage.id for h in hits}
        ]
        if sides:
            side_hits = [hit for hit in side_hits if mentions(hit.passage, side)] or side_hits
        side_hits = side_hits[:2] if sides else side_hits[:3]
        if not side_hits:
            continue
        lines += ["", f"**{side}**:" if sides else "Key facts:"]
        for hit in side_hits:
            hits.append(hit)
            lines.append(f"- {gist(hit.passage, 260)} [{len(hits)}]")
    if not hits:
        return NOTHING_FOUND, []
    lines += key_facts(facts, hits)
    if len(sides) >= 2:
        lines += [
            "",
            "On the exam, read the scenario's constraint (cost, operational overhead, downtime, scope) "
            "and pick the side whose facts above meet it; the others are usually the distractors.",
        ]
    return "\n".join(lines), hits


def _context_phrase(context: str) -> str:
    """How a comparison's context follows its sides: "for Lambda" as it is, a heading or a sentence of the
    learner's ("our NLB targets in one AZ get hammered") in brackets, so it does not read as part of the last side."""
    if not context:
        return ""
    return f" {context}" if context.split()[0].lower() in CONTEXT_WORDS else f" ({context})"


def explainer_answer(
    explainer: Explainer,
    passage: Passage,
    practise: Sequence[tuple[str, Passage]],
    study: Passage | None,
    also: Sequence[Passage] = (),
    query: str = "",
    facts: Sequence[Fact] = (),
) -> tuple[str, list[Hit]]:
    """An authored explainer as a tutor says it: the answer (its first sentence is the answer by itself), the
    reasoning, when to choose each side as a list that wraps on a phone, the usual distractor, the gist of the best
    other passages for the question (``also``: a learner's question is rarely exactly the authored one), two or
    three questions to practise on (by public code), the notes section to study, and the references.

    ``practise``: (public code, question passage) pairs, already cleared of questions the learner may not see.
    """
    hits = [Hit(passage, 1.0)]
    lines = [f"{_flat(explainer.answer)} [1]", "", _flat(explainer.reasoning)]
    if explainer.choose:
        # Authors write a row's "when" as a clause or as a noun phrase ("RTO of minutes, one writer"); after a colon
        # under this heading both read as the case for that side.
        lines += ["", "**When to choose each:**"]
        lines += [f"- **{choice.option}**: {_flat(choice.when).rstrip('.')}." for choice in explainer.choose]
    if explainer.distractor:
        lines += ["", f"**The usual distractor:** {_flat(explainer.distractor)}"]
    if also:
        lines += ["", "**Also relevant:**"]
        for other in also:
            hits.append(Hit(other, 1.0))
            lines.append(f"- **{_label(other)}**: {focused_gist(other, query, ALSO_LENGTH)} [{len(hits)}]")
    lines += key_facts(facts, hits)
    if practise:
        lines += ["", "**Practise this:**"]
        for code, question in practise:
            hits.append(Hit(question, 1.0))
            lines.append(f"- **{code}**: {_opening(question)} [{len(hits)}]")
    if study is not None:
        hits.append(Hit(study, 1.0))
        lines += ["", f"**Study:** {_label(study)} [{len(hits)}]"]
    if explainer.references:
        lines += ["", "**References:** " + " · ".join(explainer.references)]
    return "\n".join(lines), hits


# Characters of each other passage under an explainer's answer. 400 (was 220) holds the second fact of a related
# explainer more often: +0.8 points on average over heldout3-7 read with their explainers as written, no set lower,
# about 11 more words in the median answer.
ALSO_LENGTH = 400


def _flat(text: str) -> str:
    return " ".join(text.split())


def _opening(question: Passage) -> str:
    """What a practice question is about, from its title ("Question Q-…: A company …"), without the code."""
    return question.title.split(": ", 1)[-1]


WELL_COVERED = 0.5


def answers_well(query: str, hits: Sequence[Hit], top: int = 3, share: float = WELL_COVERED) -> bool:
    """Whether the best passages are about what was asked: more than half of the query's own words (or a spelling
    of each: "ASG" is "Auto Scaling group") appear in the first ``top`` of them. BM25 always ranks something
    first; this tells an answer from a passage that merely shares one common word."""
    words = _judged_words(query)
    if not words:
        return bool(hits)
    found = stems(
        content_words(" ".join(f"{h.passage.title} {h.passage.text} {h.passage.keywords}" for h in hits[:top]))
    )
    covered = sum(any(stems([spelling]) <= found for spelling in expand(word).all) for word in words)
    return covered > share * len(words) or (len(words) <= 2 and covered >= 1)


def _judged_words(query: str) -> list[str]:
    """The query's words an answer is judged on: "cpu/mem" is two words, a count ("40 accounts") or a lone letter
    ("w/") says nothing about the topic; a three-digit code (403, 502) does."""
    words = []
    for word in expand(query).words:
        for part in word.split("/") if " " not in word else (word,):
            if len(part) > 1 and (not part.isdigit() or len(part) == 3):
                words.append(part)
    return list(dict.fromkeys(words))


NEAREST_GIST = 320
NEAREST_INTRO = "I have nothing in this pack that answers that well, so rather than guess, here are the nearest topics:"
NEAREST_OUTRO = "Ask about one of them, or name the services or the error message involved."


def nearest_topics(topics: Sequence[Passage]) -> tuple[str, list[Hit]]:
    """The fallback when nothing matches well: say so, and offer the nearest topics instead of weak passages."""
    if not topics:
        return NOTHING_FOUND, []
    hits = [Hit(passage, 0.0) for passage in topics]
    lines = [NEAREST_INTRO, ""]
    lines += [f"- {_label(hit.passage)} [{number}]" for number, hit in enumerate(hits, start=1)]
    first = hits[0].passage
    if first.kind == "explainer":
        # An explainer's first sentences are its answer, written to stand alone: quoted under its own name, they
        # let a learner whose words missed judge at a glance whether the nearest topic is what they meant.
        lines += ["", f"**The first of them, in short:** {gist(first, NEAREST_GIST)} [1]"]
    lines += ["", NEAREST_OUTRO]
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
