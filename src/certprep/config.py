"""Run-time settings, read from the environment with zero-setup defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "certprep"
DATABASE_URL_VARIABLE = "CERTPREP_DATABASE_URL"
DATA_DIR_VARIABLE = "CERTPREP_DATA_DIR"
EXTRA_PACKS_VARIABLE = "CERTPREP_PACKS"


def default_data_dir() -> Path:
    """The per-user data folder (``~/.local/share/certprep`` on Linux) unless CERTPREP_DATA_DIR says otherwise."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    return Path(override).expanduser() if override else user_data_path(APP_NAME, appauthor=False)


def default_database_url() -> str:
    """CERTPREP_DATABASE_URL, or an SQLite file in the user data folder."""
    url = os.environ.get(DATABASE_URL_VARIABLE, "").strip()
    return url or f"sqlite:///{default_data_dir() / 'certprep.db'}"


def extra_pack_dirs() -> tuple[Path, ...]:
    """Pack folders named in CERTPREP_PACKS, separated like PATH."""
    raw = os.environ.get(EXTRA_PACKS_VARIABLE, "")
    return tuple(Path(part).expanduser() for part in raw.split(os.pathsep) if part.strip())


@dataclass(frozen=True)
class Settings:
    """What a running certprep needs to know: where its data is and which packs to load."""

    database_url: str = field(default_factory=default_database_url)
    extra_packs: tuple[Path, ...] = field(default_factory=extra_pack_dirs)
    include_builtin_packs: bool = True
