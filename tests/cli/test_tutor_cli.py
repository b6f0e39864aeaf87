"""`certprep tutor ask` as a user runs it: one query, JSON, a batch file in order, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_certprep, run_certprep_process


def _env(tmp_path: Path) -> dict[str, str]:
    return {"CERTPREP_DATA_DIR": str(tmp_path), "CERTPREP_DATABASE_URL": "", "CERTPREP_LLM_URL": ""}


def test_ask_prints_an_answer_with_its_sources(tmp_path: Path) -> None:
    result = run_certprep_process("tutor", "ask", "What is an SCP?", env=_env(tmp_path))  # end to end
    assert result.returncode == 0, result.stderr
    assert "answered by the retrieval tutor" in result.stdout
    assert "Sources" in result.stdout
    assert "Traceback" not in result.stderr


def test_ask_json_has_the_api_shape(tmp_path: Path) -> None:
    result = run_certprep("tutor", "ask", "compare pilot light vs warm standby", "--json", env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"mode", "answer", "passages"}
    assert data["mode"] == "compare"
    assert all(set(p) == {"id", "kind", "title", "text", "score", "url"} for p in data["passages"])


def test_batch_answers_one_line_per_query_in_order(tmp_path: Path) -> None:
    queries = [
        "quiz me on patching",
        "What is a DLQ?",
        "explain question d1-pipeline-cross-account-artifact-key",
        "RTO vs RPO",
    ]
    batch = tmp_path / "queries.txt"
    batch.write_text("\n".join(queries[:2]) + "\n\n" + "\n".join(queries[2:]) + "\n")
    result = run_certprep("tutor", "ask", "--batch", str(batch), "--json", env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["mode"] for line in lines] == ["quiz", "ask", "explain", "compare"]


def test_mistakes_are_one_readable_line(tmp_path: Path) -> None:
    none = run_certprep("tutor", "ask", env=_env(tmp_path))
    assert none.returncode == 2
    assert none.stderr.strip() == "give either a QUERY or --batch FILE (not both)"
    missing = run_certprep("tutor", "ask", "--batch", str(tmp_path / "nope.txt"), "--json", env=_env(tmp_path))
    assert missing.returncode == 2
    assert missing.stderr.strip().startswith("cannot read ")
    assert len(missing.stderr.strip().splitlines()) == 1
    pack = run_certprep("tutor", "ask", "SCP", "--pack", "nope", env=_env(tmp_path))
    assert pack.returncode == 2
    assert "no pack named 'nope'" in pack.stderr
    assert "Traceback" not in pack.stderr
    empty = run_certprep("tutor", "ask", "   ", env=_env(tmp_path))
    assert empty.returncode == 2
    assert "empty" in empty.stderr
