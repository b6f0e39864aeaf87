"""Export benchmarks: how long the DOP-C02 cheat sheet and the other downloads take to make.

Run: python -m bench.bench_exports   (results go in docs/benchmarks.md; nothing here is a test)
"""

from __future__ import annotations

import platform
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.bench_engine import measure as timed
from certprep.content import load_pack
from certprep.exports.anki import anki_package
from certprep.exports.cheatsheet import cheatsheet_pdf
from certprep.exports.gift import to_gift
from certprep.exports.importer import import_bank
from certprep.exports.moodle import to_moodle_xml
from certprep.exports.question_bank import BankRequest, question_bank_pdf

ROOT = Path(__file__).resolve().parent.parent
DOP = load_pack(ROOT / "src" / "certprep" / "packs" / "dop-c02")


def measure(label: str, action: Callable[[], Any], repeat: int) -> None:
    action()  # the first run loads Typst's fonts and warms caches; a server pays that once
    timed(label, action, repeat)


def main() -> None:
    print(f"Python {platform.python_version()} on {platform.machine()}\n")
    sheet = cheatsheet_pdf(DOP, "a4")
    print(f"DOP-C02 cheat sheet: {len(sheet) / 1024:.0f} KiB (A4)\n")
    print("| Benchmark | Median ms | Max ms | Peak MiB (Python) | Runs |\n|---|---|---|---|---|")
    measure("Cheat sheet PDF, DOP-C02, A4", lambda: cheatsheet_pdf(DOP, "a4"), 5)
    measure("Cheat sheet PDF, DOP-C02, US Letter", lambda: cheatsheet_pdf(DOP, "letter"), 5)
    measure("Question set PDF, 75 questions with the answer key", lambda: question_bank_pdf(DOP, BankRequest()), 5)
    measure("Anki package, 382 flashcards + 398 questions", lambda: anki_package(DOP, include_questions=True), 5)
    measure("Moodle XML, 413 questions", lambda: to_moodle_xml(DOP), 5)
    measure("GIFT, 413 questions", lambda: to_gift(DOP), 5)
    with tempfile.TemporaryDirectory() as folder:
        bank = Path(folder) / "dop.gift"
        bank.write_text(to_gift(DOP), encoding="utf-8")
        counter = iter(range(1000))
        measure(
            "Import that GIFT file as a new pack (parse, write, pack rules)",
            lambda: import_bank(bank, Path(folder) / f"pack-{next(counter)}", pack_id="mine"),
            3,
        )


if __name__ == "__main__":
    main()
