"""The one error vocabulary of certprep: five kinds of refusal, each explained in one sentence.

Every package raises its own error class (``ExamNotFound``, ``CertError``, ``FormError``...), and every one of them
is one of the five kinds below. The front doors map the kinds, not the classes, and each does it in one place: the web
app to an HTTP status (:data:`HTTP_STATUS`, in ``certprep.web.app``), the command line to a readable line and an exit
code (:data:`EXIT_CODE`, in ``certprep.cli``). A new error class therefore needs no new handler anywhere: it picks its
kind by its base class.

``str(error)`` is the sentence the learner reads, so it must make sense on its own ("No attempt 12 for this learner.").
This module is pure Python and imports nothing of certprep, so every layer may use it.
"""

from __future__ import annotations

__all__ = [
    "EXIT_CODE",
    "HTTP_STATUS",
    "CertprepError",
    "Conflict",
    "Forbidden",
    "InvalidInput",
    "NotFound",
    "Unavailable",
    "exit_code",
    "http_status",
]


class CertprepError(Exception):
    """A request certprep refuses; the message is one sentence meant for the user."""


class NotFound(CertprepError, LookupError):
    """The thing asked for does not exist, or belongs to another learner (the two look the same on purpose)."""


class Conflict(CertprepError):
    """The request does not fit the current state: the exam is already submitted, the answer is locked, time is up."""


class InvalidInput(CertprepError, ValueError):
    """What the user or client sent cannot be used: a bad date, an unknown option, filters that match nothing."""


class Forbidden(CertprepError):
    """The learner is known but may not do this (a role too low, a key that stays sealed during a timed exam)."""


class Unavailable(CertprepError):
    """A part certprep needs is away for now (the database, a model server); trying again later may work."""


HTTP_STATUS: dict[type[CertprepError], int] = {
    NotFound: 404,
    Conflict: 409,
    InvalidInput: 422,
    Forbidden: 403,
    Unavailable: 503,
}

# A usage mistake exits with 2 (as Click does for bad options); a part that is away with 1, like any other failure.
EXIT_CODE: dict[type[CertprepError], int] = {
    NotFound: 2,
    Conflict: 2,
    InvalidInput: 2,
    Forbidden: 2,
    Unavailable: 1,
}


def _kind(error: CertprepError, table: dict[type[CertprepError], int], default: int) -> int:
    return next((table[kind] for kind in type(error).__mro__ if kind in table), default)


def http_status(error: CertprepError) -> int:
    """The HTTP status of ``error``'s kind (400 for a bare :class:`CertprepError`)."""
    return _kind(error, HTTP_STATUS, 400)


def exit_code(error: CertprepError) -> int:
    """The command-line exit code of ``error``'s kind (2 for a bare :class:`CertprepError`)."""
    return _kind(error, EXIT_CODE, 2)
