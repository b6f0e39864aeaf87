"""Bring your own questions: a GIFT, Moodle XML or CSV question bank becomes a new certprep pack.

The new pack is checked by the very rules every pack must pass (``certprep.content.read_pack``), and each problem is
reported at the line of the *import file* where the question starts, not in the YAML written from it. The pack is
written only when there is no error, so a failed import leaves nothing half-made behind.

How a bank maps onto a pack:

- categories become domains and task statements (see :func:`certprep.exports.interchange.category_names`; CSV has
  ``domain`` and ``task`` columns); domain weights follow the number of questions in each;
- one correct option makes a single-answer question, two or more a multiple-response one, whose stem gets the
  "(Choose TWO.)" phrase the pack rules ask for if it does not say it already;
- option feedback is the option's ``why`` and the general feedback the explanation; the rules require both, and at
  least one https reference per question (a trailing "References:" list in the general feedback, or its links);
- the blueprint is generated: exam code from the pack id, a full exam of up to 65 questions, a 100-1000 scale with
  700 to pass, and the reference hosts the questions use.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

import yaml

from certprep.content.apportion import largest_remainder
from certprep.content.loader import COUNT_WORDS, Problem, ProblemReport, read_pack
from certprep.content.models import SLUG, Pack
from certprep.exports.csvbank import parse_csv
from certprep.exports.errors import ExportError
from certprep.exports.gift import parse_gift
from certprep.exports.interchange import BankQuestion, slugify
from certprep.exports.moodle import parse_moodle_xml

Format = Literal["gift", "moodle", "csv"]
FORMATS: tuple[Format, ...] = ("gift", "moodle", "csv")
_SUFFIXES: dict[str, Format] = {".gift": "gift", ".txt": "gift", ".xml": "moodle", ".csv": "csv"}
DEFAULT_DOMAIN = "Imported questions"
MAX_OPTIONS = 8
FULL_EXAM_QUESTIONS = 65
MINUTES_PER_QUESTION = 2.4  # DOP-C02's 180 minutes for 75 questions
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass
class ImportReport(ProblemReport):
    """What an import did: the new pack when it worked, and every problem with the import file's line."""

    source: Path
    target: Path
    pack: Pack | None
    questions: int
    problems: list[Problem] = field(default_factory=list)


def detect_format(path: Path, data: bytes) -> Format:
    """The format of ``path``, from its suffix or else its first bytes."""
    by_suffix = _SUFFIXES.get(path.suffix.lower())
    if by_suffix is not None:
        return by_suffix
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:200]
    if head.startswith(b"<?xml") or head.startswith(b"<quiz"):
        return "moodle"
    raise ExportError(f"cannot tell the format of {path.name}; name it .gift, .xml or .csv, or pass --format")


