"""Optional semantic reranking, used only when the ``certprep[semantic]`` extra is installed.

BM25 finds passages that share words with the query; a cross-encoder reads the query and a passage together and can
tell which of the top candidates actually answers it. That needs ``sentence-transformers`` and a model file, so it is
never required: when the import fails (the default install) :func:`load_reranker` returns None and the tutor ranks by
BM25 alone. Set ``CERTPREP_SEMANTIC=off`` to switch it off even when installed, and ``CERTPREP_RERANK_MODEL`` to pick
the cross-encoder (a name in the local Hugging Face cache, or a folder). Nothing is downloaded by the tutor: the model
is loaded on first use with ``local_files_only``, and when it is not on the machine the BM25 order is kept. Fetch it
once yourself (``huggingface-cli download cross-encoder/ms-marco-MiniLM-L-6-v2``) to use it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

from certprep.tutor.index import Hit, Reranker

SWITCH_VARIABLE = "CERTPREP_SEMANTIC"
MODEL_VARIABLE = "CERTPREP_RERANK_MODEL"
DEFAULT_MODEL = "cross-encoder/ms-marco-MiniLM-L-6-v2"
RERANK_DEPTH = 20


def load_reranker() -> Reranker | None:
    """A reranker if sentence-transformers can be imported and it is not switched off; otherwise None."""
    if os.environ.get(SWITCH_VARIABLE, "").strip().lower() in ("0", "off", "false", "no"):
        return None
    try:
        from sentence_transformers import CrossEncoder
    except Exception:  # ImportError, or a broken torch install: either way, BM25 alone
        return None
    model_name = os.environ.get(MODEL_VARIABLE, "").strip() or DEFAULT_MODEL
    lock = threading.Lock()
    loaded: list[Any] = []

    def rerank(query: str, hits: Sequence[Hit]) -> list[Hit]:
        head, tail = list(hits[:RERANK_DEPTH]), list(hits[RERANK_DEPTH:])
        try:
            with lock:
                if not loaded:
                    loaded.append(CrossEncoder(model_name, local_files_only=True))
            scores = loaded[0].predict([(query, f"{hit.passage.title}\n{hit.passage.text}") for hit in head])
        except Exception:  # no model available offline: keep the BM25 order rather than fail the answer
            return list(hits)
        ranked = sorted(zip(head, scores, strict=True), key=lambda pair: -float(pair[1]))
        return [hit for hit, _ in ranked] + tail

    return rerank
