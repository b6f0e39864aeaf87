"""GIFT, Moodle's plain-text question format: export a pack's questions, and read a GIFT file back.

There is no well-kept Python library for reading GIFT (pygiftparser's last release is from 2017, the others are early
0.x releases or only write GIFT), and an import must point at the line of each problem, so the reader below follows
Moodle's own reader (question/format/gift/format.php) rule by rule:

- questions are separated by blank lines; lines starting with ``//`` are comments;
- ``$CATEGORY: path`` switches the category of the questions that follow;
- ``::name::`` names a question; ``[markdown]``, ``[html]``, ``[plain]`` or ``[moodle]`` set a text's format;
- ``{ ... }`` holds the answers; ``=`` marks the right answer of a single-answer question, ``~`` a wrong one, and
  ``~%50%`` gives an option a weight (a question without ``=`` is multiple response); ``#`` starts an option's
  feedback and ``####`` the general feedback;
- ``\\``, ``\\:``, ``\\#``, ``\\=``, ``\\{``, ``\\}``, ``\\~`` escape those characters and ``\\n`` is a new line.

Only multiple-choice questions fit a certprep pack; every other GIFT type is reported with its line, not skipped.
certprep writes its own facts as ``// [id:...] [tag:...]`` comments, the syntax newer Moodle versions read as the
question's id number and tags and older ones ignore.
"""

from __future__ import annotations

import re

from certprep.content.models import Pack, Question
from certprep.exports.interchange import (
    BankOption,
    BankQuestion,
    ParseProblem,
    apply_tags,
    category_names,
    exportable,
    fraction,
    general_feedback,
    grouped,
    meta_tags,
    split_references,
    to_markdown,
)

# Moodle's escapes, in the order its exporter applies them (backslash first).
_ESCAPES = (("\\", "\\\\"), ("#", "\\#"), ("=", "\\="), ("~", "\\~"), ("{", "\\{"), ("}", "\\}"), (":", "\\:"))
# While parsing, an escaped character is swapped for a private-use character so the structure can be split safely.
_ESCAPABLE = "\\:#={}~n"
_PLACEHOLDER = {char: chr(0xE000 + index) for index, char in enumerate(_ESCAPABLE)}
_RESTORE = {placeholder: ("\n" if char == "n" else char) for char, placeholder in _PLACEHOLDER.items()}
_FORMATS = ("moodle", "html", "plain", "markdown")
_WEIGHT = re.compile(r"^%(-?\d{1,3}(?:\.\d*)?)%")


def escape(text: str) -> str:
    """Text as GIFT writes it: special characters escaped, new lines as ``\\n`` (as Moodle's exporter does)."""
    for char, escaped in _ESCAPES:
        text = text.replace(char, escaped)
    return text.replace("\r", "").replace("\n", "\\n")


def to_gift(pack: Pack, questions: list[Question] | None = None) -> str:
    """The pack's questions (by default every one that is not retired) as a GIFT file."""
    chosen = exportable(pack) if questions is None else questions
    blueprint = pack.blueprint
    out = [
        f"// {blueprint.exam_code} ({blueprint.name}), content version {blueprint.content_version}:"
        f" {len(chosen)} questions exported by certprep.",
        "// Moodle: Question bank > Import > GIFT format. certprep: certprep import FILE -o FOLDER.",
        "",
    ]
    for path, members in grouped(pack, chosen):
        out += [f"$CATEGORY: {path}", ""]
        for question in members:
            tags = " ".join(f"[tag:{tag.replace(']', '')}]" for tag in meta_tags(question))
            out.append(f"// [id:{question.id}] {tags}")
            out.append(f"::{escape(question.id)}::[markdown]{escape(question.stem.strip())} {{")
            for option in question.options:
                if question.type == "single":
                    mark = "=" if option.correct else "~"
                else:
                    mark = f"~%{fraction(question, option.correct)}%"
                out.append(f"\t{mark}{escape(option.text)}#{escape(option.why)}")
            out.append(f"\t####{escape(general_feedback(question))}")
            out += ["}", ""]
    return "\n".join(out)


