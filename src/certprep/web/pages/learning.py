"""Learning pages: dashboard, flashcard review, due questions, weak spots and the study plan.

Plain HTML forms do all the work; static/learn.js only adds the keyboard (Space reveals, 1–4 rate) and the print
button. Charts are SVG drawn on the server (certprep.web.charts).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from certprep.engine.forms import DIAGNOSTIC_QUESTIONS, DIAGNOSTIC_TITLE, FormRequest
from certprep.engine.scoring import CUT_THETA
from certprep.learning.calendar import plan_calendar
from certprep.learning.mastery import mean_p
from certprep.learning.readiness import MIN_PREDICTION_ANSWERS
from certprep.learning.srs import RATINGS
from certprep.services.learning import LearningError
from certprep.web import charts
from certprep.web.deps import AppRuntime, Learner, current_user_id, download, get_pack, get_runtime
from certprep.web.templating import templates
from certprep.web.views import pack_overview

router = APIRouter(include_in_schema=False)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _int(value: str | None, name: str, low: int, high: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except ValueError:
        raise LearningError(f"{name} must be a whole number") from None
    if not low <= number <= high:
        raise LearningError(f"{name} must be between {low} and {high}")
    return number


def _date(value: str | None, name: str = "exam date") -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise LearningError(f"{name} must be a date like 2026-12-31") from None


@router.get("/dashboard")
def dashboard_home(runtime: AppRuntime) -> RedirectResponse:
    return _redirect(f"/packs/{next(iter(runtime.packs))}/learn")


@router.get("/packs/{pack_id}/learn", response_class=HTMLResponse)
def dashboard(request: Request, runtime: AppRuntime, learner_id: Learner, pack_id: str) -> Response:
    pack = get_pack(request, pack_id)
    data = runtime.learning.dashboard.view(learner_id, pack_id)
    blueprint = pack.blueprint
    cut = mean_p(CUT_THETA, [])  # a task's mastery at the cut ability, for an item of average difficulty
    domain_chart = charts.mastery_bars(
        [
            charts.MasteryBar(
                f"{d.row.domain}. {d.name}", d.row.mastery, d.row.mastery_low, d.row.mastery_high, d.row.level
            )
            for d in data.domains
        ],
        target=cut,
    )
    history = data.history
    score_chart = charts.score_history(
        [(r.date, r.scaled_score, r.scaled_low, r.scaled_high) for r in history.readiness],
        [(e.date, e.scaled_score) for e in history.exams if e.date is not None and e.scaled_score is not None],
        blueprint.scale.min,
        blueprint.scale.max,
        blueprint.scale.passing,
    )
    forecast_chart = charts.day_bars(
        [(day.date, float(day.cards)) for day in data.forecast],
        "Flashcards and missed questions falling due",
        "items",
        [float(day.questions) for day in data.forecast],
    )
    time_chart = charts.day_bars(
        [(day, float(minutes)) for day, minutes in data.activity.days], "Study time", "minutes"
    )
    return templates.TemplateResponse(
        request,
        "learn.html",
        {
            "pack": pack_overview(pack),
            "d": data,
            "r": data.readiness,
            "unseen": runtime.exams.unseen_exams(learner_id, pack_id),
            "charts": {"domains": domain_chart, "score": score_chart, "forecast": forecast_chart, "time": time_chart},
            "spark": charts.sparkline,
            "min_answers": MIN_PREDICTION_ANSWERS,
            "domain_names": {domain.id: domain.name for domain in blueprint.domains},
            "today": runtime.learning.records.today(runtime.clock()),
        },
    )


@router.post("/packs/{pack_id}/learn/settings")
def save_settings(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    pack_id: str,
    desired_retention: Annotated[str | None, Form()] = None,
    new_per_day: Annotated[str | None, Form()] = None,
    reviews_per_day: Annotated[str | None, Form()] = None,
    minutes_per_day: Annotated[str | None, Form()] = None,
    exam_date: Annotated[str | None, Form()] = None,
    # The settings form sends "off" from a hidden field, then "on" when ticked; a form without it leaves it as is.
    esl_accommodation: Annotated[list[str] | None, Form()] = None,
    back: Annotated[str | None, Form()] = None,
) -> RedirectResponse:
    get_pack(request, pack_id)
    learning = runtime.learning
    retention: float | None = None
    if desired_retention not in (None, ""):
        try:
            retention = float(desired_retention)
        except ValueError:
            raise LearningError("desired retention must be a number such as 0.9") from None
    learning.records.update_settings(
        learner_id,
        desired_retention=retention,
        new_per_day=_int(new_per_day, "new cards per day", 0, 1000),
        reviews_per_day=_int(reviews_per_day, "reviews per day", 1, 10000),
        minutes_per_day=_int(minutes_per_day, "minutes per day", 15, 600),
        esl_accommodation=None if esl_accommodation is None else esl_accommodation[-1] == "on",
    )
    if exam_date is not None:
        chosen = _date(exam_date)
        if chosen is not None and chosen < learning.records.today(runtime.clock()):
            raise LearningError("the exam date is in the past")
        learning.records.set_exam_date(learner_id, pack_id, chosen)
    target = "plan" if back == "plan" else "learn"
    return _redirect(f"/packs/{pack_id}/{target}")


# -- flashcards ----------------------------------------------------------------------------------------------------


def _deck_query(domain: int | None, task: str | None) -> str:
    parts = [f"domain={domain}" if domain else "", f"task={task}" if task else ""]
    joined = "&".join(part for part in parts if part)
    return f"?{joined}" if joined else ""


@router.get("/packs/{pack_id}/cards", response_class=HTMLResponse)
def cards_page(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    pack_id: str,
    domain: str | None = None,
    task: str | None = None,
) -> Response:
    pack = get_pack(request, pack_id)
    domain_id = _int(domain, "domain", 1, 50)
    task_id = task or None
    learning = runtime.learning
    queue = learning.cards.due_cards(learner_id, pack_id, None, domain_id, task_id, limit=1)
    decks = []
    for d in pack.blueprint.domains:
        decks.append({"id": d.id, "name": d.name, "cards": sum(1 for c in pack.flashcards if c.domain == d.id)})
    return templates.TemplateResponse(
        request,
        "cards.html",
        {
            "pack": pack_overview(pack),
            "queue": queue,
            "card": queue.cards[0] if queue.cards else None,
            "ratings": RATINGS,
            "decks": decks,
            "domain": domain_id,
            "task": task_id,
            "query": _deck_query(domain_id, task_id),
            "card_mark": runtime.marks.mark(learner_id, pack_id, "card", queue.cards[0].id) if queue.cards else None,
        },
    )


@router.post("/packs/{pack_id}/cards/{card_id}/review")
def review_card(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    pack_id: str,
    card_id: str,
    rating: Annotated[str, Form()],
    domain: Annotated[str | None, Form()] = None,
    task: Annotated[str | None, Form()] = None,
) -> RedirectResponse:
    get_pack(request, pack_id)
    value = _int(rating, "rating", 1, 4)
    if value is None:
        raise LearningError("choose a rating from 1 (Again) to 4 (Easy)")
    runtime.learning.cards.review_card(learner_id, pack_id, card_id, value)
    return _redirect(f"/packs/{pack_id}/cards{_deck_query(_int(domain, 'domain', 1, 50), task or None)}")


# -- practice sessions ---------------------------------------------------------------------------------------------


@router.post("/packs/{pack_id}/start")
def first_visit_date(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    pack_id: str,
    exam_date: Annotated[str | None, Form(max_length=20)] = None,
    unbooked: Annotated[str | None, Form(max_length=5)] = None,
) -> RedirectResponse:
    """The hub's first step: the exam date, or "not booked yet" (plans then assume six weeks)."""
    get_pack(request, pack_id)
    records = runtime.learning.records
    if unbooked:
        records.set_exam_unbooked(learner_id, pack_id)
    else:
        chosen = _date(exam_date)
        if chosen is None:
            raise LearningError('choose your exam date, or "Not booked yet"')
        if chosen < records.today(runtime.clock()):
            raise LearningError("the exam date is in the past")
        records.set_exam_date(learner_id, pack_id, chosen)
    return _redirect(f"/#start-{pack_id}")


