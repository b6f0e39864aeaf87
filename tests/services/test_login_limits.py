"""Sign-in limits that hold under concurrency, on SQLite and a real PostgreSQL: parallel guesses are counted before
their passwords are checked, a stranger's failures stop the stranger's address and not the owner, and the account
as a whole only slows down (a growing delay), never locks."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from certprep.accounts import AccountError
from certprep.accounts.rules import ADDRESS_LIMIT, PAIR_LIMIT, REGISTRATION_LIMIT, account_delay
from certprep.clock import FixedClock
from certprep.services.accounts import AccountService, TooManyAttempts
from tests.conftest import Learners

PASSWORD = "correct horse battery staple"
T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def accounts(learners: Learners) -> AccountService:
    service = AccountService(learners.sessions, clock=FixedClock(T0))
    service.create_user("ana@example.com", PASSWORD)
    return service


def _try(accounts: AccountService, password: str, address: str, now: dt.datetime = T0) -> str:
    try:
        accounts.authenticate("ana@example.com", password, address, now=now)
    except TooManyAttempts:
        return "limited"
    except AccountError:
        return "wrong"
    return "signed in"


@pytest.mark.real_hash_cost
def test_parallel_guesses_from_one_address_get_only_the_allowed_password_checks(accounts: AccountService) -> None:
    guesses = [f"guess number {n}" for n in range(30)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(lambda guess: _try(accounts, guess, "203.0.113.9"), guesses))
    assert outcomes.count("wrong") == PAIR_LIMIT.failures
    assert outcomes.count("limited") == len(guesses) - PAIR_LIMIT.failures


@pytest.mark.real_hash_cost
def test_the_right_password_late_in_a_parallel_burst_is_refused_like_the_rest(accounts: AccountService) -> None:
    guesses = [f"guess number {n}" for n in range(40)]
    guesses[36] = PASSWORD
    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(lambda guess: _try(accounts, guess, "203.0.113.9"), guesses))
    # At most five passwords were checked, so the right one only gets in if it was among the first checked.
    assert outcomes.count("wrong") + outcomes.count("signed in") == PAIR_LIMIT.failures


def test_a_strangers_failures_do_not_lock_the_owner_out(accounts: AccountService) -> None:
    for n in range(PAIR_LIMIT.failures):
        assert _try(accounts, f"guess {n}", "198.51.100.7") == "wrong"
    assert _try(accounts, "guess again", "198.51.100.7") == "limited"
    # The owner, from another address, signs in at once: five failures cost no delay yet.
    assert _try(accounts, PASSWORD, "192.0.2.44") == "signed in"


def test_guesses_from_many_addresses_only_slow_the_account_down(accounts: AccountService) -> None:
    now = T0
    for n in range(6):
        assert _try(accounts, f"guess {n}", f"198.51.100.{n}", now=now) == "wrong"
    # The sixth failure set a one-second delay for everyone; after it, the owner gets in.
    assert account_delay(6) == 1
    assert _try(accounts, PASSWORD, "192.0.2.44", now=now) == "limited"
    assert _try(accounts, PASSWORD, "192.0.2.44", now=now + dt.timedelta(seconds=1)) == "signed in"
    # Success forgets the account's failures: the next wrong password costs no delay.
    later = now + dt.timedelta(seconds=2)
    assert _try(accounts, "one more guess", "198.51.100.99", now=later) == "wrong"
    assert _try(accounts, PASSWORD, "192.0.2.44", now=later) == "signed in"


def test_a_limited_address_is_told_when_to_come_back_and_the_window_passes(accounts: AccountService) -> None:
    for n in range(PAIR_LIMIT.failures):
        _try(accounts, f"guess {n}", "198.51.100.7")
    with pytest.raises(TooManyAttempts) as refused:
        accounts.authenticate("ana@example.com", PASSWORD, "198.51.100.7", now=T0 + dt.timedelta(minutes=5))
    assert refused.value.retry_after == 10 * 60
    after = T0 + dt.timedelta(seconds=PAIR_LIMIT.window_seconds)
    assert _try(accounts, PASSWORD, "198.51.100.7", now=after) == "signed in"


def test_an_address_spraying_many_accounts_is_stopped(accounts: AccountService) -> None:
    outcomes = []
    for n in range(ADDRESS_LIMIT.failures + 2):
        try:
            accounts.authenticate(f"spray{n}@example.com", "some password", "203.0.113.50", now=T0)
            outcomes.append("signed in")
        except TooManyAttempts:
            outcomes.append("limited")
        except AccountError:
            outcomes.append("wrong")
    assert outcomes == ["wrong"] * ADDRESS_LIMIT.failures + ["limited"] * 2


def test_signing_in_gives_the_address_its_attempt_back(accounts: AccountService) -> None:
    # An office behind one address: many correct sign-ins never add up to the address limit.
    for _ in range(ADDRESS_LIMIT.failures + 5):
        assert _try(accounts, PASSWORD, "203.0.113.80") == "signed in"


def test_registrations_from_one_address_are_limited_before_any_hash(learners: Learners) -> None:
    service = AccountService(learners.sessions, registration="open", clock=FixedClock(T0))
    outcomes = []
    for n in range(REGISTRATION_LIMIT.failures + 2):
        try:
            service.register(f"new{n}@example.com", PASSWORD, address="203.0.113.5")
            outcomes.append("created")
        except TooManyAttempts as refused:
            assert refused.retry_after > 0
            outcomes.append("limited")
    assert outcomes == ["created"] * REGISTRATION_LIMIT.failures + ["limited"] * 2
    assert service.register("elsewhere@example.com", PASSWORD, address="198.51.100.1") > 0
