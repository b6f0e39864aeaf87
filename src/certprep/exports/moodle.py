"""Moodle XML: export a pack's questions as ``multichoice`` questions, and read Moodle XML question banks back.

Written and read with lxml. Reading is locked down for files from anywhere: no entity expansion, no DTD or network
access, and lxml's line numbers let every problem point at its line. Only ``multichoice`` questions fit a certprep pack;
``category`` entries set the domain and task statement of the questions after them, and any other question type is
reported with its line.
"""

from __future__ import annotations

from lxml import etree

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


def _text_element(parent: etree._Element, tag: str, text: str, text_format: str | None = "markdown") -> None:
    element = etree.SubElement(parent, tag)
    if text_format is not None:
        element.set("format", text_format)
    etree.SubElement(element, "text").text = text


def _simple(parent: etree._Element, tag: str, value: str) -> None:
    etree.SubElement(parent, tag).text = value


def _question_element(quiz: etree._Element, question: Question) -> None:
    element = etree.SubElement(quiz, "question", type="multichoice")
    _text_element(element, "name", question.id, None)
    _text_element(element, "questiontext", question.stem.strip())
    _text_element(element, "generalfeedback", general_feedback(question))
    _simple(element, "defaultgrade", "1")
    _simple(element, "penalty", "0.3333333")
    _simple(element, "hidden", "0")
    _simple(element, "idnumber", question.id)
    _simple(element, "single", "true" if question.type == "single" else "false")
    # Options keep their order: explanations may name them by letter.
    _simple(element, "shuffleanswers", "0")
    _simple(element, "answernumbering", "ABCD")
    _simple(element, "showstandardinstruction", "0")
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text_element(element, tag, "")
    for option in question.options:
        answer = etree.SubElement(element, "answer", fraction=fraction(question, option.correct), format="markdown")
        etree.SubElement(answer, "text").text = option.text
        _text_element(answer, "feedback", option.why)
    tags = etree.SubElement(element, "tags")
    for tag in meta_tags(question):
        etree.SubElement(etree.SubElement(tags, "tag"), "text").text = tag


def to_moodle_xml(pack: Pack, questions: list[Question] | None = None) -> bytes:
    """The pack's questions (by default every one that is not retired) as a Moodle XML file, UTF-8."""
    chosen = exportable(pack) if questions is None else questions
    blueprint = pack.blueprint
    quiz = etree.Element("quiz")
    quiz.append(
        etree.Comment(
            f" {blueprint.exam_code} ({blueprint.name}), content version {blueprint.content_version}: "
            f"{len(chosen)} questions exported by certprep. "
        )
    )
    for path, members in grouped(pack, chosen):
        category = etree.SubElement(quiz, "question", type="category")
        _text_element(category, "category", path, None)
        for question in members:
            _question_element(quiz, question)
    return bytes(etree.tostring(quiz, xml_declaration=True, encoding="UTF-8", pretty_print=True))


# -- reading ------------------------------------------------------------------------------------------------------


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,  # no billion-laughs, no external entities
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        huge_tree=False,
    )


def _line(element: etree._Element, default: int = 1) -> int:
    """The element's line in the file (lxml knows it for parsed documents)."""
    line = element.sourceline
    return line if isinstance(line, int) else default


def _text_of(element: etree._Element | None, path: str = "text") -> tuple[str, str]:
    """(text, format) of a Moodle text element such as <questiontext format="html"><text>...</text>."""
    if element is None:
        return "", "moodle_auto_format"
    node = element.find(path)
    text = node.text if node is not None and node.text else ""
    return text, element.get("format", "moodle_auto_format")


def parse_moodle_xml(data: bytes) -> tuple[list[BankQuestion], list[ParseProblem]]:
    """Read a Moodle XML file; return the questions and (line, message) for everything that could not be read."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        return [], [(error.lineno or 1, f"not well-formed XML: {error.msg}")]
    if root.tag != "quiz":
        return [], [(_line(root), f"the root element is <{root.tag}>; a Moodle XML file starts with <quiz>")]
    # Entities declared in the file's DTD are not expanded (resolve_entities=False, against entity bombs); lxml
    # keeps each as a node, and the text after it would be lost silently. Report them instead.
    entities = [
        (_line(node), f"the entity {node.text} cannot be imported; write the text or character it stands for")
        for node in root.iter(etree.Entity)
    ]
    if entities:
        return [], entities
    questions: list[BankQuestion] = []
    problems: list[ParseProblem] = []
    category = ""
    for element in root:
        if not isinstance(element.tag, str):
            continue
        line = _line(element)
        if element.tag != "question":
            problems.append((line, f"unexpected <{element.tag}>; a Moodle XML file holds <question> elements"))
            continue
        kind = element.get("type", "")
        if kind == "category":
            category, _ = _text_of(element.find("category"))
            continue
        if kind != "multichoice":
            problems.append((line, f"a '{kind or 'untyped'}' question cannot be imported; only multichoice can"))
            continue
        question, problem = _question(element, line, category)
        if problem:
            problems.append(problem)
        else:
            questions.append(question)
    return questions, problems


def _question(element: etree._Element, line: int, category: str) -> tuple[BankQuestion, ParseProblem | None]:
    question = BankQuestion(line=line)
    question.domain, question.task = category_names(category)
    idnumber = element.findtext("idnumber") or ""
    name, _ = _text_of(element.find("name"))
    question.name = idnumber.strip() or name.strip()
    stem, stem_format = _text_of(element.find("questiontext"))
    question.stem = to_markdown(stem, stem_format)
    feedback, feedback_format = _text_of(element.find("generalfeedback"))
    question.explanation, question.references = split_references(to_markdown(feedback, feedback_format))
    single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
    for answer in element.findall("answer"):
        answer_line = _line(answer, line)
        raw = answer.get("fraction", "0")
        try:
            weight = float(raw)
        except ValueError:
            return question, (answer_line, f"answer fraction '{raw}' is not a number")
        if single and 0 < weight < 100:
            return question, (answer_line, f"partial credit ({weight:g}%) in a single-answer question is not supported")
        text, text_format = _text_of(answer)
        why, why_format = _text_of(answer.find("feedback"))
        question.options.append(
            BankOption(to_markdown(text, answer.get("format", text_format)), weight > 0, to_markdown(why, why_format))
        )
    tags = [node.text or "" for node in element.findall("tags/tag/text")]
    tag_problems = apply_tags(question, tags)
    if tag_problems:
        return question, (line, tag_problems[0])
    return question, None
