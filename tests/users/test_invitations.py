"""Inviting a user by e-mail: the link sets a password once, within 72 hours."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from surveyapp.models import AccountLink, AuditEvent, User, utcnow

from ..factories import PASSWORD
from .conftest import link_in, wait_for

NEW_PASSWORD = "violet harbour lamp 42"


def _invite(http, email, role="provider_analyst", **extra):
    return http.post("/users/invite", data={"email": email, "role": role, **extra})


def test_an_invited_client_viewer_sets_a_password_from_the_email_and_signs_in(
    client, smtp, session, two_providers, sign_in
):
    world = two_providers
    sign_in(world["admin1"])
    response = _invite(client, "new.viewer@client.example", "client_viewer", client=world["c1"].id)
    assert response.status_code == 302
    message = wait_for(smtp, "new.viewer@client.example")[0]
    assert "邀请" in message["Subject"] or "invited" in message["Subject"]
    path = link_in(message)
    client.post("/sign-out")

    assert client.get(path).status_code == 200
    done = client.post(
        path, data={"name": "王芳", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert client.get("/portal/").location.startswith("/portal/")  # signed in by the link
    client.post("/sign-out")
    again = client.post(
        "/sign-in", data={"email": "new.viewer@client.example", "password": NEW_PASSWORD}
    )
    assert again.status_code == 302
    user = session.scalars(select(User).where(User.email == "new.viewer@client.example")).one()
    assert (user.name, user.role, user.organization_id) == ("王芳", "client_viewer", world["c1"].id)
    assert not user.invitation_pending
    actions = set(
        session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == user.id))
    )
    assert {"user.invited", "user.invitation_accepted"} <= actions
    orgs = set(
        session.scalars(
            select(AuditEvent.organization_id).where(
                AuditEvent.action.in_(["user.invited", "user.invitation_accepted"])
            )
        )
    )
    assert orgs == {world["p1"].id}  # recorded under the provider, never the client


def test_a_used_link_is_refused_with_410(client, smtp, two_providers, sign_in):
    sign_in(two_providers["admin1"])
    _invite(client, "once@p1.example")
    path = link_in(wait_for(smtp, "once@p1.example")[0])
    client.post("/sign-out")
    form = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post(path, data=form).status_code == 302
    client.post("/sign-out")
    reused = client.post(
        path, data={"password": "another long one 9", "confirm": "another long one 9"}
    )
    assert reused.status_code == 410 and (
        "已经用过" in reused.text or "already been used" in reused.text
    )
    assert client.get(path).status_code == 410


def test_an_expired_link_is_refused_and_changes_nothing(
    client, smtp, session, two_providers, sign_in
):
    sign_in(two_providers["admin1"])
    _invite(client, "late@p1.example")
    path = link_in(wait_for(smtp, "late@p1.example")[0])
    client.post("/sign-out")
    session.execute(update(AccountLink).values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410 and ("过期" in response.text or "expired" in response.text)
    user = session.scalars(select(User).where(User.email == "late@p1.example")).one()
    assert user.invitation_pending and not user.check_password(NEW_PASSWORD)


def test_the_invitation_link_expires_after_72_hours(client, smtp, session, two_providers, sign_in):
    before = utcnow()
    sign_in(two_providers["admin1"])
    _invite(client, "ttl@p1.example")
    link = session.scalars(select(AccountLink)).one()
    assert timedelta(hours=72) <= link.expires_at - before < timedelta(hours=72, minutes=1)


def test_an_unknown_link_is_404(client):
    assert client.get("/account/password/" + "x" * 43).status_code == 404


def test_an_invitation_to_an_address_in_use_is_refused_and_stores_nothing(
    client, smtp, session, two_providers, sign_in
):
    sign_in(two_providers["admin1"])
    taken = two_providers["viewer2"].email.upper()  # another provider's user: still taken
    response = _invite(client, taken)
    assert response.status_code == 400
    assert "已存在" in response.text or "already exists" in response.text
    assert session.scalar(select(func.count()).select_from(AccountLink)) == 0
    assert session.scalar(select(func.count()).select_from(User)) == 5
    assert smtp.messages == []


def test_a_common_password_is_refused_and_the_link_still_works(
    client, smtp, session, two_providers, sign_in
):
    sign_in(two_providers["admin1"])
    _invite(client, "weak@p1.example")
    path = link_in(wait_for(smtp, "weak@p1.example")[0])
    client.post("/sign-out")
    for weak in ("password123!", "1234567890", "short"):
        response = client.post(path, data={"password": weak, "confirm": weak})
        assert response.status_code == 400, weak
    assert (
        "最常见"
        in client.post(path, data={"password": "qwertyuiop1", "confirm": "qwertyuiop1"}).text
        or "common" in response.text
    )
    assert (
        client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code
        == 302
    )


def test_resending_an_invitation_replaces_the_link(client, smtp, session, two_providers, sign_in):
    sign_in(two_providers["admin1"])
    _invite(client, "again@p1.example")
    first = link_in(wait_for(smtp, "again@p1.example")[0])
    user = session.scalars(select(User).where(User.email == "again@p1.example")).one()
    assert client.post(f"/users/{user.id}/resend").status_code == 302
    second = link_in(wait_for(smtp, "again@p1.example", 2)[1])
    client.post("/sign-out")
    assert first != second
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_a_mail_failure_keeps_the_invitation_and_says_to_resend(
    client, smtp, session, two_providers, sign_in
):
    smtp.refuse.add("bounce@p1.example")
    sign_in(two_providers["admin1"])
    page = client.post(
        "/users/invite",
        data={"email": "bounce@p1.example", "role": "provider_analyst"},
        follow_redirects=True,
    )
    assert "重新发送" in page.text or "Resend" in page.text
    assert session.scalars(select(User).where(User.email == "bounce@p1.example")).one()


def test_the_unused_password_of_an_invited_user_never_signs_in(
    client, smtp, two_providers, sign_in
):
    sign_in(two_providers["admin1"])
    _invite(client, "pending@p1.example")
    client.post("/sign-out")
    for guess in ("", PASSWORD, "!"):
        response = client.post("/sign-in", data={"email": "pending@p1.example", "password": guess})
        assert response.status_code in (400, 401)
