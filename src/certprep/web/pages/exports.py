"""Downloads: the cheat sheet, question sets, score reports, Anki decks, question banks and the learner's backup.

The page is plain HTML forms that GET the files, so downloads work without JavaScript. Files are made on request
by certprep.exports; the cheat sheet (about a second of typesetting) is kept in memory per pack, content version,
paper and day. Every download needs a learner (``current_user_id``): in hosted mode only signed-in users can make
the server typeset, and a backup or score report is always the requester's own (filtered by the user id).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from certprep.content import Pack
from certprep.exports.anki import anki_package, deck_summary
from certprep.exports.cheatsheet import cheatsheet_pdf
from certprep.exports.csvbank import to_csv
from certprep.exports.errors import ExportError
from certprep.exports.gift import to_gift
from certprep.exports.interchange import exportable
from certprep.exports.moodle import to_moodle_xml
from certprep.exports.question_bank import MAX_COUNT, BankRequest, question_bank_pdf
from certprep.exports.score_report import score_report_pdf
from certprep.exports.typeset import Paper, check_paper
from certprep.services.backup import BackupError, backup, parse_backup, restore
from certprep.web.deps import AppRuntime, Learner, current_user_id, download, get_pack, get_runtime, refuse_while_sealed
from certprep.web.templating import templates
from certprep.web.views import pack_overview

router = APIRouter(include_in_schema=False)

MAX_BACKUP_BYTES = 50 * 1024 * 1024
_cheatsheets: dict[tuple[str, str, str], tuple[dt.date, bytes]] = {}
_cheatsheet_lock = threading.Lock()


def _paper(value: str) -> Paper:
    try:
        return check_paper(value)
    except ValueError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None


def _number(value: str | None, what: str) -> int | None:
    """A form field as a whole number; "" means not given (the forms send empty fields)."""
    if value is None or not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise HTTPException(status_code=422, detail=f"{what} must be a whole number, not '{value}'") from None


def _learner_pack(request: Request, pack_id: str) -> Pack:
    """The pack, for a signed-in learner (hosted mode sends anybody else to the login page)."""
    current_user_id(request)
    return get_pack(request, pack_id)


def _domain_questions(pack: Pack, domain: str | None) -> list[Any]:
    domain_id = _number(domain, "domain")
    if domain_id is not None and pack.blueprint.domain(domain_id) is None:
        raise HTTPException(status_code=422, detail=f"{pack.blueprint.exam_code} has no domain {domain_id}")
    return exportable(pack, domain_id)


@router.get("/downloads")
def downloads_home(runtime: AppRuntime) -> RedirectResponse:
    """The Downloads link of the top bar: the DOP-C02 pack's downloads, or the first pack's."""
    packs = sorted(runtime.packs)
    target = "dop-c02" if "dop-c02" in packs else packs[0]
    return RedirectResponse(f"/packs/{target}/downloads", status_code=303)


@router.get("/packs/{pack_id}/downloads", response_class=HTMLResponse)
def downloads(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    pack_id: str,
    added: str | None = None,
    skipped: str | None = None,
) -> HTMLResponse:
    pack = get_pack(request, pack_id)
    attempts = [
        attempt
        for attempt in runtime.exams.list_attempts(learner_id, limit=200)
        if attempt.pack == pack_id and attempt.status == "submitted"
    ][:10]
    return templates.TemplateResponse(
        request,
        "downloads.html",
        {
            "pack": pack_overview(pack),
            "packs": sorted(runtime.packs),
            "decks": deck_summary(pack),
            "bank_size": len(exportable(pack)),
            "attempts": attempts,
            "max_count": MAX_COUNT,
            "restored": (_number(added, "added"), _number(skipped, "skipped")) if added is not None else None,
        },
    )


@router.get("/packs/{pack_id}/downloads/cheatsheet.pdf")
def cheatsheet(request: Request, runtime: AppRuntime, pack_id: str, paper: str = "a4") -> Response:
    pack = _learner_pack(request, pack_id)
    size = _paper(paper)
    key, today = (pack.id, pack.content_version, size), runtime.today()
    with _cheatsheet_lock:
        cached = _cheatsheets.get(key)
    if cached is None or cached[0] != today:
        cached = (today, cheatsheet_pdf(pack, size))
        with _cheatsheet_lock:
            _cheatsheets[key] = cached
    return download(cached[1], f"{pack.id}-cheatsheet-{size}.pdf", "application/pdf")


@router.get("/packs/{pack_id}/downloads/questions.pdf")
def question_set(
    request: Request,
    pack_id: str,
    count: str | None = None,
    domain: str | None = None,
    task: str | None = None,
    seed: str | None = None,
    paper: str = "a4",
) -> Response:
    refuse_while_sealed(request)
    pack = _learner_pack(request, pack_id)
    bank_request = BankRequest(
        count=_number(count, "count"),
        domain=_number(domain, "domain"),
        task=task.strip() if task and task.strip() else None,
        seed=_number(seed, "seed") or 0,
    )
    try:
        pdf = question_bank_pdf(pack, bank_request, _paper(paper))
    except ExportError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    return download(pdf, f"{pack.id}-questions.pdf", "application/pdf")


@router.get("/packs/{pack_id}/downloads/anki.apkg")
def anki(request: Request, pack_id: str, questions: str | None = None) -> Response:
    pack = _learner_pack(request, pack_id)
    if questions:
        refuse_while_sealed(request)
    deck = anki_package(pack, include_questions=bool(questions))
    return download(deck, f"{pack.id}.apkg", "application/octet-stream")


@router.get("/packs/{pack_id}/downloads/questions.xml")
def moodle_xml(request: Request, pack_id: str, domain: str | None = None) -> Response:
    refuse_while_sealed(request)
    pack = _learner_pack(request, pack_id)
    return download(to_moodle_xml(pack, _domain_questions(pack, domain)), f"{pack.id}-moodle.xml", "application/xml")


@router.get("/packs/{pack_id}/downloads/questions.gift")
def gift(request: Request, pack_id: str, domain: str | None = None) -> Response:
    refuse_while_sealed(request)
    pack = _learner_pack(request, pack_id)
    text = to_gift(pack, _domain_questions(pack, domain))
    return download(text.encode("utf-8"), f"{pack.id}.gift", "text/plain; charset=utf-8")


@router.get("/packs/{pack_id}/downloads/questions.csv")
def csv_bank(request: Request, pack_id: str, domain: str | None = None) -> Response:
    refuse_while_sealed(request)
    pack = _learner_pack(request, pack_id)
    text = to_csv(pack, _domain_questions(pack, domain))
    return download(text.encode("utf-8"), f"{pack.id}-questions.csv", "text/csv; charset=utf-8")


@router.get("/attempts/{attempt_id}/score-report.pdf")
def score_report(
    request: Request, runtime: AppRuntime, learner_id: Learner, attempt_id: str, paper: str = "a4"
) -> Response:
    refuse_while_sealed(request)
    state = runtime.exams.state(learner_id, attempt_id)
    pack = get_pack(request, state.pack)
    try:
        pdf = score_report_pdf(pack, state, _paper(paper))
    except ExportError as error:
        raise HTTPException(status_code=409, detail=str(error)) from None
    return download(pdf, f"{pack.id}-score-report-{attempt_id[:8]}.pdf", "application/pdf")


@router.get("/downloads/backup.json")
def backup_download(request: Request, runtime: AppRuntime, learner_id: Learner) -> Response:
    refuse_while_sealed(request)
    document = backup(runtime.sessions, learner_id)
    content = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    return download(content, f"certprep-backup-{runtime.today().isoformat()}.json", "application/json")


@router.post("/downloads/backup")
async def backup_upload(
    request: Request, file: Annotated[UploadFile, File()], pack: Annotated[str, Form()] = "dop-c02"
) -> RedirectResponse:
    """Merge an uploaded backup into the learner's data, then show how many rows were added."""
    data = await file.read(MAX_BACKUP_BYTES + 1)
    if len(data) > MAX_BACKUP_BYTES:
        raise HTTPException(status_code=413, detail="The backup is larger than 50 MiB.")
    try:
        document = parse_backup(data.decode("utf-8-sig"))
        runtime = get_runtime(request)
        report = restore(runtime.sessions, current_user_id(request), document, scorer=runtime.exams)
    except UnicodeDecodeError:
        raise HTTPException(status_code=422, detail="The backup is not a UTF-8 JSON file.") from None
    except BackupError as error:
        raise HTTPException(status_code=422, detail=f"The backup cannot be restored: {error}") from None
    target = pack if pack in get_runtime(request).packs else sorted(get_runtime(request).packs)[0]
    query = f"added={report.total_added}&skipped={report.total_skipped}"
    return RedirectResponse(f"/packs/{target}/downloads?{query}#backup", status_code=303)
