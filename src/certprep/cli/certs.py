"""``certprep certs``: the certification tracker in the terminal, on the same database as the web app.

Every rule (retake wait, voucher, unique credential ids, valid dates and links) is the tracker's own, so a mistake
prints the same sentence the web form shows, on one line, and exits with status 2.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from certprep.certs import CredentialInput, format_money
from certprep.certs.present import attempt_dict, credential_dict, path_dict, readiness_dict, reminder_dict
from certprep.certs.records import ATTEMPT_STATUS_LABELS
from certprep.cli.output import console, fail
from certprep.cli.start import start_runtime
from certprep.runtime import Runtime

app = typer.Typer(
    help="Certification tracker: exam bookings and results, credentials, renewal, path and portfolio export.",
    no_args_is_help=True,
)


class ExportFormat(StrEnum):
    markdown = "markdown"
    jsonresume = "jsonresume"


@contextmanager
def _runtime() -> Iterator[Runtime]:
    """A started runtime, closed when the block ends (a broken tracker rule is reported by the CLI's one mapping)."""
    runtime = start_runtime()
    try:
        yield runtime
    finally:
        runtime.close()


@app.command("add")
def add(
    credential_id: str = typer.Option(..., "--id", help="The credential id on the certificate."),
    earned: str = typer.Option(..., metavar="DATE", help="Date earned, YYYY-MM-DD."),
    exam: str = typer.Option(
        "", metavar="CODE", help="Exam code, e.g. DOP-C02: fills in title, provider, level, skills, expiry."
    ),
    title: str = typer.Option("", help="Title (blank: from the exam code)."),
    provider: str = typer.Option("", help="Issuer (blank: from the exam code)."),
    level: str = typer.Option("", help="Level (blank: from the exam code)."),
    expires: str = typer.Option(
        "", metavar="DATE", help="Expiry date, YYYY-MM-DD (blank: 3 years after --earned for AWS)."
    ),
    url: str = typer.Option("", help="Verification URL, e.g. the Credly badge link."),
    skills: str = typer.Option("", help="Comma-separated skills (blank: the exam's domains)."),
    description: str = typer.Option("", help="One or two sentences for the portfolio."),
    logo: str = typer.Option("", help="Logo path or link for the portfolio, e.g. /logos/dop-c02.png."),
) -> None:
    """Add a credential you hold."""
    with _runtime() as runtime:
        raw = CredentialInput(
            credential_id=credential_id,
            earned_on=earned,
            exam_code=exam,
            title=title,
            provider=provider,
            level=level,
            expires_on=expires,
            verification_url=url,
            skills=skills,
            description=description,
            logo=logo,
        )
        credential = runtime.certs.add_credential(runtime.local_user_id, raw)
        console.print(
            f"Added {credential.title} ({credential.credential_id}), earned {credential.earned_on.isoformat()}, "
            f"expires {credential.expires_on.isoformat()}."
        )


@app.command("remove")
def remove(credential_id: str = typer.Argument(..., help="The credential id on the certificate.")) -> None:
    """Remove a credential."""
    with _runtime() as runtime:
        credential = runtime.certs.credential_by_issuer_id(runtime.local_user_id, credential_id)
        runtime.certs.delete_credential(runtime.local_user_id, credential.id or 0)
        console.print(f"Removed {credential.title} ({credential.credential_id}).")


@app.command("list")
def list_all(as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables.")) -> None:
    """Your credentials with their renewal state, your exam bookings and results, and reminders due today."""
    with _runtime() as runtime:
        certs, user_id, today = runtime.certs, runtime.local_user_id, runtime.today()
        renewals = certs.renewals(user_id, today)
        attempts = certs.attempts(user_id)
        reminders = certs.reminders(user_id, today)
        if as_json:
            data = {
                "credentials": [credential_dict(r.credential, r) for r in renewals],
                "attempts": [attempt_dict(a, today) for a in attempts],
                "reminders": [reminder_dict(r) for r in reminders],
            }
            typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
            return
        for reminder in reminders:
            console.print(f"[bold yellow]Reminder:[/] {reminder.message}")
        if renewals:
            table = Table(title="Credentials", title_justify="left")
            for column in ("Certification", "Credential ID", "Earned", "Expires", "Status"):
                table.add_column(column)
            for item in renewals:
                c = item.credential
                code = f" [{c.exam_code}]" if c.exam_code else ""
                table.add_row(
                    f"{c.title}{code}", c.credential_id, c.earned_on.isoformat(), c.expires_on.isoformat(), item.label
                )
            console.print(table)
        else:
            console.print("No credentials yet: add one with 'certprep certs add --id ID --earned DATE --exam CODE'.")
        if attempts:
            table = Table(title="Exam bookings", title_justify="left")
            for column in ("#", "Exam", "When", "Delivery", "Fee", "Status", "Score"):
                table.add_column(column)
            for a in attempts:
                table.add_row(
                    str(a.id),
                    a.exam_code,
                    f"{a.scheduled_on.isoformat()} {a.scheduled_time:%H:%M}",
                    a.delivery,
                    format_money(a.fee_cents, a.currency) + (" (voucher)" if a.voucher else ""),
                    ATTEMPT_STATUS_LABELS[a.status(today)],
                    "" if a.scaled_score is None else str(a.scaled_score),
                )
            console.print(table)


@app.command("attempt")
def attempt(
    date: str = typer.Option(..., help="Exam date, YYYY-MM-DD."),
    time: str = typer.Option(..., metavar="HH:MM", help="Start time, 24-hour."),
    delivery: str = typer.Option(..., help="'test centre' or 'online' (or the full name of an option)."),
    voucher: bool = typer.Option(False, "--voucher", help="Use the 50% voucher (needs an active AWS credential)."),
    pack: str = typer.Option("dop-c02", help="Pack id of the exam."),
) -> None:
    """Record an exam you booked. Refused inside the retake wait after a failed attempt."""
    with _runtime() as runtime:
        certs, user_id = runtime.certs, runtime.local_user_id
        booked = certs.book(user_id, pack, date, time, delivery, voucher)
        console.print(
            f"Booked {booked.exam_code} on {booked.scheduled_on.isoformat()} at {booked.scheduled_time:%H:%M}, "
            f"{booked.delivery}, fee {format_money(booked.fee_cents, booked.currency)} (booking #{booked.id})."
        )
        _, advice = certs.readiness(user_id, pack, booked.scheduled_on)
        console.print(advice.headline, markup=False)
        for note in advice.notes:
            console.print(f"  {note}", markup=False)


@app.command("result")
def result(
    attempt_id: int = typer.Argument(..., help="Booking number, as 'certprep certs list' shows it."),
    outcome: str = typer.Option(..., "--result", metavar="pass|fail", help="The result on the score report."),
    score: int | None = typer.Option(None, help="Scaled score from the score report."),
    section: Annotated[
        list[str] | None,
        typer.Option(
            metavar="N=OUTCOME",
            help="Section outcome as DOMAIN=meets or DOMAIN=needs-improvement; repeat for each section.",
        ),
    ] = None,
) -> None:
    """Enter the result of a sitting from your score report."""
    sections: dict[int, str] = {}
    for item in section or []:
        domain, sep, value = item.partition("=")
        if not sep or not domain.strip().isdigit():
            fail(f"certprep: '{item}' is not a section outcome; write it as 1=meets or 3=needs-improvement", code=2)
        sections[int(domain)] = value
    with _runtime() as runtime:
        done = runtime.certs.record_result(runtime.local_user_id, attempt_id, outcome, score, sections)
        shown = f" with {done.scaled_score}" if done.scaled_score is not None else ""
        console.print(f"{done.exam_code} on {done.scheduled_on.isoformat()}: {done.result}{shown}.")
        if done.result == "fail":
            wait = runtime.certs.earliest_retake(runtime.local_user_id, done.pack_id)
            console.print(f"The earliest retake date is {wait.isoformat() if wait else 'not known'}.")


@app.command("path")
def path(pack: str = typer.Option("dop-c02", help="Pack id whose certification path to show.")) -> None:
    """The certification path, with what you hold and what to take next."""
    with _runtime() as runtime:
        view = path_dict(runtime.certs.path(runtime.local_user_id, pack))
        marks = {"held": "[green]held[/]", "expired": "[red]expired[/]", "not_held": "not held"}
        for tier in view["tiers"]:
            parts = []
            for step in tier:
                next_mark = (
                    " [bold]<- next[/]" if step["recommended"] else " <- preparation" if step["preparation"] else ""
                )
                parts.append(f"{step['code']} {step['name']} ({marks[step['state']]}){next_mark}")
            console.print("  or  ".join(parts))
        console.print(view["message"], markup=False)


@app.command("readiness")
def readiness(
    pack: str = typer.Option("dop-c02", help="Pack id of the exam."),
    date: str = typer.Option("", help="The day you consider booking, YYYY-MM-DD."),
) -> None:
    """Before booking: your predicted pass probability and the date your study plan works towards."""
    from certprep.certs import parse_date

    with _runtime() as runtime:
        proposed = parse_date(date, "exam date") if date else None
        found, advice = runtime.certs.readiness(runtime.local_user_id, pack, proposed)
        data = readiness_dict(found, advice)
        console.print(data["advice"]["headline"], markup=False)
        for note in data["advice"]["notes"]:
            console.print(f"  {note}", markup=False)


@app.command("export")
def export(
    format: Annotated[
        ExportFormat, typer.Option("--format", help="markdown: one file per credential; jsonresume: certificates.json.")
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", metavar="DIR", help="Folder to write into (created if missing).")
    ],
) -> None:
    """Export your credentials for a portfolio site or a JSON Resume."""
    with _runtime() as runtime:
        certs, user_id = runtime.certs, runtime.local_user_id
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            fail(f"certprep: cannot create the folder {output}: {error.strerror}", code=2)
        try:
            if format is ExportFormat.markdown:
                files = certs.portfolio(user_id)
                for name, text in files:
                    (output / name).write_text(text, encoding="utf-8")
                console.print(f"Wrote {len(files)} Markdown file(s) to {output}.")
            else:
                target = output / "certificates.json"
                resume = certs.json_resume(user_id)
                data = resume.model_dump(exclude_unset=True)
                target.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
                console.print(f"Wrote {len(resume.certificates)} certificate(s) to {target}.")
        except OSError as error:
            fail(f"certprep: cannot write to {output}: {error.strerror}", code=2)
