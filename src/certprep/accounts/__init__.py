"""Accounts for hosted mode: roles, what a valid e-mail and password are, and password hashing (pure Python)."""

from certprep.accounts.passwords import hash_password, needs_rehash, verify_password
from certprep.accounts.rules import (
    ROLES,
    AccountError,
    EmailTaken,
    RateLimit,
    check_password,
    normalize_email,
    role_allows,
)

__all__ = [
    "ROLES",
    "AccountError",
    "EmailTaken",
    "RateLimit",
    "check_password",
    "hash_password",
    "needs_rehash",
    "normalize_email",
    "role_allows",
    "verify_password",
]
