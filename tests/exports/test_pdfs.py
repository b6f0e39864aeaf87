"""The PDFs as a reader gets them: rendered pages that are not blank, the right paper, the right words in them."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest

from certprep.content import load_pack
from certprep.content.models import Pack
from certprep.engine.forms import FormRequest, assemble_form
from certprep.engine.session import Response, grade, revealed_question
from certprep.exports.cheatsheet import cheatsheet_pdf
from certprep.exports.errors import ExportError
from certprep.exports.question_bank import BankRequest, question_bank_pdf, select_questions
from certprep.exports.score_report import score_report_pdf
from certprep.exports.typeset import PAGE_POINTS, check_paper
from certprep.services.exam_results import AttemptState, ExamResult, ItemView, Section
from tests.conftest import TINY_PACK
from tests.exports.pdf import info, page_points, poppler_complaints, render, text, word_boxes

TINY = load_pack(TINY_PACK)
WHEN = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_dop_cheat_sheet_has_every_domain_on_the_chosen_paper_and_no_blank_page(
    dop: Pack, paper: str, tmp_path: Path
) -> None:
    pdf = _write(tmp_path, f"cheatsheet-{paper}.pdf", cheatsheet_pdf(dop, check_paper(paper), WHEN))
    width, height = page_points(pdf)
    assert (width, height) == pytest.approx(PAGE_POINTS[check_paper(paper)], abs=0.5)
    pages = render(pdf)
    assert len(pages) > 6  # a domain starts a page, and there are six
    for page in pages:
        assert page.ink > 0.003, f"page {page.number} looks blank"
    words = text(pdf)
    for domain in dop.blueprint.domains:
        assert f"Domain {domain.id}: {domain.name}" in words
    for section in ("Service cards", "Key exam patterns", "Comparison tables", "Master quick reference"):
        assert section in words
    assert "AWS CodeDeploy" in words
    assert "Fact to remember" in words


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_dop_cheat_sheet_ends_each_domains_two_columns_level(dop: Pack, paper: str, tmp_path: Path) -> None:
    pdf = _write(tmp_path, "cheatsheet.pdf", cheatsheet_pdf(dop, check_paper(paper), WHEN))
    pages = {page.number: page for page in render(pdf, dpi=50)}
    placed = word_boxes(pdf)
    # Where a domain's service cards and exam patterns end, its full-width comparison tables begin.
    headings = [
        word
        for word, following in itertools.pairwise(placed)
        if word.text == "Comparison" and following.text == "tables" and word.left < 45
    ]
    assert len(headings) == len(dop.blueprint.domains)
    for heading in headings:
        page, above = pages[heading.page], (heading.top - 4) / PAGE_POINTS[check_paper(paper)][1]
        if above < 0.1:  # the tables start a page: the columns end at the foot of the page before
            page, above = pages[heading.page - 1], 0.94
        left = page.lowest_ink(0.05, 0.49, 0.06, above)
        right = page.lowest_ink(0.51, 0.95, 0.06, above)
        assert left is not None
        assert right is not None, f"page {page.number}: the right column above the comparison tables is empty"
        assert abs(left - right) < 0.06, f"page {page.number}: the columns end at {left:.0%} and {right:.0%}"
    # No page stops in the left column with the right one empty (a section used to wait for the next page).
    for page in pages.values():
        assert page.lowest_ink(0.51, 0.95, 0.06, 0.94) is not None, f"page {page.number}'s right half is empty"


def test_the_cheat_sheet_keeps_markup_characters_as_text(tmp_path: Path) -> None:
    pdf = _write(tmp_path, "tiny.pdf", cheatsheet_pdf(TINY, "a4", WHEN))
    words = text(pdf)
    # The note's Markdown is typeset (bold, code, tables), and its characters stay literal text.
    assert "Hidden files: a name that starts with a dot needs -a." in words
    assert "| Flag |" not in words
    assert "**" not in words
    assert "-a shows dot files" in words
    assert "Domain" in words
    assert all(page.ink > 0.003 for page in render(pdf))


def test_a_weighted_question_set_prints_the_questions_then_the_key(dop: Pack, tmp_path: Path) -> None:
    chosen = select_questions(dop, BankRequest(count=20, seed=3))
    assert len(chosen) == 20
    assert all(q.status == "live" for q in chosen)
    assert len({q.domain for q in chosen}) == len(dop.blueprint.domains)  # weighted over every domain
    pdf = _write(tmp_path, "questions.pdf", question_bank_pdf(dop, BankRequest(count=20, seed=3), "letter", WHEN))
    assert page_points(pdf) == pytest.approx(PAGE_POINTS["letter"], abs=0.5)
    assert all(page.ink > 0.003 for page in render(pdf))
    words = text(pdf)
    questions_at, key_at = words.index("Questions"), words.index("Answer key")
    assert questions_at < key_at
    first = chosen[0]
    answer = ", ".join(sorted(first.correct_ids))
    assert f"Question 1: {answer}" in words[key_at:]
    assert dop.code(first.id) in words[:key_at]
    assert "Question 20" in words[:key_at]
    assert first.id not in words  # the authoring id, which often names the answer, is never printed
    # The same seed gives the same set; another seed another one.
    assert select_questions(dop, BankRequest(count=20, seed=3)) == chosen
    assert select_questions(dop, BankRequest(count=20, seed=4)) != chosen


def _printed_order(pdf: Path) -> tuple[list[str], str]:
    """The question codes in the order the question pages print them, and the text of those pages."""
    words = text(pdf)
    questions = words[: words.index("Answer key")]
    codes = re.findall(r"Question \d+ (Q-[0-9A-Z]+)", questions)
    return codes, questions


@pytest.mark.parametrize(
    "request_", [BankRequest(count=30, seed=3), BankRequest(count=16, domain=2, seed=3)], ids=["weighted", "domain"]
)
def test_a_question_set_is_printed_mixed_without_domain_or_task_labels(
    dop: Pack, request_: BankRequest, tmp_path: Path
) -> None:
    pdf = _write(tmp_path, "set.pdf", question_bank_pdf(dop, request_, "a4", WHEN))
    codes, questions = _printed_order(pdf)
    chosen = select_questions(dop, request_)
    assert codes == [dop.code(q.id) for q in chosen]
    study_order = sorted(chosen, key=lambda q: (q.domain, q.task))
    assert chosen != study_order  # neither domain by domain nor task by task
    assert len({q.task for q in chosen}) > 1
    assert not re.search(r"\bDomain \d|\btask \d+\.\d+", questions), "a question is labelled with its domain or task"
    assert re.search(r"Domain \d · task \d+\.\d+", text(pdf)[len(questions) :])  # the key says, for study
    # The same seed prints the same order again; another seed another one.
    again = _write(tmp_path, "again.pdf", question_bank_pdf(dop, request_, "a4", WHEN))
    assert _printed_order(again)[0] == codes
    other = BankRequest(count=request_.count, domain=request_.domain, seed=request_.seed + 1)
    assert _printed_order(_write(tmp_path, "other.pdf", question_bank_pdf(dop, other, "a4", WHEN)))[0] != codes


def test_every_kind_of_pdf_reads_in_poppler_without_a_syntax_error(dop: Pack, tmp_path: Path) -> None:
    made = {
        "cheatsheet": cheatsheet_pdf(TINY, "letter", WHEN),
        "questions": question_bank_pdf(dop, BankRequest(count=5, seed=1), "a4", WHEN),
        "score-report": score_report_pdf(TINY, _submitted_state(TINY), "a4", WHEN),
    }
    for name, data in made.items():
        complaints = poppler_complaints(_write(tmp_path, f"{name}.pdf", data))
        assert not [line for line in complaints if "Syntax Error" in line], f"{name}: {complaints}"
    assert info(tmp_path / "cheatsheet.pdf")["Tagged"] == "yes"  # the fix keeps the PDF readable by screen readers


def test_question_sets_by_domain_or_task_statement(dop: Pack) -> None:
    by_domain = select_questions(dop, BankRequest(count=12, domain=3))
    assert len(by_domain) == 12
    assert {q.domain for q in by_domain} == {3}
    by_task = select_questions(dop, BankRequest(task="1.2"))
    assert by_task
    assert {q.task for q in by_task} == {"1.2"}
    assert len(by_task) == sum(1 for q in dop.questions if q.task == "1.2" and q.status == "live")


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (BankRequest(domain=9), "has no domain 9"),
        (BankRequest(task="7.7"), "has no task statement 7.7"),
        (BankRequest(domain=1, task="2.1"), "belongs to domain 2"),
        (BankRequest(count=0), "between 1 and"),
    ],
)
def test_impossible_question_sets_are_refused_with_a_sentence(request_: BankRequest, message: str) -> None:
    with pytest.raises(ExportError, match=message):
        select_questions(TINY, request_)


def _submitted_state(pack: Pack) -> AttemptState:
    """A finished exam as ExamService.state returns it: the first answer right, the second wrong, the rest blank."""
    form = assemble_form(pack, FormRequest(mode="full"), seed=5)
    responses = []
    for position, item in enumerate(form.items, start=1):
        question = pack.question(item.question_id)
        assert question is not None
        wrong = sorted(o.id for o in question.options if not o.correct)[: question.select]
        selected = tuple(sorted(question.correct_ids)) if position == 1 else tuple(wrong) if position == 2 else ()
        responses.append(Response(position, item.question_id, item.scored, selected, False))
    report, correctness = grade(pack, responses)
    questions = []
    for response in responses:
        question = pack.question(response.question_id)
        assert question is not None
        questions.append(
            ItemView(
                **revealed_question(question),
                code=pack.code(question.id),
                position=response.position,
                selected=list(response.selected),
                struck=[],
                locked=True,
                answered=bool(response.selected),
                correct=correctness[response.position],
                scored=response.scored,
                flagged=False,
            )
        )
    result = ExamResult(
        scaled_score=report.scaled_score,
        passed=report.passed,
        pass_probability=report.pass_probability,
        score_range=list(report.score_range),
        theta=report.theta,
        theta_se=report.theta_se,
        correct=report.raw_correct,
        scored_items=report.raw_total,
        percent=20.0,
        answered=2,
        unanswered=len(responses) - 2,
        auto_submitted=True,
        exam=True,
        sections=[
            Section(
                domain=s.domain,
                name=s.name,
                scored_items=s.scored_items,
                correct=s.correct,
                percent=s.percent,
                classification=s.classification,
            )
            for s in report.sections
        ],
        items=[],
    )
    return _attempt("submitted", questions, result)


def _attempt(status: str, questions: list[ItemView], result: ExamResult | None) -> AttemptState:
    return AttemptState(
        id="attempt-1",
        pack=TINY.id,
        mode="full",
        label="Full exam",
        status=status,
        exam=True,
        feedback=False,
        started_at=WHEN.isoformat(),
        ends_at=None,
        remaining_seconds=None,
        time_up=False,
        submitted_at=WHEN.isoformat() if result is not None else None,
        question_count=len(questions),
        answered=sum(1 for q in questions if q.answered),
        flagged=0,
        questions=questions,
        result=result,
        sealed=None,
        config=None,
    )


def test_a_score_report_shows_score_verdict_sections_and_missed_questions(tmp_path: Path) -> None:
    state = _submitted_state(TINY)
    pdf = _write(tmp_path, "report.pdf", score_report_pdf(TINY, state, "a4", WHEN))
    assert all(page.ink > 0.003 for page in render(pdf))
    words = text(pdf)
    result = state.result
    assert result is not None
    assert str(result.scaled_score) in words
    assert ("PASS" if result.passed else "FAIL") in words
    assert "Performance by section" in words
    assert "1. Shells and files" in words
    assert "2. Processes" in words
    assert "Meets Competencies" in words or "Needs Improvement" in words
    missed = [q for q in state.questions if not q.correct]
    assert f"Missed questions ({len(missed)})" in words
    assert "(your answer)" in words
    assert "not answered" in words
    assert "Time ran out" in words


def test_no_score_report_before_submission() -> None:
    with pytest.raises(ExportError, match="not been submitted"):
        score_report_pdf(TINY, _attempt("in_progress", [], None))
