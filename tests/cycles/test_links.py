"""The links CSV (UTF-8 with BOM, no contact data) and QR codes."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from sqlalchemy import select

from surveyapp.cycles.lifecycle import open_cycle
from surveyapp.cycles.links import Links, links_csv, qr_png, qr_svg
from surveyapp.models import Customer, Invitation
from surveyapp.survey.tokens import token_hash

LINKS = Links(secret="test-secret", base_url="https://survey.test")
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


def test_the_csv_has_a_bom_one_row_per_pending_customer_and_no_contact_data(session, contract):
    cycle = open_cycle(session, contract, "2026-12", now=NOW, links=LINKS).cycle
    answered = session.scalars(
        select(Invitation).join(Customer).where(Customer.ref == "A002")
    ).one()
    answered.responded_at = NOW
    session.commit()
    body = links_csv(session, cycle, LINKS)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [r["customer_ref"] for r in rows] == ["A001", "A003"]
    for row in rows:
        token = row["survey_link"].removeprefix("https://survey.test/s/")
        invitation = session.scalars(
            select(Invitation).where(Invitation.token_hash == token_hash(token))
        ).one()
        assert invitation.customer.ref == row["customer_ref"]
        assert row["opt_out_link"] == row["survey_link"] + "/opt-out"
        assert row["closes_at"] == "2026-12-15 09:00"
    text = body.decode("utf-8-sig")
    for customer in session.scalars(select(Customer)):
        contact = customer.reveal_contact()
        assert contact.mobile not in text and (contact.email or "@@") not in text


def test_a_ref_that_looks_like_a_formula_is_neutralised(session, contract):
    from ..factories import make_customer

    make_customer(session, contract, ref="=HYPERLINK(1)")
    cycle = open_cycle(session, contract, "2026-12", now=NOW, links=LINKS).cycle
    assert b"'=HYPERLINK(1)" in links_csv(session, cycle, LINKS)


def test_qr_codes_are_png_and_svg():
    assert qr_png("https://survey.test/s/abc").startswith(b"\x89PNG\r\n\x1a\n")
    svg = qr_svg("https://survey.test/s/abc")
    assert svg.lstrip().startswith(b"<svg") and b"</svg>" in svg
