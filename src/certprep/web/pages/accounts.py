"""Hosted mode's pages: sign in, sign out, register, the admin's user list, and the guest preview.

The guest preview (sample questions, flashcards and a 10-question quiz) needs no account and writes nothing: the
quiz is stateless. Each question page shows the public question (no key); posting an answer returns the key and
reasons for that one question, and the running score travels in the link. Nobody's learner rows are touched.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from certprep.accounts import ROLES, AccountError, EmailTaken
from certprep.content import Pack
from certprep.engine.forms import preview_question_ids
from certprep.engine.session import AnswerError, clean_selection, public_question, revealed_question
from certprep.errors import Unavailable
from certprep.services.accounts import RESET_HOURS, SignedIn, TooManyAttempts
from certprep.services.mail import send_reset_link
from certprep.web.auth import clear_session_cookie, set_session_cookie, signed_in
from certprep.web.deps import AppRuntime, current_user_id, get_pack, get_runtime, require_role
from certprep.web.templating import templates

router = APIRouter(include_in_schema=False)

PREVIEW_CARDS = 6


def _hosted_only(request: Request) -> None:
    if not get_runtime(request).hosted:
        raise HTTPException(
            status_code=404, detail="This certprep runs in local mode, without accounts: 'certprep serve --hosted'."
        )


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never //host or a full URL, so the login form cannot be an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    context = {"preview_packs": sorted(get_runtime(request).packs), **context}
    return templates.TemplateResponse(request, name, context, status_code=status)


# -- signing in and out ---------------------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request, runtime: AppRuntime, next: str = "/", registered: str = "", reset: str = ""
) -> Response:
    _hosted_only(request)
    if signed_in(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    is_open = runtime.settings.registration == "open"
    context = {"next": _safe_next(next), "open": is_open, "registered": registered, "reset": reset}
    return _page(request, "login.html", context)


@router.post("/login")
def login(
    request: Request,
    runtime: AppRuntime,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    _hosted_only(request)
    is_open = runtime.settings.registration == "open"
    context: dict[str, Any] = {"next": _safe_next(next), "email": email, "open": is_open}
    address = request.client.host if request.client else "unknown"
    try:
        user_id = runtime.accounts.authenticate(email, password, address)
    except TooManyAttempts as error:
        limited = _page(request, "login.html", {**context, "error": str(error)}, status=429)
        limited.headers["Retry-After"] = str(error.retry_after)
        return limited
    except AccountError as error:
        return _page(request, "login.html", {**context, "error": str(error)}, status=400)
    earlier = signed_in(request)
    if earlier is not None:  # a new sign-in replaces the browser's session rather than adding one beside it
        runtime.accounts.close_session(earlier.session_key)
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(response, request, runtime.accounts.open_session(user_id))
    return response


@router.post("/logout")
def logout(request: Request, runtime: AppRuntime) -> Response:
    _hosted_only(request)
    user = signed_in(request)
    if user is not None:
        runtime.accounts.close_session(user.session_key)
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(response, request)
    return response


@router.get("/register", response_class=HTMLResponse)
def register_page(request: Request, runtime: AppRuntime, invite: str = "") -> Response:
    _hosted_only(request)
    invitation = runtime.accounts.invitation(invite) if invite else None
    context = {"invite": invite if invitation else "", "email": invitation["email"] if invitation else ""}
    if invite and invitation is None:
        return _page(request, "register.html", {**context, "error": "This invitation is not valid any more."}, 400)
    if invitation is None and runtime.settings.registration != "open":
        return _page(request, "register.html", {**context, "closed": True})
    return _page(request, "register.html", context)


@router.post("/register")
def register(
    request: Request,
    runtime: AppRuntime,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    display_name: Annotated[str, Form(max_length=200)] = "",
    invite: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    _hosted_only(request)
    accounts = runtime.accounts
    address = request.client.host if request.client else "unknown"
    context = {"invite": invite, "email": email, "display_name": display_name}
    try:
        user_id = accounts.register(email, password, display_name, invite, address=address)
    except TooManyAttempts as error:
        limited = _page(request, "register.html", {**context, "error": str(error)}, status=429)
        limited.headers["Retry-After"] = str(error.retry_after)
        return limited
    except EmailTaken:
        if invite:  # the invitation names this address already: nothing to hide from its holder
            return _page(request, "register.html", {**context, "error": "This address has an account: sign in."}, 400)
        # Open registration answers a taken address exactly like a new one, so the form tells nobody who has an
        # account: both go on to sign in (the Argon2 hash was paid either way, so the timing matches too).
        return RedirectResponse("/login?registered=1", status_code=303)
    except AccountError as error:
        return _page(request, "register.html", {**context, "error": str(error)}, status=400)
    if not invite:
        return RedirectResponse("/login?registered=1", status_code=303)
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(response, request, accounts.open_session(user_id))
    return response


# -- the learner's own account --------------------------------------------------------------------------------------


def _signed_in_user(request: Request) -> SignedIn:
    _hosted_only(request)
    current_user_id(request)  # a visitor goes to /login first
    user = signed_in(request)
    assert user is not None  # current_user_id raised otherwise
    return user


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, done: str = "") -> HTMLResponse:
    user = _signed_in_user(request)
    return _page(request, "account.html", {"user": user, "done": done[:20]})


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    runtime: AppRuntime,
    current: Annotated[str, Form(max_length=1024)] = "",
    new: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    user = _signed_in_user(request)
    try:
        runtime.accounts.change_password(user.user_id, current, new, keep_session=user.session_key)
    except AccountError as error:
        return _page(request, "account.html", {"user": user, "error": str(error)}, status=400)
    return RedirectResponse("/account?done=password", status_code=303)


@router.post("/account/sign-out-everywhere")
def sign_out_everywhere(request: Request, runtime: AppRuntime) -> Response:
    user = _signed_in_user(request)
    runtime.accounts.close_other_sessions(user.user_id)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, request)
    return response


@router.get("/reset", response_class=HTMLResponse)
def reset_page(request: Request, runtime: AppRuntime, token: str = "") -> HTMLResponse:
    _hosted_only(request)
    email = runtime.accounts.reset_target(token)
    if email is None:
        error = "This reset link is not valid any more. Ask an administrator for a new one."
        return _page(request, "reset.html", {"token": "", "error": error}, status=400)
    return _page(request, "reset.html", {"token": token, "email": email})


@router.post("/reset", response_class=HTMLResponse)
def reset_password(
    request: Request,
    runtime: AppRuntime,
    token: Annotated[str, Form(max_length=200)] = "",
    new: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    _hosted_only(request)
    try:
        runtime.accounts.reset_password(token, new)
    except AccountError as error:
        email = runtime.accounts.reset_target(token)
        context = {"token": token if email is not None else "", "email": email, "error": str(error)}
        return _page(request, "reset.html", context, status=400)
    return RedirectResponse("/login?reset=1", status_code=303)


# -- administration -------------------------------------------------------------------------------------------------


def _admin_page(request: Request, **extra: Any) -> HTMLResponse:
    users = get_runtime(request).accounts.list_users()
    status = int(extra.pop("status", 200))
    return _page(request, "admin_users.html", {"users": users, "roles": ROLES, **extra}, status)


@router.get("/admin/users", response_class=HTMLResponse)
def admin_users(request: Request) -> HTMLResponse:
    _hosted_only(request)
    require_role(request, "admin")
    return _admin_page(request)


@router.post("/admin/invites", response_class=HTMLResponse)
def admin_invite(
    request: Request,
    runtime: AppRuntime,
    email: Annotated[str, Form(max_length=320)] = "",
    role: Annotated[str, Form(max_length=20)] = "learner",
) -> HTMLResponse:
    _hosted_only(request)
    admin_id = require_role(request, "admin")
    try:
        token = runtime.accounts.invite(email, role, admin_id)
    except AccountError as error:
        return _admin_page(request, error=str(error), status=400)
    link = str(request.base_url).rstrip("/") + f"/register?invite={token}"
    return _admin_page(request, invite_link=link, invite_email=email.strip().lower())


@router.post("/admin/users/{user_id}/disable")
def admin_disable(request: Request, runtime: AppRuntime, user_id: int) -> Response:
    _hosted_only(request)
    admin_id = require_role(request, "admin")
    if user_id == admin_id:
        raise HTTPException(status_code=400, detail="You cannot disable your own account.")
    try:
        runtime.accounts.set_disabled(user_id, True)
    except AccountError as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/reset", response_class=HTMLResponse)
def admin_reset(request: Request, runtime: AppRuntime, user_id: int) -> HTMLResponse:
    """A one-time link for the user to set a new password: mailed when a mail server is configured, otherwise (or
    when the server does not take it) shown once for the admin to pass on."""
    _hosted_only(request)
    admin_id = require_role(request, "admin")
    try:
        token = runtime.accounts.issue_reset(user_id, admin_id)
    except AccountError as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    email = next((user["email"] for user in runtime.accounts.list_users() if user["id"] == user_id), "")
    link = str(request.base_url).rstrip("/") + f"/reset?token={token}"
    if runtime.mail is not None:
        try:
            send_reset_link(runtime.mail, email, link, RESET_HOURS)
        except Unavailable as error:
            return _admin_page(request, reset_link=link, reset_email=email, mail_error=str(error))
        return _admin_page(request, reset_mailed=email)
    return _admin_page(request, reset_link=link, reset_email=email)


@router.post("/admin/users/{user_id}/enable")
def admin_enable(request: Request, runtime: AppRuntime, user_id: int) -> Response:
    _hosted_only(request)
    require_role(request, "admin")
    try:
        runtime.accounts.set_disabled(user_id, False)
    except AccountError as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    return RedirectResponse("/admin/users", status_code=303)


# -- guest preview --------------------------------------------------------------------------------------------------


def _preview_cards(pack: Pack) -> list[Any]:
    """One flashcard per domain, then more until PREVIEW_CARDS."""
    chosen: list[Any] = []
    for domain in pack.blueprint.domains:
        card = next((c for c in pack.flashcards if c.domain == domain.id), None)
        if card is not None:
            chosen.append(card)
    chosen += [c for c in pack.flashcards if c not in chosen]
    return chosen[:PREVIEW_CARDS]


def _score(value: str | int | None, position: int) -> int:
    try:
        return max(0, min(int(value or 0), position - 1))
    except (TypeError, ValueError):
        return 0


@router.get("/preview/{pack_id}", response_class=HTMLResponse)
def preview(request: Request, pack_id: str) -> HTMLResponse:
    pack = get_pack(request, pack_id)
    ids = preview_question_ids(pack)
    sample = pack.question(ids[0]) if ids else None
    return _page(
        request,
        "preview.html",
        {
            "pack": pack,
            "cards": _preview_cards(pack),
            "sample": public_question(sample) if sample else None,
            "total": len(ids),
        },
    )


def _preview_question(request: Request, pack_id: str, position: int) -> tuple[Pack, int, Any]:
    pack = get_pack(request, pack_id)
    ids = preview_question_ids(pack)
    if not 1 <= position <= len(ids):
        raise HTTPException(status_code=404, detail=f"The preview quiz has questions 1 to {len(ids)}.")
    question = pack.question(ids[position - 1])
    return pack, len(ids), question


def _quiz_context(pack: Pack, question: Any, position: int, total: int, score: str) -> dict[str, Any]:
    """A preview quiz question before its answer is checked (the page's GET, and a POST without an answer)."""
    return {
        "pack": pack,
        "q": public_question(question),
        "position": position,
        "total": total,
        "score": _score(score, position),
        "checked": False,
    }


@router.get("/preview/{pack_id}/quiz/{position}", response_class=HTMLResponse)
def preview_question(request: Request, pack_id: str, position: int, score: str = "0") -> HTMLResponse:
    pack, total, question = _preview_question(request, pack_id, position)
    return _page(request, "preview_question.html", _quiz_context(pack, question, position, total, score))


@router.post("/preview/{pack_id}/quiz/{position}", response_class=HTMLResponse)
def preview_answer(
    request: Request,
    pack_id: str,
    position: int,
    selected: Annotated[list[str] | None, Form()] = None,
    score: Annotated[str, Form(max_length=10)] = "0",
) -> HTMLResponse:
    pack, total, question = _preview_question(request, pack_id, position)
    # The exam's own answer rule (engine.session.clean_selection), not a second one here.
    try:
        chosen = list(clean_selection(question, selected or []))
    except AnswerError as error:
        problem: str | None = f"{str(error)[0].upper()}{str(error)[1:]}."
    else:
        problem = None if chosen else "Choose an answer first."
    if problem is not None:
        context = {**_quiz_context(pack, question, position, total, score), "error": problem}
        return _page(request, "preview_question.html", context, status=422)
    correct = question.is_correct(chosen)
    new_score = _score(score, position) + (1 if correct else 0)
    context = {
        "pack": pack,
        "q": revealed_question(question),
        "position": position,
        "total": total,
        "score": new_score,
        "checked": True,
        "selected": chosen,
        "correct": correct,
    }
    return _page(request, "preview_question.html", context)
