"""Helpers for tests of hosted mode: the hosted app with an admin (in process, or a real `certprep serve --hosted`
for the tests that need real processes), and a browser-like client that signs in.

The client behaves like a browser: it keeps cookies, reads the CSRF token from the page it was given (the hidden
form field or <meta name="csrf-token">) and sends it back, as the real pages and static/exam.js do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from tests.conftest import TINY_PACK, CliRun, Server, run_certprep, web_app

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

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


def add_user(env: dict[str, str], email: str, password: str, role: str = "learner") -> CliRun:
    """`certprep user add` as an operator would run it on the server (the real CLI, in this process)."""
    return run_certprep("user", "add", email, "--role", role, "--password-stdin", env=env, input=password + "\n")


def start_hosted(data_dir: Path, database_url: str = "", workers: int = 1, **extra: str) -> Server:
    env = hosted_env(data_dir, database_url, **extra)
    created = add_user(env, ADMIN_EMAIL, ADMIN_PASSWORD, "admin")
    assert created.returncode == 0, created.stderr
    return Server(env, hosted=True, workers=workers).start()


class HostedApp:
    """The real app in hosted mode, in this process (see :func:`hosted_app`)."""

    def __init__(self, client: TestClient) -> None:
        self.client = client  # entered: the app's lifespan runs while the test does

    def browser(self) -> Browser:
        """A new browser with an empty cookie jar."""
        from fastapi.testclient import TestClient

        app = self.client.app
        return Browser(lambda: TestClient(app, follow_redirects=False))


@contextmanager
def hosted_app(database_url: str, cache_dir: Path, **settings: Any) -> Iterator[HostedApp]:
    """The app in hosted mode on ``database_url``, with the admin made by `certprep user add` as on a server."""
    with web_app(database_url, cache_dir, hosted=True, **settings) as client:
        created = add_user({"CERTPREP_DATABASE_URL": database_url}, ADMIN_EMAIL, ADMIN_PASSWORD, "admin")
        assert created.returncode == 0, created.stderr
        yield HostedApp(client)


class Browser:
    """One browser (cookie jar) talking to the app, in process or over the network (:meth:`on`)."""

    def __init__(self, open_client: Callable[[], httpx.Client]) -> None:
        self.open_client = open_client
        self.client = open_client()
        self.token = ""

    @classmethod
    def on(cls, server: Server) -> Browser:
        """A browser talking to a real `certprep serve` over HTTP."""
        return cls(lambda: httpx.Client(base_url=server.url, timeout=30))

    def another(self) -> Browser:
        """A new browser (empty cookie jar) on the same site."""
        return Browser(self.open_client)

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


def register_learner(admin: Browser, email: str, password: str) -> Browser:
    """The admin invites ``email``; the learner follows the link, registers and is signed in."""
    admin.page("/admin/users")
    invited = admin.form("/admin/invites", {"email": email, "role": "learner"})
    assert invited.status_code == 200, invited.text
    link = re.search(r"/register\?invite=([\w-]+)", invited.text)
    assert link, invited.text
    learner = admin.another()
    learner.page(f"/register?invite={link.group(1)}")
    done = learner.form("/register", {"email": email, "password": password, "invite": link.group(1)})
    assert done.status_code == 303, done.text
    learner.page("/")
    return learner
