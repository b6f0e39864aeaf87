"""Anki packages opened by Anki itself (the `anki` PyPI package, the library inside the desktop app)."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from certprep.content import load_pack
from certprep.content.models import Pack
from certprep.exports.anki import FLASHCARD_FIELDS, QUESTION_FIELDS, anki_package
from tests.conftest import TINY_PACK, dop_pack


def _open_in_anki(tmp_path: Path, package: bytes, name: str = "deck.apkg") -> Collection:
    path = tmp_path / name
    path.write_bytes(package)
    collection = Collection(str(tmp_path / f"{name}.anki2"))
    collection.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions()))
    return collection


def _decks(collection: Collection) -> set[str]:
    return {deck.name for deck in collection.decks.all_names_and_ids()} - {"Default"}


def test_the_dop_flashcards_open_in_anki_one_deck_per_domain(tmp_path: Path) -> None:
    pack: Pack = dop_pack()
    collection = _open_in_anki(tmp_path, anki_package(pack))
    try:
        assert collection.note_count() == len(pack.flashcards)
        expected = {f"DOP-C02::{d.id}. {d.name}" for d in pack.blueprint.domains} | {"DOP-C02"}
        assert _decks(collection) == expected
        for domain in pack.blueprint.domains:
            in_deck = collection.find_notes(f'"deck:DOP-C02::{domain.id}. {domain.name}"')
            assert len(in_deck) == sum(1 for card in pack.flashcards if card.domain == domain.id)
        card = pack.flashcards[0]
        note = collection.get_note(collection.find_notes(f'"Id:{card.id}"')[0])
        assert note.note_type()["name"] == "certprep flashcard"  # type: ignore[index]
        assert list(note.keys()) == list(FLASHCARD_FIELDS)
        assert note["Domain"] == str(card.domain)
        assert note["Task"] == card.task
        assert card.front.split()[0] in note["Front"]
        assert note["Back"].startswith("<p>")
        assert f"domain-{card.domain}" in note.tags
    finally:
        collection.close()


def test_questions_are_optional_notes_with_the_key_and_reasons(tmp_path: Path) -> None:
    pack = load_pack(TINY_PACK)
    live = [q for q in pack.questions if q.status == "live"]
    collection = _open_in_anki(tmp_path, anki_package(pack, include_questions=True))
    try:
        assert collection.note_count() == len(pack.flashcards) + len(live)
        assert _decks(collection) == {"TINY-01", "TINY-01::1. Shells and files", "TINY-01::2. Processes"}
        question = live[0]
        note = collection.get_note(collection.find_notes(f'"Id:{pack.code(question.id)}"')[0])
        assert list(note.keys()) == list(QUESTION_FIELDS)
        assert note["Answer"] == ", ".join(sorted(question.correct_ids))
        assert note["Options"].count("<li>") == len(question.options)
        assert "Correct." in note["Reasons"]
        assert question.references[0] in note["References"]
    finally:
        collection.close()


def test_importing_a_newer_export_updates_instead_of_duplicating(tmp_path: Path) -> None:
    pack = load_pack(TINY_PACK)
    collection = _open_in_anki(tmp_path, anki_package(pack), "first.apkg")
    try:
        again = tmp_path / "again.apkg"
        again.write_bytes(anki_package(pack))
        collection.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(again), options=ImportAnkiPackageOptions())
        )
        assert collection.note_count() == len(pack.flashcards)
    finally:
        collection.close()
