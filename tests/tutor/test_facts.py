"""Key facts: sentences of the pack an answer's passages leave out, cited, never from a sealed question."""

from __future__ import annotations

import re

from certprep.content import Pack
from certprep.tutor import Tutor, TutorContext
from certprep.tutor.compose import KEY_FACTS
from certprep.tutor.facts import FactIndex
from certprep.tutor.passages import Passage

QUERY = "ecs says unable to place a task, no container instance met all of its requirements"


def _fact_lines(text: str) -> list[tuple[str, int]]:
    """(sentence, citation number) for each line under the key-facts heading."""
    if KEY_FACTS not in text:
        return []
    section = text.split(KEY_FACTS)[1].strip().split("\n\n")[0]
    found = []
    for line in section.splitlines():
        match = re.fullmatch(r"- (.+) \[(\d+)\]", line.strip())
        assert match, line
        found.append((match.group(1), int(match.group(2))))
    return found


def test_a_fact_is_a_sentence_of_the_passage_it_cites_and_says_what_the_answer_did_not(tutor: Tutor) -> None:
    answer = tutor.answer(QUERY)
    facts = _fact_lines(answer.text)
    assert facts
    before = answer.text.split(KEY_FACTS)[0].lower()
    # The usual cause of that placement error (too little memory on the container instances) is what the facts add.
    assert "insufficient memory" not in before
    assert any("insufficient memory" in sentence.lower() for sentence, _ in facts)
    for sentence, number in facts:
        cited = answer.hits[number - 1].passage
        assert sentence in " ".join(cited.text.replace("**", "").split())
        assert sentence.lower() not in before
    assert len({sentence for sentence, _ in facts}) == len(facts)


def test_facts_never_come_from_a_question_whose_key_is_not_revealed_yet(tutor: Tutor, dop: Pack) -> None:
    free = tutor.answer(QUERY)
    from_questions = {hit.passage.question_id for hit in free.hits if hit.passage.kind == "question"}
    fact_sources = {free.hits[number - 1].passage for _, number in _fact_lines(free.text)}
    sealed = {p.question_id for p in fact_sources if p.question_id is not None} or from_questions
    assert sealed  # the query draws on a question's explanation when nothing is sealed
    answer = tutor.answer(QUERY, TutorContext(blocked=frozenset(q for q in sealed if q)))
    assert all(hit.passage.question_id not in sealed for hit in answer.hits)
    for question_id in sealed:
        question = dop.question(question_id or "")
        assert question is not None
        for sentence in re.split(r"(?<=[.?!])\s+", question.explanation.strip()):
            if len(sentence) > 40:
                assert " ".join(sentence.split()) not in " ".join(answer.text.split())


def test_scenario_talk_fragments_options_and_prompts_are_not_facts() -> None:
    def passage(kind: str, text: str, number: int) -> Passage:
        return Passage(id=f"p{number}", kind=kind, title="", text=text)  # type: ignore[arg-type]

    passages = [
        passage("note", "Lifecycle hooks keep an instance in Pending:Wait for up to one hour by default.", 1),
        passage("question", "Option B fails because lifecycle hooks do not run on scale-in of this kind.", 2),
        passage("option", "Lifecycle hooks can hold an instance for one hundred days in Pending:Wait.", 3),
        passage("card", "How long can a lifecycle hook hold an instance?\nUp to 7200 seconds per heartbeat.", 4),
        passage("note", "Hooks: short.", 5),
    ]
    facts = FactIndex(passages).find("how long do lifecycle hooks hold an instance in pending wait", "")
    sources = [fact.passage.id for fact in facts]
    assert "p1" in sources
    assert "p2" not in sources  # speaks of an option of its own scenario
    assert "p3" not in sources  # an option's text is false for every distractor
    assert "p5" not in sources  # a fragment
    assert all("How long can" not in fact.sentence for fact in facts)  # a card's prompt is not a fact


def test_a_fact_the_answer_already_says_is_not_repeated(tutor: Tutor) -> None:
    answer = tutor.answer(QUERY)
    shown = answer.text.split(KEY_FACTS)[0]
    again = tutor.facts.find(QUERY, shown)
    assert [fact.sentence for fact in again] == [sentence for sentence, _ in _fact_lines(answer.text)]
    for sentence, _ in _fact_lines(answer.text):
        assert answer.text.count(sentence) == 1