@router.post("/packs/{pack_id}/diagnostic")
def start_diagnostic(request: Request, runtime: AppRuntime, learner_id: Learner, pack_id: str) -> RedirectResponse:
    """The hub's second step: 20 questions drawn across the domains by their exam weight, with feedback."""
    get_pack(request, pack_id)
    diagnostic = FormRequest(mode="quick", count=DIAGNOSTIC_QUESTIONS, title=DIAGNOSTIC_TITLE)
    attempt = runtime.exams.start(learner_id, pack_id, diagnostic)
    return _redirect(f"/attempts/{attempt}/q/1")


@router.post("/packs/{pack_id}/due-questions")
def start_due_questions(request: Request, runtime: AppRuntime, learner_id: Learner, pack_id: str) -> RedirectResponse:
    get_pack(request, pack_id)
    attempt = runtime.learning.missed.start_due_questions(learner_id, pack_id)
    return _redirect(f"/attempts/{attempt}/q/1")


@router.post("/packs/{pack_id}/weak-spots")
def start_weak_spots(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    pack_id: str,
    count: Annotated[str | None, Form()] = None,
) -> RedirectResponse:
    get_pack(request, pack_id)
    number = _int(count, "questions", 1, 200) or 20
    attempt = runtime.learning.progress.start_weak_spots(learner_id, pack_id, number)
    return _redirect(f"/attempts/{attempt}/q/1")


