"""API fixtures: two providers, two clients, their contracts, and a token for each party."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jsonschema_rs
import pytest

from surveyapp.api.openapi import SCHEMAS
from surveyapp.api_tokens.service import create_token
from surveyapp.models import Contract, Organization

from ..factories import make_contract, make_organization

PROBLEM_SCHEMA = {**SCHEMAS["Problem"], "components": {"schemas": SCHEMAS}}


@dataclass
class World:
    provider: Organization
    other_provider: Organization
    client_a: Organization
    client_b: Organization
    a: Contract
    b: Contract
    foreign: Contract
    provider_token: str
    client_token: str
    other_token: str


@pytest.fixture
def world(session) -> World:
    provider = make_organization(session, "provider")
    other_provider = make_organization(session, "provider")
    client_a, client_b = make_organization(session), make_organization(session)
    a = make_contract(session, provider=provider, client=client_a, number="A-1")
    b = make_contract(session, provider=provider, client=client_b, number="B-1")
    foreign = make_contract(
        session, provider=other_provider, client=make_organization(session), number="F-1"
    )
    return World(
        provider=provider,
        other_provider=other_provider,
        client_a=client_a,
        client_b=client_b,
        a=a,
        b=b,
        foreign=foreign,
        provider_token=create_token(session, provider, "helpdesk")[1],
        client_token=create_token(session, client_a, "client reporting")[1],
        other_token=create_token(session, other_provider, "other helpdesk")[1],
    )


@pytest.fixture
def api(client):
    """``api(method, path, token=..., **kw)``: a request to /api/v1 with a bearer token."""

    def call(method: str, path: str, token: str | None = None, **kw):
        headers = kw.pop("headers", {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return client.open(f"/api/v1{path}", method=method, headers=headers, **kw)

    return call


def past(days: float = 10, hours: float = 0) -> datetime:
    """A moment in the past, whole minutes, aware UTC: tickets may not come from the future."""
    moment = datetime.now(UTC) - timedelta(days=days, hours=hours)
    return moment.replace(second=0, microsecond=0)


def ticket(contract: str = "A-1", external_id: str = "T-1", **kw) -> dict:
    received = past()
    return {
        "contract_number": contract,
        "external_id": external_id,
        "kind": "inquiry",
        "channel": "phone",
        "received_at": rfc3339(received),
        "first_reply_at": rfc3339(received + timedelta(hours=3)),
        "resolved_at": None,
    } | kw


def rfc3339(moment: datetime) -> str:
    """The API's time form: UTC, whole seconds, Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def assert_error(response, status: int, code: str | None = None) -> dict:
    """An RFC 9457 problem document with ``status`` (and type ``...:code`` when given),
    valid against the document's Problem schema, its request id in the header too."""
    assert response.status_code == status, response.text
    assert response.mimetype == "application/problem+json"
    body = json.loads(response.get_data(as_text=True))
    jsonschema_rs.validate(PROBLEM_SCHEMA, body)
    assert body["status"] == status
    assert body["request_id"] == response.headers["X-Request-Id"]
    if code is not None:
        assert body["type"] == f"urn:surveyapp:problem:{code}"
    return body
