"""The rules of accounts: roles, e-mails, passwords and hashing."""

from __future__ import annotations

import pytest

from certprep.accounts import AccountError, check_password, hash_password, normalize_email, role_allows, verify_password


def test_roles_are_ordered_and_unknown_roles_allow_nothing() -> None:
    assert role_allows("admin", "author")
    assert role_allows("author", "learner")
    assert role_allows("learner", "learner")
    assert not role_allows("learner", "author")
    assert not role_allows("author", "admin")
    assert not role_allows("root", "learner")
    assert not role_allows("admin", "owner")


def test_emails_are_trimmed_and_lower_cased_or_refused() -> None:
    assert normalize_email("  Ana@Example.COM ") == "ana@example.com"
    for bad in ("", "ana", "ana@", "@example.com", "a b@example.com", "ana@example", "x" * 250 + "@example.com"):
        with pytest.raises(AccountError, match="valid e-mail"):
            normalize_email(bad)


def test_passwords_must_be_long_enough_and_not_the_email() -> None:
    check_password("correct horse battery", "ana@example.com")
    with pytest.raises(AccountError, match="at least 10"):
        check_password("short")
    with pytest.raises(AccountError, match="at most 256"):
        check_password("x" * 300)
    with pytest.raises(AccountError, match="e-mail"):
        check_password("ana@example.com", "ana@example.com")


def test_argon2_hashes_verify_only_the_right_password() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse battery!")
    assert not verify_password(None, "anything")
    assert not verify_password("not-a-hash", "anything")
    assert hash_password("same") != hash_password("same")  # salted


def test_the_account_delay_doubles_after_the_free_failures_and_stops_at_a_minute() -> None:
    from certprep.accounts.rules import ACCOUNT_FREE_FAILURES, MAX_ACCOUNT_DELAY_SECONDS, account_delay

    delays = [account_delay(n) for n in range(ACCOUNT_FREE_FAILURES + 1, ACCOUNT_FREE_FAILURES + 10)]
    assert account_delay(ACCOUNT_FREE_FAILURES) == 0
    assert delays[:4] == [1, 2, 4, 8]
    assert max(delays) == MAX_ACCOUNT_DELAY_SECONDS
    assert account_delay(10_000) == MAX_ACCOUNT_DELAY_SECONDS
