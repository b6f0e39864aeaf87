"""Accounts in the database: users, sign-in with rate limits, server-side sessions and invitations.

Sessions are rows, not signed cookies: the cookie carries a random 256-bit token and the row is keyed by its
SHA-256. That costs one indexed lookup per request, and buys what signed cookies cannot give without a table
anyway: logout and "disable this user" take effect at once on every worker, and the CSRF token lives beside the
session instead of in a second cookie.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from certprep.accounts import (
    ROLES,
    AccountError,
    EmailTaken,
    check_password,
    hash_password,
    needs_rehash,
    normalize_email,
    verify_password,
)
from certprep.accounts.rules import (
    ACCOUNT_WINDOW_SECONDS,
    ADDRESS_LIMIT,
    PAIR_LIMIT,
    REGISTRATION_LIMIT,
    account_delay,
)
from certprep.clock import Clock, system_clock
from certprep.store.db import transaction
from certprep.store.schema import AuthSession, Invite, LoginCounter, PasswordReset, User

SESSION_DAYS = 14
INVITE_DAYS = 7
RESET_HOURS = 24
SEEN_EVERY = dt.timedelta(minutes=1)


def token_digest(token: str) -> str:
    """The key under which a cookie or invite token is stored: its SHA-256 in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


SIGN_IN_LIMITED = "Too many failed sign-ins. Wait a few minutes and try again."


