"""Read a pack folder into a :class:`~certprep.content.models.Pack`, collecting every problem with file and line.

Reading never stops at the first problem: authors fix a whole batch at once, so every file is read and every rule
checked, and the caller gets the full list. A pack with any error-level problem is not returned.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import urlparse

from pydantic import BaseModel, ValidationError

from certprep.content.codes import question_code
from certprep.content.models import (
    NOTE_SECTIONS,
    Blueprint,
    Explainer,
    Flashcard,
    Note,
    NoteSection,
    Pack,
    Question,
)
from certprep.content.similarity import near_duplicates
from certprep.content.yamlio import LineDict, LineList, YamlError, load_yaml, parse_yaml, split_front_matter

Severity = Literal["error", "warning"]

COUNT_WORDS = {2: "TWO", 3: "THREE", 4: "FOUR", 5: "FIVE"}
DOMAIN_DIR = re.compile(r"^d(\d+)$")
DOMAIN_FILE = re.compile(r"^d(\d+)\.(yaml|md)$")
NEAR_DUPLICATE_THRESHOLD = 0.8
# An explainer is read in about a minute: its answer, reasoning, choices and distractor together stay under this.
EXPLAINER_MAX_WORDS = 200
# Explainer text is plain sentences: the tutor lays out its own headings, lists and tables around them.
_BLOCK_MARKUP = re.compile(r"^\s*(?:\||#{1,6}\s|[-*+]\s|\d+\.\s)", re.MULTILINE)


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in a pack file. ``line`` is 1-based; ``file`` is relative to the pack folder."""

    file: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "warning: "
        return f"{self.file}:{self.line}: {prefix}{self.message}"


class ProblemReport:
    """What reading content produced: a pack when it worked, and every problem found (the loader's and the
    importer's reports share this)."""

    pack: Pack | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def ok(self) -> bool:
        return self.pack is not None and not self.errors


@dataclass
class PackReport(ProblemReport):
    """The outcome of reading a pack: the pack when it has no errors, and every problem found."""

    path: Path
    pack: Pack | None
    problems: list[Problem] = field(default_factory=list)


class PackError(Exception):
    """Raised by :func:`load_pack` when a pack has errors; carries the full report."""

    def __init__(self, report: PackReport) -> None:
        self.report = report
        count = len(report.errors)
        super().__init__(f"pack {report.path} has {count} problem{'s' if count != 1 else ''}")


Model = TypeVar("Model", bound=BaseModel)


