"""Near-duplicate detection for question stems.

Two stems are near-duplicates when their sets of word trigrams overlap strongly (Jaccard similarity). An inverted
index from trigram to stems means only stems that share a trigram are ever compared, so a bank of thousands of
questions is checked in well under a second.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

_WORD = re.compile(r"[a-z0-9]+")


def shingles(text: str, size: int = 3) -> frozenset[tuple[str, ...]]:
    """The set of ``size``-word sequences in ``text``, lower-cased, punctuation ignored."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return frozenset({tuple(words)}) if words else frozenset()
    return frozenset(tuple(words[index : index + size]) for index in range(len(words) - size + 1))


def near_duplicates(texts: Sequence[str], threshold: float) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, similarity)`` with ``i < j`` whose trigram Jaccard similarity is at least ``threshold``."""
    sets = [shingles(text) for text in texts]
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for position, grams in enumerate(sets):
        for gram in grams:
            for earlier in index[gram]:
                shared[(earlier, position)] += 1
            index[gram].append(position)
    pairs: list[tuple[int, int, float]] = []
    for (first, second), common in shared.items():
        union = len(sets[first]) + len(sets[second]) - common
        score = common / union if union else 1.0
        if score >= threshold:
            pairs.append((first, second, score))
    return sorted(pairs)
