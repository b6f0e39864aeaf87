"""Tutor benchmark: recall@3 on the probe set and the retrieval tutor's answer time.

Run: python -m bench.bench_tutor [--misses]   (results go in docs/benchmarks.md; nothing here is a test)

A probe passes when every one of its key phrases (case-insensitive) appears in the title or text of the first three
passages of the tutor's answer, the same passages the API returns first. The probes in tests/data/tutor_probes.jsonl
were written from the exam guide's topics, independently of the pack's wording; do not edit them to fit the index.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path
from typing import Any

from certprep.content import load_pack
from certprep.tutor import Answer, Tutor

ROOT = Path(__file__).resolve().parent.parent
PROBES = ROOT / "tests" / "data" / "tutor_probes.jsonl"
DOP = ROOT / "src" / "certprep" / "packs" / "dop-c02"
TOP = 3


def load_probes(path: Path = PROBES) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def passes(answer: Answer, phrases: list[str], top: int = TOP) -> bool:
    """True when every key phrase is in the first ``top`` passages of ``answer``."""
    haystack = " ".join(f"{hit.passage.title} {hit.passage.text}" for hit in answer.hits[:top]).lower()
    return all(phrase.lower() in haystack for phrase in phrases)


def run(show_misses: bool = False) -> dict[str, Any]:
    pack = load_pack(DOP)
    started = time.perf_counter()
    tutor = Tutor(pack, llm=None, reranker=None)
    build_ms = (time.perf_counter() - started) * 1000
    probes = load_probes()
    times: list[float] = []
    passed = 0
    by_domain: dict[int, list[bool]] = {}
    for probe in probes:
        tutor.answer(probe["query"])  # warm the statement cache for this query shape
        started = time.perf_counter()
        answer = tutor.answer(probe["query"])
        times.append((time.perf_counter() - started) * 1000)
        ok = passes(answer, probe["key_phrases"])
        passed += ok
        by_domain.setdefault(int(probe["domain"]), []).append(ok)
        if show_misses and not ok:
            print(f"MISS {probe['id']} [{answer.mode}] {probe['query']!r} wants {probe['key_phrases']}")
            for hit in answer.hits[:TOP]:
                print(f"     {hit.score:7.2f} {hit.passage.id}")
    ordered = sorted(times)
    return {
        "probes": len(probes),
        "recall_at_3": passed / len(probes),
        "by_domain": {domain: sum(oks) / len(oks) for domain, oks in sorted(by_domain.items())},
        "median_ms": statistics.median(times),
        "p95_ms": ordered[int(0.95 * (len(ordered) - 1))],
        "max_ms": ordered[-1],
        "build_ms": build_ms,
        "passages": len(tutor.index.passages),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="list the probes that fail and their top passages")
    args = parser.parse_args()
    result = run(args.misses)
    print(f"{time.strftime('%Y-%m-%d')} · Python {platform.python_version()} · {platform.machine()}")
    print()
    print("| Measure | Value |")
    print("|---|---|")
    print(f"| Probes | {result['probes']} |")
    print(f"| Recall@3 | {result['recall_at_3']:.1%} |")
    for domain, share in result["by_domain"].items():
        print(f"| Recall@3, domain {domain} | {share:.0%} |")
    print(f"| Median answer time | {result['median_ms']:.1f} ms |")
    print(f"| 95th percentile answer time | {result['p95_ms']:.1f} ms |")
    print(f"| Slowest answer | {result['max_ms']:.1f} ms |")
    print(f"| Index build (once per pack) | {result['build_ms']:.0f} ms for {result['passages']} passages |")


if __name__ == "__main__":
    main()
