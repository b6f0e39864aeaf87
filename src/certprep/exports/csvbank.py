"""CSV question banks, for spreadsheets: one question per row, written and read with the standard csv module.

Columns (a header row names them; order does not matter, and names are not case-sensitive):

==================  ==========================================================================================
``stem``            the question (Markdown); required
``option_a`` ...    the options, A to H; at least two
``why_a`` ...       why each option is right or wrong (required by the pack rules)
``correct``         the right letters: ``B`` or ``A,C``; required
``explanation``     the general explanation
``references``      https links, separated by spaces, new lines or ``;``
``domain``          the domain's name (a leading "1. " is dropped); questions without one share one domain
``task``            the task statement's title (a leading "1.2 " is dropped); default: the domain's name
``id``              the question id; default: made from the row
``difficulty``      1 to 5; default 3
``services``        service names separated by ``;``
``tags``            tags separated by ``;``
``status``          live, pretest or retired; default live
``updated``         the date of the last change, YYYY-MM-DD; default: the day of the import
==================  ==========================================================================================
"""

from __future__ import annotations

import csv
import io
import re

from certprep.content.models import Pack, Question
from certprep.exports.interchange import BankOption, BankQuestion, ParseProblem, exportable, split_references

LETTERS = "ABCDEFGH"
OPTION_COLUMNS = tuple(f"option_{letter.lower()}" for letter in LETTERS)
WHY_COLUMNS = tuple(f"why_{letter.lower()}" for letter in LETTERS)
OTHER_COLUMNS = (
    "id",
    "domain",
    "task",
    "difficulty",
    "services",
    "tags",
    "status",
    "updated",
    "stem",
    "correct",
    "explanation",
    "references",
)
KNOWN_COLUMNS = frozenset(OTHER_COLUMNS + OPTION_COLUMNS + WHY_COLUMNS)
REQUIRED_COLUMNS = ("stem", "option_a", "option_b", "correct")


def to_csv(pack: Pack, questions: list[Question] | None = None) -> str:
    """The pack's questions (by default every one that is not retired) as CSV with a header row."""
    chosen = exportable(pack) if questions is None else questions
    width = max([4, *(len(question.options) for question in chosen)])
    header = ["id", "domain", "task", "difficulty", "services", "tags", "status", "updated", "stem"]
    for letter in LETTERS[:width].lower():
        header += [f"option_{letter}", f"why_{letter}"]
    header += ["correct", "explanation", "references"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    blueprint = pack.blueprint
    for question in chosen:
        domain = blueprint.domain(question.domain)
        task = blueprint.task(question.task)
        row = [
            question.id,
            f"{question.domain}. {domain.name}" if domain else str(question.domain),
            f"{question.task} {task.title}" if task else question.task,
            str(question.difficulty),
            "; ".join(question.services),
            "; ".join(question.tags),
            question.status,
            question.updated.isoformat(),
            question.stem.strip(),
        ]
        for index in range(width):
            option = question.options[index] if index < len(question.options) else None
            row += [option.text, option.why] if option else ["", ""]
        row += [",".join(sorted(question.correct_ids)), question.explanation.strip(), "\n".join(question.references)]
        writer.writerow(row)
    return buffer.getvalue()


def _split(value: str, pattern: str = r"[;\n]") -> list[str]:
    return [part.strip() for part in re.split(pattern, value) if part.strip()]


def parse_csv(text: str) -> tuple[list[BankQuestion], list[ParseProblem]]:
    """Read a CSV bank; return the questions and (line, message) for everything that could not be read."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    questions: list[BankQuestion] = []
    problems: list[ParseProblem] = []
    try:
        header = [name.strip().lower() for name in next(reader, [])]
    except csv.Error as error:
        return [], [(reader.line_num or 1, f"not valid CSV: {error}")]
    if not any(header):
        return [], [(1, "the file is empty; the first row must name the columns (stem, option_a, ..., correct)")]
    unknown = [name for name in header if name and name not in KNOWN_COLUMNS]
    if unknown:
        problems.append((1, f"unknown column(s) {', '.join(unknown)}; known: {', '.join(sorted(KNOWN_COLUMNS))}"))
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        problems.append((1, f"missing column(s) {', '.join(missing)}"))
    if problems:
        return [], problems
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append((line, f"not valid CSV: {error}"))
            break
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            problems.append((start, f"the row has {len(row)} cells but the header names {len(header)} columns"))
            continue
        values = {name: (row[index].strip() if index < len(row) else "") for index, name in enumerate(header) if name}
        question, problem = _question(values, start)
        if problem:
            problems.append((start, problem))
        else:
            questions.append(question)
    return questions, problems


def _question(values: dict[str, str], line: int) -> tuple[BankQuestion, str | None]:
    question = BankQuestion(line=line, name=values.get("id", ""), stem=values.get("stem", ""))
    question.domain = re.sub(r"^\d+\s*[.:)]\s*", "", values.get("domain", ""))
    question.task = re.sub(r"^\d+\.\d+\s*[.:)]?\s+", "", values.get("task", "")) or question.domain
    key = values.get("correct", "")
    if re.sub(r"[A-Ha-h,;\s]", "", key):
        return question, f"correct must list option letters such as B or A,C, not '{key}'"
    correct = {letter.upper() for letter in re.findall(r"[A-Ha-h]", key)}
    letters = [letter for letter in LETTERS if values.get(f"option_{letter.lower()}", "")]
    expected = LETTERS[: len(letters)]
    if "".join(letters) != expected:
        return question, f"options must fill option_a, option_b, ... without gaps; found {', '.join(letters) or 'none'}"
    for letter in letters:
        why = values.get(f"why_{letter.lower()}", "")
        question.options.append(BankOption(values[f"option_{letter.lower()}"], letter in correct, why))
    outside = sorted(correct - set(letters))
    if outside:
        return question, f"correct names option {', '.join(outside)}, which is empty"
    explanation = values.get("explanation", "")
    question.explanation, found = split_references(explanation)
    question.references = _split(values.get("references", ""), r"[;\s]+") or found
    difficulty = values.get("difficulty", "")
    if difficulty:
        if not difficulty.isdigit():
            return question, f"difficulty must be a whole number from 1 to 5, not '{difficulty}'"
        question.difficulty = int(difficulty)
    question.services = _split(values.get("services", ""))
    question.tags = _split(values.get("tags", ""))
    question.status = values.get("status") or None
    question.updated = values.get("updated") or None
    return question, None
