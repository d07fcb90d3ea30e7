"""The case board and case page (provider staff), rules page, webhook admin pages."""

from datetime import timedelta

from sqlalchemy import select

from surveyapp.models import AuditEvent, FollowupCase, WebhookDelivery, WebhookEndpoint, utcnow
from surveyapp.survey.intake import accept_response
from surveyapp.webhooks.outbox import enqueue

from ..factories import make_user
from .conftest import values_for


def open_case(session, world, may_contact):
    invitation = world["invitation"]
    now = utcnow()
    cycle = world["cycle"]
    cycle.opens_at, cycle.closes_at = now - timedelta(days=1), now + timedelta(days=5)
    invitation.expires_at = cycle.closes_at
    session.commit()
    accept_response(session, invitation, values_for(invitation, RESP=1, NPS=2), now=now,
                    locale="zh_CN", may_contact=may_contact)  # fmt: skip
    return session.scalar(select(FollowupCase))


def test_the_board_lists_cases_and_filters_by_status_and_overdue(client, session, world, sign_in):
    case = open_case(session, world, False)
    sign_in(world["owner"])
    assert f"#{case.id}" in client.get("/cases/").text
    assert f"#{case.id}" in client.get("/cases/?status=open").text
    assert f"#{case.id}" not in client.get("/cases/?status=resolved").text
    assert f"#{case.id}" not in client.get("/cases/?overdue=1").text


def test_an_anonymous_case_shows_answers_but_no_contact(client, session, world, sign_in):
    case = open_case(session, world, False)
    contact = world["customer"].reveal_contact()
    sign_in(world["owner"])
    page = client.get(f"/cases/{case.id}?contact=show").text
    assert contact.email not in page and contact.mobile not in page
    assert "case.contact_shown" not in session.scalars(select(AuditEvent.action)).all()


def test_contact_is_shown_on_request_with_consent_and_audited(client, session, world, sign_in):
    case = open_case(session, world, True)
    contact = world["customer"].reveal_contact()
    sign_in(world["owner"])
    assert contact.email not in client.get(f"/cases/{case.id}").text
    assert contact.email in client.get(f"/cases/{case.id}?contact=show").text
    assert session.scalars(select(AuditEvent.action)).all().count("case.contact_shown") == 1


def test_an_analyst_never_sees_contact_data(client, session, world, sign_in):
    case = open_case(session, world, True)
    analyst = make_user(session, "provider_analyst", world["owner"].organization)
    sign_in(analyst)
    page = client.get(f"/cases/{case.id}?contact=show").text
    assert world["customer"].reveal_contact().email not in page


def test_a_status_change_on_the_case_page_is_saved_and_audited(client, session, world, sign_in):
    case = open_case(session, world, False)
    sign_in(world["owner"])
    response = client.post(f"/cases/{case.id}", data={"status": "contacted", "owner_id": "",
                                                      "notes": "rang back"})  # fmt: skip
    assert response.status_code == 302
    session.expire_all()
    assert session.get(FollowupCase, case.id).status == "contacted"
    assert "case.update" in session.scalars(select(AuditEvent.action)).all()


def test_another_providers_case_is_404_and_a_client_gets_403(client, session, world, sign_in):
    case = open_case(session, world, False)
    sign_in(make_user(session, "provider_admin"))
    assert client.get(f"/cases/{case.id}").status_code == 404
    assert client.post(f"/cases/{case.id}", data={"status": "resolved"}).status_code == 404
    client.post("/sign-out")
    sign_in(make_user(session, "client_viewer", world["contract"].client))
    assert client.get(f"/cases/{case.id}").status_code == 403


def test_an_admin_edits_the_rules(client, session, world, sign_in):
    sign_in(world["owner"])
    url = f"/contracts/{world['contract'].id}/follow-up-rules"
    client.post(url, data={"enabled": "on", "nps_max": "4", "rating_max": ""})
    case = open_case(session, world, None)
    assert case.triggers == [{"rule": "nps", "question": "NPS", "dimension": "overall",
                              "clause": None, "value": 2, "themes": []}]  # fmt: skip


def test_a_new_endpoint_shows_its_secret_once_and_stores_it_encrypted(
    client, session, world, sign_in
):
    sign_in(world["owner"])
    page = client.post("/webhooks/", data={"url": "https://hooks.example.com/in",
                                           "events": ["case.opened"]}).text  # fmt: skip
    endpoint = session.scalar(select(WebhookEndpoint))
    secret = endpoint.reveal_secret()
    assert secret in page and secret not in endpoint.secret_enc
    assert secret not in client.get("/webhooks/").text


def test_an_endpoint_on_a_private_address_is_refused(client, world, sign_in):
    sign_in(world["owner"])
    for url in ("http://hooks.example.com/", "https://user:pw@hooks.example.com/", "ftp://x/"):
        assert (
            client.post("/webhooks/", data={"url": url, "events": ["case.opened"]}).status_code
            == 400
        )


def test_replay_of_another_organizations_delivery_is_404(client, session, world, sign_in):
    other = make_user(session, "provider_admin")
    endpoint = WebhookEndpoint(organization_id=other.organization_id, url="https://x.example/",
                               events="case.opened")  # fmt: skip
    endpoint.set_secret("s")
    session.add(endpoint)
    session.commit()
    enqueue(session, other.organization_id, "case.opened", {"case_id": 1})
    session.commit()
    delivery = session.scalar(select(WebhookDelivery))
    sign_in(world["owner"])
    assert client.post(f"/webhooks/deliveries/{delivery.id}/replay").status_code == 404
    client.post("/sign-out")
    sign_in(other)
    assert client.post(f"/webhooks/deliveries/{delivery.id}/replay").status_code == 302
    assert "case.opened" in client.get("/webhooks/deliveries").text


def test_the_dashboard_shows_the_follow_up_share_per_month(client, session, world, sign_in):
    open_case(session, world, False)
    sign_in(world["owner"])
    page = client.get(f"/dashboard/contracts/{world['contract'].id}").text
    assert 'id="h-followup"' in page and world["cycle"].month in page
