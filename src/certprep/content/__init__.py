"""Content: exam blueprints, questions, flashcards, notes and explainers, read from pack folders.

Pure Python: nothing here knows about the web, the database or the terminal.
"""

from certprep.content.apportion import largest_remainder
from certprep.content.loader import PackError, PackReport, Problem, load_pack, read_pack
from certprep.content.models import (
    Blueprint,
    Choice,
    Domain,
    Explainer,
    Flashcard,
    Note,
    Option,
    Pack,
    Question,
    Task,
)
from certprep.content.stats import pack_stats

__all__ = [
    "Blueprint",
    "Choice",
    "Domain",
    "Explainer",
    "Flashcard",
    "Note",
    "Option",
    "Pack",
    "PackError",
    "PackReport",
    "Problem",
    "Question",
    "Task",
    "largest_remainder",
    "load_pack",
    "pack_stats",
    "read_pack",
]
