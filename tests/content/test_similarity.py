from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from certprep.content.similarity import near_duplicates, shingles

A = "A company runs a web application on EC2 instances behind an Application Load Balancer in two Regions."


def test_reworded_copy_is_found_and_different_text_is_not() -> None:
    texts = [A, A.replace("A company runs", "A company operates"), "An operator rotates database credentials monthly."]
    pairs = near_duplicates(texts, 0.6)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]
    assert near_duplicates(texts, 0.99) == []


def _every_pair(texts: list[str], threshold: float) -> list[tuple[int, int, float]]:
    """The definition itself: every pair scored, the slow way (a text without words resembles nothing)."""
    sets = [shingles(text) for text in texts]
    pairs = []
    for first, second in itertools.combinations(range(len(texts)), 2):
        if sets[first] and sets[second]:
            score = len(sets[first] & sets[second]) / len(sets[first] | sets[second])
            if score >= threshold:
                pairs.append((first, second, score))
    return pairs


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    st.lists(st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f", "g"]), min_size=0, max_size=12), max_size=12),
    st.sampled_from([0.3, 0.5, 0.8, 1.0]),
)
def test_the_prefix_filter_finds_every_pair_that_scoring_all_pairs_finds(
    words: list[list[str]], threshold: float
) -> None:
    texts = [" ".join(chosen) for chosen in words]
    assert near_duplicates(texts, threshold) == _every_pair(texts, threshold)
