"""Hosted mode's request plumbing: who is signed in, CSRF checks, and request body size limits.

Two middlewares, both installed by ``install(app, runtime)``:

- ``BodySizeLimitMiddleware`` (every mode) answers 413 with a sentence when a request body is larger than allowed,
  before anything reads it into memory.
- ``HostedAuthMiddleware`` (hosted mode only) turns the session cookie into ``request.state.user`` and refuses every
  unsafe request (POST, PUT, PATCH, DELETE) whose CSRF token is missing or wrong. The token comes from the form field
  ``csrf_token`` or the header ``X-CSRF-Token``; pages put it in every form (``csrf_input``) and in
  ``<meta name="csrf-token">`` for static/exam.js.

Signed-in browsers carry the token of their session row. Visitors who are not signed in (the login, registration
and guest preview forms) get a random token in their own HttpOnly cookie and must echo it ("double submit"), so a
foreign site cannot sign a victim in to the attacker's account either.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from certprep.runtime import Runtime
from certprep.services.accounts import SignedIn
from certprep.web.asgi import replay_body, send_sentence
from certprep.web.input_guard import ControlCharacterMiddleware

SESSION_COOKIE = "certprep_session"
ANON_CSRF_COOKIE = "certprep_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# JSON bodies and plain forms are small; only file uploads and imports may use the configured upload limit.
MAX_FORM_BYTES = 1024 * 1024


class LoginRequired(HTTPException):
    """Raised by ``current_user_id`` in hosted mode when nobody is signed in: 401 for the API, /login for pages."""

    def __init__(self) -> None:
        super().__init__(status_code=401, detail="Sign in to use this.")


def signed_in(request: Request) -> SignedIn | None:
    """The signed-in user of this request (hosted mode), or None."""
    user = getattr(request.state, "user", None)
    return user if isinstance(user, SignedIn) else None


def _wants_json(path: str) -> bool:
    return path.startswith("/api/")


def _secure(request: Request) -> bool:
    # Behind a reverse proxy uvicorn's --proxy-headers turns X-Forwarded-Proto into the scheme seen here.
    return request.url.scheme == "https"


def cookie_name(request: Request, name: str) -> str:
    """``name`` with the ``__Host-`` prefix over HTTPS: the browser then accepts the cookie only if it is Secure,
    for path / and without a Domain, so a neighbouring subdomain cannot plant a session or a CSRF token of its
    choosing. Plain HTTP (local use, tests) cannot carry the prefix."""
    return f"__Host-{name}" if _secure(request) else name


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        cookie_name(request, SESSION_COOKIE),
        token,
        max_age=14 * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    response.delete_cookie(cookie_name(request, ANON_CSRF_COOKIE), path="/", secure=_secure(request))


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(cookie_name(request, SESSION_COOKIE), path="/", secure=_secure(request))


class HostedAuthMiddleware:
    """Resolve the session cookie and enforce CSRF tokens on unsafe methods (hosted mode only).

    A plain ASGI middleware rather than Starlette's BaseHTTPMiddleware, which runs every request through an extra
    task and stream: this one is on the path of every hosted request, so it only reads the body when it must (a
    form post without the header) and then hands the same bytes on to the route.
    """

    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        token = request.cookies.get(cookie_name(request, SESSION_COOKIE), "")
        user = await run_in_threadpool(self.runtime.accounts.resolve, token) if token else None
        new_anon_token = ""
        if user is not None:
            expected = user.csrf_token
        else:
            expected = request.cookies.get(cookie_name(request, ANON_CSRF_COOKIE), "")
            if not expected or len(expected) > 100:
                expected = new_anon_token = secrets.token_urlsafe(32)
        request.state.user = user
        request.state.csrf_token = expected
        if request.method in UNSAFE_METHODS:
            given = request.headers.get(CSRF_HEADER, "")
            if not given:
                given, body = await _form_token(request)
                if body is not None:
                    receive = replay_body(body, receive)
            if new_anon_token or not given or not hmac.compare_digest(given.encode(), expected.encode()):
                refusal = _refuse(
                    request, 403, "This form has expired or did not come from this site. Reload the page and try again."
                )
                await refusal(scope, receive, send)
                return
        forget_session = bool(token) and user is None  # expired, logged out elsewhere, or the user was disabled
        give_anon_token = bool(new_anon_token) and request.method == "GET" and not _wants_json(request.url.path)
        if not (forget_session or give_anon_token):
            await self.app(scope, receive, send)
            return
        cookies = Response()  # only to format the Set-Cookie headers the same way as everywhere else
        if forget_session:
            clear_session_cookie(cookies, request)
        if give_anon_token:
            cookies.set_cookie(
                cookie_name(request, ANON_CSRF_COOKIE),
                new_anon_token,
                httponly=True,
                samesite="lax",
                secure=_secure(request),
                path="/",
            )
        set_cookies = [(name, value) for name, value in cookies.raw_headers if name == b"set-cookie"]

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *set_cookies]
            await send(message)

        await self.app(scope, receive, send_with_cookies)


async def _form_token(request: Request) -> tuple[str, bytes | None]:
    """The CSRF token of a form body and the body itself (None when the body is not a form and was not read)."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return "", None
    body = await request.body()
    try:
        async with request.form() as form:  # parsed from the body just read
            value = form.get(CSRF_FIELD)
            return (value if isinstance(value, str) else ""), body
    except Exception:  # a malformed body: the route will say what is wrong with it; here it simply has no token
        return "", body


