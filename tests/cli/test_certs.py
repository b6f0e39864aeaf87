"""`certprep certs` as a user runs it: add, list, book, enter a result, the path, and both exports."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import yaml

from tests.conftest import run_certprep


def _env(tmp_path: Path) -> dict[str, str]:
    return {"CERTPREP_DATA_DIR": str(tmp_path / "data"), "CERTPREP_DATABASE_URL": ""}


def test_a_learner_tracks_credentials_and_exports_them(tmp_path: Path) -> None:
    env = _env(tmp_path)
    added = run_certprep(
        "certs",
        "add",
        "--id",
        "DOP-C02-789456",
        "--earned",
        "2024-08-15",
        "--exam",
        "dop-c02",
        "--url",
        "https://www.credly.com/badges/abc",
        "--logo",
        "/logos/dop-c02.png",
        env=env,
    )
    assert added.returncode == 0, added.stderr
    assert "expires 2027-08-15" in " ".join(added.stdout.split())
    again = run_certprep("certs", "add", "--id", "dop-c02-789456", "--earned", "2024-08-15", env=env)
    assert again.returncode == 2
    assert again.stderr.strip() == (
        "certprep: You already have a credential with the id 'dop-c02-789456'; credential ids must be unique."
    )
    bad = run_certprep("certs", "add", "--id", "X", "--earned", "15/08/2024", "--exam", "SAA-C03", env=env)
    assert bad.returncode == 2
    assert "not a valid date earned" in bad.stderr
    assert "Traceback" not in bad.stderr
    bad_url = run_certprep(
        "certs", "add", "--id", "Y", "--earned", "2024-08-15", "--exam", "SAA-C03", "--url", "nope", env=env
    )
    assert bad_url.returncode == 2
    assert "not a valid verification URL" in bad_url.stderr

    listed = run_certprep("certs", "list", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    credentials = json.loads(listed.stdout)["credentials"]
    assert [(c["credential_id"], c["expires_on"]) for c in credentials] == [("DOP-C02-789456", "2027-08-15")]

    out = tmp_path / "portfolio"
    exported = run_certprep("certs", "export", "--format", "markdown", "-o", str(out), env=env)
    assert exported.returncode == 0, exported.stderr
    text = (out / "dop-c02.md").read_text()
    front = yaml.safe_load(text.split("---\n")[1])
    assert list(front) == [
        "title",
        "date",
        "provider",
        "description",
        "credentialId",
        "expiryDate",
        "verificationUrl",
        "skills",
        "level",
        "logo",
    ]
    assert front["date"] == "15.08.2024"
    assert front["expiryDate"] == "15.08.2027"
    assert front["credentialId"] == "DOP-C02-789456"
    assert front["level"] == "Professional"

    resume = run_certprep("certs", "export", "--format", "jsonresume", "-o", str(out), env=env)
    assert resume.returncode == 0, resume.stderr
    assert json.loads((out / "certificates.json").read_text()) == {
        "certificates": [
            {
                "name": "AWS Certified DevOps Engineer - Professional",
                "date": "2024-08-15",
                "issuer": "Amazon Web Services",
                "url": "https://www.credly.com/badges/abc",
            }
        ]
    }
    wrong = run_certprep("certs", "export", "--format", "xml", "-o", str(out), env=env)
    assert wrong.returncode == 2
    assert "Traceback" not in wrong.stderr


def test_booking_a_result_and_the_retake_rule(tmp_path: Path) -> None:
    env = _env(tmp_path)
    today = dt.date.today()
    sat = today - dt.timedelta(days=10)
    no_voucher = run_certprep(
        "certs", "attempt", "--date", sat.isoformat(), "--time", "09:30", "--delivery", "online", "--voucher", env=env
    )
    assert no_voucher.returncode == 2
    assert "active AWS certification" in no_voucher.stderr
    run_certprep(
        "certs",
        "add",
        "--id",
        "CLF-1",
        "--earned",
        (today - dt.timedelta(days=100)).isoformat(),
        "--exam",
        "CLF-C02",
        env=env,
    )
    booked = run_certprep(
        "certs",
        "attempt",
        "--date",
        sat.isoformat(),
        "--time",
        "09:30",
        "--delivery",
        "test centre",
        "--voucher",
        env=env,
    )
    assert booked.returncode == 0, booked.stderr
    assert "fee 150 USD" in " ".join(booked.stdout.split())
    result = run_certprep(
        "certs",
        "result",
        "1",
        "--result",
        "fail",
        "--score",
        "690",
        "--section",
        "1=needs-improvement",
        "--section",
        "2=meets",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    earliest = sat + dt.timedelta(days=14)
    assert f"The earliest retake date is {earliest.isoformat()}." in " ".join(result.stdout.split())
    too_soon = run_certprep(
        "certs", "attempt", "--date", today.isoformat(), "--time", "09:30", "--delivery", "online", env=env
    )
    assert too_soon.returncode == 2
    assert f"the earliest retake date is {earliest.isoformat()}" in too_soon.stderr
    retake = run_certprep(
        "certs", "attempt", "--date", earliest.isoformat(), "--time", "09:30", "--delivery", "online", env=env
    )
    assert retake.returncode == 0, retake.stderr
    assert "fee 300 USD" in " ".join(retake.stdout.split())
    attempts = json.loads(run_certprep("certs", "list", "--json", env=env).stdout)["attempts"]
    assert [(a["status"], a["fee"], a["scaled_score"]) for a in attempts][-1] == ("failed", 150.0, 690)
    path = run_certprep("certs", "path", env=env)
    assert path.returncode == 0
    assert "SAA-C03" in path.stdout
    assert "<- next" in path.stdout
    bad_section = run_certprep("certs", "result", "2", "--result", "pass", "--section", "seven", env=env)
    assert bad_section.returncode == 2
    assert "not a section outcome" in bad_section.stderr


def test_certs_help_lists_the_commands() -> None:
    result = run_certprep("certs", "--help")
    assert result.returncode == 0
    for command in ("add", "list", "export", "attempt", "result", "path", "readiness"):
        assert command in result.stdout


def test_the_path_and_the_list_speak_as_the_pages_do(tmp_path: Path) -> None:
    # #24 item 9: with no credentials the path pointed a DOP-C02 learner at CLF-C02; reminders wrote DD.MM.YYYY.
    env = _env(tmp_path)
    path = run_certprep("certs", "path", env=env)
    assert path.returncode == 0, path.stderr
    lines = path.stdout.splitlines()
    assert "<- next" not in next(line for line in lines if "CLF-C02" in line)
    assert "DOP-C02 AWS Certified DevOps Engineer - Professional (not held) <- next" in path.stdout
    assert "SAA-C03 AWS Certified Solutions Architect - Associate (not held) <- preparation" in path.stdout
    assert "Recommended next: DOP-C02" in " ".join(path.stdout.split())
    earned = dt.date.today().replace(day=1) - dt.timedelta(days=3 * 365 - 40)  # expires within about 40 days
    added = run_certprep("certs", "add", "--id", "CLF-R", "--earned", earned.isoformat(), "--exam", "CLF-C02", env=env)
    assert added.returncode == 0, added.stderr
    listed = run_certprep("certs", "list", env={**env, "COLUMNS": "200"})
    assert listed.returncode == 0, listed.stderr
    assert "Reminder:" in listed.stdout
    assert not re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", listed.stdout), listed.stdout
    expires = json.loads(run_certprep("certs", "list", "--json", env=env).stdout)["credentials"][0]["expires_on"]
    assert f"expires on {expires}" in " ".join(listed.stdout.split())
