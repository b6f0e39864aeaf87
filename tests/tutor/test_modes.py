"""The four modes, read from the learner's wording and answered from the pack with citations."""

from __future__ import annotations

import re

import pytest

from certprep.content import Pack
from certprep.tutor import Tutor, TutorContext, parse
from certprep.tutor.compose import KEY_FACTS, compare
from certprep.tutor.facts import FACTS


@pytest.mark.parametrize(
    ("query", "mode", "sides", "topic", "ref"),
    [
        ("compare CodeDeploy deployment strategies", "compare", (), "CodeDeploy deployment strategies", ""),
        ("compare pilot light vs warm standby", "compare", ("pilot light", "warm standby"), "", ""),
        ("SQS DLQ versus Lambda destinations?", "compare", ("SQS DLQ", "Lambda destinations"), "", ""),
        ("What is the difference between RTO and RPO?", "compare", ("RTO", "RPO"), "", ""),
        ("compare nested stacks and modules", "compare", ("nested stacks", "modules"), "", ""),
        (
            "explain question d1-pipeline-cross-account-artifact-key",
            "explain",
            (),
            "",
            "d1-pipeline-cross-account-artifact-key",
        ),
        ("Explain question 12.", "explain", (), "", "12"),
        ("quiz me on StackSets", "quiz", (), "StackSets", ""),
        ("Quiz me about deployment strategies!", "quiz", (), "deployment strategies", ""),
        (
            "explain CloudFormation StackSet behaviour across Regions",
            "ask",
            (),
            "explain CloudFormation StackSet behaviour across Regions",
            "",
        ),
        ("test metrics in CodeBuild", "ask", (), "test metrics in CodeBuild", ""),
        ("quiz me", "quiz", (), "", ""),
    ],
)
def test_the_mode_is_read_from_the_wording(query: str, mode: str, sides: tuple[str, ...], topic: str, ref: str) -> None:
    request = parse(query)
    assert (request.mode, request.sides, request.topic, request.ref) == (mode, sides, topic, ref)


def _citations_resolve(text: str, count: int) -> bool:
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", text)]
    return bool(numbers) and all(1 <= n <= count for n in numbers)


def test_ask_leads_with_the_best_passage_and_cites_every_source(tutor: Tutor) -> None:
    answer = tutor.answer("What does a CreationPolicy with cfn-signal do?")
    assert answer.mode == "ask"
    assert answer.source == "retrieval"
    # Five passages, then the passages of the key facts the five leave out (each cited once, under its heading).
    facts = answer.text.split(KEY_FACTS)[1].split("**Practise this:**")[0] if KEY_FACTS in answer.text else ""
    assert 5 <= len(answer.hits) <= 5 + FACTS
    assert len(answer.hits) - 5 <= facts.count("\n- ")
    assert "cfn-signal" in answer.text
    assert _citations_resolve(answer.text, len(answer.hits))
    assert all(f"[{n}]" in answer.text for n in range(1, len(answer.hits) + 1))


def test_compare_shows_the_comparison_table_as_a_list_then_facts_per_side(tutor: Tutor) -> None:
    # Composed from the notes (what the tutor does when no explainer answers the comparison).
    text, hits = compare(tutor.index, ("service-managed", "self-managed StackSets"), "", frozenset())
    first = hits[0].passage
    assert first.section == "Comparison tables"
    assert "StackSets permission models" in first.title
    # The table's rows as a list that wraps on a phone, never a pipe table.
    assert "- **Target accounts**: Service-managed: Accounts in your organization" in text
    assert not any(line.startswith("|") for line in text.splitlines())
    assert "**service-managed**:" in text
    assert "**self-managed StackSets**:" in text
    assert _citations_resolve(text, len(hits))


def test_compare_never_shows_a_table_about_something_else(tutor: Tutor) -> None:
    text, hits = compare(tutor.index, ("CodeDeploy canary", "linear"), "", frozenset(), context="for Lambda")
    assert "Elastic Beanstalk deployment options" not in text
    assert all(hit.passage.section != "Comparison tables" or "Beanstalk" not in hit.passage.title for hit in hits)


def test_compare_one_family(tutor: Tutor) -> None:
    text, hits = compare(tutor.index, (), "CodeDeploy deployment strategies", frozenset())
    assert hits[0].passage.section == "Comparison tables"
    assert "canary" in text.lower()
    assert "blue/green" in text.lower()


def test_explain_walks_through_constraints_key_distractors_and_cards(tutor: Tutor, dop: Pack) -> None:
    question = dop.question("d1-pipeline-cross-account-artifact-key")
    assert question is not None
    answer = tutor.answer(f"explain question {question.id}")
    assert answer.mode == "explain"
    constraints = answer.text.split("**The scenario's constraints:**")[1].split("**Why the key wins:**")[0]
    assert "must deploy it with an AWS CloudFormation action into a separate production account" in constraints
    assert "CodePipeline in a shared tooling account" not in constraints  # setting, not a constraint
    key, distractors = answer.text.split("**Why each distractor loses:**")
    for option in question.options:
        assert option.why in (key if option.correct else distractors)
    kinds = [hit.passage.kind for hit in answer.hits]
    assert kinds[0] == "question"
    assert kinds.count("option") == len(question.options)
    assert "card" in kinds
    assert _citations_resolve(answer.text, len(answer.hits))


def test_explain_by_position_of_the_latest_attempt(tutor: Tutor) -> None:
    context = TutorContext(positions={3: "d1-pipeline-cross-account-artifact-key"})
    assert "Why the key wins" in tutor.answer("explain question 3", context).text
    missing = tutor.answer("explain question 99", context)
    assert missing.mode == "explain"
    assert missing.hits == ()
    assert "no question '99'" in missing.text
    unknown = tutor.answer("explain question not-a-question")
    assert unknown.hits == ()
    assert "no question with the id 'not-a-question'" in unknown.text


def test_quiz_lists_prompts_then_answers(tutor: Tutor) -> None:
    answer = tutor.answer("quiz me on StackSets")
    assert answer.mode == "quiz"
    assert 3 <= len(answer.hits) <= 5
    assert all(hit.passage.kind == "card" for hit in answer.hits)
    prompts, answers = answer.text.split("**Answers:**")
    for hit in answer.hits:
        assert hit.passage.title in prompts
    assert "stack set" in answers.lower()
    assert tutor.answer("quiz me").hits == ()


def test_nothing_found_says_so(tutor: Tutor) -> None:
    answer = tutor.answer("qwertyuiop zxcvbnm")
    assert answer.hits == ()
    assert "found nothing" in answer.text


def test_json_has_exactly_the_documented_shape(tutor: Tutor) -> None:
    data = tutor.answer("What is an SCP?").to_json("dop-c02")
    assert set(data) == {"mode", "answer", "passages"}
    assert data["passages"]
    assert all(set(p) == {"id", "kind", "title", "text", "score", "url"} for p in data["passages"])
    first = data["passages"][0]
    assert first["url"] == f"/tutor/sources/dop-c02/{first['id']}"
    assert isinstance(first["score"], float)


def test_a_retired_question_is_not_searched_but_can_still_be_explained() -> None:
    from certprep.content import load_pack
    from tests.conftest import TINY_PACK

    tiny = Tutor(load_pack(TINY_PACK))
    assert all(hit.passage.question_id != "tiny-old-question" for hit in tiny.index.search("process", limit=50))
    answer = tiny.answer("explain question tiny-old-question")
    assert answer.mode == "explain"
    assert answer.hits[0].passage.id == f"question-{tiny.pack.code('tiny-old-question')}"
    assert "Why the key wins" in answer.text
