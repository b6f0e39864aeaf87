"""Anki decks (.apkg) with genanki: the pack's flashcards, and optionally its questions, one deck per domain.

Deck names are ``<exam code>::<domain id>. <domain name>``, so Anki shows one parent deck per exam with a child deck
per domain. Note type ids, deck ids and note GUIDs are derived from the pack and item ids, never random: importing a
newer export into Anki updates the notes already there instead of adding copies, and keeps the learner's reviews.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import re
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import genanki

from certprep.content.models import Flashcard, Pack, Question
from certprep.exports.markdown import plain_text, render_html

FLASHCARD_FIELDS = ("Front", "Back", "Domain", "Task", "Services", "Id")
QUESTION_FIELDS = ("Question", "Options", "Answer", "Explanation", "Reasons", "References", "Domain", "Task", "Id")

CSS = """
.card { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; font-size: 18px;
  line-height: 1.45; color: #1f2937; background: #ffffff; text-align: left; max-width: 46em; margin: 0 auto; }
.meta { margin-top: 1.2em; font-size: 12px; color: #6b7280; }
code { font-family: Menlo, Consolas, monospace; font-size: 0.9em; background: #f3f4f6; padding: 0 0.2em; }
table { border-collapse: collapse; } td, th { border: 1px solid #d1d5db; padding: 0.2em 0.4em; }
ol.options { list-style-type: upper-alpha; } .answer { font-weight: bold; color: #15803d; }
.correct { color: #15803d; } .wrong { color: #6b7280; }
"""


def stable_id(*parts: str) -> int:
    """A 31-bit id from text, the same on every machine (Anki wants ids below 2**63; genanki's docs use 2**31)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def _model(name: str, fields: tuple[str, ...], front: str, back: str) -> genanki.Model:
    return genanki.Model(
        stable_id("certprep-model", name),
        name,
        fields=[{"name": field} for field in fields],
        templates=[{"name": "Card 1", "qfmt": front, "afmt": back}],
        css=CSS,
    )


FLASHCARD_MODEL = _model(
    "certprep flashcard",
    FLASHCARD_FIELDS,
    "{{Front}}",
    '{{FrontSide}}<hr id="answer">{{Back}}<div class="meta">Domain {{Domain}} · task {{Task}} · {{Services}}</div>',
)
QUESTION_MODEL = _model(
    "certprep question",
    QUESTION_FIELDS,
    '{{Question}}<ol class="options">{{Options}}</ol>',
    '{{Question}}<ol class="options">{{Options}}</ol><hr id="answer"><div class="answer">Answer: {{Answer}}</div>'
    '{{Explanation}}<ol class="options">{{Reasons}}</ol><div class="meta">{{References}}<br>Domain {{Domain}} · '
    "task {{Task}} · {{Id}}</div>",
)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _tag(text: str) -> str:
    """Anki tags cannot hold spaces."""
    return re.sub(r"\s+", "_", text.strip())


def deck_name(pack: Pack, domain_id: int) -> str:
    domain = pack.blueprint.domain(domain_id)
    name = f"{domain_id}. {domain.name}" if domain else f"Domain {domain_id}"
    return f"{pack.blueprint.exam_code}::{name}"


def flashcard_note(pack: Pack, card: Flashcard) -> genanki.Note:
    return genanki.Note(
        model=FLASHCARD_MODEL,
        fields=[
            render_html(card.front),
            render_html(card.back),
            str(card.domain),
            card.task,
            _escape(", ".join(card.services)),
            card.id,
        ],
        sort_field=plain_text(card.front),
        tags=[_tag(pack.id), f"domain-{card.domain}", f"task-{card.task}", *(_tag(tag) for tag in card.tags)],
        guid=genanki.guid_for(pack.id, card.id),
    )


def question_note(pack: Pack, question: Question) -> genanki.Note:
    options = "".join(f"<li>{render_html(option.text, inline=True)}</li>" for option in question.options)
    reasons = "".join(
        f'<li class="{"correct" if option.correct else "wrong"}">'
        f"<b>{'Correct' if option.correct else 'Wrong'}.</b> {render_html(option.why, inline=True)}</li>"
        for option in question.options
    )
    references = "<br>".join(f'<a href="{_escape(url)}">{_escape(url)}</a>' for url in question.references)
    return genanki.Note(
        model=QUESTION_MODEL,
        fields=[
            render_html(question.stem),
            options,
            ", ".join(sorted(question.correct_ids)),
            render_html(question.explanation),
            reasons,
            references,
            str(question.domain),
            question.task,
            pack.code(question.id),  # the public code: an authoring id often names the answer
        ],
        sort_field=plain_text(question.stem)[:120],
        tags=[_tag(pack.id), "question", f"domain-{question.domain}", f"task-{question.task}"],
        guid=genanki.guid_for(pack.id, question.id),
    )


def build_decks(pack: Pack, include_questions: bool = False) -> list[genanki.Deck]:
    """One deck per domain that has something in it, in the blueprint's order."""
    decks: list[genanki.Deck] = []
    for domain in pack.blueprint.domains:
        name = deck_name(pack, domain.id)
        deck = genanki.Deck(stable_id("certprep-deck", pack.id, str(domain.id)), name)
        for card in pack.flashcards:
            if card.domain == domain.id:
                deck.add_note(flashcard_note(pack, card))
        if include_questions:
            for question in pack.questions:
                if question.domain == domain.id and question.status == "live":
                    deck.add_note(question_note(pack, question))
        if deck.notes:
            decks.append(deck)
    return decks


def anki_package(pack: Pack, include_questions: bool = False, when: dt.datetime | None = None) -> bytes:
    """The .apkg file as bytes."""
    package = genanki.Package(build_decks(pack, include_questions))
    timestamp = (when or dt.datetime.now(dt.UTC)).timestamp()
    return _package_bytes(package, timestamp)


def _package_bytes(package: genanki.Package, timestamp: float) -> bytes:
    """What ``Package.write_to_file`` writes, built in memory.

    genanki's own method leaves its temporary SQLite file behind in /tmp on every call; a server making decks on
    demand would fill the disk, so this does the same steps (public ``write_to_db``, then the zip) in a folder that
    is removed afterwards.
    """
    with tempfile.TemporaryDirectory(prefix="certprep-anki-") as folder:
        database = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(database)
        try:
            ids = itertools.count(int(timestamp * 1000))
            package.write_to_db(connection.cursor(), timestamp, ids)
            connection.commit()
        finally:
            connection.close()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(database, "collection.anki2")
            archive.writestr("media", "{}")
        return buffer.getvalue()


def deck_summary(pack: Pack, include_questions: bool = False) -> list[dict[str, Any]]:
    """Deck names and note counts, for the CLI's closing line and the download page."""
    return [{"deck": deck.name, "notes": len(deck.notes)} for deck in build_decks(pack, include_questions)]