def _refuse(request: Request, status: int, message: str) -> Response:
    if _wants_json(request.url.path):
        return JSONResponse({"detail": message}, status_code=status)
    from certprep.web.templating import templates

    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message}, status_code=status)


class BodySizeLimitMiddleware:
    """Answer 413 when a body is larger than allowed: uploads up to ``upload_bytes``, anything else 1 MiB.

    The declared Content-Length is checked first; chunked bodies are counted as they arrive, so a client that lies
    or sends no length is stopped too.
    """

    def __init__(self, app: ASGIApp, upload_bytes: int) -> None:
        self.app = app
        self.upload_bytes = upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        upload = headers.get("content-type", "").startswith("multipart/form-data")
        limit = self.upload_bytes if upload else min(self.upload_bytes, MAX_FORM_BYTES)
        message = (
            f"The upload is too large: the limit is {limit // (1024 * 1024)} MB."
            if upload
            else f"The request body is too large: the limit is {max(1, limit // 1024)} KB."
        )
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._send_413(scope, receive, send, message)
            return
        received = 0
        started = False
        refused = False

        async def counting_receive() -> Message:
            # Raising here would be turned into a 400 by the body parser; answer 413 at once instead and tell the
            # app the client went away, so it stops reading.
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            incoming = await receive()
            if incoming["type"] == "http.request":
                received += len(incoming.get("body", b""))
                if received > limit and not started:
                    refused = True
                    await self._send_413(scope, receive, send, message)
                    return {"type": "http.disconnect"}
            return incoming

        async def tracking_send(outgoing: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 has been sent; whatever the app says now goes nowhere
            if outgoing["type"] == "http.response.start":
                started = True
            await send(outgoing)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except Exception:
            if not refused:
                raise

    async def _send_413(self, scope: Scope, receive: Receive, send: Send, message: str) -> None:
        await send_sentence(scope, send, 413, message, extra_headers=((b"connection", b"close"),))


def install(app: FastAPI, runtime: Runtime) -> None:
    """Add the body limit and the control-character check (every mode), and in hosted mode the session/CSRF
    middleware and the login redirect."""
    # Innermost: the control-character check reads at most what the body limit lets through, after the CSRF check.
    app.add_middleware(ControlCharacterMiddleware)
    if runtime.hosted:
        app.add_middleware(HostedAuthMiddleware, runtime=runtime)
    app.add_middleware(BodySizeLimitMiddleware, upload_bytes=runtime.settings.max_upload_bytes)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, error: LoginRequired) -> Response:
        return login_required_response(request, error)


def login_required_response(request: Request, error: LoginRequired | None = None) -> Response:
    """Nobody is signed in: 401 with a sentence for the API, the login page (coming back here after) for pages."""
    error = error or LoginRequired()
    if _wants_json(request.url.path):
        return JSONResponse({"detail": error.detail}, status_code=401, headers={"WWW-Authenticate": "Cookie"})
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def template_user(request: Request) -> dict[str, Any] | None:
    """For base.html: the signed-in user in hosted mode, or None."""
    user = signed_in(request)
    if user is None:
        return None
    return {"email": user.email, "name": user.display_name, "role": user.role}
