"""The probe set: realistic learner questions with the phrases a right answer must contain.

Recall@3 (all key phrases in the first three passages) is the quality bar in docs/benchmarks.md; this test keeps it
from silently regressing. Answer times are measured by bench/bench_tutor.py, not here.
"""

from __future__ import annotations

from bench.bench_tutor import PROBES, load_probes, passes

from certprep.tutor import Tutor


def test_the_probe_set_is_well_formed() -> None:
    probes = load_probes(PROBES)
    assert len(probes) >= 100
    assert len({probe["id"] for probe in probes}) == len(probes)
    assert len({probe["query"].lower() for probe in probes}) == len(probes)
    assert {probe["domain"] for probe in probes} == {1, 2, 3, 4, 5, 6}
    assert all(probe["key_phrases"] and all(phrase.strip() for phrase in probe["key_phrases"]) for probe in probes)


def test_recall_at_3_meets_the_target(tutor: Tutor) -> None:
    probes = load_probes(PROBES)
    missed = [probe["id"] for probe in probes if not passes(tutor.answer(probe["query"]), probe["key_phrases"])]
    recall = 1 - len(missed) / len(probes)
    assert recall >= 0.9, f"recall@3 {recall:.1%}; missed {missed}"