def _protect(text: str) -> str:
    """Swap each escaped character for its placeholder (Moodle's escapedchar_pre)."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in _ESCAPABLE:
            out.append(_PLACEHOLDER[text[index + 1]])
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def _restore(text: str) -> str:
    return "".join(_RESTORE.get(char, char) for char in text)


def _with_format(text: str, default: str) -> tuple[str, str]:
    """(text, format): a leading ``[format]`` is read only if it names a known format, as in Moodle."""
    text = text.strip()
    match = re.match(r"^\[(\w+)\]", text)
    if match and match.group(1).lower() in _FORMATS:
        return text[match.end() :], match.group(1).lower()
    return text, default


def _as_markdown(text: str, text_format: str) -> str:
    return to_markdown(_restore(text), text_format)


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """Runs of non-blank lines with their line numbers."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            current.append((number, line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _kind(answers: str) -> str:
    """The GIFT question type of an answer block, decided in Moodle's order."""
    body = answers.strip()
    if not body:
        return "essay"
    if body.startswith("#"):
        return "numerical"
    if "~" in body:
        return "multichoice"
    if "=" in body and "->" in body:
        return "matching"
    if body.split("#", 1)[0].strip() in ("T", "TRUE", "F", "FALSE"):
        return "true/false"
    return "short-answer"


def parse_gift(text: str) -> tuple[list[BankQuestion], list[ParseProblem]]:
    """Read GIFT ``text``; return the questions and (line, message) for everything that could not be read."""
    questions: list[BankQuestion] = []
    problems: list[ParseProblem] = []
    category = ""
    for block in _blocks(text.lstrip("\ufeff")):
        comments = [line for _, line in block if line.strip().startswith("//")]
        body = [(number, line) for number, line in block if not line.strip().startswith("//")]
        if not body:
            continue
        line = body[0][0]
        source = _protect("\n".join(text_line for _, text_line in body).strip())
        if source.startswith("$CATEGORY:"):
            category = _restore(source[len("$CATEGORY:") :]).strip()
            continue
        question, problem = _question(source, line, category, " ".join(comments))
        if problem:
            problems.append((line, problem))
        elif question is not None:
            questions.append(question)
    return questions, problems


def _question(source: str, line: int, category: str, comments: str) -> tuple[BankQuestion | None, str | None]:
    question = BankQuestion(line=line)
    question.domain, question.task = category_names(category)
    ids = re.findall(r"\[id:([^\]]*)\]", comments)
    if ids:
        question.name = ids[0].strip()
    if source.startswith("::"):
        end = source.find("::", 2)
        if end < 0:
            return None, "the question name is not closed: write ::name:: before the question text"
        question.name = question.name or _restore(source[2:end]).strip()
        source = source[end + 2 :].strip()
    start = source.find("{")
    finish = source.find("}", start + 1) if start >= 0 else source.find("}")
    if start < 0 and finish < 0:
        return None, "no answers in { }: a description cannot be imported, only multiple-choice questions"
    if start < 0 or finish < 0:
        return None, "a '{' or '}' is missing (write \\{ or \\} for a brace in the text)"
    if source[finish + 1 :].strip():
        return None, "text after the answers: missing-word questions cannot be imported; put { } at the end"
    stem, stem_format = _with_format(source[:start], "moodle")
    answers = source[start + 1 : finish]
    feedback = ""
    if "####" in answers:
        answers, feedback = answers[: answers.rindex("####")], answers[answers.rindex("####") + 4 :]
    kind = _kind(answers)
    if kind != "multichoice":
        return None, f"a {kind} question cannot be imported; only multiple-choice questions (= and ~ answers) can"
    question.stem = _as_markdown(stem, stem_format)
    feedback, feedback_format = _with_format(feedback, stem_format)
    question.explanation, question.references = split_references(_as_markdown(feedback, feedback_format))
    parts = answers.replace("=", "~=").split("~")
    if parts[0].strip():
        return None, f"text before the first answer: '{_restore(parts[0].strip())[:40]}'; start each answer with = or ~"
    single = any(part.strip().startswith("=") for part in parts[1:])
    for part in parts[1:]:
        answer = part.strip()
        if answer.startswith("="):
            weight, answer = 100.0, answer[1:]
        elif match := _WEIGHT.match(answer):
            weight, answer = float(match.group(1)), answer[match.end() :]
        else:
            weight = 0.0
        if single and 0 < weight < 100:
            return None, f"partial credit (%{weight:g}%) in a single-answer question is not supported"
        option_text, _, why = answer.partition("#")
        option_text, option_format = _with_format(option_text, stem_format)
        why, why_format = _with_format(why, stem_format)
        question.options.append(
            BankOption(_as_markdown(option_text, option_format), weight > 0, _as_markdown(why, why_format))
        )
    tag_problems = apply_tags(question, re.findall(r"\[tag:([^\]]*)\]", comments))
    if tag_problems:
        return None, tag_problems[0]
    return question, None
