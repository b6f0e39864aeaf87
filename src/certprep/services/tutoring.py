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
from certprep.tutor.tutor import prepare

# The prepared parts are rebuilt when this code changes. (It named services/tutor, which does not exist, so an edit
# of the tutor's code never invalidated the cached index.)
TUTOR_CODE = Path(__file__).resolve().parent.parent / "tutor"


class TutorService:
    """Tutors for the packs of one runtime, built on first use (preparing a pack takes about 0.5 s; the prepared
    parts are cached between starts)."""

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
                prepared = cached_value(self.cache_dir, pack.path, "tutor-prepared", lambda: prepare(pack), TUTOR_CODE)
                self._tutors[pack_id] = Tutor(pack, llm=self._llm(), reranker=load_reranker(), prepared=prepared)
            return self._tutors[pack_id]

    def context(self, user_id: int, pack_id: str) -> TutorContext:
        """What ``user_id`` may not ask about in ``pack_id`` now, and the positions of their latest attempt.

        During a timed exam (any pack) the tutor answers nothing. Otherwise it keeps quiet about every question
        whose key the learner may not see yet, in every unsubmitted attempt, however many there are.
        """
        seal = self.exams.seal(user_id)
        if seal is not None:
            return TutorContext(sealed=seal.sentence(self.exams.clock()))
        latest = next((a for a in self.exams.list_attempts(user_id) if a.pack == pack_id), None)
        positions: dict[int, str] = {}
        orders: dict[int, tuple[str, ...]] = {}
        if latest is not None:
            positions = {q.position: q.question_id for q in self.exams.state(user_id, latest.id).questions}
            orders = self.exams.option_orders(user_id, latest.id)
        return TutorContext(blocked=self.exams.unrevealed(user_id, pack_id), positions=positions, orders=orders)