# -- study plan ----------------------------------------------------------------------------------------------------


def _plan_inputs(
    request: Request, pack_id: str, exam_date: str | None, minutes_per_day: str | None
) -> tuple[dt.date | None, int]:
    records = get_runtime(request).learning.records
    return records.plan_inputs(
        current_user_id(request), pack_id, _date(exam_date), _int(minutes_per_day, "minutes per day", 15, 600)
    )


@router.get("/packs/{pack_id}/plan", response_class=HTMLResponse)
def plan_page(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    pack_id: str,
    exam_date: str | None = None,
    minutes_per_day: str | None = None,
) -> Response:
    pack = get_pack(request, pack_id)
    chosen, minutes = _plan_inputs(request, pack_id, exam_date, minutes_per_day)
    records = runtime.learning.records
    provisional = False
    planned = chosen
    if chosen is None:  # not booked yet (the first visit's choice): a plan to a date six weeks out, said so
        planned, provisional = records.planning_date(learner_id, pack_id, records.today(runtime.clock()))
    plan = None
    if planned is not None:
        plan = runtime.learning.progress.plan(learner_id, pack_id, planned, minutes)
    context: dict[str, Any] = {
        "pack": pack_overview(pack),
        "plan": plan,
        "provisional": provisional,
        "exam_date": chosen,
        "minutes": minutes,
        "query": f"?exam_date={chosen.isoformat()}&minutes_per_day={minutes}" if chosen else "",
    }
    return templates.TemplateResponse(request, "plan.html", context)


@router.get("/packs/{pack_id}/plan.ics")
def plan_ics(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    pack_id: str,
    exam_date: str | None = None,
    minutes_per_day: str | None = None,
) -> Response:
    pack = get_pack(request, pack_id)
    chosen, minutes = _plan_inputs(request, pack_id, exam_date, minutes_per_day)
    if chosen is None:
        raise HTTPException(422, "choose an exam date first")
    plan = runtime.learning.progress.plan(learner_id, pack_id, chosen, minutes)
    body = plan_calendar(plan, pack_id, pack.blueprint.exam_code, runtime.clock())
    filename = f"certprep-{pack_id}-plan.ics"
    return download(body, filename, "text/calendar; charset=utf-8")
