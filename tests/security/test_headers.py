"""Security headers and session cookies (SECURITY.md: what is protected and how)."""

from __future__ import annotations

from surveyapp.security.headers import CONTENT_SECURITY_POLICY

from ..conftest import make_app
from ..factories import make_user


def _directives(policy: str) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2] for part in policy.split(";")
    }


def test_every_page_has_a_csp_without_inline_or_eval_script(client):
    for url in ("/sign-in", "/no-such-page", "/s/" + "x" * 43, "/api/v1/openapi.json"):
        headers = client.get(url).headers
        policy = _directives(headers["Content-Security-Policy"])
        assert policy["script-src"] == "'self'", url
        assert "unsafe" not in policy["script-src"] and "unsafe" not in policy["default-src"]
        assert policy["frame-ancestors"] == "'none'"
        assert policy["object-src"] == "'none'"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"]
        assert "camera=()" in headers["Permissions-Policy"]


def test_the_survey_keeps_its_stricter_no_referrer(client):
    response = client.get("/s/" + "x" * 43)
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_policy_constant_is_what_is_sent(client):
    assert client.get("/sign-in").headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_no_template_has_inline_script_or_event_handlers():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    inline = re.compile(r"<script(?![^>]*\b(src=|type=\"application/json\"))[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=|javascript:", re.I)
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not inline.search(text), f"inline <script> in {path}"
        assert not handler.search(text), f"inline event handler in {path}"


def test_session_cookie_is_httponly_lax_and_secure_in_production(database_url, session):
    user = make_user(session)
    app = make_app(database_url, SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    response = client.post(
        "/sign-in",
        data={"email": user.email, "password": "correct horse battery"},
        base_url="https://localhost",
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    assert "Expires=" in cookie  # a permanent session: it ends after PERMANENT_SESSION_LIFETIME
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_production_settings_make_cookies_secure(monkeypatch, tmp_path):
    from surveyapp.config import settings_from_env

    settings = settings_from_env({"SURVEYAPP_ENV": "production"}, str(tmp_path))
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"]
    assert settings["SESSION_COOKIE_HTTPONLY"] and settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert settings["PERMANENT_SESSION_LIFETIME"] == 12 * 3600


def test_a_session_older_than_its_lifetime_is_signed_out(database_url, session):
    import time
    from unittest import mock

    user = make_user(session)
    app = make_app(database_url, PERMANENT_SESSION_LIFETIME=60)
    client = app.test_client()
    client.post("/sign-in", data={"email": user.email, "password": "correct horse battery"})
    assert client.get("/contracts/").status_code == 200
    later = time.time() + 120
    with mock.patch("itsdangerous.timed.time.time", return_value=later):
        response = client.get("/contracts/")
    assert response.status_code == 302 and response.location.startswith("/sign-in")


def test_sign_out_makes_a_copied_cookie_useless(app, session):
    user = make_user(session)
    browser = app.test_client()
    browser.post("/sign-in", data={"email": user.email, "password": "correct horse battery"})
    stolen = browser.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/contracts/").status_code == 200
    browser.post("/sign-out")
    response = thief.get("/contracts/")
    assert response.status_code == 302 and response.location.startswith("/sign-in")
    # signing in again works, with a new session
    browser.post("/sign-in", data={"email": user.email, "password": "correct horse battery"})
    assert browser.get("/contracts/").status_code == 200
