"""Refuse control characters in what a client sends, once, before any route sees the request.

A NUL byte or another control character has no place in an e-mail address, a display name, a credential field, a
tutor query or an answer. PostgreSQL refuses NUL in text (which used to surface as a 500) and SQLite stores it, so
the same request behaved differently on the two databases. This middleware answers 422 with one sentence for the
path, the query string, a form body or any string in a JSON body that holds one, on every route alike. Tab, line
feed and carriage return stay allowed (free-text fields have several lines). File uploads (multipart) are left to
the parser of their format, which reports a bad file with its line.

A plain ASGI middleware (as in ``web.security``): the body is read once, checked, and handed on unchanged.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from starlette.types import ASGIApp, Receive, Scope, Send

from certprep.web.asgi import replay_body, send_sentence

# Unicode category Cc without tab, line feed and carriage return: C0 controls, DEL and the C1 controls.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MESSAGE = "The request holds a control character (such as a NUL byte); remove it and send the text again."
_CHECKED_BODIES = ("application/json", "application/x-www-form-urlencoded")


def holds_control_character(value: Any) -> bool:
    """Whether any string in ``value`` (a JSON document: dicts, lists, strings, numbers) holds a control character.

    Iterative, so that a deeply nested document cannot exhaust the stack here.
    """
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if CONTROL_CHARACTER.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _body_is_refused(content_type: str, body: bytes) -> bool:
    text = body.decode("utf-8", errors="replace")
    if content_type == "application/x-www-form-urlencoded":
        return any(CONTROL_CHARACTER.search(part) for pair in parse_qsl(text, keep_blank_values=True) for part in pair)
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return False  # not JSON the app can read: FastAPI answers 400 for it
    return holds_control_character(document)


class ControlCharacterMiddleware:
    """Answer 422 with :data:`MESSAGE` when the path, the query or a form or JSON body holds a control character."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = unquote_plus(scope.get("query_string", b"").decode("latin-1"), errors="replace")
        if CONTROL_CHARACTER.search(scope["path"]) or CONTROL_CHARACTER.search(query):
            await send_sentence(scope, send, 422, MESSAGE)
            return
        content_type = ""
        for key, value in scope["headers"]:
            if key.lower() == b"content-type":
                content_type = value.decode("latin-1").split(";", 1)[0].strip().lower()
        if content_type not in _CHECKED_BODIES:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending the whole body: nobody is left to answer
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if _body_is_refused(content_type, body):
            await send_sentence(scope, send, 422, MESSAGE)
            return
        await self.app(scope, replay_body(body, receive), send)
