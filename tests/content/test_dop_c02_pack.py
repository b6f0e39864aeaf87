"""The shipped DOP-C02 pack: valid, faithful to the exam guide, and meeting the content targets of each domain."""

from __future__ import annotations

import re
import statistics

import pytest

from certprep.content import pack_stats
from certprep.content.models import Pack
from tests.conftest import dop_pack

# Per domain: (minimum questions, minimum per task statement, minimum flashcards, minimum comparison tables)
TARGETS = {
    1: (86, 20, 80, 5),
    2: (66, 20, 60, 4),
    3: (60, 18, 55, 4),
    4: (60, 18, 55, 4),
    5: (56, 17, 50, 3),
    6: (66, 20, 60, 4),
}
RETIRED_AS_ANSWER = ("OpsWorks", "CodeStar")


@pytest.fixture(scope="module")
def pack() -> Pack:
    return dop_pack()


def test_blueprint_matches_the_exam_guide(pack: Pack) -> None:
    blueprint = pack.blueprint
    assert (blueprint.questions.total, blueprint.questions.scored, blueprint.questions.unscored) == (75, 65, 10)
    assert blueprint.duration_minutes == 180
    assert (blueprint.scale.min, blueprint.scale.max, blueprint.scale.passing) == (100, 1000, 750)
    assert [(d.id, d.weight) for d in blueprint.domains] == [(1, 22), (2, 17), (3, 15), (4, 15), (5, 14), (6, 17)]
    assert [t.id for d in blueprint.domains for t in d.tasks] == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "2.1",
        "2.2",
        "2.3",
        "3.1",
        "3.2",
        "3.3",
        "4.1",
        "4.2",
        "4.3",
        "5.1",
        "5.2",
        "5.3",
        "6.1",
        "6.2",
        "6.3",
    ]
    assert blueprint.logistics is not None
    assert (
        blueprint.logistics.fee_usd,
        blueprint.logistics.voucher_discount_percent,
        blueprint.logistics.retake_wait_days,
        blueprint.logistics.validity_years,
    ) == (300, 50, 14, 3)
    assert [step.code for step in blueprint.path] == ["CLF-C02", "SAA-C03", "SOA-C03", "DOP-C02"]


@pytest.mark.parametrize("domain", sorted(TARGETS))
def test_each_domain_meets_its_content_targets(pack: Pack, domain: int) -> None:
    minimum, per_task, cards, tables = TARGETS[domain]
    stats = next(d for d in pack_stats(pack)["domains"] if d["id"] == domain)
    assert stats["questions"] >= minimum
    assert all(task["questions"] >= per_task for task in stats["tasks"]), stats["tasks"]
    assert stats["multiple_percent"] >= 30
    easy = stats["difficulty"]["1"] + stats["difficulty"]["2"]
    hard = stats["difficulty"]["4"] + stats["difficulty"]["5"]
    assert easy <= 0.25 * stats["questions"]
    assert hard >= 0.30 * stats["questions"]
    assert stats["median_stem_words"] >= 60
    assert stats["flashcards"] >= cards
    note = pack.note(domain)
    assert note is not None
    comparison = note.section("Comparison tables")
    assert comparison is not None
    assert len(re.findall(r"^### ", comparison.body, flags=re.M)) >= tables


def test_question_shape_follows_the_exam(pack: Pack) -> None:
    for question in pack.questions:
        if question.type == "single":
            assert len(question.options) == 4
        else:
            assert len(question.options) >= 5
            assert question.select in (2, 3)
        assert all(option.why for option in question.options)
        assert question.references


def test_correct_letters_are_spread_out(pack: Pack) -> None:
    keys = [next(iter(q.correct_ids)) for q in pack.questions if q.type == "single"]
    shares = [keys.count(letter) / len(keys) for letter in "ABCD"]
    assert all(0.15 <= share <= 0.35 for share in shares), shares


def test_the_key_is_not_simply_the_longest_option(pack: Pack) -> None:
    singles = [q for q in pack.questions if q.type == "single"]
    longest_is_key = sum(1 for q in singles if max(q.options, key=lambda o: len(o.text)).correct)
    assert longest_is_key / len(singles) < 0.4


def test_retired_services_are_never_the_answer(pack: Pack) -> None:
    for question in pack.questions:
        for option in question.options:
            if option.correct:
                assert not any(name in option.text for name in RETIRED_AS_ANSWER), (question.id, option.id)


def test_stems_are_scenarios_with_a_requirement(pack: Pack) -> None:
    lengths = [q.word_count for q in pack.questions]
    assert statistics.median(lengths) >= 60
    phrases = ("which", "what should", "how should", "what is")
    for question in pack.questions:
        stem = " ".join(question.stem.lower().split())
        assert any(phrase in stem for phrase in phrases), question.id


# An option that points at others by position or letter ("All of the above", "Both A and C") reads wrongly once
# practice shuffles the options (engine/options.py), so the pack has none.
_REFERS_TO_OTHER_OPTIONS = re.compile(
    r"\b(?:all|none|both|neither|either) of the (?:above|others?|previous|options|answers)\b"
    r"|\b(?:options?|answers?|choices?) [A-F]\b"
    r"|\b(?:above|previous|preceding|following) (?:options?|answers?|choices?)\b"
    r"|\b[A-F] (?:and|or) [A-F]\b",
    re.IGNORECASE,
)


def test_no_option_refers_to_another_by_its_place(pack: Pack) -> None:
    assert _REFERS_TO_OTHER_OPTIONS.search("Both A and C are needed")  # the rule catches what it is for
    assert _REFERS_TO_OTHER_OPTIONS.search("All of the above")
    pointing = [
        (question.id, option.id, option.text[:60])
        for question in pack.questions
        for option in question.options
        if _REFERS_TO_OTHER_OPTIONS.search(option.text)
    ]
    assert not pointing, pointing
