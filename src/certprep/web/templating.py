"""The Jinja2 templates of the pages, with the filters and globals every page uses (Markdown, CSRF, the learner)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markdown_it import MarkdownIt
from markupsafe import Markup

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
# Templates ship inside the package and do not change while the server runs: skip the file-date check per render.
templates.env.auto_reload = False
# Raw HTML in content is not rendered: packs may come from users, and the CSP forbids inline script anyway.
_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


@lru_cache(maxsize=20_000)
def render_markdown(text: str) -> Markup:
    """Markdown to safe HTML. Cached: pages render the same pack texts (stems, options, reasons) again and again,
    and parsing them was a large share of a results page; 20,000 texts are far more than a pack holds."""
    return Markup(_markdown.render(text or ""))  # markdown-it escapes everything: html is disabled


templates.env.filters["md"] = render_markdown


def csrf_token(request: Request) -> str:
    """The CSRF token for this request, set by the CSRF middleware (empty until hosted mode enforces one)."""
    return str(getattr(request.state, "csrf_token", ""))


def csrf_input(request: Request) -> Markup:
    """A hidden form field carrying the CSRF token: every POST form renders ``{{ csrf_input(request) }}``."""
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(csrf_token(request))


templates.env.globals["csrf_input"] = csrf_input
templates.env.globals["csrf_token"] = csrf_token


def _template_user(request: Request) -> dict[str, object] | None:
    from certprep.web.auth import template_user

    return template_user(request)


def _hosted(request: Request) -> bool:
    return bool(request.app.state.runtime.hosted)


templates.env.globals["current_user"] = _template_user
templates.env.globals["hosted"] = _hosted
