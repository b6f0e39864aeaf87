"""Every setting certprep reads from the environment is documented in the README's configuration table."""

from __future__ import annotations

import re

from tests.conftest import ROOT

VARIABLE = re.compile(r"\bCERTPREP_[A-Z][A-Z0-9_]*[A-Z0-9]\b")


def _read_by_the_code() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "certprep").rglob("*.py"):
        found |= set(VARIABLE.findall(path.read_text(encoding="utf-8")))
    return found


def _documented() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `CERTPREP_")]
    return {name for row in rows for name in VARIABLE.findall(row.split("|")[1])}


def test_the_code_reads_settings_at_all() -> None:
    # Guards the scan itself: if the pattern stopped matching, the next test would pass on an empty set.
    assert {"CERTPREP_DATABASE_URL", "CERTPREP_LLM_TIMEOUT"} <= _read_by_the_code()


def test_every_variable_the_code_reads_is_in_the_readme_table() -> None:
    missing = sorted(_read_by_the_code() - _documented())
    assert missing == [], f"read by the code but not in the README's configuration table: {missing}"
