"""Sessions end when idle and at their absolute lifetime; a password change or reset ends the other sessions; a reset
link works once. On SQLite and a real PostgreSQL, with a fixed clock."""

from __future__ import annotations

import datetime as dt

import pytest

from certprep.accounts import AccountError
from certprep.clock import FixedClock
from certprep.services.accounts import AccountService
from tests.conftest import Learners

PASSWORD = "correct horse battery staple"
T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def accounts(learners: Learners) -> AccountService:
    return AccountService(
        learners.sessions, clock=FixedClock(T0), idle=dt.timedelta(minutes=30), lifetime=dt.timedelta(hours=8)
    )


def test_a_session_ends_after_the_idle_timeout_but_use_keeps_it_alive(accounts: AccountService) -> None:
    user = accounts.create_user("ana@example.com", PASSWORD)
    token = accounts.open_session(user, now=T0)
    for minutes in (20, 40, 60, 80):  # used every 20 minutes: the 30-minute idle clock keeps restarting
        assert accounts.resolve(token, now=T0 + dt.timedelta(minutes=minutes)) is not None, minutes
    assert accounts.resolve(token, now=T0 + dt.timedelta(minutes=111)) is None  # 31 minutes since the last use


def test_a_busy_session_still_ends_at_its_absolute_lifetime(accounts: AccountService) -> None:
    user = accounts.create_user("ana@example.com", PASSWORD)
    token = accounts.open_session(user, now=T0)
    moment = T0
    while moment < T0 + dt.timedelta(hours=8) - dt.timedelta(minutes=10):
        moment += dt.timedelta(minutes=10)
        assert accounts.resolve(token, now=moment) is not None
    assert accounts.resolve(token, now=T0 + dt.timedelta(hours=8)) is None


def test_changing_the_password_ends_every_other_session(accounts: AccountService) -> None:
    user = accounts.create_user("ana@example.com", PASSWORD)
    here, laptop, phone = (accounts.open_session(user, now=T0) for _ in range(3))
    signed_in = accounts.resolve(here, now=T0)
    assert signed_in is not None
    with pytest.raises(AccountError, match="current password"):
        accounts.change_password(user, "not my password", "a brand new password", keep_session=signed_in.session_key)
    assert accounts.resolve(laptop, now=T0) is not None  # a refused change ends nothing
    accounts.change_password(user, PASSWORD, "a brand new password", keep_session=signed_in.session_key)
    assert accounts.resolve(here, now=T0) is not None
    assert accounts.resolve(laptop, now=T0) is None
    assert accounts.resolve(phone, now=T0) is None
    assert accounts.authenticate("ana@example.com", "a brand new password", "192.0.2.1", now=T0) == user
    with pytest.raises(AccountError):
        accounts.authenticate("ana@example.com", PASSWORD, "192.0.2.1", now=T0)


def test_signing_out_everywhere_ends_every_session(accounts: AccountService) -> None:
    user = accounts.create_user("ana@example.com", PASSWORD)
    other = accounts.create_user("bo@example.com", PASSWORD)
    tokens = [accounts.open_session(user, now=T0) for _ in range(2)]
    bos = accounts.open_session(other, now=T0)
    assert accounts.close_other_sessions(user) == 2
    assert all(accounts.resolve(token, now=T0) is None for token in tokens)
    assert accounts.resolve(bos, now=T0) is not None  # nobody else is signed out


def test_a_reset_link_works_once_within_a_day_and_ends_every_session(accounts: AccountService) -> None:
    admin = accounts.create_user("admin@example.com", PASSWORD, role="admin")
    user = accounts.create_user("ana@example.com", PASSWORD)
    session = accounts.open_session(user, now=T0)
    token = accounts.issue_reset(user, admin, now=T0)
    assert accounts.reset_target(token, now=T0) == "ana@example.com"
    with pytest.raises(AccountError):
        accounts.reset_password(token, "short", now=T0)  # a weak password does not use up the link
    assert accounts.reset_password(token, "a brand new password", now=T0 + dt.timedelta(hours=1)) == user
    assert accounts.resolve(session, now=T0 + dt.timedelta(hours=1)) is None
    with pytest.raises(AccountError, match="not valid any more"):
        accounts.reset_password(token, "another new password", now=T0 + dt.timedelta(hours=2))
    late = accounts.issue_reset(user, admin, now=T0)
    assert accounts.reset_target(late, now=T0 + dt.timedelta(hours=24)) is None
    with pytest.raises(AccountError, match="not valid any more"):
        accounts.reset_password(late, "a third new password", now=T0 + dt.timedelta(hours=25))
