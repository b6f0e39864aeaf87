"""The certification path (for DOP-C02: CLF-C02 -> SAA-C03 or SOA-C03 -> DOP-C02) with what the learner holds.

The path comes from the pack blueprint as an ordered list of steps; steps that name each other in ``alternative_to``
form one tier ("SAA-C03 or SOA-C03"). The recommendation follows the exam the learner prepares for (the pack's): someone
preparing for DOP-C02 is pointed at DOP-C02, with the associate tier named as its usual preparation, never sent to the
foundational exam first, since AWS sets no prerequisites.
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
    preparation: bool = False  # usually taken before the target, recommended as preparation (AWS requires none)


@dataclass(frozen=True)
class PathView:
    """The path in tiers, the exams recommended next, their usual preparation, and a sentence saying so."""

    target: str
    tiers: tuple[tuple[StepView, ...], ...]
    recommended: tuple[str, ...]
    message: str
    preparation: tuple[str, ...] = ()


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
    """The path with each step marked held, expired or not held, and what to take next.

    The learner is preparing for ``target``: while they do not hold it, it is the exam recommended next, and the tier
    just before it (for DOP-C02, SAA-C03 or SOA-C03) is named as its usual preparation when none of that tier is
    held. Lower tiers are never put in its way: AWS sets no prerequisites. Once the target is held (or when it is not
    on the path), the tier after the highest one held is recommended.
    """
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
    wanted = target.upper()
    target_index = next(
        (index for index, row in enumerate(states) if any(step.code.upper() == wanted for step, _, _ in row)), None
    )
    target_held = target_index is not None and any(
        step.code.upper() == wanted and state == "held" for step, state, _ in states[target_index]
    )
    recommended: tuple[str, ...] = ()
    preparation: tuple[str, ...] = ()
    if target_index is not None and not target_held:
        recommended = tuple(step.code for step, _, _ in states[target_index] if step.code.upper() == wanted)
        before = states[target_index - 1] if target_index > 0 else []
        if before and all(state != "held" for _, state, _ in before):
            preparation = tuple(step.code for step, _, _ in before)
    elif highest_held + 1 < len(states):
        recommended = tuple(step.code for step, state, _ in states[highest_held + 1] if state != "held")
    tiers = tuple(
        tuple(
            StepView(
                code=step.code,
                name=step.name,
                level=step.level,
                state=state,
                credential=credential,
                is_target=step.code.upper() == wanted,
                recommended=step.code in recommended,
                preparation=step.code in preparation,
            )
            for step, state, credential in row
        )
        for row in states
    )
    return PathView(
        target=target,
        tiers=tiers,
        recommended=recommended,
        preparation=preparation,
        message=_message(tiers, recommended, preparation, target, target_held),
    )


def _named(codes: Sequence[str], by_code: dict[str, StepView]) -> str:
    return " or ".join(f"{code} ({by_code[code].name})" for code in codes)


def _message(
    tiers: Sequence[Sequence[StepView]],
    recommended: Sequence[str],
    preparation: Sequence[str],
    target: str,
    target_held: bool,
) -> str:
    if not tiers:
        return "This exam's pack describes no certification path."
    by_code = {step.code: step for tier in tiers for step in tier}
    if not recommended:
        if target_held:
            return f"You hold {target}, the exam this pack prepares you for. Keep it current."
        return f"You hold every certification on this path, up to {tiers[-1][0].code}. Keep them current."
    named = _named(recommended, by_code)
    if target not in recommended:
        return f"Recommended next: {named}."
    message = f"Recommended next: {named}, the exam you are preparing for."
    if preparation:
        message += (
            f" Usually taken first, and recommended as preparation: {_named(preparation, by_code)};"
            " AWS sets no prerequisites."
        )
    return message
