"""``certprep tutor``: ask the tutor from the terminal, one query or a file of them."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markdown import Markdown
from rich.table import Table

from certprep.cli.output import console, fail
from certprep.cli.start import start_runtime
from certprep.tutor import Answer, Tutor, TutorContext

BatchOption = typer.Option(None, "--batch", help="A file with one query per line; answers in the same order.")

app = typer.Typer(help="Ask the tutor: answers grounded in the pack, with their sources.", no_args_is_help=True)


def _print(answer: Answer, tutor: Tutor) -> None:
    who = "the model" if answer.source == "llm" else "the retrieval tutor (offline)"
    console.print(f"[bold]{answer.mode}[/] · answered by {who}")
    if answer.note:
        console.print(f"[yellow]{answer.note}[/]", markup=False, soft_wrap=True)
    console.print(Markdown(answer.text))
    if answer.hits:
        table = Table(title="Sources", show_lines=False, title_justify="left")
        table.add_column("#", justify="right")
        table.add_column("Kind")
        table.add_column("Title", overflow="fold")
        # No score column: a retrieval score means nothing to a learner (it stays in --json for programs).
        for number, passage in enumerate(answer.passages_json(tutor.pack.id), start=1):
            table.add_row(str(number), passage["kind"], passage["title"])
        console.print(table)


@app.command()
def ask(
    query: str | None = typer.Argument(None, help='What to ask, e.g. "compare CodeDeploy deployment strategies".'),
    pack: str | None = typer.Option(None, help="Pack id (default: dop-c02, or the only installed pack)."),
    batch: Path | None = BatchOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON: one object per query, one per line."),
) -> None:
    """Ask a question, compare two things (X vs Y), explain a question (by id) or get quizzed on a topic."""
    if (query is None) == (batch is None):
        fail("give either a QUERY or --batch FILE (not both)", code=2)
    queries: list[str]
    if batch is not None:
        try:
            queries = [line.strip() for line in batch.read_text(encoding="utf-8").splitlines() if line.strip()]
        except (OSError, UnicodeDecodeError) as error:
            fail(f"cannot read {batch}: {getattr(error, 'strerror', None) or error}", code=2)
    else:
        assert query is not None
        if not query.strip():
            fail("the query is empty; ask something", code=2)
        queries = [query.strip()]
    runtime = start_runtime()
    try:
        pack_id = pack or runtime.tutors.default_pack()
        tutor = runtime.tutors.tutor(pack_id)
        if tutor is None:
            fail(f"no pack named '{pack_id}' is installed; installed: {', '.join(sorted(runtime.packs))}", code=2)
        context: TutorContext = runtime.tutors.context(runtime.local_user_id, pack_id)
        for text in queries:
            answer = tutor.answer(text, context)
            if as_json:
                typer.echo(json.dumps(answer.to_json(pack_id), ensure_ascii=False))
            else:
                _print(answer, tutor)
    finally:
        runtime.close()
