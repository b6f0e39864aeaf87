"""Start-up of the command line, against the cost of importing the CLI toolkit itself.

Each command runs as a fresh process, interleaved with the yardstick ``python -c "import typer, rich"`` so that both
see the same machine load; the table gives medians and the ratio to the yardstick's median. The tutor query runs on
a warm data folder (database migrated, pack cache filled), as a learner's second and later queries do. certprep's
modules are byte-compiled first, as ``pip install .`` leaves them: an editable install under
``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile every module again on every run (about 0.1 s).

Run: python -m bench.bench_startup [--runs 15]   (results go in docs/benchmarks.md; nothing here is a test)
Targets (issue #19): --help and --version at most 3x the yardstick; `tutor ask` under 0.6 s wall on a quiet machine.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

YARDSTICK = ("import typer, rich", [sys.executable, "-c", "import typer, rich"])


def _certprep(*args: str) -> list[str]:
    entry = shutil.which("certprep")
    return [entry, *args] if entry else [sys.executable, "-m", "certprep.cli", *args]


COMMANDS = [
    ("certprep --help", _certprep("--help")),
    ("certprep --version", _certprep("--version")),
    ('certprep tutor ask "canary vs linear"', _certprep("tutor", "ask", "canary vs linear for Lambda")),
]


def _wall(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    import certprep

    compileall.compile_dir(str(Path(certprep.__file__).parent), quiet=1)
    data = Path(tempfile.mkdtemp(prefix="certprep-bench-"))
    env = {**os.environ, "CERTPREP_DATA_DIR": str(data), "CERTPREP_DATABASE_URL": f"sqlite:///{data / 'b.db'}"}
    env.pop("CERTPREP_LLM_URL", None)
    try:
        for _, argv in [YARDSTICK, *COMMANDS]:
            _wall(argv, env)  # warm: migrate the database, fill the pack cache, load the OS file cache
        times: dict[str, list[float]] = {label: [] for label, _ in [YARDSTICK, *COMMANDS]}
        for _ in range(runs):
            for label, argv in [YARDSTICK, *COMMANDS]:
                times[label].append(_wall(argv, env))
    finally:
        shutil.rmtree(data, ignore_errors=True)
    base = statistics.median(times[YARDSTICK[0]])
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, {runs} runs each\n")
    print("| Command | Median s | Min s | Ratio to yardstick |\n|---|---|---|---|")
    for label, samples in times.items():
        median = statistics.median(samples)
        print(f"| `{label}` | {median:.3f} | {min(samples):.3f} | {median / base:.2f} |")


if __name__ == "__main__":
    main()
