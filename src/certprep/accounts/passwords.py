"""Password hashing with Argon2id (argon2-cffi), the winner of the Password Hashing Competition.

The hash string carries its own salt and cost parameters, so raising the cost later only needs ``needs_rehash``
at the next successful login; no migration.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2-cffi's defaults (RFC 9106 "low memory" profile: 64 MiB, 3 passes) cost ~50 ms on this class of machine.
_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified when the account does not exist, so a wrong e-mail takes as long as a wrong password.

    Made on first use, not at import: hashing costs about 0.1 s, which every command would otherwise pay.
    """
    return _hasher.hash("certprep: no such account")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; a missing or malformed hash never matches (and costs the same time)."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