def parse_bank(data: bytes, bank_format: Format) -> tuple[list[BankQuestion], list[tuple[int, str]]]:
    """Questions and (line, message) problems of an import file in ``bank_format``."""
    if bank_format == "moodle":
        return parse_moodle_xml(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return [], [(line, "the file is not UTF-8 text; save it as UTF-8 and import it again")]
    return parse_csv(text) if bank_format == "csv" else parse_gift(text)


# -- turning questions into pack files ------------------------------------------------------------------------------


# libyaml's emitter when PyYAML has it: the pure-Python one takes seconds for a bank of a few hundred questions.
_SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _BlockDumper(_SafeDumper):  # type: ignore[misc,valid-type]  # chosen at run time, as PyYAML documents
    """Writes multi-line text as ``|`` blocks, so the new pack's files read like hand-written ones."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _represent_text)


def _dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=110)


@dataclass
class _Span:
    """Lines ``first``..``last`` of a generated file came from the question at ``source_line`` of the import file."""

    file: str
    first: int
    last: int
    source_line: int


def _choose_phrase(select: int) -> str:
    return f"(Choose {COUNT_WORDS.get(select, str(select))}.)"


def _question_entry(question: BankQuestion, question_id: str, domain: int, task: str, today: dt.date) -> dict[str, Any]:
    select = sum(1 for option in question.options if option.correct)
    multiple = select >= 2
    stem = question.stem.strip()
    phrase = _choose_phrase(select)
    if multiple and phrase.lower() not in stem.lower():
        stem = f"{stem} {phrase}"
    updated: Any = question.updated or today
    if isinstance(updated, str):
        with contextlib.suppress(ValueError):  # left as text: the pack rules report it at the question's line
            updated = dt.date.fromisoformat(updated)
    return {
        "id": question_id,
        "type": "multiple" if multiple else "single",
        "select": max(select, 1),
        "domain": domain,
        "task": task,
        "services": list(question.services),
        "difficulty": question.difficulty if question.difficulty is not None else 3,
        "stem": stem,
        "options": [
            {"id": chr(ord("A") + index), "text": option.text, "correct": option.correct, "why": option.why}
            for index, option in enumerate(question.options)
        ],
        "explanation": question.explanation,
        "references": list(question.references),
        "tags": list(question.tags),
        "status": question.status or "live",
        "updated": updated,
    }


def _ids(questions: list[BankQuestion], pack_id: str) -> list[str]:
    """A unique slug per question: from its name, else numbered; repeats get -2, -3..."""
    taken: set[str] = set()
    ids = []
    for number, question in enumerate(questions, start=1):
        base = slugify(question.name) or f"{pack_id}-q{number}"
        candidate, suffix = base, 2
        while candidate in taken:
            candidate, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(candidate)
        ids.append(candidate)
    return ids


def _weights(counts: list[int]) -> list[int]:
    """Whole-number weights adding up to 100, at least 1 each, otherwise proportional to ``counts``."""
    extra = largest_remainder(100 - len(counts), counts)
    return [1 + share for share in extra]


def build_pack_files(
    questions: list[BankQuestion], pack_id: str, name: str, today: dt.date
) -> tuple[dict[str, str], list[_Span]]:
    """The files of the new pack (relative path -> text) and where each question's lines came from."""
    domains: dict[str, list[str]] = {}
    for question in questions:
        domain = question.domain.strip() or DEFAULT_DOMAIN
        task = question.task.strip() or domain
        domains.setdefault(domain, [])
        if task not in domains[domain]:
            domains[domain].append(task)
    domain_ids = {domain: index for index, domain in enumerate(domains, start=1)}
    counts = {domain: 0 for domain in domains}
    for question in questions:
        counts[question.domain.strip() or DEFAULT_DOMAIN] += 1
    weights = _weights([counts[domain] for domain in domains])
    live = sum(1 for question in questions if (question.status or "live") == "live")
    total = min(max(live, 1), FULL_EXAM_QUESTIONS)
    services = sorted({name for question in questions for name in question.services})
    hosts = sorted({host for q in questions for url in q.references if (host := urlparse(url).hostname)})
    blueprint: dict[str, Any] = {
        "exam_code": pack_id.upper(),
        "pack_id": pack_id,
        "name": name,
        "provider": "Imported question bank",
        "level": "Custom",
        "content_version": "1",
        "questions": {"total": total, "scored": total, "unscored": 0},
        "duration_minutes": max(5, math.ceil(total * MINUTES_PER_QUESTION)),
        "scale": {"min": 100, "max": 1000, "passing": 700},
        "scoring_model": "compensatory",
        "question_types": [
            {"id": "single", "name": "Multiple choice", "description": "One correct answer out of four."},
            {"id": "multiple", "name": "Multiple response", "description": "Two or more correct answers."},
        ],
        "domains": [
            {
                "id": domain_ids[domain],
                "name": domain,
                "weight": weight,
                "tasks": [
                    {"id": f"{domain_ids[domain]}.{index}", "title": task, "knowledge": [], "skills": []}
                    for index, task in enumerate(tasks, start=1)
                ],
            }
            for (domain, tasks), weight in zip(domains.items(), weights, strict=True)
        ],
        "services": {"Imported": services} if services else {},
    }
    if hosts:
        blueprint["reference_hosts"] = hosts
    files = {"blueprint.yaml": f"# Generated by certprep import on {today.isoformat()}.\n" + _dump(blueprint)}
    spans: list[_Span] = []
    chunks: dict[str, list[str]] = {}
    lines: dict[str, int] = {}
    for question, question_id in zip(questions, _ids(questions, pack_id), strict=True):
        domain = question.domain.strip() or DEFAULT_DOMAIN
        task = question.task.strip() or domain
        domain_id = domain_ids[domain]
        task_id = f"{domain_id}.{domains[domain].index(task) + 1}"
        path = f"questions/d{domain_id}/imported.yaml"
        text = _dump([_question_entry(question, question_id, domain_id, task_id, today)])
        first = lines.get(path, 0) + 1
        size = text.count("\n")
        spans.append(_Span(path, first, first + size - 1, question.line))
        chunks.setdefault(path, []).append(text)
        lines[path] = first + size - 1
    files.update({path: "".join(parts) for path, parts in chunks.items()})
    return files, spans


def _write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


_GENERATED_PLACE = re.compile(r"(questions/d\d+/imported\.yaml):(\d+)")


def _source_problem(problem: Problem, spans: list[_Span], source: str) -> Problem:
    """A pack problem moved from the generated YAML to the import file's line."""

    def source_line(file: str, line: int) -> int | None:
        return next((s.source_line for s in spans if s.file == file and s.first <= line <= s.last), None)

    def moved(match: re.Match[str]) -> str:
        line = source_line(match.group(1), int(match.group(2)))
        return f"line {line}" if line is not None else match.group(0)

    message = _GENERATED_PLACE.sub(moved, problem.message)
    line = source_line(problem.file, problem.line)
    if line is None:
        return Problem(source, 1, f"generated {problem.file}: {message}", problem.severity)
    return Problem(source, line, message, problem.severity)


def check_questions(
    questions: list[BankQuestion], source: str, pack_id: str, name: str, today: dt.date
) -> tuple[dict[str, str], list[Problem], Pack | None]:
    """The new pack's files, every problem the pack rules find (at the import file's lines), and the pack those files
    make when it has no error (read from a scratch folder, so its ``path`` is not where it will be written)."""
    problems = [
        Problem(source, q.line, f"a question has {len(q.options)} options; a pack allows at most {MAX_OPTIONS}")
        for q in questions
        if len(q.options) > MAX_OPTIONS
    ]
    questions = [question for question in questions if len(question.options) <= MAX_OPTIONS]
    names = {question.domain.strip() or DEFAULT_DOMAIN for question in questions}
    if len(names) > 100:
        return {}, [*problems, Problem(source, 1, f"{len(names)} categories; a pack holds at most 100 domains")], None
    files, spans = build_pack_files(questions, pack_id, name, today)
    with tempfile.TemporaryDirectory(prefix="certprep-import-") as folder:
        root = Path(folder) / pack_id
        _write(root, files)
        report = read_pack(root)
    problems += [_source_problem(problem, spans, source) for problem in report.problems]
    return files, problems, report.pack


def import_bank(
    source: Path,
    target: Path,
    bank_format: Format | None = None,
    pack_id: str | None = None,
    name: str | None = None,
    today: dt.date | None = None,
) -> ImportReport:
    """Read ``source`` and write a new pack into ``target`` (which must not exist or be empty).

    Raises ExportError for a request that cannot start (unreadable file, unknown format, bad pack id, target in
    use); content problems come back in the report, and then nothing is written.
    """
    today = today or dt.date.today()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ExportError(f"{target} already exists and is not an empty folder; choose a new folder for the pack")
    pack_id = pack_id or slugify(target.name) or "imported"
    if not SLUG.match(pack_id) or len(pack_id) > 64:
        raise ExportError(f"'{pack_id}' cannot be a pack id; use lower-case letters, digits and hyphens")
    try:
        if source.stat().st_size > MAX_FILE_BYTES:
            raise ExportError(f"{source.name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        data = source.read_bytes()
    except OSError as error:
        raise ExportError(f"cannot read {source}: {error.strerror or error}") from None
    bank_format = bank_format or detect_format(source, data)
    questions, parse_problems = parse_bank(data, bank_format)
    shown = source.name
    problems = [Problem(shown, line, message) for line, message in parse_problems]
    if not questions and not problems:
        problems.append(Problem(shown, 1, "no questions found"))
    files: dict[str, str] = {}
    checked: Pack | None = None
    if questions:
        files, pack_problems, checked = check_questions(questions, shown, pack_id, name or pack_id, today)
        problems += pack_problems
    problems.sort(key=lambda problem: (problem.line, problem.message))
    if any(problem.severity == "error" for problem in problems):
        return ImportReport(source, target, None, len(questions), problems)
    _write(target, files)
    # The files written are the ones just read and checked in the scratch folder: the same pack, now at ``target``
    # (reading a bank of hundreds of questions a second time would cost about a second).
    pack = checked.model_copy(update={"path": target}) if checked is not None else read_pack(target).pack
    return ImportReport(source, target, pack, len(questions), problems)
