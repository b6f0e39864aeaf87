"""Request dependencies and responses shared by pages and API routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, Response

from certprep.content import Pack
from certprep.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_pack(request: Request, pack_id: str) -> Pack:
    pack = get_runtime(request).pack(pack_id)
    if pack is None:
        raise HTTPException(status_code=404, detail=f"No pack named '{pack_id}' is installed.")
    return pack


def current_user_id(request: Request) -> int:
    """The learner making the request: the signed-in user in hosted mode, the one local user in local mode.

    In hosted mode nobody signed in raises LoginRequired: 401 for /api, a redirect to /login for pages. Every
    route that touches learner data calls this, so a new route is protected by calling it.
    """
    runtime = get_runtime(request)
    if not runtime.hosted:
        return runtime.local_user_id
    from certprep.web.auth import LoginRequired, signed_in

    user = signed_in(request)
    if user is None:
        raise LoginRequired()
    return user.user_id


def asks_for_learner(route: object) -> bool:
    """Whether ``route`` (``request.scope["route"]``) needs to know who the learner is, through any dependency.

    FastAPI checks a request's body and parameters as it solves the dependencies, and a malformed JSON body fails
    before any of them runs; the app asks this so that a signed-out request is told to sign in (401), not what is
    wrong with a body it may not send at all (422).
    """
    pending = [getattr(route, "dependant", None)]
    while pending:
        dependant = pending.pop()
        if dependant is None:
            continue
        if dependant.call is current_user_id:
            return True
        pending.extend(dependant.dependencies)
    return False


# Dependencies as types: a route that declares `runtime: AppRuntime` or `learner_id: Learner` gets them from FastAPI,
# so what a route needs is in its signature (and a route touching learner data cannot forget the login check).
AppRuntime = Annotated[Runtime, Depends(get_runtime)]
Learner = Annotated[int, Depends(current_user_id)]


def require_role(request: Request, role: str) -> int:
    """``current_user_id`` for a route that needs at least ``role`` (learner < author < admin); 403 otherwise.

    Local mode's single user may do everything.
    """
    user_id = current_user_id(request)
    if not get_runtime(request).hosted:
        return user_id
    from certprep.accounts import role_allows
    from certprep.web.auth import signed_in

    user = signed_in(request)
    if user is None or not role_allows(user.role, role):
        raise HTTPException(status_code=403, detail=f"Only a user with the {role} role may do this.")
    return user_id


def download(content: bytes | str, filename: str, media_type: str) -> Response:
    """A file for the browser to save as ``filename``. Never cached: every download holds the learner's own data or
    a pack rendered on request."""
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def refuse_while_sealed(request: Request) -> None:
    """409 with one sentence while the learner sits a timed exam: for every door that would show answer keys."""
    runtime = get_runtime(request)
    seal = runtime.exams.seal(current_user_id(request))
    if seal is not None:
        raise HTTPException(status_code=409, detail=seal.sentence(runtime.clock()))
