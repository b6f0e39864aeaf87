"""What the learner asked for: a free question, a comparison, the explanation of a question, or a quiz.

The mode is read from the wording, so the same box (web, CLI, API) serves all four:

- ``compare X vs Y`` (also "X versus Y", "X vs Y vs Z", "should I use X or Y", "difference between X and Y", or
  ``compare TOPIC`` for one family); the lead-in ("When should I use") is dropped and a trailing "for Z" / "on Z" /
  "in Z", or a heading before a colon, becomes the comparison's ``context``, and a sentence or clause typed after
  the last side ("X vs Y? we run ECS", "X vs Y - whats the diff", "X vs Y how do they shift traffic") is the
  learner's ``aside``, part of the context too;
- ``explain question ID`` (a question id of the pack, or a number: that position of the learner's latest attempt);
- ``quiz me on TOPIC``;
- anything else is ``ask``.

Error names and codes in any query (``AccessDenied``, ``CannotPullContainerError``, ``UPDATE_ROLLBACK_FAILED``) are
collected in ``Request.errors`` (for callers and tests); the explainer matcher matches the error names that
explainers quote against the query literally, spaces and case aside.
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
# "X vs Y", "X vs. Y vs Z", "X versus Y", "X compared to Y": every side of a comparison, two or more.
_VERSUS_SPLIT = re.compile(r"\s+(?:vs\.?|v\.|versus|compared\s+(?:to|with))\s+", re.IGNORECASE)
# "should I use X or Y", "X or Y: which one": an "or" is a comparison only after a choosing phrase.
_CHOICE_OR = re.compile(
    r"^(?:(?:when|why)\s+)?(?:should|do|would|could|can)\s+(?:i|we|you)\s+(?:use|pick|choose|go\s+with)\s+"
    r"(?P<left>.+?)\s+or\s+(?P<right>.+?)[.?!]*\s*$",
    re.IGNORECASE,
)
_COMPARE = re.compile(r"^\s*(?:please\s+)?compare\s+(?P<rest>.+?)[.?!]*\s*$", re.IGNORECASE)
_COMPARE_AND = re.compile(r"^(?P<left>.+?)\s+(?:and|with|to)\s+(?P<right>.+)$", re.IGNORECASE)
# The wording around a comparison that is not one of its sides: "When should I use ...", "... for Lambda?".
_LEAD_IN = re.compile(
    r"^(?:(?:so|ok|okay|hey|hi|hmm+|quick\s+question)[,:!]?\s+)*"
    r"(?:(?:when|why|where)\s+(?:should|would|do|does|can)\s+(?:i|we|you|one)\s+(?:use|pick|choose|prefer)\s+"
    r"|(?:should|do|would)\s+(?:i|we)\s+(?:use|pick|choose)\s+|which\s+(?:is|one\s+is)\s+better[,:]?\s+"
    r"|(?:what(?:'?s|\s+is)\s+)?(?:the\s+)?difference\s+between\s+|what(?:'?s|\s+is)\s+(?:the\s+)?deal\s+with\s+"
    r"|(?:please\s+)?compare\s+)",
    re.IGNORECASE,
)
# The words that start what a comparison is for ("for Lambda", "across Regions"), not a side of it.
CONTEXT_WORDS = ("for", "on", "in", "inside", "across", "within", "when")
_CONTEXT = re.compile(rf"^(?P<side>.+?)\s+(?P<context>(?:{'|'.join(CONTEXT_WORDS)})\s+.+)$", re.IGNORECASE)
# The end of a sentence inside a query: "?", "!" or "." followed by a space (not the dot of "node.js" or "v1.2").
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
_TRAILER = re.compile(
    r"[\s,]*(?:\(?\s*(?:which|what)\s+(?:one|should|is)[^)]*\)?|thanks?|thx|pls|please)?[.?!]*$", re.IGNORECASE
)
# A question or remark typed straight after the last side with no full stop ("X vs Y how do they shift traffic",
# "X vs Y - whats the diff", "X vs Y, do i need both"): the learner's aside, not part of the side.
_CLAUSE = re.compile(
    r"\s+[-–—]+\s+|,\s+|\s+(?=(?:how|what|whats|what's|which|why|do|does|should|can)\s)", re.IGNORECASE
)
# Error names and codes a learner pastes: AccessDenied, CannotPullContainerError, UPDATE_ROLLBACK_FAILED, HTTP 403.
_ERROR = re.compile(
    r"\b(?:[A-Z][a-z]+)+(?:Error|Exception|Denied|Failed|Failure|Fault|Exceeded|NotFound|Invalid|Unavailable)\b"
    r"|\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+\b|\b(?:HTTP\s+)?[45]\d\d\b"
)


def errors_in(text: str) -> tuple[str, ...]:
    """The literal error names and codes in ``text``, in order, without repeats."""
    return tuple(dict.fromkeys(match.group(0) for match in _ERROR.finditer(text)))


def _sides(parts: list[str]) -> tuple[tuple[str, ...], str, str]:
    """Clean comparison sides, their context and the learner's aside: the lead-in goes from the first side, a
    context ("for Lambda") from the last, and a heading before a colon ("Beanstalk policies: rolling vs immutable")
    or a sentence before or after the comparison becomes the context. The sentences after it are also returned as
    they were typed (the aside), so the query can be read without them."""
    first = _LEAD_IN.sub("", parts[0].strip())
    context = ""
    if ":" in first:
        heading, first = first.rsplit(":", 1)
        context = heading.strip()
    # A sentence before the first side ("we run ECS on Fargate. rolling vs blue/green") or after the last one
    # ("ALB vs NLB? our NLB targets in one AZ get hammered") says what the comparison is for, not what is compared.
    before = _SENTENCE_END.split(first)
    if len(before) > 1:
        first = _LEAD_IN.sub("", before[-1])
        context = f"{context} {' '.join(before[:-1]).rstrip('.?!')}".strip()
    typed = parts[-1].strip()
    after = _SENTENCE_END.split(typed, maxsplit=1) if len(parts) >= 2 else [typed]
    last = _TRAILER.sub("", after[0])
    aside = after[1] if len(after) > 1 else ""
    clause = _CLAUSE.search(last) if len(parts) >= 2 else None
    if clause and last[: clause.start()].strip() and last[clause.end() :].strip():
        # The aside runs from the clause to the end, as typed (``last`` is a prefix of ``typed``), so that
        # Request.without_aside can cut it off.
        last, aside = last[: clause.start()], typed[clause.end() :]
    found = _CONTEXT.match(last)
    if found and len(parts) >= 2:
        last = found.group("side")
        context = f"{context} {found.group('context')}".strip()
    if aside:
        context = f"{context} {_TRAILER.sub('', aside)}".strip()
    middle = [part.strip() for part in parts[1:-1]]
    sides = [first.strip(" ,"), *middle, last.strip(" ,")] if len(parts) > 1 else [first]
    return tuple(side for side in sides if side), context, aside


@dataclass(frozen=True)
class Request:
    """A parsed query. ``sides`` are the things compared (two or more) and ``context`` what they are compared for
    ("for Lambda"); ``ref`` the question asked about; ``topic`` the rest; ``errors`` the error names or codes
    quoted in it (``AccessDenied``), which the tutor matches literally; ``aside`` the learner's sentences after a
    comparison ("ALB vs NLB? our targets in one AZ get hammered"), also part of ``context``."""

    mode: Mode
    query: str
    topic: str = ""
    sides: tuple[str, ...] = ()
    ref: str = ""
    context: str = ""
    errors: tuple[str, ...] = ()
    aside: str = ""

    @property
    def without_aside(self) -> str:
        """The query without its aside: "sqs vs kinesis? we must replay a week of events" is "sqs vs kinesis?",
        which is how the explainers' asks are written. A sentence before the comparison stays, since it often
        names the platform ("we run ECS on Fargate. rolling vs blue/green")."""
        return self.query[: self.query.rfind(self.aside)].rstrip(" ,-–—") if self.aside else self.query


def _compare(text: str, sides: tuple[str, ...], context: str, aside: str = "") -> Request:
    return Request("compare", text, sides=sides, context=context, errors=errors_in(text), aside=aside)


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
        sides, context, aside = _sides([match.group("left"), match.group("right")])
        return _compare(text, sides, context, aside)
    compare = _COMPARE.match(text)
    body = compare.group("rest") if compare else text
    parts = _VERSUS_SPLIT.split(body)
    if len(parts) >= 2 and all(part.strip() for part in parts):
        sides, context, aside = _sides(parts)
        if len(sides) >= 2:
            return _compare(text, sides, context, aside)
    match = _CHOICE_OR.match(text)
    if match and len(match.group("left").split()) <= 6:
        sides, context, aside = _sides([match.group("left"), match.group("right")])
        return _compare(text, sides, context, aside)
    if compare:
        pair = _COMPARE_AND.match(body)
        if pair and len(pair.group("left").split()) <= 5 and len(pair.group("right").split()) <= 5:
            return _compare(text, (pair.group("left").strip(), pair.group("right").strip()), "")
        return Request("compare", text, topic=body.strip())
    return Request("ask", text, topic=text, errors=errors_in(text))
