"""Near-duplicate detection for question stems.

Two stems are near-duplicates when their sets of word trigrams overlap strongly (Jaccard similarity). Comparing every
pair that shares any trigram is quadratic in a bank whose stems share stock phrases ("which solution will meet"), so
candidates come from prefix filtering (Bayardo et al., "Scaling up all pairs similarity search", 2007): with the
trigrams of every stem ordered rarest first, two stems with Jaccard similarity of at least ``t`` must share one of
the first ``|A| - ceil(t * |A|) + 1`` trigrams of each. Only those pairs are scored, exactly. It is written here
because the libraries that do this (datasketch's MinHash LSH and the like) answer approximately, and a validator
must not miss a pair.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

_WORD = re.compile(r"[a-z0-9]+")


def shingles(text: str, size: int = 3) -> frozenset[tuple[str, ...]]:
    """The set of ``size``-word sequences in ``text``, lower-cased, punctuation ignored."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return frozenset({tuple(words)}) if words else frozenset()
    return frozenset(tuple(words[index : index + size]) for index in range(len(words) - size + 1))


def near_duplicates(texts: Sequence[str], threshold: float) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, similarity)`` with ``i < j`` whose trigram Jaccard similarity is at least ``threshold``.

    A text without words shares no trigram, so it is never part of a pair."""
    sets = [shingles(text) for text in texts]
    frequency = Counter(gram for grams in sets for gram in grams)
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    candidates: set[tuple[int, int]] = set()
    for position, grams in enumerate(sets):
        rarest_first = sorted(grams, key=lambda gram: (frequency[gram], gram))
        prefix = len(grams) - math.ceil(threshold * len(grams)) + 1 if grams else 0
        for gram in rarest_first[:prefix]:
            candidates.update((earlier, position) for earlier in index[gram])
            index[gram].append(position)
    pairs: list[tuple[int, int, float]] = []
    for first, second in candidates:
        score = len(sets[first] & sets[second]) / len(sets[first] | sets[second])
        if score >= threshold:
            pairs.append((first, second, score))
    return sorted(pairs)
