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
HOSTED_VARIABLE = "CERTPREP_HOSTED"
REGISTRATION_VARIABLE = "CERTPREP_REGISTRATION"
MAX_UPLOAD_VARIABLE = "CERTPREP_MAX_UPLOAD_MB"
SESSION_IDLE_VARIABLE = "CERTPREP_SESSION_IDLE_MINUTES"
SESSION_DAYS_VARIABLE = "CERTPREP_SESSION_DAYS"
SMTP_URL_VARIABLE = "CERTPREP_SMTP_URL"
MAIL_FROM_VARIABLE = "CERTPREP_MAIL_FROM"


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


def hosted_from_environment() -> bool:
    """CERTPREP_HOSTED=1 (or true/yes/on) turns on hosted mode: accounts, login and CSRF checks."""
    return os.environ.get(HOSTED_VARIABLE, "").strip().lower() in ("1", "true", "yes", "on")


def registration_from_environment() -> str:
    """CERTPREP_REGISTRATION: "invite" (default: only people an admin invited may register) or "open"."""
    value = os.environ.get(REGISTRATION_VARIABLE, "").strip().lower()
    return "open" if value == "open" else "invite"


def max_upload_bytes_from_environment() -> int:
    """CERTPREP_MAX_UPLOAD_MB: the largest upload or import accepted (default 20 MB)."""
    try:
        megabytes = float(os.environ.get(MAX_UPLOAD_VARIABLE, "") or 20)
    except ValueError:
        megabytes = 20
    return max(1, int(megabytes * 1024 * 1024))


def _positive_number(variable: str, default: float) -> float:
    """A positive number from the environment, ``default`` when unset; one readable sentence when it is not one."""
    import math

    from certprep.errors import InvalidInput

    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise InvalidInput(f"{variable} must be a positive number, not '{raw}'.")
    return value


def session_idle_minutes_from_environment() -> float:
    """CERTPREP_SESSION_IDLE_MINUTES: a hosted session unused this long ends (default 120 minutes)."""
    return _positive_number(SESSION_IDLE_VARIABLE, 120)


def session_days_from_environment() -> float:
    """CERTPREP_SESSION_DAYS: a hosted session ends this long after sign-in, however busy (default 14 days)."""
    return _positive_number(SESSION_DAYS_VARIABLE, 14)


def smtp_url_from_environment() -> str:
    """CERTPREP_SMTP_URL: the mail server for reset links (smtp://USER:PASSWORD@HOST:PORT or smtps://…); unset: none."""
    return os.environ.get(SMTP_URL_VARIABLE, "").strip()


def mail_from_environment() -> str:
    """CERTPREP_MAIL_FROM: the sender of the mail certprep sends (default certprep@localhost)."""
    return os.environ.get(MAIL_FROM_VARIABLE, "").strip() or "certprep@localhost"


@dataclass(frozen=True)
class Settings:
    """What a running certprep needs to know: where its data is and which packs to load."""

    database_url: str = field(default_factory=default_database_url)
    extra_packs: tuple[Path, ...] = field(default_factory=extra_pack_dirs)
    include_builtin_packs: bool = True
    hosted: bool = field(default_factory=hosted_from_environment)
    registration: str = field(default_factory=registration_from_environment)
    max_upload_bytes: int = field(default_factory=max_upload_bytes_from_environment)
    session_idle_minutes: float = field(default_factory=session_idle_minutes_from_environment)
    session_days: float = field(default_factory=session_days_from_environment)
    smtp_url: str = field(default_factory=smtp_url_from_environment)
    mail_from: str = field(default_factory=mail_from_environment)
    # Read packs are kept here between runs (certprep.content.cache); None reads every pack afresh each time.
    cache_dir: Path | None = field(default_factory=lambda: default_data_dir() / "cache")
