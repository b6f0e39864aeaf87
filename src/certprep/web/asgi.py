"""Small helpers shared by the plain ASGI middleware (body limit, sign-in and CSRF, control characters).

Middleware answers before any route runs, so it cannot use the app's templates or exception handlers: it sends one
sentence (JSON ``{"detail": ...}`` under /api/, a minimal page in the site's style elsewhere), and when it has read
the body to judge it, it hands the same bytes on to the route.
"""

from __future__ import annotations

import json
from html import escape

from starlette.types import Message, Receive, Scope, Send


async def send_sentence(
    scope: Scope, send: Send, status: int, message: str, extra_headers: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    """Send ``status`` with ``message`` as JSON for API paths and as a short HTML page for the others."""
    if scope["path"].startswith("/api/"):
        body = json.dumps({"detail": message}).encode()
        content_type = b"application/json"
    else:
        body = (
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{status} · certprep</title>'
            '<link rel="stylesheet" href="/static/app.css"></head><body><main class="page">'
            f'<section class="panel error-panel"><h1>{status}</h1><p>{escape(message)}</p>'
            '<p><a href="/">Back to the exams</a></p></section></main></body></html>'
        ).encode()
        content_type = b"text/html; charset=utf-8"
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode()), *extra_headers]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def replay_body(body: bytes, receive: Receive) -> Receive:
    """A receive channel that gives the route the body a middleware already read, then the real channel."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed
