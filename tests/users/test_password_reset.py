""" "Forgot password": the same answer for any address; a known one gets a one-time link."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from surveyapp.models import AccountLink, AuditEvent, utcnow

from ..factories import PASSWORD
from .conftest import link_in, wait_for

NEW = "amber river seven 70"


def _ask(client, email):
    return client.post("/account/forgot-password", data={"email": email})


def test_known_and_unknown_addresses_get_the_same_answer(client, smtp, two_providers):
    known = two_providers["analyst1"].email
    a, b = _ask(client, known), _ask(client, "nobody@nowhere.example")
    assert a.status_code == b.status_code == 200
    assert a.text.replace(known, "ADDRESS") == b.text.replace("nobody@nowhere.example", "ADDRESS")
    assert len(wait_for(smtp, known)) == 1
    assert smtp.to("nobody@nowhere.example") == []


def test_the_reset_link_sets_a_new_password_once_and_ends_other_sessions(
    mail_app, client, smtp, session, two_providers, sign_in
):
    user = two_providers["analyst1"]
    elsewhere = sign_in(user, on=mail_app.test_client())
    _ask(client, user.email)
    path = link_in(wait_for(smtp, user.email)[0])
    link = session.scalars(select(AccountLink)).one()
    assert timedelta(minutes=59) < link.expires_at - utcnow() <= timedelta(hours=1)
    assert client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 302
    assert elsewhere.get("/contracts/").status_code == 302  # the old session is over
    client.post("/sign-out")
    assert (
        client.post("/sign-in", data={"email": user.email, "password": PASSWORD}).status_code == 401
    )
    assert client.post("/sign-in", data={"email": user.email, "password": NEW}).status_code == 302
    client.post("/sign-out")
    assert client.post(path, data={"password": NEW + "x", "confirm": NEW + "x"}).status_code == 410
    assert (
        session.scalars(
            select(AuditEvent.organization_id).where(AuditEvent.action == "user.password_reset")
        ).one()
        == two_providers["p1"].id
    )


def test_an_expired_reset_link_is_refused(client, smtp, session, two_providers):
    user = two_providers["viewer1"]
    _ask(client, user.email)
    path = link_in(wait_for(smtp, user.email)[0])
    session.execute(update(AccountLink).values(expires_at=utcnow() - timedelta(minutes=1)))
    session.commit()
    assert client.get(path).status_code == 410


def test_a_second_request_spends_the_first_link(client, smtp, two_providers):
    user = two_providers["viewer1"]
    _ask(client, user.email)
    first = link_in(wait_for(smtp, user.email)[0])
    _ask(client, user.email)
    second = link_in(wait_for(smtp, user.email, 2)[1])
    assert client.get(first).status_code == 410 and client.get(second).status_code == 200


def test_a_deactivated_user_gets_no_link(client, smtp, session, two_providers):
    user = two_providers["viewer1"]
    user.active = False
    session.commit()
    assert _ask(client, user.email).status_code == 200
    assert wait_for(smtp, user.email, seconds=0.5) == []


def test_reset_requests_are_limited_per_address(database_url, two_providers):
    from ..conftest import make_app

    client = make_app(database_url, RATELIMIT_ACCOUNT_FORMS_PER_ADDRESS="3 per hour").test_client()
    codes = [_ask(client, f"n{n}@nowhere.example").status_code for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]
