"""Bearer tokens: required on every API route but the document, hashed, revocable, scoped."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from surveyapp.api_tokens.service import authenticate, create_token, revoke_token
from surveyapp.models import ApiToken, AuditEvent

from ..factories import make_user
from .conftest import assert_error

PROTECTED = [
    ("GET", "/contracts"),
    ("GET", "/contracts/{a}"),
    ("GET", "/contracts/{a}/cycles"),
    ("GET", "/contracts/{a}/metrics"),
    ("GET", "/contracts/{a}/action-items"),
    ("GET", "/contracts/{a}/responses?month=2026-10"),
    ("GET", "/contracts/{a}/tickets"),
    ("GET", "/contracts/{a}/tickets/1"),
    ("GET", "/contracts/{a}/sla"),
    ("POST", "/tickets"),
    ("PUT", "/contracts/{a}/customers"),
]


@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwdw==", "Bearer sat_unknown"]
)
def test_every_route_answers_401_without_a_valid_token(api, world, authorization):
    headers = {} if authorization is None else {"Authorization": authorization}
    for method, path in PROTECTED:
        response = api(method, path.format(a=world.a.id), headers=dict(headers), json={})
        assert_error(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"].startswith("Bearer"), path


def test_the_openapi_document_needs_no_token(api):
    assert api("GET", "/openapi.json").status_code == 200


def test_a_revoked_token_is_refused(api, world, session):
    assert api("GET", "/contracts", world.provider_token).status_code == 200
    token = session.scalar(select(ApiToken).where(ApiToken.name == "helpdesk"))
    revoke_token(session, token)
    assert_error(api("GET", "/contracts", world.provider_token), 401)


def test_only_the_sha256_of_a_token_is_stored_and_it_has_at_least_128_bits(session, world):
    token, secret = create_token(session, world.provider, "probe")
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith("sat_") and len(secret.removeprefix("sat_")) >= 43  # 256 bits
    for row in session.scalars(select(ApiToken)):
        assert secret not in (row.token_hash, row.name)
    assert create_token(session, world.provider, "probe")[1] != secret


def test_using_a_token_records_when_it_was_last_used(api, world, session):
    token = session.scalar(select(ApiToken).where(ApiToken.name == "helpdesk"))
    assert token.last_used_at is None
    api("GET", "/contracts", world.provider_token)
    session.expire_all()
    assert token.last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute(session, world):
    token = authenticate(session, world.provider_token)
    first = token.last_used_at
    assert authenticate(session, world.provider_token, now=first + timedelta(seconds=30))
    assert token.last_used_at == first
    later = first + timedelta(minutes=2)
    authenticate(session, world.provider_token, now=later)
    assert token.last_used_at == later


def test_a_signed_in_session_does_not_open_the_api(api, world, session, sign_in):
    sign_in(make_user(session, "provider_admin", world.provider))
    assert_error(api("GET", "/contracts"), 401)


def test_creating_and_revoking_a_token_is_audited(session, world):
    token, _secret = create_token(session, world.provider, "audited", actor_label="cli")
    assert revoke_token(session, token, actor_label="cli") is True
    assert revoke_token(session, token, actor_label="cli") is False
    actions = session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.subject_type == "ApiToken", AuditEvent.subject_id == token.id
        )
    ).all()
    assert actions == ["api_token.created", "api_token.revoked"]
