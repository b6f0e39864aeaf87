"""The certification path (for DOP-C02: CLF-C02 -> SAA-C03 or SOA-C03 -> DOP-C02) with what the learner holds.

The path comes from the pack blueprint as an ordered list of steps; steps that name each other in ``alternative_to``
form one tier ("SAA-C03 or SOA-C03"). The recommendation is the tier after the highest one the learner holds an
active credential in: AWS sets no prerequisites, so a learner who already holds an associate certification is
pointed at the professional exam, not sent back to the foundational one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from certprep.certs.records import Credential
from certprep.content.models import PathStep

StepState = Literal["held", "expired", "not_held"]


@dataclass(frozen=True)
class StepView:
    """One exam on the path and where the learner stands with it."""

    code: str
    name: str
    level: str
    state: StepState
    credential: Credential | None
    is_target: bool
    recommended: bool


@dataclass(frozen=True)
class PathView:
    """The path in tiers, with the exams recommended next and a sentence saying so."""

    target: str
    tiers: tuple[tuple[StepView, ...], ...]
    recommended: tuple[str, ...]
    message: str


def tiers_of(steps: Sequence[PathStep]) -> list[list[PathStep]]:
    """Group consecutive steps that are alternatives to each other into tiers."""
    tiers: list[list[PathStep]] = []
    for step in steps:
        if tiers:
            current = tiers[-1]
            codes = {s.code.upper() for s in current}
            linked = (step.alternative_to or "").upper() in codes or any(
                (s.alternative_to or "").upper() == step.code.upper() for s in current
            )
            if linked:
                current.append(step)
                continue
        tiers.append([step])
    return tiers


def _best_credential(code: str, credentials: Iterable[Credential]) -> Credential | None:
    """The learner's credential for ``code`` that lasts longest."""
    matching = [c for c in credentials if (c.exam_code or "").upper() == code.upper()]
    return max(matching, key=lambda c: c.expires_on) if matching else None


def path_view(steps: Sequence[PathStep], credentials: Sequence[Credential], today: dt.date, target: str) -> PathView:
    """The path with each step marked held, expired or not held, and the next tier recommended."""
    grouped = tiers_of(steps)
    states: list[list[tuple[PathStep, StepState, Credential | None]]] = []
    highest_held = -1
    for index, tier in enumerate(grouped):
        row: list[tuple[PathStep, StepState, Credential | None]] = []
        for step in tier:
            credential = _best_credential(step.code, credentials)
            state: StepState = "not_held"
            if credential is not None:
                state = "held" if credential.active_on(today) else "expired"
            if state == "held":
                highest_held = index
            row.append((step, state, credential))
        states.append(row)
    next_index = highest_held + 1
    recommended = (
        tuple(step.code for step, state, _ in states[next_index] if state != "held") if next_index < len(states) else ()
    )
    tiers = tuple(
        tuple(
            StepView(
                code=step.code,
                name=step.name,
                level=step.level,
                state=state,
                credential=credential,
                is_target=step.code.upper() == target.upper(),
                recommended=step.code in recommended,
            )
            for step, state, credential in row
        )
        for row in states
    )
    return PathView(target=target, tiers=tiers, recommended=recommended, message=_message(tiers, recommended, target))


def _message(tiers: Sequence[Sequence[StepView]], recommended: Sequence[str], target: str) -> str:
    if not tiers:
        return "This exam's pack describes no certification path."
    if not recommended:
        return f"You hold every certification on this path, up to {tiers[-1][0].code}. Keep them current."
    by_code = {step.code: step for tier in tiers for step in tier}
    named = " or ".join(f"{code} ({by_code[code].name})" for code in recommended)
    if target in recommended:
        return f"Recommended next: {named}, the exam this pack prepares you for."
    return f"Recommended next: {named}."
