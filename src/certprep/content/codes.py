"""Public codes for questions: what learners see instead of authoring ids.

Authoring ids are slugs that describe the scenario, and often the answer (``d1-pipeline-queued-execution-mode``);
matching their words against the options picked the key of about half the bank. A code is derived from the pack id
and the authoring id alone, so it is stable across releases (saved attempts keep working, and a learner's notes
about ``Q-7F3K9M`` stay true) and reveals nothing. Six Crockford base-32 characters give about a billion codes; the
pack validator reports the rare collision so that an author renames one of the two questions.
"""

from __future__ import annotations

import hashlib
import re

__all__ = ["CODE_PATTERN", "question_code"]

# Crockford's alphabet: no I, L, O or U, so a code read aloud or typed by hand is not misread.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LENGTH = 6
CODE_PATTERN = re.compile(r"^Q-[0-9A-HJKMNP-TV-Z]{6}$")


def question_code(pack_id: str, question_id: str) -> str:
    """The public code of a question, such as ``Q-7F3K9M``."""
    number = int.from_bytes(hashlib.sha256(f"{pack_id}\0{question_id}".encode()).digest()[:4], "big")
    characters = []
    for _ in range(_LENGTH):
        number, digit = divmod(number, len(_ALPHABET))
        characters.append(_ALPHABET[digit])
    return "Q-" + "".join(characters)
