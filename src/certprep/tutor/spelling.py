"""Typo repair: a learner's misspelt word becomes the pack's nearest word before the tutor searches.

BM25 and the explainer matcher only match words, so "cloudformaton" finds nothing. The vocabulary is every word of
the pack's passages; a word of the query that is not in it (and is long enough to be a real word, not an id or a
code) is replaced in two steps:

1. one edit away (a letter dropped, added, changed, or two neighbours swapped: "canray", "lienar"), the most
   frequent such vocabulary word, as in Peter Norvig's spelling corrector: a few hundred set look-ups;
2. otherwise, for longer words, the closest vocabulary word by :func:`difflib.get_close_matches`
   (Ratcliff/Obershelp similarity) among words with the same first letter and nearly the same length, which keeps
   it to a few hundred comparisons: typos rarely hit the first letter.

Stop words are never a correction ("theme" must not become "them"), and CamelCase, capitals and words with digits
("imdsv2", "sse-s3") are left alone.
"""

from __future__ import annotations

import difflib
import re
import string
from collections import Counter
from collections.abc import Iterable, Iterator

from certprep.tutor.expand import KNOWN_SPELLINGS, STOP_WORDS, tokens

MIN_LENGTH = 5  # shorter words are too often abbreviations ("ecs", "ssm") or too ambiguous to correct
FUZZY_LENGTH = 8  # from this length a word may be two edits off and is matched by similarity
CUTOFF = 0.84
# A run of letters (and inner hyphens) that is not part of a token with digits: "imdsv2", "sse-s3" and "route53" are
# names typed on purpose, and their letters alone ("imdsv") would be "corrected" into another word.
_WORD = re.compile(r"(?<![A-Za-z0-9-])[A-Za-z][A-Za-z-]*[A-Za-z](?![A-Za-z0-9-])")


class Speller:
    """Corrects the words of a query against one pack's vocabulary."""

    def __init__(self, texts: Iterable[str]) -> None:
        counts: Counter[str] = Counter(
            token for text in texts for token in tokens(text) if token.isalpha() or "-" in token
        )
        self.vocabulary: frozenset[str] = frozenset(counts)
        # What a typo may become: no stop words, nothing shorter than a word worth correcting.
        self._targets = {word: count for word, count in counts.items() if word not in STOP_WORDS and len(word) >= 4}
        self._buckets: dict[tuple[str, int], list[str]] = {}
        for word in sorted(self._targets):
            self._buckets.setdefault((word[0], len(word)), []).append(word)

    def word(self, word: str) -> str:
        """``word`` itself if known, too short or not a plain word; else its nearest vocabulary word, if close."""
        lowered = word.lower()
        if any(char.isupper() for char in word[1:]):
            return word  # CamelCase or CAPITALS: a name or code typed on purpose (AccessDenied, ECS)
        if (
            len(lowered) < MIN_LENGTH
            or lowered in self.vocabulary
            or lowered in STOP_WORDS
            or lowered in KNOWN_SPELLINGS
        ):
            return word
        near = [edit for edit in _edits(lowered) if edit in self._targets]
        if near:
            return max(near, key=lambda known: (self._targets[known], known))
        if len(lowered) < FUZZY_LENGTH:
            return word
        candidates = [
            known
            for size in range(len(lowered) - 2, len(lowered) + 3)
            for known in self._buckets.get((lowered[0], size), ())
        ]
        close = difflib.get_close_matches(lowered, candidates, n=1, cutoff=CUTOFF)
        return close[0] if close else word

    def fix(self, text: str) -> str:
        """``text`` with every misspelt word replaced; the rest (case, punctuation, codes) is left as typed."""
        return _WORD.sub(lambda match: self.word(match.group(0)), text)


def _edits(word: str) -> Iterator[str]:
    """Every string one edit from ``word``: a deletion, a swap of neighbours, a change or an insertion."""
    splits = [(word[:cut], word[cut:]) for cut in range(len(word) + 1)]
    for left, right in splits:
        if right:
            yield left + right[1:]
        if len(right) > 1:
            yield left + right[1] + right[0] + right[2:]
        for letter in string.ascii_lowercase:
            if right:
                yield left + letter + right[1:]
            yield left + letter + right
