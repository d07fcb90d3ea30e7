"""A closed month hands out no links: no download offer, no QR codes, and links.csv (page or
command line) answers with a clear refusal instead of a file (issue 25)."""

from __future__ import annotations

from sqlalchemy import func, select

from surveyapp.cycles.calendar import month_of, shift_month
from surveyapp.models import AuditEvent, Invitation, utcnow

from ..factories import make_user


def test_after_close_no_links_are_offered_or_handed_out(
    app, client, session, contract, sign_in, tmp_path
):
    sign_in(make_user(session, "provider_admin", contract.provider))
    base = f"/contracts/{contract.id}/cycles"
    month = shift_month(month_of(utcnow(), contract.timezone), 1)
    client.post(f"{base}/open", data={"month": month})
    invitation = session.scalars(select(Invitation)).first()
    qr = f"{base}/{month}/invitations/{invitation.id}/qr.png"

    page = client.get(f"{base}/{month}").text
    assert "links.csv" in page and "qr.png" in page  # open: offered
    assert client.get(f"{base}/{month}/links.csv").status_code == 200
    assert client.get(qr).status_code == 200

    client.post(f"{base}/{month}/close")
    page = client.get(f"{base}/{month}").text
    assert "links.csv" not in page and "qr.png" not in page and "qr.svg" not in page
    assert "不再接受回答" in page or "no longer take answers" in page

    refused = client.get(f"{base}/{month}/links.csv")
    assert refused.status_code == 410
    assert refused.mimetype == "text/html" and "Content-Disposition" not in refused.headers
    assert month in refused.text and ("不再接受回答" in refused.text or "no longer" in refused.text)
    assert "customer_ref" not in refused.text and "/s/" not in refused.text
    assert client.get(qr).status_code == 410
    exported = select(func.count()).select_from(AuditEvent)
    assert session.scalar(exported.where(AuditEvent.action == "cycle.links_exported")) == 1

    output = tmp_path / "links.csv"
    cli = app.test_cli_runner().invoke(
        args=["export-links", "--contract", contract.number, "--month", month,
              "--output", str(output)]
    )  # fmt: skip
    assert cli.exit_code == 2 and month in cli.output and not output.exists()
