"""``certprep export``, ``certprep import`` and ``certprep data``: files to print, to study elsewhere, and to keep.

- ``export``: the cheat sheet, a question set and a score report as PDF; Anki decks; Moodle XML, GIFT and CSV banks.
- ``import``: a GIFT, Moodle XML or CSV question bank becomes a new pack folder, checked by the pack rules.
- ``data``: back up one learner's progress to JSON and merge it back (see certprep.services.backup).

Every mistake a user can make (unknown domain, unreadable file, broken import) ends in one readable line and a
non-zero exit, never a traceback. docs/exports.md describes the formats.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, TypeVar

import typer

from certprep.cli.output import console, fail
from certprep.cli.start import start_runtime
from certprep.config import Settings
from certprep.content.models import Pack
from certprep.exports.anki import anki_package, deck_summary
from certprep.exports.cheatsheet import cheatsheet_pdf
from certprep.exports.csvbank import to_csv
from certprep.exports.gift import to_gift
from certprep.exports.importer import FORMATS, Format, import_bank
from certprep.exports.interchange import exportable
from certprep.exports.moodle import to_moodle_xml
from certprep.exports.question_bank import BankRequest, question_bank_pdf
from certprep.exports.score_report import score_report_pdf
from certprep.exports.typeset import Paper, check_paper
from certprep.runtime import Runtime, StartupError, load_packs
from certprep.services.backup import backup, parse_backup, restore, user_id_for

export_app = typer.Typer(
    help="Write a cheat sheet, question set or score report (PDF), Anki decks, or a Moodle XML / GIFT / CSV bank.",
    no_args_is_help=True,
)
data_app = typer.Typer(help="Back up your progress to a JSON file, and restore it.", no_args_is_help=True)

T = TypeVar("T")

OutputOption = typer.Option(..., "--output", "-o", help="The file to write.", dir_okay=False, show_default=False)
PaperOption = typer.Option("a4", "--paper", help="Paper size: a4 or letter.")
PackOption = typer.Option(None, "--pack", help="Pack id. Default: the only pack, or dop-c02.", show_default=False)


# -- shared steps -------------------------------------------------------------------------------------------------


def _packs() -> dict[str, Pack]:
    try:
        return load_packs(Settings())
    except StartupError as error:
        fail(error.headline, error.lines)


def _refuse_while_sealed(runtime: Runtime, user_id: int) -> None:
    """One line and exit 2 while the learner sits a timed exam: no export with answer keys until it ends."""
    seal = runtime.exams.seal(user_id)
    if seal is not None:
        fail(f"certprep: {seal.sentence(runtime.clock())}", code=2)


def _packs_with_keys() -> dict[str, Pack]:
    """The packs, for an export that carries answer keys: refused while the learner sits a timed exam."""
    runtime = _runtime()
    try:
        _refuse_while_sealed(runtime, runtime.local_user_id)
        return runtime.packs
    finally:
        runtime.close()


def _choose_pack(packs: dict[str, Pack], pack_id: str | None) -> Pack:
    if pack_id is None:
        if len(packs) == 1:
            return next(iter(packs.values()))
        pack_id = "dop-c02" if "dop-c02" in packs else None
        if pack_id is None:
            fail(f"several packs are installed; choose one with --pack ({', '.join(sorted(packs))})", code=2)
    pack = packs.get(pack_id)
    if pack is None:
        fail(f"no pack named '{pack_id}' is installed; installed: {', '.join(sorted(packs))}", code=2)
    return pack


def _paper(paper: str) -> Paper:
    try:
        return check_paper(paper)
    except ValueError as error:
        fail(f"certprep: {error}", code=2)


def _write(path: Path, data: bytes | str, what: str, started: float | None = None) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(payload)
    except OSError as error:
        fail(f"certprep: cannot write {path}: {error.strerror or error}")
    took = f" in {time.perf_counter() - started:.1f} s" if started is not None else ""
    console.print(f"Wrote {what} to {path} ({len(payload) / 1024:,.0f} KiB){took}.", soft_wrap=True)


def _runtime() -> Runtime:
    return start_runtime()


def _user(runtime: Runtime, username: str | None) -> int:
    return runtime.local_user_id if username is None else user_id_for(runtime.sessions, username)


# -- certprep export ----------------------------------------------------------------------------------------------


@export_app.command()
def cheatsheet(output: Path = OutputOption, paper: str = PaperOption, pack: str | None = PackOption) -> None:
    """The cheat sheet PDF: per domain its service cards, exam patterns and comparison tables; a quick reference."""
    size = _paper(paper)  # before loading the packs: a typo is reported at once
    chosen = _choose_pack(_packs(), pack)
    started = time.perf_counter()
    _write(output, cheatsheet_pdf(chosen, size), f"the {chosen.blueprint.exam_code} cheat sheet", started)


@export_app.command()
def questions(
    output: Path = OutputOption,
    count: int | None = typer.Option(None, "--count", "-n", help="Number of questions. Default: an exam's length."),
    domain: int | None = typer.Option(None, "--domain", help="Only this domain."),
    task: str | None = typer.Option(None, "--task", help="Only this task statement, e.g. 1.4."),
    seed: int = typer.Option(0, "--seed", help="Which set: the same seed gives the same questions."),
    paper: str = PaperOption,
    pack: str | None = PackOption,
) -> None:
    """A question set as PDF, weighted by the domain weights (or one domain or task): questions, then the key."""
    size = _paper(paper)  # before loading the packs: a typo is reported at once
    chosen = _choose_pack(_packs_with_keys(), pack)
    request = BankRequest(count=count, domain=domain, task=task, seed=seed)
    pdf = question_bank_pdf(chosen, request, size)
    _write(output, pdf, "the question set")


@export_app.command("score-report")
def score_report(
    attempt: str | None = typer.Argument(None, help="The attempt id (see the History page). Default: the latest."),
    output: Path = OutputOption,
    paper: str = PaperOption,
) -> None:
    """The score report of a submitted exam or practice session as PDF."""
    size = _paper(paper)
    runtime = _runtime()
    try:
        user_id = runtime.local_user_id
        _refuse_while_sealed(runtime, user_id)
        runtime.exams.expire_due(user_id)  # an exam whose time ran out has a score report too (a command may write)
        if attempt is None:
            submitted = [a for a in runtime.exams.list_attempts(user_id, limit=500) if a.status == "submitted"]
            if not submitted:
                fail("certprep: there is no submitted exam or practice session yet", code=2)
            attempt = submitted[0].id
        attempt_id = attempt
        state = runtime.exams.state(user_id, attempt_id)
        pack = runtime.pack(state.pack)
        if pack is None:
            fail(f"certprep: the pack '{state.pack}' of this attempt is not installed", code=2)
        _write(output, score_report_pdf(pack, state, size), f"the score report of {attempt_id}")
    finally:
        runtime.close()


@export_app.command()
def anki(
    output: Path = OutputOption,
    include_questions: bool = typer.Option(False, "--questions", help="Add the practice questions as notes too."),
    pack: str | None = PackOption,
) -> None:
    """Anki decks (.apkg): the flashcards, one deck per domain under a deck for the exam."""
    chosen = _choose_pack(_packs_with_keys() if include_questions else _packs(), pack)
    _write(output, anki_package(chosen, include_questions), "the Anki package")
    for deck in deck_summary(chosen, include_questions):
        console.print(f"  {deck['deck']}: {deck['notes']} notes", soft_wrap=True)


def _bank_questions(pack: Pack, domain: int | None) -> list[Any]:
    if domain is not None and pack.blueprint.domain(domain) is None:
        known = ", ".join(str(d.id) for d in pack.blueprint.domains)
        fail(f"certprep: {pack.blueprint.exam_code} has no domain {domain}; its domains are {known}", code=2)
    return exportable(pack, domain)


DomainOption = typer.Option(None, "--domain", help="Only this domain. Default: every question that is not retired.")


@export_app.command()
def moodle(output: Path = OutputOption, domain: int | None = DomainOption, pack: str | None = PackOption) -> None:
    """The questions as Moodle XML (multichoice, with per-option and general feedback and certprep's tags)."""
    chosen = _choose_pack(_packs_with_keys(), pack)
    _write(output, to_moodle_xml(chosen, _bank_questions(chosen, domain)), "the Moodle XML bank")


@export_app.command()
def gift(output: Path = OutputOption, domain: int | None = DomainOption, pack: str | None = PackOption) -> None:
    """The questions in GIFT, Moodle's plain-text format."""
    chosen = _choose_pack(_packs_with_keys(), pack)
    _write(output, to_gift(chosen, _bank_questions(chosen, domain)), "the GIFT bank")


@export_app.command("csv")
def csv_bank(output: Path = OutputOption, domain: int | None = DomainOption, pack: str | None = PackOption) -> None:
    """The questions as CSV for a spreadsheet (one row per question; `certprep import` reads it back)."""
    chosen = _choose_pack(_packs_with_keys(), pack)
    _write(output, to_csv(chosen, _bank_questions(chosen, domain)), "the CSV bank")


# -- certprep import ----------------------------------------------------------------------------------------------


BankArgument = typer.Argument(..., help="A .gift, .xml (Moodle) or .csv question bank.", show_default=False)
PackFolderOption = typer.Option(
    ..., "--output", "-o", help="The new pack's folder (must not exist yet, or be empty).", show_default=False
)
FormatOption = typer.Option(None, "--format", help="gift, moodle or csv. Default: from the file name.")
PackIdOption = typer.Option(None, "--id", help="The new pack's id. Default: from the folder name.")
NameOption = typer.Option(None, "--name", help="The exam name to show. Default: the pack id.")


def import_command(
    source: Path = BankArgument,
    output: Path = PackFolderOption,
    bank_format: str | None = FormatOption,
    pack_id: str | None = PackIdOption,
    name: str | None = NameOption,
) -> None:
    """Turn a GIFT, Moodle XML or CSV question bank into a new pack, checked by the pack rules."""
    if bank_format is not None and bank_format not in FORMATS:
        fail(f"certprep: unknown format '{bank_format}'; choose {', '.join(FORMATS)}", code=2)
    chosen: Format | None = next((known for known in FORMATS if known == bank_format), None)
    report = import_bank(source, output, chosen, pack_id, name)
    if not report.ok:
        fail(
            f"{source.name}: {len(report.errors)} problem(s); nothing was written",
            [str(problem) for problem in report.errors],
            limit=100,
        )
    for warning in report.problems:
        console.print(f"warning: {warning}", markup=False, soft_wrap=True)
    assert report.pack is not None
    console.print(
        f"[green]✓[/] Imported {report.questions} questions into the pack '{report.pack.id}' at {output}.",
        soft_wrap=True,
    )
    console.print(f"Use it with: CERTPREP_PACKS={output} certprep serve", markup=False, soft_wrap=True)


# -- certprep data ------------------------------------------------------------------------------------------------

UserOption = typer.Option(None, "--user", help="Whose data (hosted mode). Default: the local learner.")
BackupArgument = typer.Argument(..., help="A file made by 'certprep data export'.", show_default=False)


@data_app.command("export")
def data_export(output: Path = OutputOption, username: str | None = UserOption) -> None:
    """Back up a learner's progress (attempts, answers, reviews, settings, certifications...) as JSON."""
    runtime = _runtime()
    try:
        user_id = _user(runtime, username)
        _refuse_while_sealed(runtime, user_id)  # a backup holds the keys of past results
        document = backup(runtime.sessions, user_id)
    finally:
        runtime.close()
    rows = sum(len(table) for table in document["tables"].values())
    _write(output, json.dumps(document, ensure_ascii=False, indent=1), f"a backup of {rows} rows")


@data_app.command("import")
def data_import(
    source: Path = BackupArgument,
    username: str | None = UserOption,
) -> None:
    """Merge a backup into this database: adds what is missing, never duplicates or overwrites anything."""
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"certprep: cannot read {source}: {getattr(error, 'strerror', None) or error}", code=2)
    document = parse_backup(text)
    runtime = _runtime()
    try:
        user_id = _user(runtime, username)
        report = restore(runtime.sessions, user_id, document, scorer=runtime.exams)
    finally:
        runtime.close()
    console.print(
        f"[green]✓[/] Restored {report.total_added} rows; {report.total_skipped} were already here.", soft_wrap=True
    )
    for table, added in report.added.items():
        if added or report.skipped.get(table):
            console.print(f"  {table}: {added} added, {report.skipped.get(table, 0)} already here", soft_wrap=True)
