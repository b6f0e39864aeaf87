"""``certprep cards review``, ``certprep readiness`` and ``certprep plan``: the learning loop in the terminal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table

from certprep.cli.output import console, fail
from certprep.cli.start import start_runtime
from certprep.learning.calendar import plan_calendar
from certprep.learning.srs import RATINGS
from certprep.runtime import Runtime
from certprep.services.learning.results import StudyPlan

cards_app = typer.Typer(help="Flashcards with spaced repetition (FSRS).", no_args_is_help=True)

RATING_KEYS = "1 Again · 2 Hard · 3 Good · 4 Easy · q quit"


def _start() -> Runtime:
    return start_runtime()


def _ask(prompt: str) -> str | None:
    try:
        return console.input(prompt).strip()
    except EOFError:
        return None


@cards_app.command("review")
def review(
    domain: int | None = typer.Option(None, min=1, help="Review only this domain's deck."),
    task: str | None = typer.Option(None, metavar="N.N", help="Review only this task statement's deck, e.g. 1.4."),
    pack: str = typer.Option("dop-c02", help="Pack id."),
) -> None:
    """Review the flashcards due now: read the front, press Enter to see the back, rate it 1-4."""
    runtime = _start()
    learning = runtime.learning
    user_id = runtime.local_user_id
    reviewed = 0
    try:
        while True:
            queue = learning.cards.due_cards(user_id, pack, domain=domain, task=task, limit=1)
            if not queue.cards:
                console.print(f"[green]Nothing due.[/] {reviewed} card(s) reviewed this session.")
                return
            card = queue.cards[0]
            counts = queue.counts
            title = (
                f"Task {card.task} · {card.kind} · {counts.learning} learning, {counts.review} due, {counts.new} new"
            )
            console.print(Panel(Markdown(card.front), title=title, title_align="left"))
            if _ask("[dim]Enter to show the answer, q to quit[/] ") in (None, "q"):
                console.print(f"{reviewed} card(s) reviewed.")
                return
            console.print(Panel(Markdown(card.back), border_style="green"))
            choices = " · ".join(f"{value} {name} ({card.intervals[str(value)]})" for value, name in RATINGS.items())
            while True:
                reply = _ask(f"{choices} · q quit > ")
                if reply is None or reply == "q":
                    console.print(f"{reviewed} card(s) reviewed.")
                    return
                if reply in ("1", "2", "3", "4"):
                    result = learning.cards.review_card(user_id, pack, card.id, int(reply))
                    console.print(f"[dim]Next review in {result.interval}.[/]\n")
                    reviewed += 1
                    break
                console.print(f"[yellow]Type a rating: {RATING_KEYS}[/]")
    finally:
        runtime.close()


def _counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def readiness(
    pack: str = typer.Option("dop-c02", help="Pack id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Your predicted exam score today, its likely range and your chance to pass, from everything you practised."""
    runtime = _start()
    try:
        result = runtime.learning.progress.readiness(runtime.local_user_id, pack)
        pack_obj = runtime.learning.records.pack(pack)
    finally:
        runtime.close()
    if as_json:
        console.print_json(result.model_dump_json(exclude={"expected_correct", "scored_items"}))
        return
    console.print(
        f"[bold]Predicted score {result.scaled_score}[/] (likely {result.scaled_low}–{result.scaled_high}); "
        f"[bold]{result.pass_probability:.0%}[/] chance to pass (≥ {result.passing}); "
        f"from {_counted(result.answers, 'answer')} and {_counted(result.reviews, 'flashcard review')}."
    )
    if result.evidence_note:
        console.print(result.evidence_note, style="yellow" if result.rests_on_repeats else None)
    if result.rests_on_repeats:
        console.print(f"Start one with: certprep exam --mode full --pack {pack}", style="bold", markup=False)
    table = Table("Domain", "Exam items", "Expected right")
    for domain in result.domains:
        found = pack_obj.blueprint.domain(domain.domain)
        table.add_row(
            f"{domain.domain}. {found.name if found else ''}", str(domain.scored_items), f"{domain.expected_percent}%"
        )
    console.print(table)


def plan(
    exam_date: str = typer.Option(..., "--exam-date", metavar="DATE", help="The exam date, YYYY-MM-DD."),
    minutes: int = typer.Option(60, "--minutes", min=15, max=600, help="Minutes you can study a day."),
    pack: str = typer.Option("dop-c02", help="Pack id."),
    ics: Annotated[Path | None, typer.Option(help="Also write the plan to this .ics calendar file.")] = None,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """A day-by-day study plan to your exam date, weighted by exam weight and your weak spots."""
    try:
        chosen = dt.date.fromisoformat(exam_date)
    except ValueError:
        fail(f"certprep: '{exam_date}' is not a date; use YYYY-MM-DD", code=2)
    runtime = _start()
    try:
        study = runtime.learning.progress.plan(runtime.local_user_id, pack, chosen, minutes)
        exam_code = runtime.learning.records.pack(pack).blueprint.exam_code
    finally:
        runtime.close()
    if ics is not None:
        try:
            ics.write_bytes(plan_calendar(study, pack, exam_code, runtime.clock()))
        except OSError as error:
            fail(f"certprep: cannot write {ics}: {error.strerror}", code=2)
    if as_json:
        console.print_json(StudyPlan.of(pack, study).model_dump_json())
        return
    console.print(f"[bold]{study.days_left} day(s) to {exam_code}[/] · {minutes} minutes a day")
    for note in study.notes:
        console.print(f"[yellow]{note}[/]")
    table = Table("Day", "Date", "Focus", "Sessions", "Min")
    for day in study.days:
        table.add_row(
            "Exam" if day.date == study.exam_date else str(day.number),
            day.date.strftime("%a %d %b"),
            day.focus,
            "\n".join(session.title for session in day.sessions),
            str(day.minutes),
        )
    console.print(table)
    if ics is not None:
        console.print(f"Calendar written to {ics}")
