"""The probe sets: realistic learner questions with what a right answer must contain.

``bench/tutor_probes/*.yaml`` (key points with alternatives, wrong claims) is the quality bar reported in
docs/benchmarks.md; ``tests/data/tutor_probes.jsonl`` is the older set of key phrases. These tests keep both from
silently regressing; answer times are measured by bench/bench_tutor.py, not here.
"""

from __future__ import annotations

from bench.bench_tutor import PROBES, holds_all, holds_any, load_point_probes, load_probes, normal, passes, run_points

from certprep.tutor import Tutor

KINDS = {"compare", "why", "troubleshoot", "choose", "fact"}
# Floors below the measured figures (docs/benchmarks.md), so a regression fails while the pack keeps growing.
LEGACY_FLOOR = 0.85
POINTS_FLOOR = 0.85  # measured 90.5% with 463 explainers (docs/benchmarks.md)


def test_the_legacy_probe_set_is_well_formed() -> None:
    probes = load_probes(PROBES)
    assert len(probes) >= 100
    assert len({probe["id"] for probe in probes}) == len(probes)
    assert len({probe["query"].lower() for probe in probes}) == len(probes)
    assert {probe["domain"] for probe in probes} == {1, 2, 3, 4, 5, 6}
    assert all(probe["key_phrases"] and all(phrase.strip() for phrase in probe["key_phrases"]) for probe in probes)


def test_legacy_key_phrases_are_in_the_answer_or_its_first_passages(tutor: Tutor) -> None:
    probes = load_probes(PROBES)
    missed = [probe["id"] for probe in probes if not passes(tutor.answer(probe["query"]), probe["key_phrases"])]
    recall = 1 - len(missed) / len(probes)
    assert recall >= LEGACY_FLOOR, f"legacy probes {recall:.1%}; missed {missed}"


def test_the_matching_rule() -> None:
    text = normal("Use  a cross-Region READ replica,\nthen promote it.")
    assert holds_all(text, [["read replica"], ["promote", "promotion"]])
    assert not holds_all(text, [["read replica"], ["global database"]])
    assert holds_any(text, [["nothing"], ["then promote"]])


def test_the_point_probes_are_well_formed_and_answered(tutor: Tutor) -> None:
    probes = load_point_probes()
    assert len(probes) >= 300, "bench/tutor_probes/ holds fewer than the 300 probes the issue asks for"
    assert len({probe["id"] for probe in probes}) == len(probes)
    assert {probe["kind"] for probe in probes} <= KINDS
    assert all(probe["key_points"] and all(point for point in probe["key_points"]) for probe in probes)
    outcomes = run_points(tutor, probes)
    share = sum(outcome.in_answer for outcome in outcomes) / len(outcomes)
    assert share >= POINTS_FLOOR, f"all key points in {share:.1%} of answers"
    assert not [outcome.probe["id"] for outcome in outcomes if outcome.wrong]
