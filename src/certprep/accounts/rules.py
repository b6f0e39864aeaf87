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


class EmailTaken(AccountError):
    """An account with that e-mail address exists already. Forms of strangers must not say so (see
    ``web.pages.accounts.register``); the command line and the admin may."""


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
    """At most ``failures`` sign-in attempts per ``window_seconds`` for one key (an address, or an account at an
    address); a correct password gives its attempt back."""

    failures: int
    window_seconds: int


# Per account and client address: whoever guesses one learner's password from one machine is stopped after 5 tries,
# while the owner, signing in from anywhere else, is not (a stranger's failures do not lock the owner out).
PAIR_LIMIT = RateLimit(failures=5, window_seconds=15 * 60)
# Per client address: stops one machine spraying many accounts; higher because offices share an address.
ADDRESS_LIMIT = RateLimit(failures=30, window_seconds=15 * 60)
# Registrations per client address: each costs an Argon2 hash and an account, so one machine cannot mass-create them.
REGISTRATION_LIMIT = RateLimit(failures=5, window_seconds=60 * 60)
# Per account from every address together: no lock, but after this many failures in the window each further try
# must wait for the delay below, so guesses spread over many addresses slow to a crawl.
ACCOUNT_FREE_FAILURES = 5
ACCOUNT_WINDOW_SECONDS = 15 * 60
MAX_ACCOUNT_DELAY_SECONDS = 60


def account_delay(failures: int) -> int:
    """Seconds the next sign-in to an account must wait after ``failures`` failures in the window: none for the
    first :data:`ACCOUNT_FREE_FAILURES`, then 1, 2, 4, ... doubling up to :data:`MAX_ACCOUNT_DELAY_SECONDS`.

    >>> [account_delay(n) for n in (5, 6, 7, 8, 12, 40)]
    [0, 1, 2, 4, 60, 60]
    """
    if failures <= ACCOUNT_FREE_FAILURES:
        return 0
    return int(min(2 ** min(failures - ACCOUNT_FREE_FAILURES - 1, 16), MAX_ACCOUNT_DELAY_SECONDS))
