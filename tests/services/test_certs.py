"""The certification tracker in the database (SQLite and PostgreSQL): bookings, results, credentials, isolation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from certprep.certs import CertError, CredentialInput, RetakeTooSoon
from certprep.content import load_pack
from certprep.services.certs import CertNotFound, CertService
from certprep.services.exams import ExamService
from certprep.services.learning import LearningError, LearningService
from certprep.services.learning.results import Readiness as LearnerReadiness
from certprep.store import transaction
from certprep.store.schema import Attempt, Setting
from tests.conftest import TINY_PACK, Learners, dop_pack

PACKS = {"dop-c02": dop_pack(), "tiny": load_pack(TINY_PACK)}
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def certs(learners: Learners) -> Iterator[tuple[CertService, int, int]]:
    sessions = learners.sessions
    ids = (learners.alice, learners.bob)
    yield CertService(sessions, PACKS), ids[0], ids[1]


def _saa(**overrides: object) -> CredentialInput:
    values: dict[str, object] = {"credential_id": "SAA-111", "earned_on": "2025-04-01", "exam_code": "SAA-C03"}
    values.update(overrides)
    return CredentialInput(**values)  # type: ignore[arg-type]


def test_booking_charges_the_full_fee_or_the_voucher_fee(certs: tuple[CertService, int, int]) -> None:
    service, alice, _ = certs
    full = service.book(alice, "dop-c02", "2026-12-10", "09:30", "online", today=TODAY)
    assert (full.fee_cents, full.voucher, full.delivery) == (30000, False, "Online proctored exam")
    assert full.scheduled_time == dt.time(9, 30)
    assert full.status(TODAY) == "scheduled"
    with pytest.raises(CertError, match="active AWS certification"):
        service.book(alice, "dop-c02", "2026-12-20", "09:30", "online", voucher=True, today=TODAY)
    service.add_credential(alice, _saa(), today=TODAY)
    assert [c.credential_id for c in service.voucher_credentials(alice, "dop-c02", TODAY)] == ["SAA-111"]
    cheap = service.book(alice, "dop-c02", "2026-12-20", "14:00", "test centre", voucher=True, today=TODAY)
    assert cheap.fee_cents == 15000
    assert cheap.delivery == "Pearson VUE test centre"
    assert [a.id for a in service.attempts(alice)] == [cheap.id, full.id]


def test_results_and_the_retake_wait(certs: tuple[CertService, int, int]) -> None:
    service, alice, _ = certs
    sat = service.book(alice, "dop-c02", "2026-11-10", "10:00", "online", today=TODAY)
    failed = service.record_result(alice, sat.id or 0, "fail", 702, {1: "needs improvement", 2: "meets"}, today=TODAY)
    assert failed.result == "fail"
    assert failed.scaled_score == 702
    assert [(s.domain, s.outcome) for s in failed.sections] == [(1, "needs_improvement"), (2, "meets")]
    assert service.attempt(alice, sat.id or 0).sections == failed.sections  # read back from the database
    assert service.earliest_retake(alice, "dop-c02") == dt.date(2026, 11, 24)
    with pytest.raises(RetakeTooSoon, match="earliest retake date is 2026-11-24"):
        service.book(alice, "dop-c02", "2026-11-20", "10:00", "online", today=TODAY)
    retake = service.book(alice, "dop-c02", "2026-11-24", "10:00", "online", today=TODAY)
    with pytest.raises(RetakeTooSoon):
        service.reschedule(alice, retake.id or 0, "2026-11-23", "08:00")
    moved = service.reschedule(alice, retake.id or 0, "2026-11-30", "08:00", "test centre")
    assert moved.scheduled_on == dt.date(2026, 11, 30)
    assert moved.delivery == "Pearson VUE test centre"
    with pytest.raises(CertError, match="after you have sat it"):
        service.record_result(alice, retake.id or 0, "pass", 800, today=TODAY)


def test_credentials_are_unique_per_learner_and_private(certs: tuple[CertService, int, int]) -> None:
    service, alice, bob = certs
    saa = service.add_credential(alice, _saa(verification_url="https://www.credly.com/badges/x"), today=TODAY)
    assert saa.expires_on == dt.date(2028, 4, 1)
    assert saa.id is not None
    with pytest.raises(CertError, match="already have a credential with the id 'saa-111'"):
        service.add_credential(alice, _saa(credential_id="saa-111"), today=TODAY)
    # Another learner may hold a credential with the same id text, and sees nothing of Alice's.
    service.add_credential(bob, _saa(), today=TODAY)
    assert [c.credential_id for c in service.credentials(bob)] == ["SAA-111"]
    with pytest.raises(CertNotFound):
        service.credential(bob, saa.id)
    with pytest.raises(CertNotFound):
        service.update_credential(bob, saa.id, _saa(), today=TODAY)
    with pytest.raises(CertNotFound):
        service.delete_credential(bob, saa.id)
    booking = service.book(alice, "dop-c02", "2026-12-10", "09:30", "online", today=TODAY)
    assert service.attempts(bob) == []
    with pytest.raises(CertNotFound):
        service.record_result(bob, booking.id or 0, "pass", 800, today=dt.date(2026, 12, 11))
    edited = service.update_credential(alice, saa.id, _saa(credential_id="SAA-222", level="Associate"), today=TODAY)
    assert service.credential(alice, saa.id) == edited
    assert edited.credential_id == "SAA-222"
    service.delete_credential(alice, saa.id)
    assert service.credentials(alice) == []


def test_path_reminders_and_exports(certs: tuple[CertService, int, int]) -> None:
    service, alice, _ = certs
    service.add_credential(alice, _saa(earned_on="2023-12-01"), today=TODAY)
    service.add_credential(alice, CredentialInput("CLF-9", "2024-01-10", exam_code="CLF-C02"), today=TODAY)
    assert service.path(alice, "dop-c02", TODAY).recommended == ("DOP-C02",)
    reminders = service.reminders(alice, TODAY)
    assert [(r.credential.credential_id, r.kind) for r in reminders] == [("SAA-111", "1 month"), ("CLF-9", "6 months")]
    files = dict(service.portfolio(alice))
    assert sorted(files) == ["clf-c02.md", "saa-c03.md"]
    assert 'credentialId: "SAA-111"' in files["saa-c03.md"]
    assert 'date: "01.12.2023"' in files["saa-c03.md"]
    assert [c.name for c in service.json_resume(alice).certificates] == [
        "AWS Certified Cloud Practitioner",
        "AWS Certified Solutions Architect - Associate",
    ]


def test_readiness_comes_from_the_latest_mock_exam_and_the_plan_date(certs: tuple[CertService, int, int]) -> None:
    service, alice, bob = certs
    readiness, advice = service.readiness(alice, "dop-c02")
    assert readiness.pass_probability is None
    assert advice.level == "unknown"
    with transaction(service.sessions) as session:
        session.add(
            Attempt(
                id="mock-1",
                user_id=alice,
                pack_id="dop-c02",
                content_version="1",
                mode="full",
                status="submitted",
                submitted_at=dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC),
                result={"pass_probability": 0.82, "scaled_score": 790, "score_range": [745, 835]},
            )
        )
        session.add(Setting(user_id=alice, key="exam_date", value="2027-01-15"))
    readiness, advice = service.readiness(alice, "dop-c02", dt.date(2027, 1, 5))
    assert (readiness.pass_probability, readiness.scaled_low, readiness.scaled_high) == (0.82, 745, 835)
    assert readiness.plan_date == dt.date(2027, 1, 15)
    assert advice.level == "ready"
    assert "full mock exam on 2026-11-20" in advice.headline
    assert service.readiness(bob, "dop-c02")[0].pass_probability is None  # Alice's exam says nothing about Bob


def test_the_real_learning_service_gives_the_plan_date_and_no_prediction_without_evidence(
    certs: tuple[CertService, int, int],
) -> None:
    service, alice, bob = certs
    learning = LearningService(service.sessions, PACKS, ExamService(service.sessions, PACKS))
    service.learning = learning.progress
    fresh, advice = service.readiness(alice, "dop-c02")
    # Nothing practised yet: the model's prior is not passed off as a prediction.
    assert fresh.pass_probability is None
    assert advice.level == "unknown"
    exam_day = dt.date.today() + dt.timedelta(days=30)
    learning.records.set_exam_date(alice, "dop-c02", exam_day)
    planned, advice = service.readiness(alice, "dop-c02", exam_day - dt.timedelta(days=5))
    assert planned.plan_date == exam_day
    assert any("5 days before the date your plan suggests" in note for note in advice.notes)
    assert service.readiness(bob, "dop-c02")[0].plan_date is None


class _Learning:
    """A stand-in for the learning service (the certs.LearningModel protocol), to pin down how its answers and its
    refusals are used."""

    def __init__(self, broken: bool = False, evidence: int = 40) -> None:
        self.broken = broken
        self.evidence = evidence

    def readiness(self, user_id: int, pack_id: str) -> LearnerReadiness:
        if self.broken:
            raise LearningError("The model has nothing to predict from yet.")
        return LearnerReadiness(
            pack=pack_id,
            scaled_score=768,
            scaled_low=720,
            scaled_high=810,
            pass_probability=0.64,
            passing=750,
            expected_correct=52.0,
            scored_items=65,
            evidence=self.evidence,
            domains=(),
        )

    def exam_date(self, user_id: int, pack_id: str) -> dt.date | None:
        return dt.date(2027, 2, 1)


def test_the_learning_model_is_used_when_present_and_skipped_when_absent_silent_or_refusing(
    certs: tuple[CertService, int, int],
) -> None:
    service, alice, _ = certs
    with transaction(service.sessions) as session:
        session.add(Setting(user_id=alice, key="exam_date", value="2027-01-15"))
    absent, _ = service.readiness(alice, "dop-c02")
    assert absent.pass_probability is None
    assert absent.plan_date == dt.date(2027, 1, 15)

    service.learning = _Learning()
    present, advice = service.readiness(alice, "dop-c02")
    predicted = (present.pass_probability, present.scaled_score, present.scaled_low, present.scaled_high)
    assert predicted == (0.64, 768, 720, 810)
    assert advice.level == "borderline"
    # The learning loop's own exam date wins over the planner setting the mock-exam figures come with.
    assert (present.plan_date, present.plan_source) == (dt.date(2027, 2, 1), "the exam date in your study plan")

    service.learning = _Learning(evidence=0)  # the model's prior is not a prediction
    prior, _ = service.readiness(alice, "dop-c02")
    assert prior.pass_probability is None
    assert prior.plan_date == dt.date(2027, 2, 1)

    service.learning = _Learning(broken=True)
    degraded, advice = service.readiness(alice, "dop-c02")
    assert degraded.pass_probability is None
    assert advice.headline.startswith("No pass prediction yet")
    assert degraded.plan_date == dt.date(2027, 1, 15)
