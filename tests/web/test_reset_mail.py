"""With a mail server configured, an admin's reset link goes to the user by mail and works from the mail; when the
server does not take it, the admin sees why and gets the link to pass on. A real SMTP server (aiosmtpd) runs on
127.0.0.1, and the real app in process."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient

from certprep.config import Settings
from certprep.runtime import Runtime, StartupError
from certprep.web.app import create_app
from tests.conftest import TINY_PACK, free_port

PASSWORD = "correct horse battery staple"


class Inbox:
    """aiosmtpd's handler: every message the server accepted, parsed."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 OK"


@pytest.fixture
def mail_server() -> Iterator[tuple[int, Inbox]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


def _hosted(tmp_path: Path, pack_cache: Path, smtp_url: str) -> Runtime:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}", extra_packs=(TINY_PACK,), hosted=True, cache_dir=pack_cache
    )
    runtime = Runtime.start(replace(settings, smtp_url=smtp_url, mail_from="certprep@school.example"))
    runtime.accounts.create_user("admin@example.com", PASSWORD, role="admin")
    runtime.accounts.create_user("ana@example.com", PASSWORD)
    return runtime


def _token(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None, path
    return found[1]


def _issue_reset_for_ana(admin: TestClient, runtime: Runtime) -> str:
    login = {"email": "admin@example.com", "password": PASSWORD, "csrf_token": _token(admin, "/login")}
    assert admin.post("/login", data=login, follow_redirects=False).status_code == 303
    ana = next(user["id"] for user in runtime.accounts.list_users() if user["email"] == "ana@example.com")
    issued = admin.post(f"/admin/users/{ana}/reset", data={"csrf_token": _token(admin, "/admin/users")})
    assert issued.status_code == 200, issued.text
    page: str = issued.text
    return page


def test_the_reset_link_is_mailed_and_works_from_the_mail(
    tmp_path: Path, pack_cache: Path, mail_server: tuple[int, Inbox]
) -> None:
    port, inbox = mail_server
    runtime = _hosted(tmp_path, pack_cache, f"smtp://127.0.0.1:{port}")
    app = create_app(runtime)
    try:
        with (
            TestClient(app, base_url="https://testserver") as admin,
            TestClient(app, base_url="https://testserver") as ana,
        ):
            page = _issue_reset_for_ana(admin, runtime)
            assert "was mailed to <strong>ana@example.com</strong>" in page
            assert "/reset?token=" not in page  # mailed, so the admin never holds the link
            [mail] = inbox.messages
            assert (mail["To"], mail["From"]) == ("ana@example.com", "certprep@school.example")
            body = mail.get_payload(decode=True)
            assert isinstance(body, bytes)
            link = re.search(r"https://testserver(/reset\?token=[\w-]+)", body.decode())
            assert link is not None, mail.as_string()
            form = {"token": link[1].split("=", 1)[1], "new": "a new password 42", "csrf_token": _token(ana, link[1])}
            assert ana.post("/reset", data=form, follow_redirects=False).headers.get("location") == "/login?reset=1"
            login = {"email": "ana@example.com", "password": "a new password 42", "csrf_token": _token(ana, "/login")}
            assert ana.post("/login", data=login, follow_redirects=False).status_code == 303
    finally:
        runtime.close()


def test_a_mail_server_that_is_away_leaves_the_admin_the_link(tmp_path: Path, pack_cache: Path) -> None:
    runtime = _hosted(tmp_path, pack_cache, f"smtp://127.0.0.1:{free_port()}")  # nothing listens there
    try:
        with TestClient(create_app(runtime), base_url="https://testserver") as admin:
            page = _issue_reset_for_ana(admin, runtime)
            assert "did not take the message" in page
            assert re.search(r"https://testserver/reset\?token=[\w-]+", page)
    finally:
        runtime.close()


def test_a_mail_setting_that_is_no_url_stops_the_start_in_one_sentence(tmp_path: Path, pack_cache: Path) -> None:
    with pytest.raises(StartupError) as refused:
        _hosted(tmp_path, pack_cache, "mail.example.com:25")
    assert refused.value.headline == (
        "certprep: CERTPREP_SMTP_URL must look like smtp://USER:PASSWORD@HOST:PORT or smtps://HOST, "
        "not 'mail.example.com:25'."
    )
