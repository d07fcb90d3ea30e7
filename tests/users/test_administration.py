"""User administration: scoped to the provider and its clients; deactivation switches off."""

from __future__ import annotations

from sqlalchemy import func, select

from surveyapp.api_tokens.service import create_token
from surveyapp.models import AccountLink, ApiToken, AuditEvent, User

from ..factories import make_contract, make_organization, make_user


def test_the_list_shows_the_providers_and_its_clients_users_only(client, two_providers, sign_in):
    w = two_providers
    sign_in(w["admin1"])
    page = client.get("/users/").text
    for mine in ("admin1", "analyst1", "viewer1"):
        assert w[mine].email in page
    for theirs in ("admin2", "viewer2"):
        assert w[theirs].email not in page


def test_another_providers_users_are_404_on_every_user_page(
    client, session, two_providers, sign_in
):
    w = two_providers
    sign_in(w["admin1"])
    for name in ("admin2", "viewer2"):
        uid = w[name].id
        assert client.get(f"/users/{uid}").status_code == 404
        assert client.post(f"/users/{uid}", data={"role": "provider_analyst"}).status_code == 404
        for action in ("deactivate", "reactivate", "resend"):
            assert client.post(f"/users/{uid}/{action}").status_code == 404
    session.expire_all()
    assert session.get(User, w["admin2"].id).active
    assert session.get(User, w["admin2"].id).role == "provider_admin"


def test_a_client_viewer_can_be_bound_only_to_a_client_of_this_provider(
    client, session, two_providers, sign_in
):
    w = two_providers
    sign_in(w["admin1"])
    stray = make_organization(session, name="Nobody's client")  # no contract with anyone
    for org in (w["c2"], stray):
        response = client.post(
            "/users/invite",
            data={"email": "x@c2.example", "role": "client_viewer", "client": org.id},
        )
        assert response.status_code == 400
        assert "客户" in response.text or "client" in response.text
    assert session.scalar(select(func.count()).where(User.email == "x@c2.example")) == 0
    page = client.get("/users/invite").text
    assert "Client One" in page and "Client Two" not in page


def test_a_client_of_two_providers_is_offered_to_both(client, session, two_providers, sign_in):
    w = two_providers
    make_contract(session, provider=w["p1"], client=w["c2"])
    sign_in(w["admin1"])
    assert "Client Two" in client.get("/users/invite").text


def test_deactivation_ends_a_live_session_and_revokes_the_users_tokens(
    mail_app, client, session, two_providers, sign_in
):
    w = two_providers
    other_admin = make_user(session, "provider_admin", w["p1"])
    with mail_app.app_context():
        from surveyapp.extensions import db

        _, secret = create_token(
            db.session,
            db.session.get(type(w["p1"]), w["p1"].id),
            "crm",
            actor=db.session.get(User, other_admin.id),
        )
        mine, kept = create_token(
            db.session,
            db.session.get(type(w["p1"]), w["p1"].id),
            "bi",
            actor=db.session.get(User, w["admin1"].id),
        )
    victim = sign_in(other_admin, on=mail_app.test_client())
    assert victim.get("/users/").status_code == 200
    api = {"Authorization": f"Bearer {secret}"}
    assert victim.get("/api/v1/contracts", headers=api).status_code == 200

    sign_in(w["admin1"])
    assert client.post(f"/users/{other_admin.id}/deactivate").status_code == 302

    assert victim.get("/users/").status_code == 302  # the live session is over
    assert mail_app.test_client().get("/api/v1/contracts", headers=api).status_code == 401
    assert (
        mail_app.test_client()
        .get("/api/v1/contracts", headers={"Authorization": f"Bearer {kept}"})
        .status_code
        == 200
    )  # another admin's token lives on
    revoked = session.scalars(
        select(ApiToken).where(ApiToken.created_by_id == other_admin.id)
    ).one()
    assert revoked.revoked_at is not None
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "user.deactivated")).one()
    assert event.organization_id == w["p1"].id and event.details["api_tokens_revoked"] == 1
    response = mail_app.test_client().post(
        "/sign-in", data={"email": other_admin.email, "password": "x" * 12}
    )
    assert response.status_code == 401

    assert client.post(f"/users/{other_admin.id}/reactivate").status_code == 302
    sign_in(other_admin, on=mail_app.test_client())
    assert mail_app.test_client().get("/api/v1/contracts", headers=api).status_code == 401


def test_an_admin_cannot_deactivate_or_demote_themselves(client, session, two_providers, sign_in):
    w = two_providers
    sign_in(w["admin1"])
    response = client.post(f"/users/{w['admin1'].id}/deactivate")
    assert response.status_code == 400 and ("自己" in response.text or "yourself" in response.text)
    assert (
        client.post(f"/users/{w['admin1'].id}", data={"role": "provider_analyst"}).status_code
        == 400
    )
    session.expire_all()
    assert session.get(User, w["admin1"].id).active


def test_an_admin_switches_a_provider_user_between_admin_and_analyst(
    client, session, two_providers, sign_in
):
    w = two_providers
    sign_in(w["admin1"])
    uid = w["analyst1"].id
    assert client.post(f"/users/{uid}", data={"role": "provider_admin"}).status_code == 302
    session.expire_all()
    assert session.get(User, uid).role == "provider_admin"
    assert (
        client.post(f"/users/{w['viewer1'].id}", data={"role": "provider_admin"}).status_code == 400
    )
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user.role_changed")
    ).one()
    assert event.organization_id == w["p1"].id


def test_deactivating_an_invited_user_spends_the_invitation(
    client, smtp, session, two_providers, sign_in
):
    from .conftest import link_in, wait_for

    sign_in(two_providers["admin1"])
    client.post("/users/invite", data={"email": "gone@p1.example", "role": "provider_analyst"})
    path = link_in(wait_for(smtp, "gone@p1.example")[0])
    user = session.scalars(select(User).where(User.email == "gone@p1.example")).one()
    client.post(f"/users/{user.id}/deactivate")
    assert session.scalar(select(func.count()).where(AccountLink.spent_at.is_(None))) == 0
    client.post("/sign-out")
    assert client.get(path).status_code == 410


def test_analysts_and_client_viewers_never_see_user_administration(client, two_providers, sign_in):
    for who in ("analyst1", "viewer1"):
        sign_in(two_providers[who])
        assert client.get("/users/").status_code == 403
        assert "/users/" not in client.get("/contracts/").text
        client.post("/sign-out")
    sign_in(two_providers["admin1"])
    assert 'href="/users/"' in client.get("/contracts/").text
