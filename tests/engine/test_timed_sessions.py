"""Timed practice and timed domain sections as the engine builds them (#24 item 17)."""

from __future__ import annotations

import pytest

from certprep.content import load_pack
from certprep.content.models import Pack
from certprep.engine.forms import FormError, assemble_form, sections, start_request
from tests.conftest import TINY_PACK


@pytest.mark.parametrize(
    ("arguments", "sentence"),
    [
        ({"mode": "full", "minutes": 30}, "a timed exam keeps the exam's own time; a timer is for practice sessions"),
        ({"mode": "quick", "minutes": 0}, "the timer must be between 1 and 300 minutes"),
        ({"mode": "quick", "minutes": 301}, "the timer must be between 1 and 300 minutes"),
        ({"mode": "section"}, "a timed section is of one domain"),
        ({"mode": "section", "domains": [1, 2]}, "a timed section is of one domain"),
    ],
)
def test_a_timer_or_a_section_that_cannot_be_is_one_sentence(arguments: dict[str, object], sentence: str) -> None:
    mode = str(arguments.pop("mode"))
    with pytest.raises(FormError, match=f"^Cannot build that session: {sentence}$"):
        start_request(mode, **arguments)  # type: ignore[arg-type]


def test_sections_split_the_whole_exam_and_its_time_by_domain_weight(dop: Pack) -> None:
    split = dict(sections(dop))
    assert sorted(split) == [domain.id for domain in dop.blueprint.domains]
    assert sum(questions for questions, _ in split.values()) == dop.blueprint.questions.total
    # The exam's pace in every section: within a minute of rounding of 180 minutes for 75 questions.
    for questions, minutes in split.values():
        assert abs(minutes - dop.blueprint.duration_minutes * questions / dop.blueprint.questions.total) <= 0.5
    assert split[1] == (17, 41)  # SDLC automation, 22 % of 75 questions


def test_a_section_asks_its_domain_share_spread_over_its_task_statements(dop: Pack) -> None:
    form = assemble_form(dop, start_request("section", domains=[1]), seed=3)
    asked = [question for item in form.items if (question := dop.question(item.question_id)) is not None]
    assert len(asked) == 17
    assert {question.domain for question in asked} == {1}
    assert {question.task for question in asked} == {task.id for task in dop.blueprint.domains[0].tasks}
    with pytest.raises(FormError, match="the exam has no domain 9"):
        assemble_form(dop, start_request("section", domains=[9]), seed=3)


def test_a_section_of_a_thin_domain_says_it_is_short() -> None:
    tiny = load_pack(TINY_PACK)  # domain 2 should get 2 of 6 questions and has 2 live ones; domain 1 has 3 of 4
    form = assemble_form(tiny, start_request("section", domains=[1]), seed=1)
    assert len(form.items) == 3
    assert form.shortfalls == ("domain 1 has 3 of the 4 questions",)
