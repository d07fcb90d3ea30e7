"""Opting out from the e-mail link: a confirmation page, then the customer is marked."""

from __future__ import annotations

import re

from surveyapp.models import Customer

from ..conftest import make_app


def test_the_opt_out_link_asks_before_it_changes_anything(client, session, invite):
    invitation, token = invite()
    page = client.get(f"/s/{token}/opt-out")
    assert page.status_code == 200 and "退订" in page.text
    session.refresh(invitation.customer)
    assert invitation.customer.opted_out_at is None


def test_confirming_marks_the_customer_once_even_after_the_cycle_closed(
    database_url, session, survey, invite
):
    invitation, token = invite()
    survey.cycle.status = "closed"
    session.commit()
    client = make_app(database_url, WTF_CSRF_ENABLED=True).test_client()
    form = client.get(f"/s/{token}/opt-out").text
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    assert client.post(f"/s/{token}/opt-out", data={}).status_code == 400  # no CSRF token
    done = client.post(f"/s/{token}/opt-out", data={"csrf_token": csrf})
    assert done.status_code == 200 and "您已退订" in done.text
    customer = session.get(Customer, invitation.customer_id)
    session.refresh(customer)
    first = customer.opted_out_at
    assert first is not None
    client.post(f"/s/{token}/opt-out", data={"csrf_token": csrf})
    session.refresh(customer)
    assert customer.opted_out_at == first
    assert "已退订" in client.get(f"/s/{token}/opt-out").text


def test_opt_out_of_an_unknown_token_is_404(client, invite):
    invite()
    assert client.get("/s/" + "B" * 40 + "/opt-out").status_code == 404


def test_opting_out_needs_no_cookie_and_takes_only_its_own_key(database_url, session, invite):
    """The opt-out form's CSRF token is a signed key of its invitation (formkey.py): it works in
    a browser that refuses cookies; the answers form's key, or another link's, is refused."""
    invitation, token = invite()
    _, other = invite()
    client = make_app(database_url, WTF_CSRF_ENABLED=True).test_client(use_cookies=False)
    key_re = r'name="csrf_token" type="hidden" value="([^"]+)"'
    page = client.get(f"/s/{token}/opt-out")
    assert "Set-Cookie" not in page.headers
    key = re.search(key_re, page.text).group(1)
    answers_key = re.search(key_re, client.get(f"/s/{token}").text).group(1)
    other_key = re.search(key_re, client.get(f"/s/{other}/opt-out").text).group(1)
    for wrong in (answers_key, other_key):
        assert client.post(f"/s/{token}/opt-out", data={"csrf_token": wrong}).status_code == 400
    customer = session.get(Customer, invitation.customer_id)
    session.refresh(customer)
    assert customer.opted_out_at is None
    done = client.post(f"/s/{token}/opt-out", data={"csrf_token": key})
    assert done.status_code == 200
    session.refresh(customer)
    assert customer.opted_out_at is not None
