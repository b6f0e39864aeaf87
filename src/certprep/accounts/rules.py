"""The rules of accounts: roles and what they allow, valid e-mails and passwords, and login rate limits."""

from __future__ import annotations

import re
from dataclasses import dataclass

from certprep.errors import InvalidInput

# Ordered by power: an author can do what a learner can, an admin what an author can.
ROLES: tuple[str, ...] = ("learner", "author", "admin")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
MAX_PASSWORD = 256  # Argon2 accepts more, but a megabyte "password" is a denial-of-service attempt


class AccountError(InvalidInput):
    """A user mistake in an account form, as one sentence."""


def role_allows(role: str, needed: str) -> bool:
    """True when ``role`` is at least ``needed``; unknown roles allow nothing."""
    if role not in ROLES or needed not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(needed)


def normalize_email(email: str) -> str:
    """The login name: trimmed and lower-cased, or AccountError when it is not an e-mail address."""
    cleaned = (email or "").strip().lower()
    if len(cleaned) > 254 or not _EMAIL.match(cleaned):
        raise AccountError("Enter a valid e-mail address, like name@example.com.")
    return cleaned


def check_password(password: str, email: str = "") -> None:
    """Raise AccountError when the password is too short, too long or the e-mail itself."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Choose a password of at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"A password may have at most {MAX_PASSWORD} characters.")
    if email and password.strip().lower() == email:
        raise AccountError("The password must not be your e-mail address.")


@dataclass(frozen=True)
class RateLimit:
    """At most ``failures`` failed logins per ``window_seconds`` for one key (an account or a client address)."""

    failures: int
    window_seconds: int


# Per account: slows guessing one learner's password to a crawl without locking them out for long.
ACCOUNT_LIMIT = RateLimit(failures=5, window_seconds=15 * 60)
# Per client address: stops one machine spraying many accounts; higher because offices share an address.
ADDRESS_LIMIT = RateLimit(failures=30, window_seconds=15 * 60)
