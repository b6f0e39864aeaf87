"""Tutor benchmark: does the answer a learner reads contain what a right answer must say, and how fast is it?

Run: python -m bench.bench_tutor [--misses] [--legacy] [--probes DIR ...]   (results go in docs/benchmarks.md;
nothing here is a test; several probe folders are pooled, each also reported on its own line)

Two probe sets:

- ``bench/tutor_probes/d1..d6.yaml`` (written by a separate helper, most of them blind to the pack): entries with
  ``id``, ``domain``, ``kind`` (compare, why, troubleshoot, choose, fact), ``blind``, ``query``, ``key_points`` and
  ``wrong_claims``, each a list of points, each point a list of alternative phrases. A point is **in** a text when
  the text, lower-cased and whitespace-collapsed, contains any of its alternatives. Reported: the share of answers
  whose text holds every key point (overall, by domain, by kind, blind or not), the share holding any wrong claim,
  passage recall (the share whose first five passages hold every key point) and the answer times.
- ``tests/data/tutor_probes.jsonl`` (the older set, ``--legacy``): a probe passes when every key phrase is in the
  answer or in its first three passages; ``tests/tutor/test_probes.py`` keeps it from regressing.

Do not edit probes to fit the tutor: improve the explainers, the expansion table or the matching, and record what
changed the numbers.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from certprep.content import load_pack
from certprep.tutor import Answer, Tutor

ROOT = Path(__file__).resolve().parent.parent
PROBES = ROOT / "tests" / "data" / "tutor_probes.jsonl"
PROBE_DIR = ROOT / "bench" / "tutor_probes"
DOP = ROOT / "src" / "certprep" / "packs" / "dop-c02"
TOP = 3
PASSAGES = 5
Points = Sequence[Sequence[str]]


def load_probes(path: Path = PROBES) -> list[dict[str, Any]]:
    """The legacy probes: one JSON object per line with ``id``, ``domain``, ``query`` and ``key_phrases``."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def passes(answer: Answer, phrases: list[str], top: int = TOP) -> bool:
    """True when every key phrase is in the answer text or the first ``top`` passages of ``answer``."""
    passages = " ".join(f"{hit.passage.title} {hit.passage.text}" for hit in answer.hits[:top])
    haystack = f"{answer.text} {passages}".lower()
    return all(phrase.lower() in haystack for phrase in phrases)


def load_point_probes(folder: Path = PROBE_DIR) -> list[dict[str, Any]]:
    """Every probe of ``folder/*.yaml``, in file order; empty when the folder is missing."""
    probes: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        probes += yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return probes


def normal(text: str) -> str:
    """The text as probes are matched against it: lower case, every run of whitespace one space."""
    return " ".join(text.lower().split())


def has_point(text: str, alternatives: Sequence[str]) -> bool:
    return any(normal(alternative) in text for alternative in alternatives)


def holds_all(text: str, points: Points) -> bool:
    """Whether the (normalised) ``text`` contains every point (any alternative of each)."""
    return all(has_point(text, point) for point in points)


def holds_any(text: str, points: Points) -> bool:
    return any(has_point(text, point) for point in points)


@dataclass(frozen=True)
class Outcome:
    """One probe's result."""

    probe: dict[str, Any]
    answer: Answer
    milliseconds: float
    in_answer: bool
    wrong: bool
    in_passages: bool


def judge(probe: dict[str, Any], answer: Answer, milliseconds: float) -> Outcome:
    text = normal(answer.text)
    passages = normal(" ".join(f"{hit.passage.title} {hit.passage.text}" for hit in answer.hits[:PASSAGES]))
    points = probe.get("key_points") or []
    return Outcome(
        probe,
        answer,
        milliseconds,
        in_answer=holds_all(text, points),
        wrong=holds_any(text, probe.get("wrong_claims") or []),
        in_passages=holds_all(passages, points),
    )


def timed(tutor: Tutor, query: str) -> tuple[Answer, float]:
    tutor.answer(query)  # warm the statement cache for this query shape
    started = time.perf_counter()
    answer = tutor.answer(query)
    return answer, (time.perf_counter() - started) * 1000


def share(outcomes: Sequence[Outcome], attribute: str) -> float:
    return sum(bool(getattr(outcome, attribute)) for outcome in outcomes) / len(outcomes) if outcomes else 0.0


