"""The tracker's rules on plain records: fee and voucher, the retake wait, results, renewal reminders, the path."""

from __future__ import annotations

import datetime as dt

import pytest

from certprep.certs import (
    CertError,
    Credential,
    ExamAttempt,
    Readiness,
    RetakeTooSoon,
    booking_advice,
    check_result,
    check_retake,
    check_voucher,
    default_expiry,
    due_reminders,
    earliest_retake,
    exam_facts,
    format_money,
    known_exams,
    path_view,
    renewal,
    voucher_credentials,
)
from certprep.certs.rules import check_failure, match_delivery, section_results
from tests.conftest import dop_pack

DOP = dop_pack()
FACTS = exam_facts("dop-c02", DOP.blueprint)
KNOWN = known_exams([("dop-c02", DOP.blueprint)])
TODAY = dt.date(2026, 11, 23)


def _attempt(on: dt.date, result: str | None = None, attempt_id: int = 1) -> ExamAttempt:
    return ExamAttempt(
        exam_code="DOP-C02",
        pack_id="dop-c02",
        scheduled_on=on,
        scheduled_time=dt.time(9, 30),
        delivery="Online proctored exam",
        voucher=False,
        fee_cents=30000,
        result=result,  # type: ignore[arg-type]
        id=attempt_id,
    )


def _credential(code: str, earned: dt.date, provider: str = "Amazon Web Services", cid: str = "X-1") -> Credential:
    return Credential(
        credential_id=cid,
        title=f"Cert {code}",
        provider=provider,
        earned_on=earned,
        expires_on=default_expiry(earned, 3),
        exam_code=code,
    )


def test_the_fee_is_300_usd_and_150_with_the_voucher() -> None:
    assert FACTS.fee(voucher=False) == 30000
    assert FACTS.fee(voucher=True) == 15000
    assert format_money(FACTS.fee(voucher=True)) == "150 USD"
    assert format_money(14950) == "149.50 USD"


def test_only_an_active_aws_credential_earns_the_voucher() -> None:
    active = _credential("SAA-C03", dt.date(2025, 1, 10), cid="A")
    expired = _credential("CLF-C02", dt.date(2021, 1, 10), cid="B")
    other = _credential("AZ-900", dt.date(2025, 5, 1), provider="Microsoft", cid="C")
    # Typed by hand as "AWS": the exam code is on the path, so it still counts as an AWS certification.
    shorthand = Credential("D", "Cloud Practitioner", "AWS", dt.date(2025, 2, 1), dt.date(2028, 2, 1), "CLF-C02")
    eligible = voucher_credentials([active, expired, other, shorthand], FACTS, KNOWN, TODAY)
    assert [c.credential_id for c in eligible] == ["D", "A"]
    check_voucher(True, FACTS, eligible, TODAY)
    with pytest.raises(CertError, match="active AWS certification"):
        check_voucher(True, FACTS, voucher_credentials([expired, other], FACTS, KNOWN, TODAY), TODAY)
    check_voucher(False, FACTS, [], TODAY)  # the full fee needs nothing


def test_a_retake_must_wait_14_days_after_a_failure() -> None:
    failed = _attempt(dt.date(2026, 11, 2), "fail")
    assert earliest_retake([failed], "DOP-C02", 14) == dt.date(2026, 11, 16)
    with pytest.raises(RetakeTooSoon) as refused:
        check_retake(dt.date(2026, 11, 15), [failed], "DOP-C02", 14)
    assert refused.value.earliest == dt.date(2026, 11, 16)
    assert "earliest retake date is 2026-11-16" in str(refused.value)
    check_retake(dt.date(2026, 11, 16), [failed], "DOP-C02", 14)
    # A pass, another exam's failure, or a failure after the proposed day does not hold the learner back.
    check_retake(dt.date(2026, 11, 3), [_attempt(dt.date(2026, 11, 2), "pass")], "DOP-C02", 14)
    check_retake(dt.date(2026, 11, 3), [failed], "SAA-C03", 14)
    check_retake(dt.date(2026, 10, 1), [failed], "DOP-C02", 14)


def test_a_failure_is_refused_while_another_booking_sits_inside_its_wait() -> None:
    sitting = _attempt(dt.date(2026, 11, 2), None, 1)
    too_close = _attempt(dt.date(2026, 11, 10), None, 2)
    with pytest.raises(CertError, match="move that booking to 2026-11-16 or later"):
        check_failure(sitting, [sitting, too_close], 14)
    check_failure(sitting, [sitting, _attempt(dt.date(2026, 11, 16), None, 2)], 14)


def test_results_must_agree_with_the_scale_and_the_pass_mark() -> None:
    sat = _attempt(dt.date(2026, 11, 20))
    assert check_result(sat, "Pass", 812, FACTS, TODAY) == "pass"
    assert check_result(sat, "failed", 690, FACTS, TODAY) == "fail"
    with pytest.raises(CertError, match="between 100 and 1000"):
        check_result(sat, "pass", 1200, FACTS, TODAY)
    with pytest.raises(CertError, match="pass mark is 750"):
        check_result(sat, "pass", 700, FACTS, TODAY)
    with pytest.raises(CertError, match="'maybe' is not a result"):
        check_result(sat, "maybe", None, FACTS, TODAY)
    with pytest.raises(CertError, match="after you have sat it"):
        check_result(_attempt(dt.date(2026, 12, 1)), "pass", 800, FACTS, TODAY)


