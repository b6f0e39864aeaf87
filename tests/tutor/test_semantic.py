"""Semantic reranking is optional: without the extra the tutor ranks by BM25 alone, and with a cross-encoder it
reorders the BM25 candidates. No model is downloaded here: a stand-in module plays sentence-transformers."""

from __future__ import annotations

import importlib.util
import sys
import types
from collections.abc import Sequence
from typing import ClassVar

import pytest

from certprep.content import Pack
from certprep.tutor import Tutor
from certprep.tutor.index import Hit
from certprep.tutor.semantic import RERANK_DEPTH, load_reranker


@pytest.mark.skipif(importlib.util.find_spec("sentence_transformers") is not None, reason="the extra is installed")
def test_without_the_extra_there_is_no_reranker() -> None:
    assert load_reranker() is None


class _CrossEncoder:
    """Scores a pair by whether the passage mentions "warm pool": enough to see the order change."""

    loaded: ClassVar[list[str]] = []
    local_only: ClassVar[list[bool]] = []

    def __init__(self, name: str, local_files_only: bool = False) -> None:
        self.loaded.append(name)
        self.local_only.append(local_files_only)

    def predict(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        return [1.0 if "warm pool" in passage.lower() else 0.0 for _, passage in pairs]


def test_it_can_be_switched_off_even_when_a_model_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("sentence_transformers")
    module.CrossEncoder = _CrossEncoder  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sentence_transformers", module)
    assert load_reranker() is not None  # installed and not switched off: the tutor reranks
    for off in ("off", "0", "no"):
        monkeypatch.setenv("CERTPREP_SEMANTIC", off)
        assert load_reranker() is None, f"CERTPREP_SEMANTIC={off} did not switch reranking off"


def test_an_installed_cross_encoder_reorders_the_candidates(monkeypatch: pytest.MonkeyPatch, dop: Pack) -> None:
    module = types.ModuleType("sentence_transformers")
    module.CrossEncoder = _CrossEncoder  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sentence_transformers", module)
    monkeypatch.setenv("CERTPREP_RERANK_MODEL", "local-test-model")
    reranker = load_reranker()
    assert reranker is not None
    query = "Auto Scaling group instances take long to initialise"
    bm25 = Tutor(dop)
    plain = bm25.search(query, limit=3)
    reranked = Tutor(dop, reranker=reranker).search(query, limit=3)
    assert _CrossEncoder.loaded == ["local-test-model"]
    assert _CrossEncoder.local_only == [True]  # the tutor never downloads a model by itself

    def warm(hits: Sequence[Hit]) -> list[bool]:
        return ["warm pool" in f"{hit.passage.title} {hit.passage.text}".lower() for hit in hits]

    # Every favourite among the candidates the model sees comes first, however many the pack holds.
    favourites = sum(warm(bm25.index.search(query, limit=RERANK_DEPTH)))
    assert favourites >= 1
    assert warm(reranked) == [True] * min(favourites, 3) + [False] * (3 - min(favourites, 3))
    assert [hit.passage.id for hit in plain] != [hit.passage.id for hit in reranked]
