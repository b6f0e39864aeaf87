"""One check of a request to start a session, shared by the CLI, the pages and the API (engine.forms.start_request)."""

from __future__ import annotations

from typing import get_args

import pytest

from certprep.engine.forms import MODES, FormError, Mode, start_request
from certprep.services.exams import SELF_TAGS, SelfTagName


@pytest.mark.parametrize(
    ("arguments", "sentence"),
    [
        ({"mode": "sprint"}, "unknown mode 'sprint'; choose one of full, mock100, drill, quick, review, custom"),
        ({"mode": "custom", "count": 0}, "the number of questions must be between 1 and 200"),
        ({"mode": "custom", "count": 201}, "the number of questions must be between 1 and 200"),
        (
            {"mode": "custom", "difficulty_min": 5, "difficulty_max": 2},
            "difficulty 5 to 2 is not a range within 1 to 5",
        ),
        ({"mode": "custom", "difficulty_min": 0}, "difficulty 0 to 5 is not a range within 1 to 5"),
        ({"mode": "custom", "question_type": "essay"}, "the question type must be one of single, multiple"),
        ({"mode": "drill", "tasks": ["one.four"]}, "'one.four' is not a task statement; write it like 1.4"),
        ({"mode": "drill"}, "a drill needs a domain or a task statement"),
    ],
)
def test_each_broken_rule_is_one_sentence(arguments: dict[str, object], sentence: str) -> None:
    mode = str(arguments.pop("mode"))
    with pytest.raises(FormError) as refused:
        start_request(mode, **arguments)  # type: ignore[arg-type]
    assert str(refused.value).startswith(f"Cannot build that session: {sentence}")


def test_a_good_request_keeps_its_values_and_drops_repeats() -> None:
    request = start_request(
        "drill", count=15, domains=[3, 3, 1], tasks=["1.4", "1.4"], difficulty_min=2, question_type="multiple"
    )
    assert (request.mode, request.count, request.domains, request.tasks) == ("drill", 15, (3, 1), ("1.4",))
    assert (request.difficulty_min, request.difficulty_max, request.question_type) == (2, 5, "multiple")


def test_modes_and_self_tags_are_each_listed_once() -> None:
    assert get_args(Mode) == MODES
    assert tuple(SELF_TAGS) == get_args(SelfTagName), "the tag labels and the API's tag type name different tags"
