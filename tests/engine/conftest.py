"""Synthetic banks for engine tests: a pack object built in memory with exactly the questions a test needs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from certprep.content import load_pack
from certprep.content.models import Option, Pack, Question
from tests.conftest import TINY_PACK


def make_question(
    question_id: str, domain: int, task: str, difficulty: int = 3, status: str = "live", kind: str = "single"
) -> Question:
    count = 4 if kind == "single" else 5
    correct = {"A"} if kind == "single" else {"A", "B"}
    return Question.model_validate(
        {
            "id": question_id,
            "type": kind,
            "select": len(correct),
            "domain": domain,
            "task": task,
            "services": [],
            "difficulty": difficulty,
            "stem": f"Stem of {question_id}. (Choose TWO.)",
            "options": [
                Option(id=chr(65 + i), text=f"option {i}", correct=chr(65 + i) in correct, why="because")
                for i in range(count)
            ],
            "explanation": "why",
            "references": ["https://docs.aws.amazon.com/x"],
            "tags": [],
            "status": status,
            "updated": dt.date(2026, 1, 1),
        }
    )


def synthetic_pack(base: Pack, per_task: int, pretest_per_task: int = 0) -> Pack:
    """``base``'s blueprint with ``per_task`` live (and some pretest) questions for every task statement."""
    questions = []
    for domain in base.blueprint.domains:
        for task in domain.tasks:
            for index in range(per_task + pretest_per_task):
                status = "pretest" if index >= per_task else "live"
                questions.append(
                    make_question(
                        f"q-{task.id.replace('.', '-')}-{index}",
                        domain.id,
                        task.id,
                        difficulty=1 + index % 5,
                        status=status,
                        kind="multiple" if index % 3 == 0 else "single",
                    )
                )
    return Pack(path=Path("."), blueprint=base.blueprint, questions=tuple(questions), flashcards=(), notes=())


@pytest.fixture(scope="session")
def tiny() -> Pack:
    return load_pack(TINY_PACK)
