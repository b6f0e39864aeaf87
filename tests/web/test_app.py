"""The real web app in process (FastAPI's TestClient on a real database), asked over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_hub_lists_every_installed_pack(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert 'href="/packs/dop-c02"' in page.text
    assert 'href="/packs/tiny"' in page.text
    assert "AWS Certified DevOps Engineer - Professional" in page.text


def test_overview_shows_domains_weights_items_and_exam_facts(client: TestClient) -> None:
    page = client.get("/packs/dop-c02")
    assert page.status_code == 200
    text = page.text
    for name in (
        "SDLC Automation",
        "Configuration Management and IaC",
        "Resilient Cloud Solutions",
        "Monitoring and Logging",
        "Incident and Event Response",
        "Security and Compliance",
    ):
        assert name in text
    assert "Implement deployment strategies for instance, container and serverless environments" in text
    assert "750" in text
    assert "180" in text
    assert "65 scored + 10 unscored" in text
    assert "300 USD (150 USD with the 50% voucher)" in text
    assert "Wait 14 days" in text
    assert "CLF-C02" in text
    assert "SOA-C03" in text


def test_overview_of_the_tiny_pack_uses_its_own_numbers(client: TestClient) -> None:
    text = client.get("/packs/tiny").text
    assert "5 scored + 1 unscored" in text
    assert "scale 200–900" in text
    assert "600" in text


def test_unknown_pack_is_a_clear_404_page_and_json(client: TestClient) -> None:
    page = client.get("/packs/nope")
    assert page.status_code == 404
    assert "No pack named &#39;nope&#39; is installed." in page.text
    api = client.get("/api/v1/packs/nope")
    assert api.status_code == 404
    assert api.json() == {"detail": "No pack named 'nope' is installed."}


def test_api_lists_packs_and_exposes_the_blueprint(client: TestClient) -> None:
    packs = client.get("/api/v1/packs").json()
    assert [pack["id"] for pack in packs] == ["dop-c02", "tiny"]
    overview = client.get("/api/v1/packs/dop-c02").json()
    assert [d["exam_items"] for d in overview["domains"]] == [14, 11, 10, 10, 9, 11]
    assert [d["weight"] for d in overview["domains"]] == [22, 17, 15, 15, 14, 17]
    assert overview["facts"]["passing_score"] == 750
    stats = client.get("/api/v1/packs/tiny/stats").json()
    assert stats["questions"]["usable"] == 6


def test_openapi_describes_the_api(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/health", "/api/v1/packs", "/api/v1/packs/{pack_id}"} <= set(spec["paths"])


def test_api_reference_page_works_offline(client: TestClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "/api/v1/health" in page.text
    assert "/api/v1/readiness" in page.text
    assert "POST" in page.text
    assert "/api/v1/tutor/ask" in page.text
    assert "cdn." not in page.text
    assert "<script>" not in page.text  # nothing fetched from the internet, no inline JS


def test_security_headers_and_static_assets(client: TestClient) -> None:
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page.text  # no inline script anywhere
    css = client.get("/static/app.css")
    assert css.status_code == 200
    assert "text/css" in css.headers["content-type"]
