"""Portfolio exports: front matter exactly as static-site themes read it, and JSON Resume certificates."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import yaml

from certprep.certs import (
    FRONT_MATTER_KEYS,
    CertError,
    CredentialInput,
    build_credential,
    json_resume_certificates,
    known_exams,
    portfolio_filenames,
    portfolio_markdown,
)
from tests.conftest import dop_pack

DOP = dop_pack()
KNOWN = known_exams([("dop-c02", DOP.blueprint)])
TODAY = dt.date(2026, 11, 23)


def _dop(**overrides: object) -> CredentialInput:
    values: dict[str, object] = {
        "credential_id": "DOP-C02-789456",
        "earned_on": "2024-08-15",
        "exam_code": "dop-c02",
        "verification_url": "https://www.credly.com/badges/abc-123",
        "logo": "/logos/dop-c02.png",
    }
    values.update(overrides)
    return CredentialInput(**values)  # type: ignore[arg-type]


def test_a_credential_is_filled_in_from_the_exam_it_names() -> None:
    cred = build_credential(_dop(), KNOWN, [], TODAY)
    assert cred.title == "AWS Certified DevOps Engineer - Professional"
    assert cred.provider == "Amazon Web Services"
    assert cred.level == "Professional"
    assert cred.exam_code == "DOP-C02"
    assert cred.expires_on == dt.date(2027, 8, 15)
    assert cred.skills[0] == "SDLC Automation"
    assert len(cred.skills) == 6
    explicit = build_credential(_dop(expires_on="2027-09-01", skills="CI/CD, ci/cd , IaC"), KNOWN, [], TODAY)
    assert explicit.expires_on == dt.date(2027, 9, 1)
    assert explicit.skills == ("CI/CD", "IaC")


@pytest.mark.parametrize(
    ("overrides", "existing", "message"),
    [
        ({"earned_on": "2024-13-01"}, [], "'2024-13-01' is not a valid date earned; write it as YYYY-MM-DD"),
        ({"earned_on": "2027-01-01"}, [], "is in the future"),
        ({"expires_on": "2024-08-01"}, [], "must come after the date earned"),
        ({"verification_url": "ftp://example.com/x"}, [], "is not a valid verification URL"),
        ({"verification_url": "credly badge"}, [], "is not a valid verification URL"),
        ({"credential_id": "  "}, [], "Give the credential id"),
        ({}, ["dop-c02-789456 "], "already have a credential with the id 'DOP-C02-789456'"),
        ({"exam_code": "ZZZ-99"}, [], "does not know the exam 'ZZZ-99'"),
        ({"exam_code": "not a code!"}, [], "is not an exam code"),
        ({"logo": "javascript:alert(1)"}, [], "must be a site path such as /logos/dop-c02.png or an http(s) link"),
        ({"logo": "//evil.example/x.png"}, [], "must be a site path"),
    ],
)
def test_bad_input_is_refused_with_a_clear_sentence(
    overrides: dict[str, object], existing: list[str], message: str
) -> None:
    with pytest.raises(CertError, match=message.replace("(", r"\(").replace(")", r"\)")):
        build_credential(_dop(**overrides), KNOWN, existing, TODAY)


def test_the_markdown_front_matter_has_exactly_the_portfolio_keys_in_order() -> None:
    cred = build_credential(_dop(), KNOWN, [], TODAY)
    text = portfolio_markdown(cred, KNOWN["DOP-C02"])
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    assert [line.split(":", 1)[0] for line in head.splitlines()] == list(FRONT_MATTER_KEYS)
    assert 'date: "15.08.2024"' in head
    assert 'expiryDate: "15.08.2027"' in head
    assert 'skills: ["SDLC Automation", "Configuration Management and IaC",' in head
    data = yaml.safe_load(head)
    assert data == {
        "title": "AWS Certified DevOps Engineer - Professional",
        "date": "15.08.2024",
        "provider": "Amazon Web Services",
        "description": data["description"],
        "credentialId": "DOP-C02-789456",
        "expiryDate": "15.08.2027",
        "verificationUrl": "https://www.credly.com/badges/abc-123",
        "skills": list(cred.skills),
        "level": "Professional",
        "logo": "/logos/dop-c02.png",
    }
    assert data["description"].startswith("Professional-level Amazon Web Services certification (DOP-C02)")
    assert body.lstrip().startswith("# AWS Certified DevOps Engineer - Professional")
    assert "- **Credential ID:** DOP-C02-789456" in body
    assert "## What the exam covers" in body


def test_quotes_and_colons_in_values_survive_a_round_trip() -> None:
    cred = build_credential(_dop(description='Said "ship it": then shipped.', title="A: B"), KNOWN, [], TODAY)
    head = portfolio_markdown(cred).split("---\n")[1]
    assert yaml.safe_load(head)["description"] == 'Said "ship it": then shipped.'
    assert yaml.safe_load(head)["title"] == "A: B"


def test_file_names_are_unique_and_json_resume_lists_newest_first() -> None:
    first = build_credential(_dop(), KNOWN, [], TODAY)
    second = build_credential(
        _dop(credential_id="DOP-2", earned_on="2026-01-05", verification_url=""), KNOWN, [], TODAY
    )
    cloud = build_credential(
        CredentialInput(
            credential_id="CLF-1",
            earned_on="2023-03-01",
            title="Cloud Practitioner",
            provider="Amazon Web Services",
            expires_on="2026-03-01",
        ),
        KNOWN,
        [],
        TODAY,
    )
    assert portfolio_filenames([first, second, cloud]) == [
        "dop-c02-dop-c02-789456.md",
        "dop-c02-dop-2.md",
        "cloud-practitioner.md",
    ]
    assert [c.model_dump(exclude_unset=True) for c in json_resume_certificates([cloud, first, second])] == [
        {"name": "AWS Certified DevOps Engineer - Professional", "date": "2026-01-05", "issuer": "Amazon Web Services"},
        {
            "name": "AWS Certified DevOps Engineer - Professional",
            "date": "2024-08-15",
            "issuer": "Amazon Web Services",
            "url": "https://www.credly.com/badges/abc-123",
        },
        {"name": "Cloud Practitioner", "date": "2023-03-01", "issuer": "Amazon Web Services"},
    ]


def test_html_in_credential_fields_is_text_in_the_markdown_and_unsafe_links_are_dropped() -> None:
    cred = build_credential(
        _dop(title="<script>alert(1)</script>", skills="<img src=x onerror=alert(1)>, IaC"), KNOWN, [], TODAY
    )
    body = portfolio_markdown(cred).split("---\n", 2)[2]
    assert "<script>" not in body
    assert "<img" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "- &lt;img src=x onerror=alert(1)&gt;" in body
    # A record saved before the checks may hold a script link: the export leaves it out.
    older = dataclasses.replace(cred, logo="javascript:alert(1)", verification_url="javascript:alert(2)")
    text = portfolio_markdown(older)
    assert "javascript:" not in text
    assert yaml.safe_load(text.split("---\n")[1])["logo"] == ""
