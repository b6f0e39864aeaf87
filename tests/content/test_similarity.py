from __future__ import annotations

from certprep.content.similarity import near_duplicates

A = "A company runs a web application on EC2 instances behind an Application Load Balancer in two Regions."


def test_reworded_copy_is_found_and_different_text_is_not() -> None:
    texts = [A, A.replace("A company runs", "A company operates"), "An operator rotates database credentials monthly."]
    pairs = near_duplicates(texts, 0.6)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]
    assert near_duplicates(texts, 0.99) == []
