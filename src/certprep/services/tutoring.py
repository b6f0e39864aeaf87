"""The tutor inside a running certprep: one lazily built tutor per pack, and what each learner may ask about.

The tutor itself (:mod:`certprep.tutor`) is pure; this is the glue that knows about attempts. It asks the
:class:`~certprep.services.exams.ExamService` (so every read is filtered by the learner's id) which questions of the
learner's unsubmitted attempts may not be revealed yet, and hands them to the tutor as off limits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from certprep.content import Pack
from certprep.content.cache import cached_value
from certprep.services.exams import ExamService
from certprep.tutor import LLMConfig, Tutor, TutorContext
from certprep.tutor.semantic import load_reranker
from certprep.tutor.tutor import build_index

# Enough to see every attempt that can still be running: unsubmitted attempts are few, and recent.
ATTEMPTS_CHECKED = 50
TUTOR_CODE = Path(__file__).resolve().parent / "tutor"  # the index is rebuilt when this code changes


class TutorService:
    """Tutors for the packs of one runtime, built on first use (the index takes about 0.1 s per pack)."""

    def __init__(
        self,
        packs: dict[str, Pack],
        exams: ExamService,
        llm: Callable[[], LLMConfig | None] = LLMConfig.from_env,
        cache_dir: Path | None = None,
    ) -> None:
        self.packs = packs
        self.exams = exams
        self.cache_dir = cache_dir
        self._llm = llm
        self._tutors: dict[str, Tutor] = {}
        self._lock = threading.Lock()

    def default_pack(self) -> str:
        """The pack a query goes to when none is named: DOP-C02 if installed, else the first by id."""
        return "dop-c02" if "dop-c02" in self.packs else sorted(self.packs)[0]

    def tutor(self, pack_id: str) -> Tutor | None:
        pack = self.packs.get(pack_id)
        if pack is None:
            return None
        with self._lock:
            if pack_id not in self._tutors:
                index = cached_value(self.cache_dir, pack.path, "tutor-index", lambda: build_index(pack), TUTOR_CODE)
                self._tutors[pack_id] = Tutor(pack, llm=self._llm(), reranker=load_reranker(), index=index)
            return self._tutors[pack_id]

    def context(self, user_id: int, pack_id: str) -> TutorContext:
        """What ``user_id`` may not ask about in ``pack_id`` now, and the positions of their latest attempt."""
        attempts = [a for a in self.exams.list_attempts(user_id, limit=ATTEMPTS_CHECKED) if a["pack"] == pack_id]
        blocked: set[str] = set()
        positions: dict[int, str] = {}
        for attempt in attempts:
            if attempt["status"] == "submitted" and attempt is not attempts[0]:
                continue
            state = self.exams.state(user_id, attempt["id"])
            for question in state["questions"]:
                # state() leaves out the key exactly when the engine's may_reveal rule says "not yet".
                if state["status"] != "submitted" and "correct_options" not in question:
                    blocked.add(question["question_id"])
            if attempt is attempts[0]:
                positions = {q["position"]: q["question_id"] for q in state["questions"]}
        return TutorContext(blocked=frozenset(blocked), positions=positions)
