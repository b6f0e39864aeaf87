"""Moodle XML, GIFT and CSV: export, import into a new pack checked by the pack rules, and round trips."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from certprep.content import load_pack
from certprep.content.models import Pack, Question
from certprep.exports.csvbank import KNOWN_COLUMNS, to_csv
from certprep.exports.errors import ExportError
from certprep.exports.gift import escape, parse_gift, to_gift
from certprep.exports.importer import import_bank
from certprep.exports.interchange import exportable
from certprep.exports.moodle import parse_moodle_xml, to_moodle_xml
from tests.conftest import TINY_PACK

TODAY = dt.date(2026, 11, 23)
TINY = load_pack(TINY_PACK)


def _facts(question: Question) -> dict[str, object]:
    """Everything about a question that must survive a trip through another format."""
    return {
        "type": question.type,
        "select": question.select,
        "difficulty": question.difficulty,
        "services": question.services,
        "stem": question.stem.strip(),
        "options": [(o.id, o.text.strip(), o.correct, o.why.strip()) for o in question.options],
        "explanation": question.explanation.strip(),
        "references": question.references,
        "tags": question.tags,
        "status": question.status,
        "updated": question.updated,
    }


def _assert_same_bank(original: Pack, imported: Pack) -> None:
    questions = exportable(original)
    assert len(imported.questions) == len(questions)
    by_id = {q.id: q for q in imported.questions}
    for question in questions:
        copy = by_id[question.id]
        assert _facts(copy) == _facts(question), question.id
        # Categories bring back the domain and task statement names.
        domain, task = original.blueprint.domain(question.domain), original.blueprint.task(question.task)
        new_domain, new_task = imported.blueprint.domain(copy.domain), imported.blueprint.task(copy.task)
        assert domain
        assert task
        assert new_domain
        assert new_task
        assert (new_domain.name, new_task.title) == (domain.name, task.title)


def _export(pack: Pack, kind: str, folder: Path) -> Path:
    if kind == "gift":
        path = folder / "bank.gift"
        path.write_text(to_gift(pack), encoding="utf-8")
    elif kind == "moodle":
        path = folder / "bank.xml"
        path.write_bytes(to_moodle_xml(pack))
    else:
        path = folder / "bank.csv"
        path.write_text(to_csv(pack), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["gift", "moodle", "csv"])
def test_the_dop_bank_round_trips_without_loss(dop: Pack, kind: str, tmp_path: Path) -> None:
    source = _export(dop, kind, tmp_path)
    report = import_bank(source, tmp_path / "mine", pack_id="mine", name="My DOP copy", today=TODAY)
    assert report.ok, [str(p) for p in report.problems[:5]]
    assert report.pack is not None
    assert report.pack.id == "mine"
    imported = load_pack(tmp_path / "mine")  # the written folder is a valid pack on its own
    _assert_same_bank(dop, imported)
    assert imported.blueprint.name == "My DOP copy"


@pytest.mark.parametrize("kind", ["gift", "moodle", "csv"])
def test_a_round_trip_of_a_round_trip_is_identical(kind: str, tmp_path: Path) -> None:
    first = import_bank(_export(TINY, kind, tmp_path), tmp_path / "one", today=TODAY)
    assert first.pack is not None
    (tmp_path / "again").mkdir()
    second = import_bank(_export(first.pack, kind, tmp_path / "again"), tmp_path / "two", pack_id="one", today=TODAY)
    assert second.pack is not None
    assert [_facts(q) for q in second.pack.questions] == [_facts(q) for q in first.pack.questions]


def test_moodle_xml_has_feedback_grades_and_categories() -> None:
    xml = to_moodle_xml(TINY).decode("utf-8")
    assert '<question type="category">' in xml
    assert "$course$/top/TINY-01/1. Shells and files/1.1" in xml
    assert xml.count('<question type="multichoice">') == len(exportable(TINY))
    assert "<single>false</single>" in xml
    assert "<single>true</single>" in xml
    assert 'fraction="50"' in xml
    assert 'fraction="-50"' in xml  # multiple response: 2 right answers
    assert "<generalfeedback" in xml
    assert "The -a flag includes entries that start with a dot." in xml


def test_gift_escapes_and_marks_answers() -> None:
    assert escape("a{b}=c~d#e:f\\g\nh") == "a\\{b\\}\\=c\\~d\\#e\\:f\\\\g\\nh"
    text = to_gift(TINY)
    assert "$CATEGORY: $course$/top/TINY-01/1. Shells and files/1.1" in text
    assert "=ls -a#The -a flag includes entries that start with a dot." in text
    assert "~%50%" in text
    assert "~%-50%" in text
    assert "####" in text
    questions, problems = parse_gift(text)
    assert not problems
    assert len(questions) == len(exportable(TINY))


HAND_WRITTEN_GIFT = """// A bank written by hand, the way Moodle's documentation shows GIFT.
$CATEGORY: $course$/top/Networking/Ports

