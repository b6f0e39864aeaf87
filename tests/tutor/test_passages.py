"""Cutting the pack into passages: every source kind is there, whole, citable and traceable to its question."""

from __future__ import annotations

from collections import Counter

from certprep.content import Pack
from certprep.tutor import extract_passages, passage_url, related_passages


def test_every_kind_of_source_becomes_passages(dop: Pack) -> None:
    passages = extract_passages(dop)
    kinds = Counter(passage.kind for passage in passages)
    live = [question for question in dop.questions if question.status != "retired"]
    assert kinds["card"] == len(dop.flashcards)
    assert kinds["question"] == len(live)
    assert kinds["option"] == sum(len(question.options) for question in live)
    assert kinds["task"] == sum(len(domain.tasks) for domain in dop.blueprint.domains)
    assert kinds["note"] > 300  # bullets, tables and quick-reference groups of six domains


def test_ids_are_unique_and_text_is_never_empty(dop: Pack) -> None:
    passages = extract_passages(dop)
    assert len({passage.id for passage in passages}) == len(passages)
    assert all(passage.text.strip() and passage.title.strip() for passage in passages)


def test_a_comparison_table_is_one_whole_passage(dop: Pack) -> None:
    tables = [p for p in extract_passages(dop) if p.section == "Comparison tables" and "V1 versus V2" in p.title]
    assert len(tables) == 1
    table = tables[0].text
    assert table.startswith("| Aspect | V1 | V2 |")
    assert "Execution modes" in table
    assert "SUPERSEDED, QUEUED, PARALLEL" in table


def test_service_card_bullets_keep_their_continuation_lines(dop: Pack) -> None:
    passages = {p.id: p for p in extract_passages(dop)}
    bullet = next(
        p for p in passages.values() if p.title.startswith("AWS CodePipeline (") and "Execution modes" in p.text
    )
    assert "PARALLEL (independent concurrent runs; no stage rollback)" in bullet.text


def test_question_passages_carry_their_question_and_the_reason_of_each_option(dop: Pack) -> None:
    question = dop.question("d1-pipeline-cross-account-artifact-key")
    assert question is not None
    mine = [p for p in extract_passages(dop) if p.question_id == question.id]
    assert {p.kind for p in mine} == {"question", "option"}
    explanation = next(p for p in mine if p.kind == "question")
    assert explanation.text == question.explanation.strip()
    option_b = next(p for p in mine if p.id.endswith("-b"))
    assert "customer managed KMS key" in option_b.text
    assert "cannot be edited to trust another account" in option_b.text
    assert option_b.title == f"Why option B is right in question {dop.code(question.id)}"
    assert all(question.id not in passage.title for passage in mine)  # learners see the public code only


def test_urls_point_to_the_source_page_and_related_passages_share_a_source(dop: Pack) -> None:
    passages = extract_passages(dop)
    card = next(p for p in passages if p.kind == "card")
    assert passage_url("dop-c02", card) == f"/tutor/sources/dop-c02/{card.id}"
    assert related_passages(passages, card) == [card]
    option = next(p for p in passages if p.kind == "option")
    whole_question = related_passages(passages, option)
    assert option in whole_question
    assert {p.kind for p in whole_question} == {"question", "option"}
    assert {p.question_id for p in whole_question} == {option.question_id}
    note = next(p for p in passages if p.kind == "note" and "CodePipeline" in p.title)
    subsection = related_passages(passages, note)
    assert 1 < len(subsection) < 40
    assert all(p.title == note.title for p in subsection)
