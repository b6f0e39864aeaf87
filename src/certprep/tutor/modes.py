"""What the learner asked for: a free question, a comparison, the explanation of a question, or a quiz.

The mode is read from the wording, so the same box (web, CLI, API) serves all four:

- ``compare X vs Y`` (also "X versus Y", "difference between X and Y", or ``compare TOPIC`` for one family);
- ``explain question ID`` (a question id of the pack, or a number: that position of the learner's latest attempt);
- ``quiz me on TOPIC``;
- anything else is ``ask``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Mode = Literal["ask", "compare", "explain", "quiz"]
MODES: tuple[Mode, ...] = ("ask", "compare", "explain", "quiz")

_EXPLAIN = re.compile(
    r"^\s*(?:please\s+)?explain\s+(?:the\s+)?question\s+(?:number\s+|no\.\s*|#)?(?P<ref>\S+?)[.?!]*\s*$", re.IGNORECASE
)
_QUIZ = re.compile(
    r"^\s*(?:please\s+)?(?:quiz|test)\s+me\b(?:\s+(?:on|about|in)\b)?\s*(?P<topic>.*?)[.?!]*\s*$", re.IGNORECASE
)
_BETWEEN = re.compile(r"difference(?:s)?\s+between\s+(?P<left>.+?)\s+and\s+(?P<right>.+?)[.?!]*\s*$", re.IGNORECASE)
_VERSUS = re.compile(
    r"^(?P<left>.+?)\s+(?:vs\.?|versus|compared\s+(?:to|with))\s+(?P<right>.+?)[.?!]*\s*$", re.IGNORECASE
)
_COMPARE = re.compile(r"^\s*(?:please\s+)?compare\s+(?P<rest>.+?)[.?!]*\s*$", re.IGNORECASE)
_COMPARE_AND = re.compile(r"^(?P<left>.+?)\s+(?:and|with|to)\s+(?P<right>.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Request:
    """A parsed query. ``sides`` are the things compared; ``ref`` the question asked about; ``topic`` the rest."""

    mode: Mode
    query: str
    topic: str = ""
    sides: tuple[str, ...] = ()
    ref: str = ""


def parse(query: str) -> Request:
    """Read the mode and its arguments from the learner's words."""
    text = " ".join(query.split())
    match = _EXPLAIN.match(text)
    if match:
        return Request("explain", text, ref=match.group("ref").strip("#"))
    match = _QUIZ.match(text)
    if match:
        return Request("quiz", text, topic=match.group("topic").strip())
    match = _BETWEEN.search(text)
    if match:
        return Request("compare", text, sides=(match.group("left").strip(), match.group("right").strip()))
    compare = _COMPARE.match(text)
    body = compare.group("rest") if compare else text
    match = _VERSUS.match(body)
    if match:
        return Request("compare", text, sides=(match.group("left").strip(), match.group("right").strip()))
    if compare:
        pair = _COMPARE_AND.match(body)
        if pair and len(pair.group("left").split()) <= 5 and len(pair.group("right").split()) <= 5:
            return Request("compare", text, sides=(pair.group("left").strip(), pair.group("right").strip()))
        return Request("compare", text, topic=body.strip())
    return Request("ask", text, topic=text)
