"""A study plan as an iCalendar file (``.ics``), built with the ``icalendar`` package.

Each study day becomes an all-day event whose description lists its sessions, so any calendar app shows the plan
without a time being imposed on the learner. UIDs are derived from the pack and the date, so importing a re-planned
calendar updates the days instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from certprep.learning.plan import StudyPlan


def plan_calendar(plan: StudyPlan, pack_id: str, exam_name: str, now: dt.datetime) -> bytes:
    """The plan as the bytes of an .ics file."""
    calendar = Calendar()
    calendar.add("prodid", "-//certprep//study plan//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"certprep: {exam_name}")
    for day in plan.days:
        event = Event()
        event.add("uid", f"{pack_id}-{day.date.isoformat()}@certprep")
        event.add("dtstamp", now)
        event.add("dtstart", day.date)
        event.add("dtend", day.date + dt.timedelta(days=1))
        summary = f"{exam_name}: {day.focus}" if day.date != plan.exam_date else f"{exam_name} exam"
        if day.minutes:
            summary += f" ({day.minutes} min)"
        event.add("summary", summary)
        event.add("description", "\n".join(f"• {session.title}" for session in day.sessions))
        event.add("transp", "TRANSPARENT")  # study days do not block the calendar
        calendar.add_component(event)
    return bytes(calendar.to_ical())
