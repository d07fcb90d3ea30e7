"""The provider's cycle pages: admins act, analysts read, other tenants get 404."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from surveyapp.cycles.calendar import month_of, shift_month
from surveyapp.models import AuditEvent, Cycle, Invitation, utcnow

from ..factories import make_organization, make_user


def _month(contract):
    return shift_month(month_of(utcnow(), contract.timezone), 1)


def test_an_admin_opens_sends_exports_and_closes_from_the_pages(mail_app, session, contract, smtp):
    admin = make_user(session, "provider_admin", contract.provider)
    client = mail_app.test_client()
    client.post("/sign-in", data={"email": admin.email, "password": "correct horse battery"})
    base = f"/contracts/{contract.id}/cycles"
    assert client.get(base + "/").status_code == 200
    month = _month(contract)
    opened = client.post(base + "/open", data={"month": month})
    assert opened.status_code == 302 and opened.location.endswith(f"{base}/{month}")
    assert (
        client.post(base + "/open", data={"month": month}).status_code == 302
    )  # twice: nothing new
    assert session.scalar(select(func.count()).select_from(Invitation)) == 3
    sent = client.post(f"{base}/{month}/send", follow_redirects=True)
    assert "已发送 2，失败 0，跳过 1" in sent.text and len(smtp.messages) == 2
    page = client.get(f"{base}/{month}")
    assert page.status_code == 200 and "A001" in page.text
    invitation = session.scalars(select(Invitation)).first()
    assert client.get(f"{base}/{month}/invitations/{invitation.id}/qr.png").data.startswith(
        b"\x89PNG"
    )
    assert b"<svg" in client.get(f"{base}/{month}/invitations/{invitation.id}/qr.svg").data
    assert client.get(f"{base}/{month}/invitations/{invitation.id}/qr.gif").status_code == 404
    csv = client.get(f"{base}/{month}/links.csv")
    assert csv.status_code == 200 and csv.data.startswith(b"\xef\xbb\xbf")
    assert (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "cycle.links_exported")
        )
        == 1
    )
    client.post(f"{base}/{month}/close")
    session.expire_all()
    assert session.scalars(select(Cycle)).one().status == "closed"


def test_an_analyst_reads_but_cannot_change(client, session, contract, sign_in):
    from surveyapp.cycles.lifecycle import open_cycle
    from surveyapp.cycles.links import Links

    cycle = open_cycle(
        session, contract, _month(contract), now=utcnow(), links=Links("test-secret", "http://x")
    ).cycle
    sign_in(make_user(session, "provider_analyst", contract.provider))
    base = f"/contracts/{contract.id}/cycles"
    assert client.get(base + "/").status_code == 200
    page = client.get(f"{base}/{cycle.month}")
    assert page.status_code == 200 and "qr.png" not in page.text and "links.csv" not in page.text
    for path in (
        "/open",
        f"/{cycle.month}/send",
        f"/{cycle.month}/remind",
        f"/{cycle.month}/close",
    ):
        assert client.post(base + path, data={"month": cycle.month}).status_code == 403
    assert client.get(f"{base}/{cycle.month}/links.csv").status_code == 403
    invitation = session.scalars(select(Invitation)).first()
    assert client.get(f"{base}/{cycle.month}/invitations/{invitation.id}/qr.png").status_code == 403
    session.refresh(cycle)
    assert cycle.status == "open"


def test_another_providers_admin_gets_404_and_a_client_403(client, session, contract, sign_in):
    from surveyapp.cycles.lifecycle import open_cycle
    from surveyapp.cycles.links import Links

    cycle = open_cycle(
        session, contract, _month(contract), now=utcnow(), links=Links("s", "http://x")
    ).cycle
    invitation = session.scalars(select(Invitation)).first()
    base = f"/contracts/{contract.id}/cycles"
    sign_in(make_user(session, "provider_admin", make_organization(session, "provider")))
    for url in (
        base + "/",
        f"{base}/{cycle.month}",
        f"{base}/{cycle.month}/links.csv",
        f"{base}/{cycle.month}/invitations/{invitation.id}/qr.png",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{base}/{cycle.month}/close").status_code == 404
    client.post("/sign-out")
    sign_in(make_user(session, "client_viewer", contract.client))
    assert client.get(base + "/").status_code == 403


def test_an_unknown_or_malformed_month_is_404(client, session, contract, sign_in):
    sign_in(make_user(session, "provider_admin", contract.provider))
    base = f"/contracts/{contract.id}/cycles"
    assert client.get(f"{base}/2026-01").status_code == 404
    assert client.get(f"{base}/not-a-month").status_code == 404


def test_a_bad_month_on_the_open_form_is_refused(client, session, contract, sign_in):
    sign_in(make_user(session, "provider_admin", contract.provider))
    page = client.post(
        f"/contracts/{contract.id}/cycles/open", data={"month": "2026-1"}, follow_redirects=True
    )
    assert "YYYY-MM" in page.text
    assert session.scalar(select(func.count()).select_from(Cycle)) == 0
    old = shift_month(month_of(utcnow() - timedelta(days=70), contract.timezone), 0)
    page = client.post(
        f"/contracts/{contract.id}/cycles/open", data={"month": old}, follow_redirects=True
    )
    assert "已经过去" in page.text