class TooManyAttempts(Exception):
    """Sign-in refused for a while because of repeated failures; ``retry_after`` in seconds."""

    def __init__(
        self, retry_after: int, message: str = "Too many failed sign-ins. Wait a few minutes and try again."
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class SignedIn:
    """The user behind a valid session cookie."""

    user_id: int
    email: str
    display_name: str
    role: str
    session_key: str
    csrf_token: str


class AccountService:
    """Users, sessions, login limits and invitations of a hosted certprep."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        registration: str = "invite",
        clock: Clock = system_clock,
        idle: dt.timedelta = dt.timedelta(minutes=120),
        lifetime: dt.timedelta = dt.timedelta(days=SESSION_DAYS),
    ) -> None:
        self.sessions = sessions
        self.registration = registration
        self.clock = clock
        self.idle = idle  # a session unused this long ends
        self.lifetime = lifetime  # and every session ends this long after its sign-in

    # -- users ----------------------------------------------------------------------------------------------------

    def create_user(self, email: str, password: str, role: str = "learner", display_name: str = "") -> int:
        """Add a user; AccountError for a bad e-mail, weak password, unknown role or an e-mail already in use."""
        email = normalize_email(email)
        check_password(password, email)
        if role not in ROLES:
            raise AccountError(f"Unknown role '{role}'; use one of: {', '.join(ROLES)}.")
        try:
            with transaction(self.sessions) as session:
                user = User(
                    username=email,
                    email=email,
                    display_name=(display_name.strip() or email.split("@")[0])[:200],
                    role=role,
                    password_hash=hash_password(password),
                    disabled=False,
                )
                session.add(user)
                session.flush()
                return int(user.id)
        except IntegrityError:
            raise EmailTaken("An account with that e-mail address already exists.") from None

    def list_users(self) -> list[dict[str, Any]]:
        with self.sessions() as session:
            users = session.scalars(select(User).where(User.email.is_not(None)).order_by(User.email)).all()
            return [
                {"id": u.id, "email": u.email, "name": u.display_name, "role": u.role, "disabled": u.disabled}
                for u in users
            ]

    def set_disabled(self, user_id: int, disabled: bool) -> None:
        """Disable (or enable) a user; disabling ends every session of theirs at once."""
        with transaction(self.sessions) as session:
            user = session.get(User, user_id)
            if user is None or user.email is None:
                raise AccountError("No such user.")
            user.disabled = disabled
            if disabled:
                session.execute(delete(AuthSession).where(AuthSession.user_id == user_id))

    def set_role(self, user_id: int, role: str) -> None:
        if role not in ROLES:
            raise AccountError(f"Unknown role '{role}'; use one of: {', '.join(ROLES)}.")
        with transaction(self.sessions) as session:
            user = session.get(User, user_id)
            if user is None or user.email is None:
                raise AccountError("No such user.")
            user.role = role

    # -- signing in -----------------------------------------------------------------------------------------------

    def authenticate(self, email: str, password: str, address: str, now: dt.datetime | None = None) -> int:
        """The user id for a correct e-mail and password; AccountError when wrong, TooManyAttempts when limited.

        The attempt is counted before the password is checked, in one transaction that holds the row locks of its
        counters (client address, account at that address, account), so that parallel guesses on every worker see
        each other: 30 guesses at once from one address get 5 password checks, not 30. A correct password takes its
        own attempt back. A stranger's failures limit the stranger's address; the account as a whole only gets a
        growing delay between tries (``certprep.accounts.rules.account_delay``), never a lock.

        The message for a wrong password and for an unknown e-mail is the same, so the form does not tell an
        attacker which addresses have accounts.
        """
        now = now or self.clock()
        wrong = AccountError("Wrong e-mail or password.")
        try:
            email = normalize_email(email)
        except AccountError:
            email = ""  # counted against the address all the same
        keys = self._counter_keys(email, address)
        with transaction(self.sessions) as session:
            counters = [self._locked_counter(session, scope, key, window, now) for scope, key, window in keys]
            retry_after = max(self._wait(counter, now) for counter in counters)
            if retry_after:
                raise TooManyAttempts(retry_after)
            for counter in counters:
                counter.attempts += 1
                if counter.scope == "account":
                    delay = account_delay(counter.attempts)
                    counter.not_before = now + dt.timedelta(seconds=delay) if delay else None
            user = session.scalar(select(User).where(User.email == email)) if email else None
            password_hash = user.password_hash if user is not None else None
        matches = verify_password(password_hash, password[:1024])
        if not matches or user is None or user.disabled:
            if matches and user is not None and user.disabled:
                raise AccountError("This account has been disabled. Ask an administrator.")
            raise wrong
        with transaction(self.sessions) as session:
            # The owner proved the password: forget the account's failures and give the address its try back.
            session.execute(
                delete(LoginCounter).where(
                    LoginCounter.scope.in_(("pair", "account")), LoginCounter.key.in_([key for _, key, _ in keys])
                )
            )
            session.execute(
                update(LoginCounter)
                .where(LoginCounter.scope == "address", LoginCounter.key == keys[0][1], LoginCounter.attempts > 0)
                .values(attempts=LoginCounter.attempts - 1)
            )
            if password_hash and needs_rehash(password_hash):
                stored = session.get(User, user.id)
                if stored is not None:
                    stored.password_hash = hash_password(password)
        return int(user.id)

    @staticmethod
    def _counter_keys(email: str, address: str) -> list[tuple[str, str, int]]:
        """(scope, key, window in seconds) of the counters one attempt touches, always in the same order (so that
        two transactions lock them in the same order and cannot deadlock)."""
        address = address or "unknown"
        keys = [("address", address, ADDRESS_LIMIT.window_seconds)]
        if email:
            keys += [
                ("pair", f"{email} {address}", PAIR_LIMIT.window_seconds),
                ("account", email, ACCOUNT_WINDOW_SECONDS),
            ]
        return keys

    @staticmethod
    def _locked_counter(session: Session, scope: str, key: str, window: int, now: dt.datetime) -> LoginCounter:
        """The counter row of ``key``, created if missing, locked until the transaction ends, window rolled over."""
        insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.execute(
            insert(LoginCounter)
            .values(scope=scope, key=key, window_start=now, attempts=0)
            .on_conflict_do_nothing(index_elements=["scope", "key"])
        )
        # FOR UPDATE locks the row on PostgreSQL; SQLite's transaction already holds the database's write lock.
        counter = session.scalars(
            select(LoginCounter)
            .where(LoginCounter.scope == scope, LoginCounter.key == key)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        if counter.window_start <= now - dt.timedelta(seconds=window):
            counter.window_start, counter.attempts, counter.not_before = now, 0, None
        return counter

    @staticmethod
    def _wait(counter: LoginCounter, now: dt.datetime) -> int:
        """Seconds until ``counter`` allows another attempt (0: allowed now)."""
        limits = {"address": ADDRESS_LIMIT, "pair": PAIR_LIMIT, "register": REGISTRATION_LIMIT}
        limit = limits.get(counter.scope)
        if limit is not None and counter.attempts >= limit.failures:
            reopens = counter.window_start + dt.timedelta(seconds=limit.window_seconds)
            return max(1, math.ceil((reopens - now).total_seconds()))
        if counter.not_before is not None and counter.not_before > now:
            return max(1, math.ceil((counter.not_before - now).total_seconds()))
        return 0

    # -- sessions -------------------------------------------------------------------------------------------------

    def open_session(self, user_id: int, now: dt.datetime | None = None) -> str:
        """Start a session for the user; return the cookie token (only its digest is stored)."""
        now = now or self.clock()
        token = secrets.token_urlsafe(32)
        with transaction(self.sessions) as session:
            session.execute(delete(AuthSession).where(AuthSession.user_id == user_id, AuthSession.expires_at < now))
            session.add(
                AuthSession(
                    id=token_digest(token),
                    user_id=user_id,
                    csrf_token=secrets.token_urlsafe(32),
                    created_at=now,
                    expires_at=now + self.lifetime,
                    last_seen_at=now,
                )
            )
        return token

    def resolve(self, token: str, now: dt.datetime | None = None) -> SignedIn | None:
        """The signed-in user for a cookie token, or None if unknown, expired or the user is disabled."""
        if not token or len(token) > 200:
            return None
        now = now or self.clock()
        # Every hosted request comes through here: one indexed lookup of plain columns, no ORM objects.
        with self.sessions() as session:
            row = session.execute(
                select(
                    User.id,
                    User.email,
                    User.display_name,
                    User.role,
                    User.disabled,
                    AuthSession.id.label("session_key"),
                    AuthSession.csrf_token,
                    AuthSession.created_at,
                    AuthSession.expires_at,
                    AuthSession.last_seen_at,
                )
                .join(User, User.id == AuthSession.user_id)
                .where(AuthSession.id == token_digest(token))
            ).first()
        if row is None or row.disabled:
            return None
        last_seen = row.last_seen_at or row.created_at
        ends = min(row.expires_at, row.created_at + self.lifetime, last_seen + self.idle)
        if ends <= now:
            return None
        if now - last_seen >= SEEN_EVERY:
            # The idle clock restarts; written at most once a minute so that browsing does not write on every page.
            with transaction(self.sessions) as session:
                session.execute(update(AuthSession).where(AuthSession.id == row.session_key).values(last_seen_at=now))
        return SignedIn(row.id, row.email or "", row.display_name, row.role, row.session_key, row.csrf_token)

    def close_session(self, session_key: str) -> None:
        with transaction(self.sessions) as session:
            session.execute(delete(AuthSession).where(AuthSession.id == session_key))

    def close_other_sessions(self, user_id: int, keep: str | None = None) -> int:
        """End every session of ``user_id`` except ``keep`` (a session key; None ends them all); how many ended."""
        with transaction(self.sessions) as session:
            query = delete(AuthSession).where(AuthSession.user_id == user_id)
            if keep is not None:
                query = query.where(AuthSession.id != keep)
            return int(session.execute(query).rowcount or 0)  # type: ignore[attr-defined]

    def change_password(self, user_id: int, current: str, new: str, keep_session: str | None = None) -> None:
        """Set a new password after checking the current one; every other session of the user ends."""
        with self.sessions() as session:
            user = session.get(User, user_id)
            email, password_hash = (user.email or "", user.password_hash) if user is not None else ("", None)
        if not verify_password(password_hash, current[:1024]):
            raise AccountError("The current password is not right.")
        self._set_password(user_id, email, new, keep_session)

    def _set_password(self, user_id: int, email: str, new: str, keep_session: str | None) -> None:
        check_password(new, email)
        with transaction(self.sessions) as session:
            session.execute(update(User).where(User.id == user_id).values(password_hash=hash_password(new)))
        self.close_other_sessions(user_id, keep=keep_session)

    # -- password reset links -------------------------------------------------------------------------------------

    def issue_reset(self, user_id: int, created_by: int | None, now: dt.datetime | None = None) -> str:
        """A one-time link token for ``user_id`` to set a new password, valid :data:`RESET_HOURS` hours."""
        now = now or self.clock()
        token = secrets.token_urlsafe(32)
        with transaction(self.sessions) as session:
            if session.get(User, user_id) is None:
                raise AccountError(f"There is no user {user_id}.")
            session.add(
                PasswordReset(
                    id=token_digest(token),
                    user_id=user_id,
                    created_by=created_by,
                    created_at=now,
                    expires_at=now + dt.timedelta(hours=RESET_HOURS),
                )
            )
        return token

    def reset_target(self, token: str, now: dt.datetime | None = None) -> str | None:
        """The e-mail address a reset token is for, or None when it is unknown, used or expired."""
        now = now or self.clock()
        if not token or len(token) > 200:
            return None
        with self.sessions() as session:
            row = session.execute(
                select(User.email, PasswordReset.expires_at, PasswordReset.used_at)
                .join(User, User.id == PasswordReset.user_id)
                .where(PasswordReset.id == token_digest(token))
            ).first()
        if row is None or row.used_at is not None or row.expires_at <= now:
            return None
        return str(row.email or "")

    def reset_password(self, token: str, new: str, now: dt.datetime | None = None) -> int:
        """Use a reset token once: set the new password and end every session of the user; the user id."""
        now = now or self.clock()
        expired = AccountError("This reset link is not valid any more. Ask an administrator for a new one.")
        if not token or len(token) > 200:
            raise expired
        with transaction(self.sessions) as session:
            reset = session.scalars(
                select(PasswordReset).where(PasswordReset.id == token_digest(token)).with_for_update()
            ).first()
            if reset is None or reset.used_at is not None or reset.expires_at <= now:
                raise expired
            user = session.get(User, reset.user_id)
            email = user.email or "" if user is not None else ""
            check_password(new, email)
            reset.used_at = now
            user_id = reset.user_id
        self._set_password(user_id, email, new, keep_session=None)
        return int(user_id)

    # -- invitations and registration ----------------------------------------------------------------------------

    def invite(self, email: str, role: str, created_by: int | None, now: dt.datetime | None = None) -> str:
        """Create a one-use invitation; return its token (for the link; only the digest is stored)."""
        now = now or self.clock()
        email = normalize_email(email)
        if role not in ROLES:
            raise AccountError(f"Unknown role '{role}'; use one of: {', '.join(ROLES)}.")
        token = secrets.token_urlsafe(24)
        with transaction(self.sessions) as session:
            if session.scalar(select(User.id).where(User.email == email)) is not None:
                raise AccountError("An account with that e-mail address already exists.")
            session.add(
                Invite(
                    id=token_digest(token),
                    email=email,
                    role=role,
                    created_by=created_by,
                    created_at=now,
                    expires_at=now + dt.timedelta(days=INVITE_DAYS),
                )
            )
        return token

    def invitation(self, token: str, now: dt.datetime | None = None) -> dict[str, str] | None:
        """The e-mail and role of a valid, unused invitation, or None."""
        if not token or len(token) > 200:
            return None
        now = now or self.clock()
        with self.sessions() as session:
            invite = session.get(Invite, token_digest(token))
            if invite is None or invite.used_at is not None or invite.expires_at <= now:
                return None
            return {"email": invite.email, "role": invite.role}

    def register(
        self,
        email: str,
        password: str,
        display_name: str = "",
        invite_token: str = "",
        now: dt.datetime | None = None,
        address: str = "",
    ) -> int:
        """Create a learner (or the invited role). Invite-only servers need a valid invitation for that e-mail.

        Each try counts against the client ``address`` (:data:`~certprep.accounts.rules.REGISTRATION_LIMIT`),
        counted before the password is hashed; TooManyAttempts past it. EmailTaken when the address has an account.
        """
        now = now or self.clock()
        with transaction(self.sessions) as session:
            counter = self._locked_counter(
                session, "register", address or "unknown", REGISTRATION_LIMIT.window_seconds, now
            )
            retry_after = self._wait(counter, now)
            if retry_after:
                raise TooManyAttempts(retry_after, "Too many new accounts from this address. Try again later.")
            counter.attempts += 1
        email = normalize_email(email)
        role = "learner"
        if invite_token:
            invitation = self.invitation(invite_token, now)
            if invitation is None:
                raise AccountError("This invitation is not valid any more. Ask for a new one.")
            if invitation["email"] != email:
                raise AccountError("This invitation is for another e-mail address.")
            role = invitation["role"]
        elif self.registration != "open":
            raise AccountError("Registration on this server is by invitation only.")
        user_id = self.create_user(email, password, role, display_name)
        if invite_token:
            with transaction(self.sessions) as session:
                invite = session.get(Invite, token_digest(invite_token))
                if invite is not None:
                    invite.used_at = now
        return user_id
