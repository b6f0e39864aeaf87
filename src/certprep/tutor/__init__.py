"""The tutor: answers grounded in a content pack, with citations; offline by default, a language model optionally.

Pure Python: it reads a loaded :class:`~certprep.content.models.Pack` and never touches the web or the database.
The caller says which questions are off limits (those of a running exam) through :class:`TutorContext`.
"""

from certprep.tutor.index import Hit, PassageIndex
from certprep.tutor.llm import LLMClient, LLMConfig, LLMError
from certprep.tutor.modes import MODES, Mode, Request, parse
from certprep.tutor.passages import Passage, extract_passages, passage_url, related_passages
from certprep.tutor.tutor import REFUSAL, Answer, Prepared, Tutor, TutorContext, prepare

__all__ = [
    "MODES",
    "REFUSAL",
    "Answer",
    "Hit",
    "LLMClient",
    "LLMConfig",
    "LLMError",
    "Mode",
    "Passage",
    "PassageIndex",
    "Prepared",
    "Request",
    "Tutor",
    "TutorContext",
    "extract_passages",
    "parse",
    "passage_url",
    "prepare",
    "related_passages",
]