class _Reader:
    """Reads one pack folder; holds the problems found so far."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def report(self, path: Path, line: int, message: str, severity: Severity = "error") -> None:
        try:
            shown = str(path.relative_to(self.root))
        except ValueError:
            shown = str(path)
        self.problems.append(Problem(shown, line, message, severity))

    def read_yaml(self, path: Path) -> Any:
        try:
            return load_yaml(path)
        except YamlError as error:
            self.report(path, error.line, error.message)
        except (OSError, UnicodeDecodeError) as error:
            self.report(path, 1, f"cannot read file: {error}")
        return None

    def build(self, model: type[Model], data: Any, path: Path, what: str) -> Model | None:
        """Validate ``data`` against ``model``, reporting each schema error at the line it concerns."""
        if not isinstance(data, dict):
            line = data.line if isinstance(data, LineList) else 1
            self.report(path, line, f"{what} must be a mapping of fields")
            return None
        try:
            return model.model_validate(dict(data))
        except ValidationError as error:
            for detail in error.errors():
                location = detail["loc"]
                field_path = ".".join(str(part) for part in location) or what
                message = detail["msg"]
                if detail["type"] == "extra_forbidden":
                    message = "unknown field (not part of the format)"
                self.report(path, _line_at(data, location), f"{what}: {field_path}: {message}")
            return None


def _line_at(data: Any, location: Sequence[int | str]) -> int:
    """The line of the deepest value along ``location`` that exists in the parsed YAML."""
    line = getattr(data, "line", 1)
    node = data
    for part in location:
        if isinstance(node, LineDict) and isinstance(part, str) and part in node:
            line, node = node.line_of(part), node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line, node = node.line_of(part), node[part]
        else:
            break
    return int(line)


def _items(data: Any) -> Iterator[tuple[int, Any]]:
    """(line, item) for each entry of a parsed YAML list."""
    if isinstance(data, LineList):
        for index, item in enumerate(data):
            yield data.line_of(index), item


def _line_of(item: Any, key: str, default: int) -> int:
    return item.line_of(key) if isinstance(item, LineDict) else default


def read_pack(root: Path) -> PackReport:
    """Read and check the pack in ``root``; never raises for content problems."""
    root = Path(root)
    reader = _Reader(root)
    if not root.is_dir():
        reader.report(root, 1, "pack folder does not exist")
        return PackReport(root, None, reader.problems)

    blueprint = _read_blueprint(reader, root / "blueprint.yaml")
    question_sources = _read_questions(reader, root, blueprint)
    flashcard_sources = _read_flashcards(reader, root, blueprint)
    notes = _read_notes(reader, root, blueprint)
    explainer_sources = _read_explainers(reader, root, blueprint)
    _check_unique_ids(reader, question_sources, flashcard_sources, explainer_sources)
    _check_near_duplicates(reader, question_sources)
    if blueprint is not None:
        _check_codes(reader, blueprint.pack_id, question_sources)

    pack = None
    if blueprint is not None and not any(problem.severity == "error" for problem in reader.problems):
        pack = Pack(
            path=root,
            blueprint=blueprint,
            questions=tuple(question for question, _, _ in question_sources),
            flashcards=tuple(card for card, _, _ in flashcard_sources),
            notes=tuple(sorted(notes, key=lambda note: note.domain)),
            explainers=tuple(explainer for explainer, _, _ in explainer_sources),
        )
    return PackReport(root, pack, sorted(reader.problems))


def load_pack(root: Path) -> Pack:
    """Read a pack and return it, or raise :class:`PackError` listing every problem."""
    report = read_pack(root)
    if report.pack is None or report.errors:
        raise PackError(report)
    return report.pack


def _read_blueprint(reader: _Reader, path: Path) -> Blueprint | None:
    if not path.is_file():
        reader.report(path, 1, "blueprint.yaml is missing")
        return None
    data = reader.read_yaml(path)
    if data is None:
        return None
    blueprint = reader.build(Blueprint, data, path, "blueprint")
    if blueprint is None:
        return None
    domains_line = _line_of(data, "domains", 1)
    total_weight = sum(domain.weight for domain in blueprint.domains)
    if abs(total_weight - 100) > 1e-6:
        reader.report(path, domains_line, f"domain weights add up to {total_weight:g}, not 100")
    domain_ids = [domain.id for domain in blueprint.domains]
    if len(set(domain_ids)) != len(domain_ids):
        reader.report(path, domains_line, "domain ids are not unique")
    seen_tasks: set[str] = set()
    for domain in blueprint.domains:
        for task in domain.tasks:
            if task.id in seen_tasks:
                reader.report(path, domains_line, f"task {task.id} is listed twice")
            seen_tasks.add(task.id)
            if task.id.split(".")[0] != str(domain.id):
                reader.report(path, domains_line, f"task {task.id} is listed under domain {domain.id}")
    counts = blueprint.questions
    if counts.scored + counts.unscored != counts.total:
        reader.report(path, _line_of(data, "questions", 1), "questions: scored + unscored must equal total")
    scale = blueprint.scale
    if not scale.min < scale.passing <= scale.max:
        reader.report(path, _line_of(data, "scale", 1), "scale: need min < passing <= max")
    return blueprint


QuestionSource = tuple[Question, Path, int]
FlashcardSource = tuple[Flashcard, Path, int]
ExplainerSource = tuple[Explainer, Path, int]


def _domain_files(reader: _Reader, folder: Path, pattern: re.Pattern[str], want_dirs: bool) -> list[tuple[int, Path]]:
    found: list[tuple[int, Path]] = []
    if not folder.is_dir():
        return found
    for entry in sorted(folder.iterdir()):
        match = pattern.match(entry.name)
        if entry.name.startswith("."):
            continue
        if match is None or entry.is_dir() != want_dirs:
            reader.report(entry, 1, f"unexpected {'folder' if entry.is_dir() else 'file'} in {folder.name}/")
            continue
        found.append((int(match.group(1)), entry))
    return found


def _check_domain_and_task(
    reader: _Reader,
    blueprint: Blueprint | None,
    path: Path,
    item: Any,
    line: int,
    label: str,
    entry: Question | Flashcard | Explainer,
    folder: int,
) -> None:
    domain, task = entry.domain, entry.task
    if domain != folder:
        reader.report(
            path, _line_of(item, "domain", line), f"{label}: domain is {domain} but the file is for domain {folder}"
        )
    if blueprint is None:
        return
    if blueprint.task(task) is None:
        reader.report(path, _line_of(item, "task", line), f"{label}: task {task} is not in the blueprint")
        return
    owner = blueprint.domain_of_task(task)
    if owner is not None and owner.id != domain:
        reader.report(
            path, _line_of(item, "task", line), f"{label}: task {task} belongs to domain {owner.id}, not {domain}"
        )
    known = blueprint.known_services
    for name in entry.services:
        if name not in known:
            reader.report(
                path,
                _line_of(item, "services", line),
                f"{label}: service '{name}' is not in the blueprint's services or additional_services",
            )


def _read_questions(reader: _Reader, root: Path, blueprint: Blueprint | None) -> list[QuestionSource]:
    sources: list[QuestionSource] = []
    questions_dir = root / "questions"
    for folder_domain, folder in _domain_files(reader, questions_dir, DOMAIN_DIR, want_dirs=True):
        if blueprint is not None and blueprint.domain(folder_domain) is None:
            reader.report(folder, 1, f"domain {folder_domain} is not in the blueprint")
        for path in sorted(folder.iterdir()):
            if path.name.startswith("."):
                continue
            if path.suffix not in (".yaml", ".yml") or not path.is_file():
                reader.report(path, 1, "unexpected file: question files end in .yaml")
                continue
            data = reader.read_yaml(path)
            if data is None:
                continue
            if not isinstance(data, LineList):
                reader.report(path, getattr(data, "line", 1), "a question file must be a YAML list of questions")
                continue
            for line, item in _items(data):
                question = reader.build(Question, item, path, f"question {_item_id(item)}")
                if question is None:
                    continue
                _check_question(reader, blueprint, path, item, line, question, folder_domain)
                sources.append((question, path, line))
    return sources


def _item_id(item: Any) -> str:
    value = item.get("id") if isinstance(item, dict) else None
    return f"'{value}'" if isinstance(value, str) else "(no id)"


def _check_question(
    reader: _Reader, blueprint: Blueprint | None, path: Path, item: Any, line: int, question: Question, folder: int
) -> None:
    label = f"question '{question.id}'"
    _check_domain_and_task(reader, blueprint, path, item, line, label, question, folder)
    options_line = _line_of(item, "options", line)
    correct = len(question.correct_ids)
    option_ids = [option.id for option in question.options]
    expected_ids = [chr(ord("A") + index) for index in range(len(option_ids))]
    if option_ids != expected_ids:
        reader.report(path, options_line, f"{label}: option ids must be {', '.join(expected_ids)} in order")
    if question.type == "single":
        if len(question.options) != 4:
            reader.report(
                path,
                options_line,
                f"{label}: a single-answer question needs exactly 4 options, has {len(question.options)}",
            )
        if correct != 1:
            reader.report(
                path, options_line, f"{label}: a single-answer question needs exactly 1 correct option, has {correct}"
            )
        if question.select != 1:
            reader.report(
                path, _line_of(item, "select", line), f"{label}: select must be 1 for a single-answer question"
            )
    else:
        if len(question.options) < 5:
            reader.report(
                path,
                options_line,
                f"{label}: a multiple-response question needs at least 5 options, has {len(question.options)}",
            )
        if question.select < 2:
            reader.report(
                path,
                _line_of(item, "select", line),
                f"{label}: select must be at least 2 for a multiple-response question",
            )
        if correct != question.select:
            reader.report(
                path, options_line, f"{label}: select is {question.select} but {correct} options are marked correct"
            )
        word = COUNT_WORDS.get(question.select, str(question.select))
        if f"choose {word}".lower() not in question.stem.lower():
            reader.report(path, _line_of(item, "stem", line), f'{label}: the stem must say "(Choose {word}.)"')
    if question.checked is not None and question.checked < question.updated:
        reader.report(
            path,
            _line_of(item, "checked", line),
            f"{label}: changed on {question.updated} after its documentation check on {question.checked}; "
            "check it again and move `checked`",
            "warning",
        )
    texts = [option.text.casefold() for option in question.options]
    if len(set(texts)) != len(texts):
        reader.report(path, options_line, f"{label}: two options have the same text")
    if blueprint is not None:
        _check_references(reader, blueprint, path, _line_of(item, "references", line), label, question.references)


def _check_references(
    reader: _Reader, blueprint: Blueprint, path: Path, line: int, label: str, references: Sequence[str]
) -> None:
    hosts = blueprint.reference_hosts
    for reference in references:
        parsed = urlparse(reference)
        if parsed.scheme != "https" or parsed.hostname not in hosts:
            reader.report(path, line, f"{label}: reference {reference!r} must be an https URL on {' or '.join(hosts)}")


Entry = TypeVar("Entry", Flashcard, Explainer)


def _read_domain_lists(
    reader: _Reader,
    folder: Path,
    model: type[Entry],
    noun: str,
    check: Callable[[Path, Any, int, Entry, int], None],
) -> list[tuple[Entry, Path, int]]:
    """Read ``folder/d<N>.yaml`` files that each hold a YAML list of ``model`` entries of domain N (flashcards,
    explainers): every entry is built, reported at its line when it does not fit, and checked by ``check``."""
    sources: list[tuple[Entry, Path, int]] = []
    for folder_domain, path in _domain_files(reader, folder, DOMAIN_FILE, want_dirs=False):
        if path.suffix != ".yaml":
            reader.report(path, 1, f"unexpected file: {noun} files are d<N>.yaml")
            continue
        data = reader.read_yaml(path)
        if data is None:
            continue
        if not isinstance(data, LineList):
            reader.report(path, getattr(data, "line", 1), f"a {noun} file must be a YAML list of {noun}s")
            continue
        for line, item in _items(data):
            entry = reader.build(model, item, path, f"{noun} {_item_id(item)}")
            if entry is not None:
                check(path, item, line, entry, folder_domain)
                sources.append((entry, path, line))
    return sources


def _read_flashcards(reader: _Reader, root: Path, blueprint: Blueprint | None) -> list[FlashcardSource]:
    def check(path: Path, item: Any, line: int, card: Flashcard, folder: int) -> None:
        _check_domain_and_task(reader, blueprint, path, item, line, f"flashcard '{card.id}'", card, folder)

    return _read_domain_lists(reader, root / "flashcards", Flashcard, "flashcard", check)


def _read_explainers(reader: _Reader, root: Path, blueprint: Blueprint | None) -> list[ExplainerSource]:
    def check(path: Path, item: Any, line: int, explainer: Explainer, folder: int) -> None:
        _check_explainer(reader, blueprint, path, item, line, explainer, folder)

    return _read_domain_lists(reader, root / "explainers", Explainer, "explainer", check)


def _check_explainer(
    reader: _Reader, blueprint: Blueprint | None, path: Path, item: Any, line: int, explainer: Explainer, folder: int
) -> None:
    label = f"explainer '{explainer.id}'"
    _check_domain_and_task(reader, blueprint, path, item, line, label, explainer, folder)
    asks_line = _line_of(item, "asks", line)
    if not 2 <= len(explainer.asks) <= 5:
        reader.report(path, asks_line, f"{label}: needs 2 to 5 ways a learner asks it, has {len(explainer.asks)}")
    if len({ask.casefold() for ask in explainer.asks}) != len(explainer.asks):
        reader.report(path, asks_line, f"{label}: two of its asks are the same")
    choose_line = _line_of(item, "choose", line)
    if explainer.kind in ("compare", "choose"):
        if not 2 <= len(explainer.choose) <= 5:
            reader.report(
                path, choose_line, f"{label}: a {explainer.kind} explainer needs 2 to 5 choose rows (when to pick each)"
            )
    elif explainer.choose:
        reader.report(path, choose_line, f"{label}: choose rows belong to compare and choose explainers only")
    if not explainer.distractor:
        reader.report(path, line, f"{label}: distractor is missing (the usual wrong answer and why it fails)")
    texts = [("answer", explainer.answer), ("reasoning", explainer.reasoning), ("distractor", explainer.distractor)]
    texts += [("choose", f"{choice.option} {choice.when}") for choice in explainer.choose]
    for key, text in texts:
        if _BLOCK_MARKUP.search(text):
            reader.report(
                path, _line_of(item, key, line), f"{label}: {key} must be plain sentences (no table, heading or list)"
            )
    words = sum(len(text.split()) for _, text in texts)
    if words > EXPLAINER_MAX_WORDS:
        reader.report(
            path, line, f"{label}: {words} words; an explainer reads in a minute (at most {EXPLAINER_MAX_WORDS})"
        )
    if blueprint is not None:
        _check_references(reader, blueprint, path, _line_of(item, "references", line), label, explainer.references)


def parse_note(text: str) -> tuple[dict[str, Any] | None, str, int, list[tuple[int, NoteSection]]]:
    """Split a notes file into front matter, body, body start line and level-2 sections with their lines."""
    front, body, body_line = split_front_matter(text)
    meta = parse_yaml(front) if front is not None else None
    sections: list[tuple[int, NoteSection]] = []
    current_title: str | None = None
    current_line = body_line
    current_lines: list[str] = []
    for offset, raw in enumerate(body.splitlines()):
        if raw.startswith("## "):
            if current_title is not None:
                sections.append((current_line, NoteSection(title=current_title, body="\n".join(current_lines).strip())))
            current_title = raw[3:].strip()
            current_line = body_line + offset
            current_lines = []
        elif current_title is not None:
            current_lines.append(raw)
    if current_title is not None:
        sections.append((current_line, NoteSection(title=current_title, body="\n".join(current_lines).strip())))
    return (dict(meta) if isinstance(meta, dict) else None), body, body_line, sections


def _read_notes(reader: _Reader, root: Path, blueprint: Blueprint | None) -> list[Note]:
    notes: list[Note] = []
    for folder_domain, path in _domain_files(reader, root / "notes", DOMAIN_FILE, want_dirs=False):
        if path.suffix != ".md":
            reader.report(path, 1, "unexpected file: note files are d<N>.md")
            continue
        try:
            meta, body, _, sections = parse_note(path.read_text(encoding="utf-8"))
        except YamlError as error:
            reader.report(path, error.line + 1, f"front matter: {error.message}")
            continue
        except (OSError, UnicodeDecodeError) as error:
            reader.report(path, 1, f"cannot read file: {error}")
            continue
        if meta is None:
            reader.report(path, 1, "notes must start with YAML front matter (--- domain, title ---)")
            continue
        note = reader.build(Note, {**meta, "body": body, "sections": [s for _, s in sections]}, path, "notes")
        if note is None:
            continue
        if note.domain != folder_domain:
            reader.report(path, 2, f"front matter says domain {note.domain} but the file is for domain {folder_domain}")
        if blueprint is not None and blueprint.domain(note.domain) is None:
            reader.report(path, 2, f"domain {note.domain} is not in the blueprint")
        titles = [section.title for _, section in sections]
        present = [title for title in titles if title in NOTE_SECTIONS]
        for title in NOTE_SECTIONS:
            if title not in titles:
                reader.report(path, 1, f"missing section '## {title}'")
        if present != [title for title in NOTE_SECTIONS if title in present]:
            reader.report(path, 1, f"sections must come in this order: {', '.join(NOTE_SECTIONS)}")
        for line, section in sections:
            if not section.body:
                reader.report(path, line, f"section '## {section.title}' is empty")
        notes.append(note)
    return notes


def _check_unique_ids(
    reader: _Reader,
    questions: list[QuestionSource],
    cards: list[FlashcardSource],
    explainers: list[ExplainerSource],
) -> None:
    first_seen: dict[str, tuple[Path, int]] = {}
    entries: list[tuple[str, Path, int]] = [(q.id, p, line) for q, p, line in questions]
    entries += [(c.id, p, line) for c, p, line in cards]
    entries += [(e.id, p, line) for e, p, line in explainers]
    for item_id, path, line in entries:
        if item_id in first_seen:
            other_path, other_line = first_seen[item_id]
            where = f"{other_path.relative_to(reader.root)}:{other_line}"
            reader.report(path, line, f"id '{item_id}' is already used at {where}")
        else:
            first_seen[item_id] = (path, line)


def _check_codes(reader: _Reader, pack_id: str, questions: list[QuestionSource]) -> None:
    """Two questions whose public codes collide (about one pack in a million per thousand questions)."""
    seen: dict[str, QuestionSource] = {}
    for source in questions:
        question, path, line = source
        code = question_code(pack_id, question.id)
        if code in seen:
            earlier = seen[code][0]
            message = f"question '{question.id}': its public code {code} is also that of '{earlier.id}'; rename one"
            reader.report(path, line, message)
        seen.setdefault(code, source)


def _check_near_duplicates(reader: _Reader, questions: list[QuestionSource]) -> None:
    stems = [question.stem for question, _, _ in questions]
    for first, second, score in near_duplicates(stems, NEAR_DUPLICATE_THRESHOLD):
        earlier, earlier_path, earlier_line = questions[first]
        later, later_path, later_line = questions[second]
        where = f"{earlier_path.relative_to(reader.root)}:{earlier_line}"
        reader.report(
            later_path,
            later_line,
            f"question '{later.id}': stem is a near-duplicate ({score:.0%} alike) of '{earlier.id}' at {where}",
        )
