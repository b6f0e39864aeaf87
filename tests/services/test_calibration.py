"""Item calibration (SQLite and PostgreSQL): only live exams count, each learner once, stored for every worker.

The first test replays the attack found in hosted mode: one learner uploads a backup full of forged "submitted"
exams to make items look harder, which raised another learner's identical exam from a fail to a pass.
"""

from __future__ import annotations

import copy
import datetime as dt
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from certprep.content import load_pack
from certprep.engine import scoring
from certprep.engine.forms import FormRequest
from certprep.services.backup import backup, restore
from certprep.services.calibration import CLAIM_TIMEOUT, CalibrationService
from certprep.services.exam_results import ExamResult
from certprep.services.exams import ExamService
from certprep.store import open_engine, session_factory, transaction
from certprep.store.schema import Attempt, CalibrationRun, User
from tests.conftest import TINY_PACK

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
PACK = load_pack(TINY_PACK)
PACKS = {"tiny": PACK}
# Each learner's full exam has 6 of the tiny pack's 7 questions: 45 learners give every item 30 and more responses.
LEARNERS = scoring.MIN_CALIBRATION_RESPONSES + 15


@dataclass
class Server:
    sessions: sessionmaker[Session]

    def worker(self) -> ExamService:
        """One worker process's services: its own memory, the shared database. Recalculates in line."""
        return ExamService(self.sessions, PACKS, CalibrationService(self.sessions, background=False))

    def learner(self, name: str) -> int:
        with transaction(self.sessions) as session:
            user = User(username=f"{name}-{uuid.uuid4().hex[:6]}")
            session.add(user)
            session.flush()
            return user.id


@pytest.fixture
def server(migrated_database_url: str) -> Iterator[Server]:
    engine = open_engine(migrated_database_url)
    yield Server(session_factory(engine))
    engine.dispose()


def _key(question_id: str) -> list[str]:
    question = PACK.question(question_id)
    assert question is not None
    return sorted(question.correct_ids)


def _wrong(question_id: str) -> list[str]:
    question = PACK.question(question_id)
    assert question is not None
    return [next(option.id for option in question.options if not option.correct)]


def take_exam(exams: ExamService, user: int, seed: int, right: int, day: int = 0) -> ExamResult:
    """A full exam on the tiny pack with the first ``right`` positions answered correctly, the rest wrongly."""
    start = T0 + dt.timedelta(days=day)
    attempt = exams.start(user, "tiny", FormRequest(mode="full"), seed=seed, now=start)
    for question in exams.state(user, attempt, now=start).questions:
        position, question_id = question.position, question.question_id
        chosen = _key(question_id) if position <= right else _wrong(question_id)
        exams.answer(user, attempt, position, selected=chosen, now=start)
    return exams.submit(user, attempt, now=start + dt.timedelta(minutes=5))


def crowd(server: Server, exams: ExamService, right: int = 4) -> None:
    """Enough independent learners, each with one live exam, for calibration to leave the author's ratings."""
    for number in range(LEARNERS):
        take_exam(exams, server.learner(f"crowd{number}"), seed=number, right=right)


def test_a_forged_backup_does_not_move_another_learners_score(server: Server) -> None:
    exams = server.worker()
    crowd(server, exams)
    attacker = server.learner("attacker")
    take_exam(exams, attacker, seed=5, right=6)  # one real exam, which counts like anybody's
    calibrated = exams.calibration.recalculate(PACK).difficulties
    victim = server.learner("victim")
    before = take_exam(exams, victim, seed=99, right=3)
    calibrated = exams.calibration.recalculate(PACK).difficulties

    # The attacker uploads a backup of the real exam cloned 200 times with every answer wrong, "submitted" with
    # a result that the server never computed.
    document = backup(server.sessions, attacker)
    real = document["tables"]["attempts"][0]
    forged_attempts, forged_items = [], []
    for _ in range(200):
        later = (T0 + dt.timedelta(days=1)).isoformat()
        clone = copy.deepcopy(real) | {"id": str(uuid.uuid4()), "origin": "live", "submitted_at": later}
        clone["result"] = {**clone["result"], "scaled_score": 1000, "passed": True}
        forged_attempts.append(clone)
        for item in document["tables"]["attempt_items"]:
            if item["attempt_id"] == real["id"]:
                wrong = _wrong(item["question_id"])
                forged_items.append(item | {"attempt_id": clone["id"], "selected": wrong, "correct": True})
    document["tables"]["attempts"] = forged_attempts
    document["tables"]["attempt_items"] = forged_items
    restore(server.sessions, attacker, document, scorer=exams)
    assert exams.calibration.recalculate(PACK).difficulties == pytest.approx(calibrated, abs=1e-9)

    after = take_exam(server.worker(), victim, seed=99, right=3)
    assert after.scaled_score == before.scaled_score
    # The forged exams stay in the attacker's own history, scored by the server from the answers they hold.
    restored = [a for a in exams.list_attempts(attacker, limit=500) if a.id != real["id"]]
    assert len(restored) == 200
    one = exams.state(attacker, restored[0].id).result
    assert one is not None
    assert one.correct == 0
    assert one.passed is False
    assert one.scaled_score < 1000

    # Had those exams counted as live, the same recalculation would have moved the difficulties: the check above
    # can fail, and it is the origin rule that keeps them out.
    with transaction(server.sessions) as session:
        session.execute(update(Attempt).where(Attempt.user_id == attacker).values(origin="live"))
    other = ExamService(server.sessions, PACKS, CalibrationService(server.sessions, background=False))
    assert other.calibration.recalculate(PACK).difficulties == pytest.approx(calibrated, abs=1e-9)  # one learner, once
    socks = [server.learner(f"sock{number}") for number in range(LEARNERS)]
    with transaction(server.sessions) as session:
        for sock, attempt in zip(socks, restored, strict=False):
            session.execute(update(Attempt).where(Attempt.id == attempt.id).values(user_id=sock))
    moved = other.calibration.recalculate(PACK).difficulties
    assert max(abs(moved[key] - calibrated[key]) for key in calibrated) > 0.1


