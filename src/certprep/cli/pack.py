"""``certprep pack``: check a content pack and count what it holds."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich import box
from rich.table import Table

from certprep.cli.output import console, fail
from certprep.cli.start import start_runtime
from certprep.config import extra_pack_dirs
from certprep.content import pack_stats, read_pack
from certprep.content.feedback import ReportStatus, ReportTally, reports_markdown, reports_yaml
from certprep.content.registry import pack_dirs

app = typer.Typer(help="Validate content packs and show their statistics.", no_args_is_help=True)

PathArgument = typer.Argument(
    None, help="A pack folder (the one holding blueprint.yaml). Default: every installed pack.", show_default=False
)


def _targets(path: Path | None) -> list[Path]:
    """The pack folder named, or every installed pack; a name that is no folder is one line, not a file:line."""
    if path is not None and not path.is_dir():
        what = "is a file, not a pack folder" if path.exists() else "does not exist"
        fail(f"certprep: {path} {what}; give the folder that holds blueprint.yaml", code=2)
    return [path] if path is not None else pack_dirs(extra_pack_dirs())


@app.command()
def validate(path: Path | None = PathArgument) -> None:
    """Check a pack against the format rules; list every problem as file:line and exit non-zero if any."""
    failed = False
    for folder in _targets(path):
        report = read_pack(folder)
        for problem in report.problems:
            console.print(f"{folder}/{problem}", markup=False, soft_wrap=True)
        if report.errors or report.pack is None:
            failed = True
            console.print(f"[red]✗ {folder}: {len(report.errors)} problem(s)[/]")
        else:
            pack = report.pack
            console.print(
                f"[green]✓ {pack.id}[/] ({folder}): {len(pack.questions)} questions, "
                f"{len(pack.flashcards)} flashcards, {len(pack.explainers)} explainers, {len(pack.notes)} notes; "
                "no problems",
                soft_wrap=True,
            )
    if failed:
        raise typer.Exit(1)


@app.command()
def stats(
    path: Path | None = PathArgument,
    as_json: bool = typer.Option(False, "--json", help="Print JSON (shape in docs/pack-stats.md)."),
) -> None:
    """Count questions per domain and task statement against the blueprint, with type, difficulty and service mix."""
    results = []
    for folder in _targets(path):
        report = read_pack(folder)
        if report.pack is None:
            fail(f"{folder} has problems; run 'certprep pack validate {folder}'", [str(p) for p in report.errors])
        results.append(pack_stats(report.pack, reports=_report_counts(report.pack.id)))
    if as_json:
        typer.echo(json.dumps(results[0] if path is not None else results, indent=2))
        return
    for result in results:
        _print_stats(result)


def _report_counts(pack_id: str) -> list[ReportTally] | None:
    """Learners' reports per question of the pack in this install's database; None when it has no database yet
    (``pack stats`` must not create one) or the pack is not installed."""
    from certprep.config import Settings

    settings = Settings()
    url = settings.database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None
    runtime = start_runtime(settings)
    try:
        if pack_id not in runtime.packs:
            return None
        return runtime.reports.counts(pack_id)
    finally:
        runtime.close()


def _share(histogram: dict[str, int], levels: tuple[str, ...], total: int) -> str:
    return f"{100 * sum(histogram[level] for level in levels) / total:.0f}%" if total else "-"


def _print_notes_gaps(gaps: object) -> None:
    """The services and tags that questions or cards use but no note section covers, each with its uses."""
    assert isinstance(gaps, dict)
    if not gaps["count"]:
        console.print("Notes cover every service and tag that questions and cards use.")
        return
    console.print(f"[bold]Not covered by any note section: {gaps['count']}[/]")
    for kind in ("services", "tags"):
        if gaps[kind]:
            names = ", ".join(f"{gap['name']} ({gap['uses']})" for gap in gaps[kind])
            console.print(f"  {kind.capitalize()}: {names}")


def _print_stats(result: dict[str, object]) -> None:
    questions = result["questions"]
    types = result["types"]
    difficulty = result["difficulty"]
    services = result["services"]
    assert isinstance(questions, dict) and isinstance(types, dict)
    assert isinstance(difficulty, dict) and isinstance(services, dict)
    console.print(f"[bold]{result['exam_code']}[/] ({result['pack']}, content {result['content_version']})")
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    # Names wrap onto a second line rather than being cut ("Configuration Managemen…") in an 80-column terminal.
    table.add_column("Domain / task", overflow="fold", max_width=30)
    for title in ("Exam", "Bank", "Multi", "D1-2", "D4-5", "Cards", "Expl", "Words"):
        table.add_column(title, justify="right", no_wrap=True, min_width=len(title))
    domains = result["domains"]
    assert isinstance(domains, list)
    for domain in domains:
        table.add_row(
            f"[bold]{domain['id']}. {domain['name']} ({domain['weight']:g}%)[/]",
            str(domain["exam_items"]),
            str(domain["questions"]),
            f"{domain['multiple_percent']:.0f}%",
            _share(domain["difficulty"], ("1", "2"), domain["questions"]),
            _share(domain["difficulty"], ("4", "5"), domain["questions"]),
            str(domain["flashcards"]),
            str(domain["explainers"]),
            f"{domain['median_stem_words']:g}",
        )
        for task in domain["tasks"]:
            cells = ["", str(task["questions"]), "", "", "", str(task["flashcards"]), str(task["explainers"]), ""]
            table.add_row(f"  {task['id']} {task['title']}", *cells)
    console.print(table)
    by_status = questions["by_status"]
    console.print(
        f"Questions: {questions['total']} ({by_status['live']} live, {by_status['pretest']} pretest, "
        f"{by_status['retired']} retired); single {types['single']}, multiple {types['multiple']}"
    )
    console.print("Difficulty: " + ", ".join(f"{level}: {count}" for level, count in difficulty.items()))
    console.print(f"Flashcards: {result['flashcards']}")
    reports = result.get("reports")
    if isinstance(reports, dict):
        listed = reports["questions"]
        assert isinstance(listed, list)
        top = ", ".join(f"{q['code']} ({q['id']}): {q['open']} open of {q['total']}" for q in listed[:10])
        console.print(
            f"Reports from learners: {reports['total']} on {len(listed)} question(s), {reports['open']} open"
            + (f"; most reported: {top}" if top else "")
        )
    explainers = result["explainers"]
    assert isinstance(explainers, dict)
    kinds = ", ".join(f"{kind} {count}" for kind, count in explainers["by_kind"].items())
    console.print(f"Explainers: {explainers['total']} ({kinds})")
    check = result["documentation_check"]
    assert isinstance(check, dict)
    oldest = f", oldest check {check['oldest']}" if check["oldest"] else ""
    console.print(
        f"Checked against the AWS documentation: {check['checked']} of {questions['usable']} "
        f"({check['checked_percent']:g}%){oldest}; flashcards {check['flashcards_checked']} of "
        f"{result['flashcards']}; explainers {check['explainers_checked']} of {explainers['total']}; "
        f"notes {check['notes_checked']} of {check['notes']}"
    )
    console.print(f"In-scope services covered: {services['covered']} of {services['in_scope']}")
    _print_notes_gaps(result["notes_gaps"])
    console.print(
        "[dim]Exam: scored items on a full exam · Bank: usable questions · Multi: multiple response · "
        "D1-2/D4-5: share at difficulty 1-2 and 4-5 · Expl: tutor explainers · Words: median stem length[/]"
    )


OutputOption = typer.Option(None, "--output", "-o", help="Write the export to this file.")


@app.command()
def reports(
    pack: str = typer.Argument("dop-c02", help="Pack id."),
    status: str = typer.Option("all", metavar="open|accepted|rejected|all", help="Only reports in this state."),
    output_format: str = typer.Option(
        "table", "--format", metavar="table|markdown|yaml", help="A table here, Markdown to read, or a YAML patch."
    ),
    output: Path | None = OutputOption,
) -> None:
    """List learners' reports of problems with questions, or export them to send to the pack's maintainers."""
    if status != "all" and status not in set(ReportStatus):
        fail(f"certprep: the status is one of open, accepted, rejected or all, not '{status}'", code=2)
    if output_format not in ("table", "markdown", "yaml"):
        fail(f"certprep: the format is table, markdown or yaml, not '{output_format}'", code=2)
    runtime = start_runtime()
    try:
        chosen = None if status == "all" else ReportStatus(status)
        found = runtime.reports.reports(pack, chosen)
        loaded = runtime.packs[pack]
        today = runtime.today()
    finally:
        runtime.close()
    if output_format == "table":
        if not found:
            console.print(f"No {'' if chosen is None else chosen.value + ' '}reports on {pack}.")
            return
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        for title in ("#", "Code", "Question", "Reason", "Status", "Report"):
            table.add_column(title, overflow="fold")
        for report in found:
            table.add_row(
                str(report.id), report.code, report.question_id, report.reason.value, report.status.value, report.text
            )
        console.print(table)
        return
    text = (reports_markdown if output_format == "markdown" else reports_yaml)(loaded, found, today)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"{len(found)} report(s) written to {output}")
