"""``certprep user``: manage hosted mode's accounts from the server's shell (the first admin starts here)."""

from __future__ import annotations

import sys

import typer

from certprep.accounts import ROLES
from certprep.cli.output import console, fail
from certprep.config import Settings
from certprep.services.accounts import AccountService
from certprep.store import DatabaseError, open_engine, session_factory, upgrade

app = typer.Typer(help="Accounts of hosted mode.", no_args_is_help=True)


def _service() -> AccountService:
    settings = Settings()
    try:
        engine = open_engine(settings.database_url)
        upgrade(engine)
    except DatabaseError as error:
        fail(f"certprep: {error}", code=2)
    return AccountService(session_factory(engine), settings.registration)


@app.command("add")
def add(
    email: str = typer.Argument(..., help="The e-mail address the user signs in with."),
    role: str = typer.Option("learner", metavar="|".join(ROLES), help="What the account may do."),
    name: str = typer.Option("", help="Display name (default: the part of the e-mail before @)."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
) -> None:
    """Create an account, e.g. the first admin: certprep user add you@example.com --role admin."""
    if role not in ROLES:
        fail(f"certprep: unknown role '{role}'; use one of: {', '.join(ROLES)}", code=2)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    user_id = _service().create_user(email, password, role, name)
    console.print(f"Created {email.strip().lower()} ({role}), user id {user_id}.")


@app.command("list")
def list_users() -> None:
    """Every account: e-mail, role and whether it is disabled."""
    for user in _service().list_users():
        state = "disabled" if user["disabled"] else "active"
        console.print(f"{user['id']:>5}  {user['email']}  {user['role']}  {state}", markup=False)


@app.command("disable")
def disable(email: str = typer.Argument(..., help="The account to disable; its sessions end at once.")) -> None:
    """Disable an account (its data stays)."""
    service = _service()
    match = [u for u in service.list_users() if u["email"] == email.strip().lower()]
    if not match:
        fail(f"certprep: no account with the e-mail {email}", code=2)
    service.set_disabled(int(match[0]["id"]), True)
    console.print(f"Disabled {match[0]['email']}.")
