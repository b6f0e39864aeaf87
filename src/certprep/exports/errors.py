"""The one error type of certprep.exports for things a user can get wrong."""

from __future__ import annotations

from certprep.errors import InvalidInput


class ExportError(InvalidInput):
    """A request that cannot be met (unknown domain, no matching question, a broken file to import...).

    The message is one sentence meant for the user; the CLI prints it as is and the web answers 4xx with it.
    """
