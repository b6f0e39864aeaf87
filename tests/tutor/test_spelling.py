"""Typo repair: misspelt words become the pack's words; names, codes, short words and stop words stay as typed."""

from __future__ import annotations

from certprep.tutor.spelling import Speller

SPELLER = Speller(
    [
        "CodeDeploy canary and linear traffic shifting for a Lambda alias",
        "CloudFormation drift detection finds resources changed by hand",
        "a theme of dependencies cached by CodeBuild",
    ]
)


def test_one_edit_typos_are_repaired() -> None:
    assert SPELLER.fix("canray vs lienar") == "canary vs linear"
    assert SPELLER.word("dependancies") == "dependencies"
    assert SPELLER.word("Canray") == "canary"  # a capital first letter is still a typed word


def test_long_words_two_edits_off_are_repaired_by_similarity() -> None:
    assert SPELLER.word("cloudformaton") == "cloudformation"
    assert SPELLER.word("clodformaton") == "cloudformation"


def test_names_codes_short_and_stop_words_are_left_alone() -> None:
    text = "AccessDenied on ECS, UPDATE_ROLLBACK_FAILED, ssm and the theme"
    assert SPELLER.fix(text) == text
    assert SPELLER.word("thenn") != "then"  # a typo never becomes a stop word
    assert SPELLER.word("zzzzzzzz") == "zzzzzzzz"  # nothing close: unchanged


def test_names_with_digits_are_left_alone_even_in_lower_case() -> None:
    speller = Speller(["the instance metadata service IMDS", "SSE-C keys the customer supplies", "a linear shift"])
    # Their letters alone are one edit from a known word ("imdsv" -> "imds", "sse-s" -> "sse-c")...
    assert speller.word("imdsv") == "imds" and speller.word("sse-s") == "sse-c"
    # ...but typed with their digits they are names, not typos.
    text = "enforce imdsv2, not imdsv1, and sse-s3 on route53 logs"
    assert speller.fix(text) == text
    assert speller.fix("lienar shift for imdsv2") == "linear shift for imdsv2"
