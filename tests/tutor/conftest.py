"""Tutor fixtures: one DOP-C02 tutor for the whole module (the index takes a tenth of a second) and a fake model."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from certprep.content import Pack
from certprep.tutor import Tutor
from tests.tutor.llm_server import FakeLLM


@pytest.fixture(scope="session")
def tutor(dop: Pack) -> Tutor:
    return Tutor(dop, llm=None, reranker=None)


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    server = FakeLLM().start()
    yield server
    server.stop()
