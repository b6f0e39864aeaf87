"""Largest-remainder apportionment: how many of N exam items each domain gets from its weight."""

from __future__ import annotations

import math
from collections.abc import Sequence


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (Hamilton's method).

    Each share gets the floor of its exact quota; the seats left over go to the largest fractional remainders,
    ties broken by the earlier position. For DOP-C02's weights (22, 17, 15, 15, 14, 17) and 65 scored items this
    gives 14, 11, 10, 10, 9, 11.

    >>> largest_remainder(65, [22, 17, 15, 15, 14, 17])
    [14, 11, 10, 10, 9, 11]
    """
    if total < 0:
        raise ValueError("total must not be negative")
    weight_sum = float(sum(weights))
    if not weights or weight_sum <= 0:
        raise ValueError("weights must be non-empty and add up to more than zero")
    quotas = [total * weight / weight_sum for weight in weights]
    seats = [math.floor(quota) for quota in quotas]
    left = total - sum(seats)
    order = sorted(range(len(weights)), key=lambda index: (-(quotas[index] - seats[index]), index))
    for index in order[:left]:
        seats[index] += 1
    return seats
