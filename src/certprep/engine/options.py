"""The order in which one attempt shows a question's options, and the letters it shows them under.

Repeated practice should test knowledge, not where the key sat last time, so practice sessions (every mode that is
not a timed exam) show each question's options in an order of their own, while full exams and mocks keep the pack's
order unless the learner asks for shuffling, so that a seed reproduces a form exactly. Whatever the order, the
letters run A, B, C... down the page: the learner reads, chooses and is told about *display letters*.

Everything stored stays in the pack's *authoring ids* (the ``id`` of each option in the pack's YAML): the saved
selection and struck-out options, the key in a stored result, calibration, missed-question review and backups. Only
presentation maps one to the other, through :class:`OptionLabels`, and the one permutation behind it is
:func:`option_order`. It is derived from the attempt's seed and the item, never stored, so the same attempt shows
the same order after a reload, a restart or a restore from a backup, and no migration is needed.

Options that must stay in place ("All of the above" and the like) would need pinning; the DOP-C02 pack has none
(``tests/content/test_dop_c02_pack.py`` keeps it so), and every option is shuffled.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from certprep.content.models import Question
from certprep.engine.forms import Mode, is_exam_mode

# The key of an attempt's ``config`` that says whether its options are shuffled. An attempt without it (one started
# before shuffling existed) keeps the pack's order, so its answers read as they did.
SHUFFLE_CONFIG = "shuffle_options"


def shuffles_by_default(mode: Mode) -> bool:
    """Practice shuffles options unless the learner says otherwise; a timed exam keeps the pack's order."""
    return not is_exam_mode(mode)


def option_order(option_ids: Sequence[str], seed: int, position: int, question_id: str) -> tuple[str, ...]:
    """The authoring ids of one item's options in the order the attempt shows them: a uniform random permutation.

    Pure and deterministic: the generator is seeded from the attempt's ``seed``, the item's ``position`` and its
    ``question_id`` together (a string seed, which :class:`random.Random` hashes with SHA-512, so the order does not
    depend on ``PYTHONHASHSEED`` or the platform). Two items of one attempt, or the same question in two attempts,
    get independent orders, so the key lands in every slot about equally often.

    >>> option_order(("A", "B", "C", "D"), seed=7, position=1, question_id="q") == option_order(
    ...     ("A", "B", "C", "D"), seed=7, position=1, question_id="q")
    True
    >>> sorted(option_order(("A", "B", "C", "D"), seed=7, position=1, question_id="q"))
    ['A', 'B', 'C', 'D']
    """
    order = list(option_ids)
    random.Random(f"certprep-options:{seed}:{position}:{question_id}").shuffle(order)
    return tuple(order)


@dataclass(frozen=True)
class OptionLabels:
    """One item's options as an attempt shows them: ``order`` holds the authoring ids top to bottom, and the option
    at index ``i`` is shown under ``letters[i]`` (the pack's own letters in their order: A, B, C...).

    ``shown`` turns authoring ids into display letters (for everything sent to the learner), ``stored`` turns what
    the learner sends back into authoring ids (for everything kept). Letters it does not know pass through
    unchanged, so a wrong letter still reaches the answer rules and is refused there with one sentence: display
    letters and authoring ids are the same set, so the sentence is true in either.
    """

    order: tuple[str, ...]
    letters: tuple[str, ...]

    @classmethod
    def of(cls, question: Question, seed: int, position: int, shuffle: bool) -> OptionLabels:
        """The labels of ``question`` at ``position`` of an attempt with ``seed``; the pack's order unless
        ``shuffle``."""
        ids = tuple(option.id for option in question.options)
        return cls(option_order(ids, seed, position, question.id) if shuffle else ids, ids)

    @property
    def identity(self) -> bool:
        return self.order == self.letters

    def shown(self, ids: Iterable[str]) -> list[str]:
        """Authoring ids as the display letters the learner sees, sorted."""
        letter = dict(zip(self.order, self.letters, strict=True))
        return sorted(letter.get(option_id, option_id) for option_id in ids)

    def stored(self, letters: Iterable[str]) -> list[str]:
        """Display letters the learner sent as the authoring ids they stand for (spaces and case as the answer
        rules accept them)."""
        authoring = dict(zip(self.letters, self.order, strict=True))
        return [authoring.get(letter.strip().upper(), letter) for letter in letters]