::HTTPS port::Which port does HTTPS use by default? {
  ~80#That is plain HTTP.
  =443#Right: TLS on 443.
  ~22#That is SSH.
  ~21#That is FTP.
  ####HTTPS is HTTP over TLS. https://example.org/https
}

::Secure protocols::[markdown]Which **two** protocols encrypt traffic? {
  ~%50%SSH#Encrypted.
  ~%50%TLS#Encrypted.
  ~%-100%Telnet#Plain text.
  ~%-100%FTP#Plain text.
  ~%-100%HTTP#Plain text.
  ####Both SSH and TLS encrypt.\\n\\nReferences:\\n- https://example.org/ssh
}
"""


def test_a_hand_written_gift_bank_becomes_a_pack(tmp_path: Path) -> None:
    source = tmp_path / "bank.gift"
    source.write_text(HAND_WRITTEN_GIFT, encoding="utf-8")
    report = import_bank(source, tmp_path / "net", today=TODAY)
    assert report.ok, [str(p) for p in report.problems]
    pack = load_pack(tmp_path / "net")
    assert [d.name for d in pack.blueprint.domains] == ["Networking"]
    assert [t.title for t in pack.blueprint.domains[0].tasks] == ["Ports"]
    port, secure = pack.question("https-port"), pack.question("secure-protocols")
    assert port is not None
    assert secure is not None
    assert port.type == "single"
    assert sorted(port.correct_ids) == ["B"]
    assert port.options[1].why == "Right: TLS on 443."
    assert port.references == ("https://example.org/https",)
    assert secure.type == "multiple"
    assert secure.select == 2
    assert sorted(secure.correct_ids) == ["A", "B"]
    assert secure.stem.endswith("(Choose TWO.)")
    assert secure.explanation == "Both SSH and TLS encrypt."


HTML_MOODLE_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Databases</text></category></question>
  <question type="multichoice">
    <name><text>Pick the index</text></name>
    <questiontext format="html"><text><![CDATA[<p>Which index speeds up <strong>range</strong> queries?</p>]]></text></questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>B-trees keep keys in order. See <a href="https://example.org/btree">the docs</a>.</p>]]></text></generalfeedback>
    <single>true</single>
    <answer fraction="100" format="html"><text><![CDATA[<p>B-tree</p>]]></text><feedback format="html"><text>Ordered keys.</text></feedback></answer>
    <answer fraction="0" format="html"><text><![CDATA[<p>Hash</p>]]></text><feedback format="html"><text>Only equality.</text></feedback></answer>
    <answer fraction="0" format="html"><text>Bitmap</text><feedback format="html"><text>Few values.</text></feedback></answer>
    <answer fraction="0" format="html"><text>None</text><feedback format="html"><text>Full scans.</text></feedback></answer>
  </question>
</quiz>
"""


def test_moodle_xml_written_by_moodle_in_html_is_read_as_markdown(tmp_path: Path) -> None:
    source = tmp_path / "moodle.xml"
    source.write_bytes(HTML_MOODLE_XML)
    report = import_bank(source, tmp_path / "db", today=TODAY)
    assert report.ok, [str(p) for p in report.problems]
    question = load_pack(tmp_path / "db").question("pick-the-index")
    assert question is not None
    assert question.stem == "Which index speeds up **range** queries?"
    assert [o.text for o in question.options] == ["B-tree", "Hash", "Bitmap", "None"]
    assert question.options[0].correct
    assert question.references == ("https://example.org/btree",)


def _problems(tmp_path: Path, name: str, content: str) -> list[str]:
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    target = tmp_path / "out"
    report = import_bank(source, target, today=TODAY)
    assert not report.ok
    assert not target.exists()  # nothing half-made is left behind
    return [str(problem) for problem in report.errors]


