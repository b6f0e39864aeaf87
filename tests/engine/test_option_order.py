"""engine.options: each attempt's option order is a fixed permutation, and the key lands in every slot (#24 item 18)."""

from __future__ import annotations

from collections import Counter

from certprep.content.loader import load_pack
from certprep.engine.options import OptionLabels, option_order
from tests.conftest import TINY_PACK

TINY = load_pack(TINY_PACK)


def test_every_order_is_a_permutation_that_the_same_attempt_always_repeats() -> None:
    for question in TINY.questions:
        ids = tuple(option.id for option in question.options)
        for seed in range(50):
            order = option_order(ids, seed, 3, question.id)
            assert sorted(order) == sorted(ids)
            assert order == option_order(ids, seed, 3, question.id)


def test_the_key_lands_in_every_slot_across_attempts() -> None:
    question = next(q for q in TINY.questions if q.type == "single" and len(q.options) == 4)
    key = next(iter(question.correct_ids))
    slots = Counter(OptionLabels.of(question, seed, 1, shuffle=True).shown([key])[0] for seed in range(400))
    assert set(slots) == {"A", "B", "C", "D"}
    assert min(slots.values()) > 60  # about 100 each; a fixed or biased order would leave a slot near 0


def test_letters_shown_and_stored_are_inverse_and_unshuffled_labels_change_nothing() -> None:
    question = TINY.questions[0]
    labels = OptionLabels.of(question, 11, 2, shuffle=True)
    for option in question.options:
        assert labels.stored(labels.shown([option.id])) == [option.id]
    plain = OptionLabels.of(question, 11, 2, shuffle=False)
    assert plain.identity
    assert plain.shown(["A", "C"]) == ["A", "C"]
