"""Request dependencies shared by pages and API routes."""

from __future__ import annotations

from fastapi import HTTPException, Request

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
    """The learner making the request. Local mode has one learner and no login."""
    return get_runtime(request).local_user_id