def test_malformed_gift_is_reported_at_its_lines(tmp_path: Path) -> None:
    broken = HAND_WRITTEN_GIFT + "\n::Is it?::The sky is blue. {T}\n\n::Open::Which port? {\n  =443\n  ~80\n"
    problems = _problems(tmp_path, "bank.gift", broken)
    lines = HAND_WRITTEN_GIFT.count("\n")
    assert problems == [
        f"bank.gift:{lines + 2}: a true/false question cannot be imported; only multiple-choice questions "
        "(= and ~ answers) can",
        f"bank.gift:{lines + 4}: a '{{' or '}}' is missing (write \\{{ or \\}} for a brace in the text)",
    ]


def test_pack_rule_violations_point_at_the_question_in_the_import_file(tmp_path: Path) -> None:
    no_reason = HAND_WRITTEN_GIFT.replace("~22#That is SSH.", "~22").replace(
        "####HTTPS is HTTP over TLS. https://example.org/https", "####HTTPS is HTTP over TLS."
    )
    problems = _problems(tmp_path, "bank.gift", no_reason)
    assert len(problems) == 2, problems
    assert all(problem.startswith("bank.gift:4: ") for problem in problems), problems
    assert any("why" in problem for problem in problems)
    assert any("reference" in problem for problem in problems)


def test_malformed_moodle_xml_is_reported_at_its_lines(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, "bank.xml", '<?xml version="1.0"?>\n<quiz>\n  <question type="multichoice">\n</quiz>\n'
    )
    assert len(problems) == 1
    assert problems[0].startswith("bank.xml:4: not well-formed XML")
    essay = HTML_MOODLE_XML.decode().replace(
        "</quiz>", '  <question type="essay"><name><text>E</text></name></question>\n</quiz>'
    )
    problems = _problems(tmp_path, "essay.xml", essay)
    assert problems == ["essay.xml:14: a 'essay' question cannot be imported; only multichoice can"]


def test_malformed_csv_is_reported_at_the_row_line(tmp_path: Path) -> None:
    content = (
        "stem,option_a,why_a,option_b,why_b,option_c,why_c,option_d,why_d,correct,explanation,references\n"
        "Good one?,Yes,Right.,No,Wrong.,Maybe,Vague.,Never,Too strong.,A,Because.,https://example.org/a\n"
        '"A stem\nover two lines",Yes,Right.,No,Wrong.,Maybe,Vague.,Never,Too strong.,Z,Because.,https://example.org/b\n'
        "Gap?,,,No,Wrong.,Maybe,Vague.,Never,Too strong.,B,Because.,https://example.org/c\n"
    )
    problems = _problems(tmp_path, "bank.csv", content)
    assert problems == [
        "bank.csv:3: correct must list option letters such as B or A,C, not 'Z'",
        "bank.csv:5: options must fill option_a, option_b, ... without gaps; found B, C, D",
    ]
    assert _problems(tmp_path, "head.csv", "question,answer\n") == [
        "head.csv:1: missing column(s) stem, option_a, option_b, correct",
        "head.csv:1: unknown column(s) question, answer; known: " + ", ".join(sorted(KNOWN_COLUMNS)),
    ]


def test_an_import_never_overwrites_a_folder_in_use(tmp_path: Path) -> None:
    source = _export(TINY, "gift", tmp_path)
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(ExportError, match="already exists"):
        import_bank(source, tmp_path / "busy")
    with pytest.raises(ExportError, match="cannot tell the format"):
        odd = tmp_path / "bank.dat"
        odd.write_text("hello")
        import_bank(odd, tmp_path / "new")


def test_parse_moodle_xml_refuses_entities() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaa">]><quiz><question type="multichoice"><name><text>&a;</text></name></question></quiz>'
    questions, _ = parse_moodle_xml(bomb)
    assert all("aaaa" not in q.name for q in questions)


def test_an_entity_in_moodle_xml_is_reported_at_its_line_not_cut_off(tmp_path: Path) -> None:
    declared = HTML_MOODLE_XML.decode().replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE quiz [<!ENTITY co "Example Corp">]>',
        1,
    )
    assert "<!DOCTYPE" in declared
    marked = declared.replace("<text>", "<text>At &co; ", 1)
    line = next(n for n, text in enumerate(marked.splitlines(), start=1) if "&co;" in text)
    problems = _problems(tmp_path, "entity.xml", marked)
    assert problems == [
        f"entity.xml:{line}: the entity &co; cannot be imported; write the text or character it stands for"
    ]
