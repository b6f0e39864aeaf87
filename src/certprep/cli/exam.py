"""``certprep exam``: exams and practice in the terminal, on the same engine and database as the web app."""

from __future__ import annotations

import typer
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table

from certprep.cli.output import console
from certprep.cli.start import start_runtime
from certprep.engine.forms import MAX_PRACTICE_MINUTES, MODES, FormError, is_exam_mode, start_request
from certprep.engine.session import AnswerError
from certprep.runtime import Runtime
from certprep.services.exam_results import AttemptState, CheckedAnswer, ExamResult, ItemView
from certprep.services.exams import ExamConflict

HELP = "answer: letters (A or A,C) · n next · p previous · f flag · g N go to · r review · s submit · q quit"


def exam(
    mode: str = typer.Option("quick", metavar="MODE", help=f"One of: {', '.join(MODES)}."),
    pack: str = typer.Option("dop-c02", help="Pack id."),
    domain: int | None = typer.Option(None, help="Domain to drill or to limit a custom session to."),
    task: str | None = typer.Option(None, metavar="N.N", help="Task statement to drill, e.g. 1.4."),
    count: int | None = typer.Option(None, min=1, max=200, help="Number of questions (drill, quick, review, custom)."),
    difficulty_min: int = typer.Option(1, min=1, max=5, help="Custom: lowest difficulty."),
    difficulty_max: int = typer.Option(5, min=1, max=5, help="Custom: highest difficulty."),
    question_type: str | None = typer.Option(None, "--type", metavar="single|multiple", help="Custom: one type only."),
    seed: int | None = typer.Option(None, help="Seed for a reproducible form."),
    # Read as text so that a bad value is the same one line as a timer out of range, not a usage box.
    minutes: str | None = typer.Option(
        None,
        metavar="MINUTES",
        help=f"Practice (quick, drill, review, custom): a timer of 1 to {MAX_PRACTICE_MINUTES} minutes; time up "
        "submits the session. Exams keep their own time.",
    ),
    shuffle: bool | None = typer.Option(
        None,
        "--shuffle/--no-shuffle",
        help="Show each question's options in an order of this attempt's own, lettered as shown. Default: shuffled "
        "for practice, the pack's order for full and mock100 exams.",
    ),
    resume: str | None = typer.Option(None, metavar="ID", help="Resume an unfinished attempt by id."),
) -> None:
    """Take an exam or practise in the terminal. Answers are saved as you give them; quit and resume any time."""
    # Checked before the database opens, so a typo is reported at once (by the CLI's one error mapping).
    request = start_request(
        mode,
        count=count,
        domains=[domain] if domain else [],
        tasks=[task] if task else [],
        difficulty_min=difficulty_min,
        difficulty_max=difficulty_max,
        question_type=question_type,
        minutes=_minutes(minutes),
        shuffle_options=shuffle,
    )
    runtime = start_runtime()
    exams = runtime.exams
    user_id = runtime.local_user_id
    try:
        if not resume and is_exam_mode(request.mode):  # the practice page's sentence, before the exam starts
            console.print(exams.unseen_exams(user_id, pack).sentence)
        attempt_id = resume or exams.start(user_id, pack, request, seed=seed)
        _run(runtime, attempt_id)
    finally:
        runtime.close()


def _minutes(value: str | None) -> int | None:
    """``--minutes`` as a number, or the one sentence the command line prints for a value that is not one."""
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise FormError(f"the timer is a whole number of minutes, such as 30, not '{value}'") from None


def _show_question(state: AttemptState, question: ItemView) -> None:
    total = state.question_count
    title = f"Question {question.position} of {total}"
    if state.remaining_seconds is not None:
        left = state.remaining_seconds
        title += f" · {left // 3600}:{left % 3600 // 60:02d}:{left % 60:02d} left"
    if question.flagged:
        title += " · flagged"
    console.print(Panel(Markdown(question.stem), title=title, title_align="left"))
    if question.type == "multiple":
        console.print(f"[bold]Select {question.select} answers.[/]")
    for option in question.options:
        mark = "●" if option.id in question.selected else "○"
        console.print(f"  {mark} [bold]{option.id}[/]. {option.text}", highlight=False)


