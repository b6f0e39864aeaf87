"""Cut a loaded pack into passages: the small, citable pieces of text the tutor retrieves and quotes.

A passage is small enough to be the answer to one learner question and big enough to stand on its own when quoted:

- a **note** passage is one bullet of a service card or of the key exam patterns, one whole comparison table, the
  quick-reference rows of one service, or the paragraph that opens a notes section;
- a **card** passage is a flashcard's prompt and answer;
- a **question** passage is a question's explanation (its stem goes into the searchable keywords, not the text,
  because a scenario is long and mostly about the setting, not the lesson);
- an **option** passage is one option of a question with the reason it is right or wrong;
- a **task** passage is a task statement of the exam guide with its knowledge and skills;
- an **explainer** passage is one authored direct answer to a question learners ask: its ``asks`` (the ways
  learners type it) are the title and keywords, its answer, reasoning, choices and distractor the text.

Every passage remembers the question it came from (if any), so the tutor can hide the passages of an exam that is
still running.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from certprep.content.models import Explainer, Note, NoteSection, Pack, Question
from certprep.content.notes import bold_lead, bullets, slug, subsections

PassageKind = Literal["explainer", "note", "card", "question", "option", "task"]
EXPLAINERS_SECTION = "Explainers"


@dataclass(frozen=True)
class Passage:
    """One retrievable piece of a pack.

    ``keywords`` is searchable but never shown: services, tags and, for questions, the scenario text.
    ``anchor`` names the passage on a page (``note-d1-aws-codepipeline-3``), see :func:`passage_url`.
    """

    id: str
    kind: PassageKind
    title: str
    text: str
    keywords: str = ""
    domain: int | None = None
    question_id: str | None = None
    section: str = ""
    anchor: str = ""


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with an ellipsis when cut: a title cut
    mid-word reads as a typo."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def explainer_passage_id(explainer: Explainer) -> str:
    return f"explainer-{explainer.id}"


def explainer_text(explainer: Explainer) -> str:
    """What an explainer says, as one searchable and quotable text (the tutor composes it differently)."""
    parts = [explainer.answer, explainer.reasoning]
    parts += [f"{choice.option}: {choice.when}." for choice in explainer.choose]
    if explainer.distractor:
        parts.append(explainer.distractor)
    return "\n\n".join(" ".join(part.split()) for part in parts)


def explainer_passage(explainer: Explainer) -> Passage:
    """An explainer as a passage: its first ask is the title, the other asks, services and tags are the keywords
    (asks are written the way learners type, so they are the best text to match a query against), and its answer,
    reasoning, choices and distractor are the text."""
    anchor = explainer_passage_id(explainer)
    return Passage(
        id=anchor,
        kind="explainer",
        title=explainer.title,
        text=explainer_text(explainer),
        keywords=" ".join((*explainer.asks[1:], *explainer.services, *(t.replace("-", " ") for t in explainer.tags))),
        domain=explainer.domain,
        section=EXPLAINERS_SECTION,
        anchor=anchor,
    )


def passage_url(pack_id: str, passage: Passage) -> str:
    """Where a citation of ``passage`` points: the tutor's source page, which shows the passage in its context
    (the whole question with every option's reason, the note section, the card) and respects a running exam."""
    return f"/tutor/sources/{pack_id}/{passage.id}"


def related_passages(passages: Sequence[Passage], passage: Passage) -> list[Passage]:
    """The passages that come from the same source as ``passage``, in pack order: every part of the same question
    (stem and explanation, each option's reason) or of the same note subsection (one service card, one table, one
    group of patterns: note passages of a subsection share their title); a card or task stands alone."""
    if passage.question_id is not None:
        return [p for p in passages if p.question_id == passage.question_id]
    if passage.kind == "note":
        return [p for p in passages if p.kind == "note" and p.title == passage.title]
    return [passage]


def _table_rows(body: str) -> list[list[str]]:
    rows = []
    for line in body.splitlines():
        line = line.strip()
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def _note_passages(note: Note) -> list[Passage]:
    passages: list[Passage] = []
    prefix = f"note-d{note.domain}"

    def add(section: NoteSection, heading: str, text: str, number: int, keywords: str = "") -> None:
        base = f"{prefix}-{slug(section.title)}-{slug(heading)}"
        anchor = f"{base}-{number}" if number else base
        passages.append(
            Passage(
                id=anchor,
                kind="note",
                title=f"{heading} ({note.title} notes: {section.title})",
                text=text.strip(),
                keywords=keywords,
                domain=note.domain,
                section=section.title,
                anchor=anchor,
            )
        )

    for section in note.sections:
        preamble, parts = subsections(section.body)
        if section.title == "Quick reference":
            # One passage per service: its facts read as a short list, which is how a learner wants them.
            by_service: dict[str, list[str]] = {}
            for row in _table_rows(section.body)[1:]:
                if len(row) >= 2:
                    by_service.setdefault(row[0], []).append(row[1])
            for service, facts in by_service.items():
                add(section, service, "\n".join(f"- {fact}" for fact in facts), 0, service)
            continue
        if preamble:
            add(section, section.title, preamble, 0)
        if section.title == "Key exam patterns":
            for number, bullet in enumerate(bullets(section.body), start=1):
                add(section, bold_lead(bullet) or bullet[:50], bullet, number)
            continue
        for heading, body in parts:
            items = bullets(body)
            if section.title == "Comparison tables" or not items:
                # A table only makes sense whole: its header row says what each cell means.
                add(section, heading, body, 0, heading)
                continue
            for number, bullet in enumerate(items, start=1):
                add(section, heading, bullet, number, heading)
    return passages


def question_passages(question: Question, code: str) -> list[Passage]:
    """A question's explanation passage, then one passage per option (in option order).

    Titles, ids and anchors name the question by its public ``code``: they reach learners (answers, source pages,
    URLs), and an authoring id often names the answer. ``question_id`` keeps the authoring id, for sealing.
    """
    first_line = shorten(question.stem.strip().split(". ")[0], 90)
    keywords = " ".join((*question.services, *question.tags, question.stem))
    anchor = f"question-{code}"
    passages = [
        Passage(
            id=anchor,
            kind="question",
            title=f"Question {code}: {first_line}",
            text=question.explanation.strip(),
            keywords=keywords,
            domain=question.domain,
            question_id=question.id,
            anchor=anchor,
        )
    ]
    for option in question.options:
        verdict = "right" if option.correct else "wrong"
        passages.append(
            Passage(
                id=f"{anchor}-{option.id.lower()}",
                kind="option",
                title=f"Why option {option.id} is {verdict} in question {code}",
                text=f"{option.text} {option.why}",
                keywords=" ".join((*question.services, *question.tags)),
                domain=question.domain,
                question_id=question.id,
                anchor=anchor,
            )
        )
    return passages


def extract_passages(pack: Pack, include_retired: bool = False) -> list[Passage]:
    """Every passage of ``pack``: explainers, notes, flashcards, live questions and their options, task
    statements."""
    passages: list[Passage] = [explainer_passage(explainer) for explainer in pack.explainers]
    for note in pack.notes:
        passages += _note_passages(note)
    for card in pack.flashcards:
        passages.append(
            Passage(
                id=f"card-{card.id}",
                kind="card",
                title=card.front,
                text=f"{card.front}\n{card.back}",
                keywords=" ".join((*card.services, *card.tags)),
                domain=card.domain,
                anchor=f"card-{card.id}",
            )
        )
    for question in pack.questions:
        if question.status == "retired" and not include_retired:
            continue
        passages += question_passages(question, pack.code(question.id))
    for domain in pack.blueprint.domains:
        for task in domain.tasks:
            lines = [f"Task {task.id}: {task.title}"]
            lines += [f"- Knowledge: {item}" for item in task.knowledge]
            lines += [f"- Skill: {item}" for item in task.skills]
            passages.append(
                Passage(
                    id=f"task-{task.id}",
                    kind="task",
                    title=f"Task statement {task.id}: {task.title}",
                    text="\n".join(lines),
                    keywords=domain.name,
                    domain=domain.id,
                    anchor="tasks",
                )
            )
    return passages