def test_section_results_use_the_score_report_words_and_the_exam_domains() -> None:
    sections = section_results({1: "Meets competencies", 3: "needs improvement"}, FACTS)
    assert [(s.domain, s.outcome, s.label) for s in sections] == [
        (1, "meets", "Meets competencies"),
        (3, "needs_improvement", "Needs improvement"),
    ]
    assert sections[0].name == "SDLC Automation"
    with pytest.raises(CertError, match="no section 9"):
        section_results({9: "meets"}, FACTS)
    with pytest.raises(CertError, match="not a score-report outcome"):
        section_results({1: "great"}, FACTS)


def test_delivery_is_a_test_centre_or_online() -> None:
    assert match_delivery("online", FACTS.delivery) == "Online proctored exam"
    assert match_delivery("test centre", FACTS.delivery) == "Pearson VUE test centre"
    with pytest.raises(CertError, match="not a delivery option"):
        match_delivery("by post", FACTS.delivery)


def test_credentials_expire_after_three_years_with_reminders_at_six_months_and_one_month() -> None:
    earned = dt.date(2024, 2, 29)
    assert default_expiry(earned, 3) == dt.date(2027, 2, 28)
    cred = _credential("DOP-C02", dt.date(2024, 8, 15))
    assert cred.expires_on == dt.date(2027, 8, 15)
    state = renewal(cred, dt.date(2026, 11, 23))
    assert state.state == "active"
    assert state.next_reminder == dt.date(2027, 2, 15)
    assert [r.remind_on for r in state.reminders[:2]] == [dt.date(2027, 2, 15), dt.date(2027, 7, 15)]
    assert renewal(cred, dt.date(2027, 2, 15)).state == "renew_soon"
    now = renewal(cred, dt.date(2027, 7, 20))
    assert now.state == "renew_now"
    assert now.due is not None
    # The same YYYY-MM-DD as every other date of the tracker (#24 item 9).
    assert now.due.message == "Cert DOP-C02 expires on 2027-08-15, in 26 days: renew it before then."
    assert renewal(cred, dt.date(2027, 8, 15)).state == "expired"
    assert due_reminders([cred], dt.date(2026, 11, 23)) == []
    # Passing again replaces the old credential: it no longer nags.
    again = _credential("DOP-C02", dt.date(2027, 6, 1), cid="X-2")
    assert renewal(cred, dt.date(2027, 7, 20), [cred, again]).state == "renewed"


def test_the_path_recommends_the_exam_being_prepared_for_with_its_usual_preparation() -> None:
    # #24 item 9: someone preparing for DOP-C02 with no credential is pointed at DOP-C02, with the associate tier
    # named as preparation, not sent to the foundational CLF-C02 first.
    steps = DOP.blueprint.path
    empty = path_view(steps, [], TODAY, "DOP-C02")
    assert [[s.code for s in tier] for tier in empty.tiers] == [["CLF-C02"], ["SAA-C03", "SOA-C03"], ["DOP-C02"]]
    assert empty.recommended == ("DOP-C02",)
    assert empty.preparation == ("SAA-C03", "SOA-C03")
    assert empty.message.startswith("Recommended next: DOP-C02 (AWS Certified DevOps Engineer - Professional)")
    assert "recommended as preparation: SAA-C03" in empty.message
    assert "CLF-C02" not in empty.message
    assert not empty.tiers[0][0].recommended and not empty.tiers[0][0].preparation
    held = path_view(steps, [_credential("SOA-C03", dt.date(2025, 3, 1))], TODAY, "DOP-C02")
    assert held.recommended == ("DOP-C02",)
    assert held.preparation == ()
    assert "the exam you are preparing for" in held.message
    assert held.tiers[1][1].state == "held"
    assert held.tiers[1][0].state == "not_held"
    expired = path_view(steps, [_credential("SAA-C03", dt.date(2020, 1, 1))], TODAY, "DOP-C02")
    assert expired.tiers[1][0].state == "expired"
    assert expired.recommended == ("DOP-C02",)
    assert expired.preparation == ("SAA-C03", "SOA-C03")
    target_held = path_view(steps, [_credential("DOP-C02", dt.date(2025, 1, 1))], TODAY, "DOP-C02")
    assert target_held.recommended == ()
    assert target_held.message == "You hold DOP-C02, the exam this pack prepares you for. Keep it current."
    # A pack for the associate exam recommends that exam; the foundational one is its preparation.
    associate = path_view(steps, [], TODAY, "SAA-C03")
    assert associate.recommended == ("SAA-C03",)
    assert associate.preparation == ("CLF-C02",)
    everything = [_credential(c, dt.date(2025, 1, 1), cid=c) for c in ("CLF-C02", "SAA-C03", "DOP-C02")]
    assert path_view(steps, everything, TODAY, "DOP-C02").recommended == ()


def test_booking_advice_reads_the_prediction_and_the_plan_date() -> None:
    unknown = booking_advice(Readiness())
    assert unknown.level == "unknown"
    assert unknown.headline.startswith("No pass prediction yet")
    ready = booking_advice(
        Readiness(
            pass_probability=0.83, scaled_score=805, scaled_low=760, scaled_high=850, plan_date=dt.date(2027, 1, 10)
        ),
        dt.date(2027, 1, 3),
    )
    assert ready.level == "ready"
    assert "83%" in ready.headline
    assert "Predicted scaled score 805 (likely between 760 and 850)." in ready.notes
    assert any("7 days before the date your plan suggests" in note for note in ready.notes)
    assert booking_advice(Readiness(pass_probability=0.3)).level == "not_yet"
