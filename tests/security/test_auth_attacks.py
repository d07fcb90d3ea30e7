"""Sign-in, sessions and privileges: open redirects, session fixation and forgery, a client
editing its own role, an analyst doing an admin's work, API tokens in the query string,
malformed or revoked, mass assignment, and failed sign-ins audited without the password."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from surveyapp.api_tokens.service import revoke_token
from surveyapp.models import (
    ActionItem,
    AuditEvent,
    User,
)

from ..conftest import make_app
from ..factories import (
    PASSWORD,
    make_action_item,
)
from .conftest import counts, sign_in_as

XSS = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
SQLI = [
    "' OR '1'='1",
    "1; DROP TABLE customers; --",
    "2026-11' UNION SELECT email_enc FROM customers --",
    "1) OR (1=1",
]
SQL_ERRORS = re.compile(r"syntax error|sqlite3\.|psycopg|OperationalError|Traceback", re.I)


# --- sign-in and sessions ------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)",
     "\t//evil.example", "http:/\\evil.example", "/%0d%0aSet-Cookie:x=1", "/\r\nSet-Cookie: x=1"],
)  # fmt: skip
def test_open_redirect_on_sign_in_next_goes_home(client, analyst, target):
    response = client.post(
        "/sign-in",
        query_string={"next": target},
        data={"email": analyst.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//"), location
    assert "evil" not in location or location.startswith("/%"), location
    assert not any(c.startswith("x=") for c in response.headers.getlist("Set-Cookie"))


def test_open_redirect_on_the_language_switch(client):
    response = client.get("/language/en", query_string={"next": "//evil.example"})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_session_fixation_a_planted_cookie_gains_nothing(app, world):
    attacker = app.test_client()
    attacker.get("/language/en")  # a valid anonymous session of the attacker's
    planted = attacker.get_cookie("session").value
    victim = app.test_client()
    victim.set_cookie("session", planted)
    sign_in_as(victim, world["analyst"])
    assert victim.get_cookie("session").value != planted
    assert attacker.get("/contracts/").status_code == 302  # still anonymous


def test_a_forged_session_cookie_is_ignored(app, world):
    from flask.sessions import SecureCookieSessionInterface

    forger = make_app(app.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY="guessed-wrong")
    serializer = SecureCookieSessionInterface().get_signing_serializer(forger)
    cookie = serializer.dumps({"_user_id": f"{world['admin'].id}.0", "_fresh": True})
    client = app.test_client()
    client.set_cookie("session", cookie)
    assert client.get("/contracts/").status_code == 302


def test_a_client_user_cannot_edit_its_own_role(client, session, world):
    user = world["client_a"]
    sign_in_as(client, user)
    before = counts(session)
    a = world["a"].id
    attempts = [
        ("/sign-in", {"email": user.email, "password": PASSWORD, "role": "provider_admin"}),
        (f"/contracts/{a}/edit", {"role": "provider_admin", "number": "A-X"}),
        ("/api-tokens/", {"name": "mine", "organization": "1"}),
        ("/webhooks/", {"url": "https://evil.example/hook", "events": "response.submitted"}),
    ]
    for path, data in attempts:
        assert client.post(path, data=data).status_code in {302, 403}, path
    session.expire_all()
    assert session.get(User, user.id).role == "client_viewer"
    assert counts(session) == before
    assert client.get("/dashboard/").status_code == 403


def test_an_analyst_cannot_change_what_only_admins_may(client, session, world):
    sign_in_as(client, world["analyst"])
    before = counts(session)
    a = world["a"].id
    for path in (
        f"/contracts/{a}/edit",
        f"/contracts/{a}/cycles/open",
        f"/contracts/{a}/reports/2026-10/build",
        "/api-tokens/",
    ):
        assert client.post(path, data={"month": "2026-12"}).status_code == 403, path
    assert counts(session) == before


# --- API tokens ----------------------------------------------------------------------------


def test_api_tokens_in_the_query_string_or_malformed_are_401(client, world):
    token = world["api_token"]
    for kwargs in (
        {"query_string": {"access_token": token}},
        {"query_string": {"token": token}},
        {"headers": {"Authorization": token}},
        {"headers": {"Authorization": f"Basic {token}"}},
        {"headers": {"Authorization": "Bearer " + "' OR 1=1 --"}},
        {"headers": {"Authorization": "Bearer " + "a" * 5000}},
    ):
        assert client.get("/api/v1/contracts", **kwargs).status_code == 401, kwargs


def test_a_revoked_api_token_is_401(client, session, world):
    from surveyapp.models import ApiToken

    headers = {"Authorization": f"Bearer {world['api_token']}"}
    assert client.get("/api/v1/contracts", headers=headers).status_code == 200
    token = session.scalars(select(ApiToken).where(ApiToken.name == "helpdesk P")).one()
    revoke_token(session, token, actor=world["admin"])
    assert client.get("/api/v1/contracts", headers=headers).status_code == 401


def test_huge_ids_are_404_not_errors(client, world):
    headers = {"Authorization": f"Bearer {world['api_token']}"}
    sign_in_as(client, world["analyst"])
    for contract_id in (0, 2**31, 2**63, 10**30):
        assert client.get(f"/api/v1/contracts/{contract_id}", headers=headers).status_code == 404
        assert client.get(f"/dashboard/contracts/{contract_id}").status_code == 404
        assert client.get(f"/action-items/{contract_id}/edit").status_code == 404


# --- privileges and audit ------------------------------------------------------------------


def test_a_mass_assigned_field_on_an_action_item_is_ignored(client, session, world):
    item = make_action_item(session, world["a"])
    sign_in_as(client, world["analyst"])
    client.post(
        f"/action-items/{item.id}/edit",
        data={
            "title": "ok",
            "remedy": "ok",
            "owner_id": "0",
            "status": "open",
            "priority": "high",
            "contract_id": str(world["foreign"].id),
        },
    )
    session.expire_all()
    assert session.get(ActionItem, item.id).contract_id == world["a"].id


def test_the_audit_log_records_failed_sign_ins_without_the_password(client, session, world):
    client.post("/sign-in", data={"email": world["admin"].email, "password": "hunter2-guess"})
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in.failed")).all()
    assert len(events) == 1
    assert "hunter2-guess" not in str(events[0].details)
