"""The study planner: the seeds' seven-day plan, 2–10 week plans weighted by exam weight and weakness, .ics export."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from icalendar import Calendar

from certprep.learning.calendar import plan_calendar
from certprep.learning.plan import DomainFocus, PlanError, build_plan

TODAY = dt.date(2026, 11, 23)
DOP = [
    DomainFocus(1, "SDLC Automation", 22, 0.5),
    DomainFocus(2, "Configuration Management and IaC", 17, 0.5),
    DomainFocus(3, "Resilient Cloud Solutions", 15, 0.5),
    DomainFocus(4, "Monitoring and Logging", 15, 0.5),
    DomainFocus(5, "Incident and Event Response", 14, 0.5),
    DomainFocus(6, "Security and Compliance", 17, 0.5),
]


def test_seven_days_left_gives_the_seeds_intensive_week() -> None:
    plan = build_plan(DOP, TODAY, TODAY + dt.timedelta(days=7), 120)
    assert plan.kind == "intensive"
    study = plan.days[:-1]
    assert [day.date for day in plan.days] == [TODAY + dt.timedelta(days=n) for n in range(8)]
    drills = [[s.domain for s in day.sessions if s.kind == "drill"] for day in study[:5]]
    # Domains by weight: 1 (22%), then 2 and 6 (17%), then 3 and 4 (15%); the two lightest share day 5.
    assert drills[:4] == [[1], [2], [6], [3]]
    assert "4 and 5" in study[4].focus
    assert any(s.kind == "mock" and s.questions == 75 and s.minutes == 180 for s in study[5].sessions)
    assert {s.kind for s in study[6].sessions} >= {"drill", "mixed", "read"}
    assert plan.days[-1].focus == "Exam day"


def test_weakness_reorders_the_week() -> None:
    domains = [d if d.id != 5 else DomainFocus(5, d.name, d.weight, 0.05) for d in DOP]
    plan = build_plan(domains, TODAY, TODAY + dt.timedelta(days=7), 120)
    first = [s.domain for s in plan.days[0].sessions if s.kind == "drill"]
    assert first == [5]


@pytest.mark.parametrize("weeks", [2, 4, 10])
def test_week_plans_end_with_the_intensive_week_and_favour_heavy_weak_domains(weeks: int) -> None:
    domains = [d if d.id != 1 else DomainFocus(1, d.name, d.weight, 0.2) for d in DOP]
    domains = [d if d.id != 5 else DomainFocus(5, d.name, d.weight, 0.9) for d in domains]
    plan = build_plan(domains, TODAY, TODAY + dt.timedelta(days=7 * weeks), 90)
    assert plan.kind == "weeks"
    assert len(plan.days) == 7 * weeks + 1
    learning = plan.days[: 7 * (weeks - 1)]
    drills = [s.domain for day in learning for s in day.sessions if s.kind == "drill"]
    assert drills.count(1) > drills.count(5)
    assert all(a != b for a, b in itertools.pairwise(drills)) or weeks == 2
    mocks = [day for day in learning if any(s.kind == "mock" for s in day.sessions)]
    assert len(mocks) == (7 * (weeks - 1)) // 14
    assert plan.days[-2].focus.startswith("Final week")
    for day in learning:
        if not any(s.kind == "mock" for s in day.sessions):
            assert day.minutes <= 90


def test_far_exams_get_a_ten_week_plan_and_short_notice_is_squeezed() -> None:
    far = build_plan(DOP, TODAY, TODAY + dt.timedelta(days=120), 60)
    assert far.starts_on == TODAY + dt.timedelta(days=50)
    assert len(far.days) == 71
    assert "10 weeks" in far.notes[0]
    soon = build_plan(DOP, TODAY, TODAY + dt.timedelta(days=3), 60)
    assert [d.focus for d in soon.days][-3:] == ["Full mock exam", "Weakest domain, last mixed session", "Exam day"]
    assert build_plan(DOP, TODAY, TODAY, 60).kind == "exam-day"


def test_due_reviews_are_planned_and_bad_requests_refused() -> None:
    plan = build_plan(DOP, TODAY, TODAY + dt.timedelta(days=14), 60, {TODAY: 40})
    review = plan.days[0].sessions[0]
    assert review.kind == "review"
    assert review.cards == 40
    assert review.minutes == 10
    with pytest.raises(PlanError, match="in the past"):
        build_plan(DOP, TODAY, TODAY - dt.timedelta(days=1), 60)
    with pytest.raises(PlanError, match="minutes per day"):
        build_plan(DOP, TODAY, TODAY + dt.timedelta(days=9), 5)


def test_calendar_export() -> None:
    plan = build_plan(DOP, TODAY, TODAY + dt.timedelta(days=10), 60)
    ics = plan_calendar(plan, "dop-c02", "DOP-C02", dt.datetime(2026, 11, 23, tzinfo=dt.UTC))
    events = [c for c in Calendar.from_ical(ics).walk("VEVENT")]
    assert len(events) == 11
    assert events[0]["uid"] == "dop-c02-2026-11-23@certprep"
    assert events[-1].decoded("dtstart") == TODAY + dt.timedelta(days=10)
    assert "Drill domain" in str(events[0]["description"])


def test_the_last_day_drills_the_domain_of_lowest_mastery_as_the_dashboard_shows_it() -> None:
    # Domain 1 is heavy at 0.40 (priority 13.2), domain 5 light at 0.30 (priority 9.8): drill days put 1 first, but
    # the weakest domain a learner sees on the dashboard (lowest mastery) is 5.
    masteries = {1: 0.40, 2: 0.9, 3: 0.9, 4: 0.9, 5: 0.30, 6: 0.9}
    domains = [DomainFocus(d.id, d.name, d.weight, masteries[d.id]) for d in DOP]
    plan = build_plan(domains, TODAY, TODAY + dt.timedelta(days=42), 120)
    assert [s.domain for s in plan.days[0].sessions if s.kind == "drill"] == [1]
    [last_drill] = [s for s in plan.days[-2].sessions if s.kind == "drill"]
    assert last_drill.domain == 5
    assert "today domain 5, Incident and Event Response" in last_drill.title
