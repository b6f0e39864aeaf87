"""One error vocabulary, mapped once per front door: the same refusal reads the same on the web and in the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certprep.accounts.rules import AccountError
from certprep.certs.records import CertError
from certprep.engine.forms import FormError
from certprep.engine.session import AnswerError
from certprep.errors import CertprepError, Conflict, InvalidInput, NotFound, Unavailable, exit_code, http_status
from certprep.exports.errors import ExportError
from certprep.learning.plan import PlanError
from certprep.learning.srs import SrsError
from certprep.services.backup import BackupError
from certprep.services.certs import CertNotFound
from certprep.services.exams import ExamConflict, ExamNotFound
from certprep.services.learning import CardNotFound, LearningError
from tests.conftest import TINY_PACK, run_certprep

# Every error class a service or domain package raises for a request it refuses, and the kind it must be.
KINDS: list[tuple[type[CertprepError], type[CertprepError]]] = [
    (ExamNotFound, NotFound),
    (CardNotFound, NotFound),
    (CertNotFound, NotFound),
    (ExamConflict, Conflict),
    (AnswerError, InvalidInput),
    (LearningError, InvalidInput),
    (FormError, InvalidInput),
    (CertError, InvalidInput),
    (AccountError, InvalidInput),
    (PlanError, InvalidInput),
    (SrsError, InvalidInput),
    (BackupError, InvalidInput),
    (ExportError, InvalidInput),
]


@pytest.mark.parametrize(("error_class", "kind"), KINDS, ids=[error.__name__ for error, _ in KINDS])
def test_every_refusal_has_one_kind_and_its_status_and_exit_code(
    error_class: type[CertprepError], kind: type[CertprepError]
) -> None:
    error = error_class("A sentence.")
    others = {NotFound, Conflict, InvalidInput, Unavailable} - {kind}
    assert isinstance(error, kind), f"{error_class.__name__} is not a {kind.__name__}"
    assert not any(isinstance(error, other) for other in others), f"{error_class.__name__} has two kinds"
    assert http_status(error) == {NotFound: 404, Conflict: 409, InvalidInput: 422}[kind]
    assert exit_code(error) == 2


def test_a_database_away_is_503_and_exit_1() -> None:
    away = Unavailable("The database is not available right now.")
    assert (http_status(away), exit_code(away)) == (503, 1)


def test_the_web_app_maps_each_kind_to_its_status_with_the_sentence(client: TestClient) -> None:
    # client: the shared app in process (tests/conftest.py), local mode on SQLite
    missing_card = client.post("/api/v1/cards/no-such-card/review", json={"pack": "tiny", "rating": 3})
    assert missing_card.status_code == 404, missing_card.text
    assert missing_card.json()["detail"].endswith(".")
    assert "no-such-card" in missing_card.json()["detail"]
    nothing_matches = client.post("/api/v1/exams", json={"pack": "tiny", "mode": "drill", "tasks": ["9.9"]})
    assert nothing_matches.status_code == 422, nothing_matches.text
    assert nothing_matches.json()["detail"].startswith("Cannot build that session:")
    page = client.get("/attempts/999999/results", headers={"Accept": "text/html"})
    assert page.status_code == 404, page.text
    assert "<html" in page.text.lower(), page.text
    assert "No such exam or practice session." in page.text
    # A path that does not exist at all gets the same styled page in a browser, and JSON under /api/.
    nowhere = client.get("/nope", headers={"Accept": "text/html"})
    assert nowhere.status_code == 404, nowhere.text
    assert "<html" in nowhere.text.lower(), nowhere.text
    assert client.get("/api/v1/nope").json() == {"detail": "Not Found"}


def test_the_command_line_maps_the_same_refusals_to_one_line(tmp_path: Path) -> None:
    env = {"CERTPREP_DATA_DIR": str(tmp_path), "CERTPREP_DATABASE_URL": "", "CERTPREP_PACKS": str(TINY_PACK)}
    nothing_matches = run_certprep("exam", "--pack", "tiny", "--mode", "drill", "--task", "9.9", env=env)
    assert nothing_matches.returncode == 2
    assert nothing_matches.stderr.strip().startswith("certprep: Cannot build that session:")
    assert nothing_matches.stderr.strip().count("\n") == 0, nothing_matches.stderr