def grouped(outcomes: Sequence[Outcome], key: str) -> dict[str, list[Outcome]]:
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(str(outcome.probe.get(key)), []).append(outcome)
    return dict(sorted(groups.items()))


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[int(fraction * (len(ordered) - 1))]


def run_points(tutor: Tutor, probes: Sequence[dict[str, Any]]) -> list[Outcome]:
    return [judge(probe, *timed(tutor, str(probe["query"]))) for probe in probes]


def run_legacy(tutor: Tutor) -> dict[str, Any]:
    probes = load_probes()
    results = [passes(timed(tutor, probe["query"])[0], probe["key_phrases"]) for probe in probes]
    return {"probes": len(probes), "passed": sum(results) / len(results)}


def print_misses(outcomes: Sequence[Outcome]) -> None:
    for outcome in outcomes:
        if outcome.in_answer and not outcome.wrong:
            continue
        probe, answer = outcome.probe, outcome.answer
        text = normal(answer.text)
        missing = [point[0] for point in probe.get("key_points") or [] if not has_point(text, point)]
        wrong = [point[0] for point in probe.get("wrong_claims") or [] if has_point(text, point)]
        first = answer.hits[0].passage.id if answer.hits else "-"
        print(f"MISS {probe['id']} [{probe['kind']}] {probe['query']!r}")
        print(f"     first passage {first}; missing {missing}{'; WRONG ' + str(wrong) if wrong else ''}")


def report(outcomes: Sequence[Outcome], build_ms: float, passages: int, legacy: dict[str, Any] | None) -> None:
    times = [outcome.milliseconds for outcome in outcomes]
    print(f"{time.strftime('%Y-%m-%d')} · Python {platform.python_version()} · {platform.machine()}")
    print()
    print("| Measure | Value |")
    print("|---|---|")
    print(f"| Probes | {len(outcomes)} ({sum(bool(o.probe.get('blind')) for o in outcomes)} blind) |")
    print(f"| Answers containing all key points | {share(outcomes, 'in_answer'):.1%} |")
    print(f"| Answers containing a wrong claim | {share(outcomes, 'wrong'):.1%} |")
    print(
        f"| Passage recall (all key points in the first {PASSAGES} passages) | {share(outcomes, 'in_passages'):.1%} |"
    )
    for key, label in (("set", "set"), ("domain", "domain"), ("kind", "kind"), ("blind", "blind")):
        groups = grouped(outcomes, key)
        if key == "set" and len(groups) < 2:
            continue
        for name, group in groups.items():
            print(
                f"| All key points, {label} {name} ({len(group)}) | {share(group, 'in_answer'):.0%} "
                f"(passages {share(group, 'in_passages'):.0%}) |"
            )
    if times:
        print(f"| Median answer time | {statistics.median(times):.1f} ms |")
        print(f"| 95th percentile answer time | {percentile(times, 0.95):.1f} ms |")
        print(f"| Slowest answer | {max(times):.1f} ms |")
    print(f"| Tutor build (once per pack) | {build_ms:.0f} ms for {passages} passages |")
    if legacy is not None:
        print(
            f"| Legacy probes: key phrases in the answer or top {TOP} | {legacy['passed']:.1%} of {legacy['probes']} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--misses", action="store_true", help="list the probes whose answers miss a point")
    parser.add_argument("--legacy", action="store_true", help="also run the older tests/data probe set")
    parser.add_argument(
        "--probes",
        type=Path,
        nargs="+",
        default=[PROBE_DIR],
        help="folders of point probes, pooled when several (default bench/tutor_probes; the heldout folders are "
        "written apart from the pack and never used to write content)",
    )
    args = parser.parse_args()
    pack = load_pack(DOP)
    started = time.perf_counter()
    tutor = Tutor(pack, llm=None, reranker=None)
    build_ms = (time.perf_counter() - started) * 1000
    # Each probe remembers its folder, so a pooled run also reports every set on its own line.
    probes = [{**probe, "set": folder.name} for folder in args.probes for probe in load_point_probes(folder)]
    outcomes = run_points(tutor, probes)
    if args.misses:
        print_misses(outcomes)
    print(f"Explainers in the pack: {len(pack.explainers)}")
    report(outcomes, build_ms, len(tutor.index.passages), run_legacy(tutor) if args.legacy else None)


if __name__ == "__main__":
    main()