def test_one_learner_counts_once_however_many_exams_they_take(server: Server) -> None:
    exams = server.worker()
    crowd(server, exams)
    calibrated = exams.calibration.recalculate(PACK).difficulties
    assert calibrated != {q.id: scoring.author_difficulty(q.difficulty) for q in PACK.questions}
    scripted = server.learner("script")
    take_exam(exams, scripted, seed=1, right=4)
    take_exam(exams, scripted, seed=2, right=4, day=1)  # a second form, so that all 7 items have a first answer
    with_one = exams.calibration.recalculate(PACK).difficulties
    for day in range(1, 41):
        take_exam(exams, scripted, seed=day, right=0, day=day)  # every later answer wrong: must weigh nothing
    assert exams.calibration.recalculate(PACK).difficulties == pytest.approx(with_one, abs=1e-9)


def test_too_few_learners_leave_the_authors_ratings(server: Server) -> None:
    exams = server.worker()
    few = [server.learner(f"few{number}") for number in range(5)]
    for seed in range(40):
        take_exam(exams, few[seed % 5], seed=seed, right=0)  # many exams, too few independent learners
    priors = {q.id: scoring.author_difficulty(q.difficulty) for q in PACK.questions}
    assert exams.calibration.recalculate(PACK).difficulties == priors


def test_the_estimate_is_stored_once_and_read_by_every_worker(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    first = server.worker()
    crowd(server, first, right=1)  # submissions trigger the recalculation in line (background=False)
    estimate = first.calibration.estimate(PACK)
    # Recalculated in line at 10, 20, 30 and 40 live exams (each time a quarter more, at least ten).
    assert estimate.computed_at is not None
    assert estimate.live_exams == estimate.learners == 40

    def must_not_compute(*args: object, **kwargs: object) -> None:
        raise AssertionError("a second worker recalculated instead of reading the stored estimate")

    monkeypatch.setattr("certprep.services.calibration.estimate_difficulties", must_not_compute)
    second = server.worker()  # another process, or the same one after a restart: nothing in memory
    assert second.difficulties(PACK) == estimate.difficulties


def test_only_one_worker_recalculates_at_a_time(server: Server) -> None:
    crowd(server, server.worker())
    with transaction(server.sessions) as session:  # as if the exams had all come in since the last estimate
        session.execute(update(CalibrationRun).values(live_exams=0))
    now = dt.datetime.now(dt.UTC)
    one = CalibrationService(server.sessions, clock=lambda: now)
    two = CalibrationService(server.sessions, clock=lambda: now)
    assert one._claim(PACK) is True
    assert two._claim(PACK) is False  # the other worker is at it
    # A claim older than the timeout belongs to a worker that died: the next one takes over.
    later = CalibrationService(server.sessions, clock=lambda: now + CLAIM_TIMEOUT + dt.timedelta(seconds=1))
    assert later._claim(PACK) is True


def test_a_submission_refreshes_the_estimate_in_the_background(server: Server) -> None:
    exams = ExamService(server.sessions, PACKS)  # the production set-up: recalculation off the request
    for number in range(LEARNERS):
        take_exam(exams, server.learner(f"b{number}"), seed=number, right=0)
    priors = {q.id: scoring.author_difficulty(q.difficulty) for q in PACK.questions}
    deadline = time.monotonic() + 30  # bounded wait for the thread, not a timing assertion
    moved: list[str] = []
    while not moved and time.monotonic() < deadline:
        time.sleep(0.05)
        difficulties = exams.difficulties(PACK)
        moved = [key for key in priors if difficulties[key] != priors[key]]
    assert moved
    assert all(difficulties[key] > priors[key] for key in moved)  # nobody got them right: harder
