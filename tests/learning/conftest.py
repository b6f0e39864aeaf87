"""The DOP-C02 and tiny packs, loaded once, and their exam shapes, for the pure learning-model tests."""

from __future__ import annotations

import pytest

from certprep.content import load_pack
from certprep.content.models import Pack
from certprep.engine.scoring import author_difficulty
from certprep.learning.mastery import TaskInfo, task_infos
from certprep.learning.readiness import ExamShape, exam_shape
from tests.conftest import TINY_PACK


def infos_of(pack: Pack) -> list[TaskInfo]:
    blueprint = pack.blueprint
    return task_infos(
        [(d.id, t.id) for d in blueprint.domains for t in d.tasks],
        [(q.task, author_difficulty(q.difficulty)) for q in pack.questions if q.status == "live"],
    )


def shape_of(pack: Pack) -> ExamShape:
    blueprint = pack.blueprint
    return exam_shape(
        [(d.id, d.weight, [t.id for t in d.tasks]) for d in blueprint.domains],
        blueprint.questions.scored,
        infos_of(pack),
        (blueprint.scale.min, blueprint.scale.max, blueprint.scale.passing),
    )


@pytest.fixture(scope="session")
def tiny() -> Pack:
    return load_pack(TINY_PACK)
