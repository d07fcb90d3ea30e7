"""The provider admin's API token page: create (shown once), list, revoke; scoped and audited."""

from __future__ import annotations

import re

from sqlalchemy import select

from surveyapp.api_tokens.service import hash_token
from surveyapp.models import ApiToken, AuditEvent

from ..factories import make_user


def _admin(session, world, sign_in):
    return sign_in(make_user(session, "provider_admin", world.provider))


def test_a_new_token_is_shown_once_and_only_its_hash_kept(client, session, world, sign_in):
    _admin(session, world, sign_in)
    response = client.post("/api-tokens/", data={"organization": world.client_a.id, "name": "bi"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    secret = re.search(r'id="new-token" value="(sat_[\w-]+)"', response.text).group(1)
    token = session.scalar(select(ApiToken).where(ApiToken.name == "bi"))
    assert token.organization_id == world.client_a.id and token.token_hash == hash_token(secret)
    assert secret not in client.get("/api-tokens/").text


def test_the_list_shows_the_providers_and_its_clients_tokens_only(client, session, world, sign_in):
    _admin(session, world, sign_in)
    page = client.get("/api-tokens/").text
    assert "helpdesk" in page and "client reporting" in page and "other helpdesk" not in page
    options = re.findall(r'<option[^>]*value="(\d+)"', page)
    assert str(world.other_provider.id) not in options
    assert {str(world.provider.id), str(world.client_a.id), str(world.client_b.id)} <= set(options)


def test_a_token_for_an_organization_outside_the_list_is_refused(client, session, world, sign_in):
    _admin(session, world, sign_in)
    data = {"organization": world.other_provider.id, "name": "sneaky"}
    assert client.post("/api-tokens/", data=data).status_code == 400
    assert session.scalar(select(ApiToken).where(ApiToken.name == "sneaky")) is None


def test_revoking_stops_the_token_and_is_audited(client, api, session, world, sign_in):
    admin = make_user(session, "provider_admin", world.provider)
    sign_in(admin)
    token = session.scalar(select(ApiToken).where(ApiToken.name == "helpdesk"))
    assert client.post(f"/api-tokens/{token.id}/revoke").status_code == 302
    assert api("GET", "/contracts", world.provider_token).status_code == 401
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "api_token.revoked"))
    assert event.actor_id == admin.id and event.subject_id == token.id


def test_another_providers_token_cannot_be_revoked(client, session, world, sign_in):
    _admin(session, world, sign_in)
    other = session.scalar(select(ApiToken).where(ApiToken.name == "other helpdesk"))
    assert client.post(f"/api-tokens/{other.id}/revoke").status_code == 404
    session.expire_all()
    assert other.revoked_at is None


def test_creating_a_token_on_the_page_is_audited_with_the_admin(client, session, world, sign_in):
    admin = make_user(session, "provider_admin", world.provider)
    sign_in(admin)
    client.post("/api-tokens/", data={"organization": world.provider.id, "name": "desk 2"})
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "api_token.created"))
    assert event is not None
    events = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "api_token.created", AuditEvent.actor_id == admin.id
        )
    ).all()
    assert [e.details["name"] for e in events] == ["desk 2"]
