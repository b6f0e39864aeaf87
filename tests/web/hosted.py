"""Helpers for tests of hosted mode: a hosted server with an admin, and a browser-like client that signs in.

The client behaves like a browser: it keeps cookies, reads the CSRF token from the page it was given (the hidden
form field or <meta name="csrf-token">) and sends it back, as the real pages and static/exam.js do.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import TINY_PACK, Server, certprep_command

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "admin-password-1"
_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')
_FIELD = re.compile(r'name="csrf_token" value="([^"]*)"')


def hosted_env(data_dir: Path, database_url: str = "", **extra: str) -> dict[str, str]:
    return {
        "CERTPREP_DATA_DIR": str(data_dir),
        "CERTPREP_PACKS": str(TINY_PACK),
        "CERTPREP_DATABASE_URL": database_url,
        "CERTPREP_HOSTED": "",
        "CERTPREP_REGISTRATION": "",
        **extra,
    }


def add_user(env: dict[str, str], email: str, password: str, role: str = "learner") -> subprocess.CompletedProcess[str]:
    """`certprep user add` as an operator would run it on the server."""
    import os

    return subprocess.run(
        certprep_command("user", "add", email, "--role", role, "--password-stdin"),
        input=password + "\n",
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def start_hosted(data_dir: Path, database_url: str = "", workers: int = 1, **extra: str) -> Server:
    env = hosted_env(data_dir, database_url, **extra)
    created = add_user(env, ADMIN_EMAIL, ADMIN_PASSWORD, "admin")
    assert created.returncode == 0, created.stderr
    return Server(env, hosted=True, workers=workers).start()


class Browser:
    """One browser (cookie jar) talking to a server."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.client = httpx.Client(base_url=server.url, timeout=30)
        self.token = ""

    def close(self) -> None:
        self.client.close()

    def page(self, path: str, **kwargs: Any) -> httpx.Response:
        """GET a page and remember the CSRF token it carries."""
        response = self.client.get(path, **kwargs)
        found = _META.search(response.text) or _FIELD.search(response.text)
        if found and found.group(1):
            self.token = found.group(1)
        return response

    def form(self, path: str, data: dict[str, Any] | None = None, token: bool = True) -> httpx.Response:
        """POST a form as the page would, with the hidden csrf_token field."""
        body = dict(data or {})
        if token:
            body["csrf_token"] = self.token
        return self.client.post(path, data=body)

    def api(self, method: str, path: str, token: bool = True, **kwargs: Any) -> httpx.Response:
        """Call the JSON API as static/exam.js does, with the X-CSRF-Token header for unsafe methods."""
        headers = dict(kwargs.pop("headers", {}) or {})
        if token and method.upper() not in ("GET", "HEAD", "OPTIONS"):
            headers["X-CSRF-Token"] = self.token
        return self.client.request(method, path, headers=headers, **kwargs)

    def login(self, email: str, password: str) -> httpx.Response:
        self.page("/login")
        response = self.form("/login", {"email": email, "password": password, "next": "/"})
        self.page("/")  # the session has its own CSRF token: pick it up
        return response


def register_learner(server: Server, admin: Browser, email: str, password: str) -> Browser:
    """The admin invites ``email``; the learner follows the link, registers and is signed in."""
    admin.page("/admin/users")
    invited = admin.form("/admin/invites", {"email": email, "role": "learner"})
    assert invited.status_code == 200, invited.text
    link = re.search(r"/register\?invite=([\w-]+)", invited.text)
    assert link, invited.text
    learner = Browser(server)
    learner.page(f"/register?invite={link.group(1)}")
    done = learner.form("/register", {"email": email, "password": password, "invite": link.group(1)})
    assert done.status_code == 303, done.text
    learner.page("/")
    return learner