def _show_feedback(feedback: ItemView | CheckedAnswer) -> None:
    """The key, every option's reason and the explanation of a revealed item (``feedback.revealed``)."""
    verdict = "[green]Correct[/]" if feedback.correct else "[red]Not quite[/]"
    console.print(f"{verdict} — the answer is {', '.join(feedback.correct_options or [])}")
    for option in feedback.options:
        sign = "[green]✓[/]" if option.correct else "[red]✗[/]"
        console.print(f"  {sign} {option.id}: {option.why}", highlight=False)
    console.print(Markdown(feedback.explanation or ""))
    for reference in feedback.references or []:
        console.print(f"  {reference}", style="dim")


def _show_review(state: AttemptState) -> None:
    table = Table("#", "Status", title="Review")
    for question in state.questions:
        status = "answered" if question.answered else "[yellow]unanswered[/]"
        table.add_row(str(question.position), status + (" · [bold]flagged[/]" if question.flagged else ""))
    console.print(table)


def _show_result(result: ExamResult, exam_mode: bool) -> None:
    if exam_mode:
        verdict = "[green]PASS[/]" if result.passed else "[red]FAIL[/]"
        low, high = result.score_range
        console.print(
            f"\n[bold]Scaled score {result.scaled_score}[/] {verdict}  (likely {low}–{high}, "
            f"pass probability {result.pass_probability:.0%})"
        )
    console.print(f"{result.correct} of {result.scored_items} scored questions correct ({result.percent}%).")
    table = Table("Domain", "Items", "Correct", "Percent", "Classification")
    for section in result.sections:
        table.add_row(
            f"{section.domain}. {section.name}",
            str(section.scored_items),
            str(section.correct),
            f"{section.percent}%",
            section.classification,
        )
    console.print(table)


def _ask(prompt: str) -> str | None:
    try:
        return console.input(prompt).strip()
    except EOFError:
        return None


def _run(runtime: Runtime, attempt_id: str) -> None:
    exams = runtime.exams
    user_id = runtime.local_user_id
    position = 1
    console.print(f"[dim]Attempt {attempt_id} · {HELP}[/]")
    while True:
        state = exams.state(user_id, attempt_id)
        if state.time_up:  # the deadline passed (perhaps while the learner was away): score what was saved
            exams.submit(user_id, attempt_id, auto=True)
            continue
        if state.status == "submitted":
            if state.result is not None:
                _show_result(state.result, state.exam)
            return
        questions = state.questions
        position = max(1, min(position, len(questions)))
        question = questions[position - 1]
        _show_question(state, question)
        if question.locked and question.revealed:
            _show_feedback(question)
        reply = _ask("> ")
        if reply is None or reply.lower() == "q":
            console.print(f"Saved. Resume with: certprep exam --resume {attempt_id}")
            return
        command = reply.lower()
        try:
            if command in ("n", ""):
                position = position + 1 if position < len(questions) else position
                if position == len(questions) and command == "":
                    _show_review(state)
            elif command == "p":
                position -= 1
            elif command == "f":
                exams.answer(user_id, attempt_id, position, flagged=not question.flagged)
            elif command.startswith("g"):
                position = int(command[1:].strip())
            elif command == "r":
                _show_review(state)
            elif command == "s":
                unanswered = [str(q.position) for q in questions if not q.answered]
                if unanswered:
                    console.print(f"[yellow]Unanswered: {', '.join(unanswered)}[/] (scored as incorrect)")
                confirm = _ask("Submit now? [y/N] ")
                if confirm is not None and confirm.lower() in ("y", "yes"):
                    exams.submit(user_id, attempt_id)
            else:
                letters = [part for part in command.replace(",", " ").upper().split() if part]
                if len(letters) == 1 and len(letters[0]) > 1:
                    letters = list(letters[0])
                exams.answer(user_id, attempt_id, position, selected=letters)
                if state.feedback:
                    _show_feedback(exams.check(user_id, attempt_id, position))
                    _ask("[dim]Enter for the next question[/] ")
                if position < len(questions):
                    position += 1
                else:
                    _show_review(exams.state(user_id, attempt_id))
        except (AnswerError, ValueError) as error:
            console.print(f"[red]{error}[/]")
        except ExamConflict as error:
            console.print(f"[yellow]{error}[/]")
