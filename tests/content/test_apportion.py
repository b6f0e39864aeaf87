from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from certprep.content import largest_remainder


def test_dop_c02_split_of_65_scored_items() -> None:
    assert largest_remainder(65, [22, 17, 15, 15, 14, 17]) == [14, 11, 10, 10, 9, 11]


def test_100_question_mock_split() -> None:
    assert largest_remainder(100, [22, 17, 15, 15, 14, 17]) == [22, 17, 15, 15, 14, 17]


@given(st.integers(0, 500), st.lists(st.floats(0.5, 100), min_size=1, max_size=12))
def test_seats_add_up_and_stay_within_one_of_the_quota(total: int, weights: list[float]) -> None:
    seats = largest_remainder(total, weights)
    assert sum(seats) == total
    for seat, weight in zip(seats, weights, strict=True):
        quota = total * weight / sum(weights)
        assert quota - 1 < seat < quota + 1
