"""What the question-bank interchange formats (GIFT, Moodle XML, CSV) have in common, both ways.

(The printable question bank is another thing: :mod:`certprep.exports.question_bank` typesets a PDF.)

Export: a pack's questions grouped into categories, one per task statement under one per domain, with certprep's own
facts (id, difficulty, services, tags, status, last update) carried as Moodle question tags and the references at the
end of the general feedback. Moodle keeps all of that, so a bank can go to Moodle and back without loss.

Import: each parser turns its format into :class:`BankQuestion` values that remember the line they came from;
:mod:`certprep.exports.importer` turns those into a pack and checks it with the pack rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from certprep.content.models import Pack, Question

ROOT_CATEGORY = "$course$/top"
REFERENCES_HEADING = "References:"
# Moodle's grades for multiple-response options. A correct option is worth 100/select percent and a wrong one costs
# as much, so choosing every option scores nothing, as on the real exam.
_META_PREFIXES = ("difficulty", "service", "status", "updated")

ParseProblem = tuple[int, str]
"""(line of the import file, message): what a parser could not read."""


@dataclass
class BankOption:
    text: str
    correct: bool
    why: str = ""


@dataclass
class BankQuestion:
    """One question read from an import file, not yet checked against the pack rules."""

    line: int
    name: str = ""
    domain: str = ""
    task: str = ""
    stem: str = ""
    options: list[BankOption] = field(default_factory=list)
    explanation: str = ""
    references: list[str] = field(default_factory=list)
    difficulty: int | None = None
    services: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    status: str | None = None
    updated: str | None = None


# -- export helpers -----------------------------------------------------------------------------------------------


def exportable(pack: Pack, domain: int | None = None) -> list[Question]:
    """The questions a bank export holds: every question that is not retired, optionally of one domain."""
    return [q for q in pack.questions if q.status != "retired" and (domain is None or q.domain == domain)]


def grouped(pack: Pack, questions: list[Question]) -> Iterator[tuple[str, list[Question]]]:
    """(category path, questions) per task statement, in blueprint order."""
    blueprint = pack.blueprint
    for domain in blueprint.domains:
        for task in domain.tasks:
            members = [q for q in questions if q.domain == domain.id and q.task == task.id]
            if members:
                names = [blueprint.exam_code, f"{domain.id}. {domain.name}", f"{task.id} {task.title}"]
                # Moodle separates categories with "/" and writes a "/" inside a name as "//".
                path = "/".join([ROOT_CATEGORY, *(name.replace("/", "//") for name in names)])
                yield " ".join(path.split()), members


def meta_tags(question: Question) -> list[str]:
    """certprep's facts about a question as Moodle tags (``difficulty:3``, ``service:AWS CodeBuild``, ...)."""
    tags = [f"difficulty:{question.difficulty}"]
    tags += [f"service:{name}" for name in question.services]
    tags += [f"status:{question.status}", f"updated:{question.updated.isoformat()}"]
    return tags + list(question.tags)


def general_feedback(question: Question) -> str:
    """The explanation, then the references as a Markdown list under a fixed heading the importer recognises."""
    lines = [question.explanation.strip(), "", REFERENCES_HEADING]
    lines += [f"- {url}" for url in question.references]
    return "\n".join(lines)


def fraction(question: Question, correct: bool) -> str:
    """The Moodle grade of an option, in percent, written the way Moodle writes its grade list (33.33333)."""
    if question.type == "single":
        return "100" if correct else "0"
    share = 100 / question.select
    text = f"{share:.5f}".rstrip("0").rstrip(".")
    return text if correct else f"-{text}"


# -- import helpers -----------------------------------------------------------------------------------------------


def to_markdown(text: str, text_format: str) -> str:
    """Text of an imported question in Markdown, the pack's format: HTML is converted, anything else kept as is.

    Moodle's "moodle auto-format" and "plain" texts are close enough to Markdown paragraphs to keep unchanged.
    """
    if text_format == "html":
        # Imported here: markdownify pulls in BeautifulSoup, half a second that every other command would pay.
        from markdownify import markdownify

        return str(markdownify(text, heading_style="ATX", bullets="-")).strip()
    return text.strip()


def apply_tags(question: BankQuestion, tags: list[str]) -> list[str]:
    """Read certprep's ``key:value`` tags into ``question``; return a message for each one that makes no sense."""
    problems = []
    for raw in tags:
        tag = raw.strip()
        key, _, value = tag.partition(":")
        key, value = key.strip().lower(), value.strip()
        if not tag:
            continue
        if key not in _META_PREFIXES or not value:
            question.tags.append(tag)
        elif key == "difficulty":
            if value.isdigit():
                question.difficulty = int(value)
            else:
                problems.append(f"tag '{tag}': difficulty must be a whole number from 1 to 5")
        elif key == "service":
            question.services.append(value)
        elif key == "status":
            question.status = value
        else:
            question.updated = value
    return problems


def split_references(feedback: str) -> tuple[str, list[str]]:
    """(explanation, references) from a general feedback.

    A trailing "References:" list (as certprep exports it) becomes the references. Without one, every http(s) link
    in the feedback counts as a reference, and the feedback stays the explanation as written.
    """
    text = feedback.strip()
    lines = text.splitlines()
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].strip() == REFERENCES_HEADING:
            urls = [line.strip().lstrip("-*").strip() for line in lines[index + 1 :] if line.strip()]
            if urls and all(re.fullmatch(r"\S+", url) for url in urls):
                return "\n".join(lines[:index]).strip(), urls
            break
    urls = list(dict.fromkeys(re.findall(r"https?://[^\s)<>\]\"']+", text)))
    return text, [url.rstrip(".,;") for url in urls]


_NUMBERED_DOMAIN = re.compile(r"^\d+\s*[.:)]\s*")
_NUMBERED_TASK = re.compile(r"^\d+\.\d+\s*[.:)]?\s+")


def category_names(path: str) -> tuple[str, str]:
    """(domain name, task title) from a Moodle category path.

    Moodle's own root parts (``$course$``, ``top``...) are dropped. The last part is the task statement and the one
    before it the domain; a path with one part is a domain with a single task statement of the same name.
    Numbering that certprep adds on export ("1. ", "1.2 ") is removed again.
    """
    hidden_slash = "\x00"
    pieces = path.strip().replace("//", hidden_slash).split("/")
    parts = [part.replace(hidden_slash, "/").strip() for part in pieces if part.strip()]
    parts = [part for part in parts if not (part.startswith("$") and part.endswith("$"))]
    if parts and parts[0] == "top":
        parts = parts[1:]
    if not parts:
        return "", ""
    task = _NUMBERED_TASK.sub("", parts[-1])
    domain = _NUMBERED_DOMAIN.sub("", parts[-2]) if len(parts) >= 2 else task
    return domain, task


def slugify(text: str, limit: int = 100) -> str:
    """A question id from a name: lower-case letters, digits and single hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-")
