"""Engine benchmarks: form assembly, scoring and calibration at sizes beyond any real bank.

Run: python -m bench.bench_engine   (results go in docs/benchmarks.md; nothing here is a test)
"""

from __future__ import annotations

import datetime as dt
import platform
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from certprep.content import load_pack
from certprep.content.models import Option, Pack, Question
from certprep.engine.forms import FormRequest, assemble_form
from certprep.engine.scoring import ScoredItem, calibrate, score_form

ROOT = Path(__file__).resolve().parent.parent
DOP = load_pack(ROOT / "src" / "certprep" / "packs" / "dop-c02")


def synthetic_bank(size: int, seed: int = 1) -> Pack:
    rng = random.Random(seed)
    tasks = [(domain.id, task.id) for domain in DOP.blueprint.domains for task in domain.tasks]
    options = tuple(Option(id=letter, text=letter, correct=letter == "A", why="-") for letter in "ABCD")
    questions = []
    for index in range(size):
        domain, task = tasks[index % len(tasks)]
        questions.append(
            Question.model_construct(
                id=f"q{index}",
                type="single",
                select=1,
                domain=domain,
                task=task,
                services=(),
                difficulty=rng.randint(1, 5),
                stem="-",
                options=options,
                explanation="-",
                references=("-",),
                tags=(),
                status="pretest" if index % 20 == 0 else "live",
                updated=dt.date(2026, 1, 1),
            )
        )
    return Pack(path=Path("."), blueprint=DOP.blueprint, questions=tuple(questions), flashcards=(), notes=())


def measure(label: str, action: Callable[[], Any], repeat: int) -> dict[str, Any]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    row = {
        "benchmark": label,
        "median_ms": statistics.median(times) * 1000,
        "max_ms": max(times) * 1000,
        "peak_mib": peak / 2**20,
        "runs": repeat,
    }
    print(f"| {label} | {row['median_ms']:.1f} | {row['max_ms']:.1f} | {row['peak_mib']:.1f} | {repeat} |")
    return row


def main() -> None:
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.processor() or 'unknown CPU'}\n")
    print("| Benchmark | Median ms | Max ms | Peak MiB | Runs |\n|---|---|---|---|---|")
    bank = synthetic_bank(10_000)
    recent = [f"q{index}" for index in range(0, 10_000, 7)][:225]
    seeds = iter(range(10_000))
    measure(
        "Assemble a 75-question form from a 10,000-question bank (225 recent to avoid)",
        lambda: assemble_form(bank, FormRequest(mode="full"), next(seeds), recent=recent),
        20,
    )
    measure(
        "Assemble a 100-question mock from the same bank",
        lambda: assemble_form(bank, FormRequest(mode="mock100"), next(seeds)),
        20,
    )

    rng = random.Random(2)
    items = [ScoredItem(f"q{i}", 1 + i % 6, rng.uniform(-2, 2), rng.random() < 0.7) for i in range(65)]
    names = {domain.id: domain.name for domain in DOP.blueprint.domains}
    measure("Score a 65-item form (EAP ability, scale, sections)", lambda: score_form(items, names), 50)

    true = {f"i{n}": rng.uniform(-2, 2) for n in range(1_000)}
    priors = {item: 0.0 for item in true}
    item_ids = list(true)
    responses = []
    for person in range(1_538):  # about 65 items each: 100,000 responses
        theta = rng.gauss(0, 1)
        for item in rng.sample(item_ids, 65):
            responses.append((f"p{person}", item, rng.random() < 1 / (1 + 2.718281828 ** (true[item] - theta))))
    responses = responses[:100_000]
    result: dict[str, Any] = {}

    def run_calibration() -> None:
        result["calibration"] = calibrate(responses, priors)

    measure("Calibrate 1,000 items from 100,000 responses (30 iterations)", run_calibration, 3)
    estimated = result["calibration"].difficulties
    errors = [estimated[item] - true[item] for item in true]
    rmse = statistics.fmean(error * error for error in errors) ** 0.5
    print(f"\nCalibration RMSE against the true difficulties: {rmse:.3f} logits")


if __name__ == "__main__":
    main()
