"""BM25 retrieval over the DOP-C02 pack: the right passages come first, shorthand works, nothing leaks."""

from __future__ import annotations

from certprep.tutor import Tutor
from certprep.tutor.index import PassageIndex


def _top_text(tutor: Tutor, query: str, top: int = 3) -> str:
    return " ".join(f"{hit.passage.title} {hit.passage.text}" for hit in tutor.search(query, limit=top)).lower()


def test_a_direct_question_finds_its_fact(tutor: Tutor) -> None:
    assert "queued" in _top_text(tutor, "Which pipeline execution mode deploys every commit in order?")
    assert "cfn-signal" in _top_text(tutor, "stack finishes before the instance software is installed")


def test_abbreviations_find_what_the_long_name_finds(tutor: Tutor) -> None:
    short = {hit.passage.id for hit in tutor.search("ASG lifecycle hooks", limit=5)}
    long = {hit.passage.id for hit in tutor.search("Auto Scaling group lifecycle hooks", limit=5)}
    assert short & long
    assert "lifecycle hook" in _top_text(tutor, "ASG lifecycle hooks")
    assert "dead-letter" in _top_text(tutor, "what is a DLQ for")


def test_results_are_ranked_and_limited(tutor: Tutor) -> None:
    hits = tutor.search("CloudFormation StackSets delegated administrator", limit=5)
    assert len(hits) == 5
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_one_question_cannot_fill_the_top_three(tutor: Tutor) -> None:
    hits = tutor.search("pipeline trigger for a monorepo folder so only changed services build", limit=3)
    sources = [hit.passage.question_id for hit in hits if hit.passage.question_id]
    assert len(sources) == len(set(sources))


def test_excluded_questions_never_come_back(tutor: Tutor) -> None:
    index: PassageIndex = tutor.index
    query = "cross-account CodePipeline artifact bucket customer managed KMS key"
    before = index.search(query, limit=20)
    assert any(hit.passage.question_id == "d1-pipeline-cross-account-artifact-key" for hit in before)
    after = index.search(query, limit=50, exclude_questions={"d1-pipeline-cross-account-artifact-key"})
    assert all(hit.passage.question_id != "d1-pipeline-cross-account-artifact-key" for hit in after)


def test_kinds_filter_and_nonsense_query(tutor: Tutor) -> None:
    cards = tutor.index.search("StackSets", limit=5, kinds=("card",))
    assert cards
    assert all(hit.passage.kind == "card" for hit in cards)
    assert tutor.search("qwertyuiop zxcvbnm") == []
    # FTS5 syntax in a query is searched as plain words, never a syntax error.
    assert all(hit.passage.text for hit in tutor.search('"" OR AND NEAR( * ^col:'))
