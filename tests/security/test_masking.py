"""Issue 19 items 4 and 5: contact data typed into a comment leaves by no path in clear. One
function (``analysis.mask_text`` / ``mask_contacts``, one pattern) masks it on every page,
export, API answer and report; webhooks and e-mails carry no comment text at all.

Each assertion checks the masked comment did arrive (``***``), so the test cannot pass by
showing nothing, and fails when either half of the masking (phones, e-mails) is removed.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import select

from surveyapp.api_tokens.service import create_token
from surveyapp.followup.alerts import case_lines
from surveyapp.followup.cases import open_cases
from surveyapp.models import OutboxEvent, Response

from ..factories import make_user
from ..webhooks.conftest import make_endpoint
from .test_suppressed_month import MONTH, closed_month

PHONE, EMAIL = "13812345678", "li.na@example.com"
COMMENT = f"回复很慢，请王经理回电 {PHONE} 或发邮件 {EMAIL}"
LEAKS = (PHONE, "138-1234", EMAIL, "li.na@", "王经理")


def _clean(text: str, where: str) -> None:
    for leak in LEAKS:
        assert leak not in text, (where, leak)


@pytest.fixture
def month(session):
    return closed_month(session, 6, comment=COMMENT, overall=1)


def test_the_analyst_responses_exports_and_the_api_mask_comments(client, session, sign_in, month):
    sign_in(make_user(session, "provider_analyst", month.provider))
    csv = client.get(f"/exports/contracts/{month.id}/responses.csv?month={MONTH}")
    assert csv.status_code == 200 and "回复很慢" in csv.text and "***" in csv.text
    _clean(csv.text, "csv")
    xlsx = client.get(f"/exports/contracts/{month.id}/responses.xlsx?month={MONTH}")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.data), read_only=True)
    cells = " ".join(str(v) for row in book.active.iter_rows(values_only=True) for v in row)
    assert "回复很慢" in cells and "***" in cells
    _clean(cells, "xlsx")
    _token, secret = create_token(session, month.provider, "t")
    api = client.get(
        f"/api/v1/contracts/{month.id}/responses?month={MONTH}",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert api.status_code == 200 and "***" in api.text
    _clean(json.dumps(api.json, ensure_ascii=False), "api")


def test_dashboard_and_portal_examples_are_masked(client, session, sign_in, month):
    sign_in(make_user(session, "provider_analyst", month.provider))
    page = client.get(f"/dashboard/contracts/{month.id}?month={MONTH}").text
    assert "回复很慢" in page and "***" in page
    _clean(page, "dashboard")
    client.post("/sign-out")
    sign_in(make_user(session, "client_viewer", month.client))
    page = client.get(f"/portal/contracts/{month.id}?month={MONTH}")
    assert page.status_code == 200  # the portal shows figures, no comment text
    _clean(page.text, "portal")


def test_the_report_shows_masked_examples(client, session, sign_in, month, monkeypatch):
    pages = []

    def render(html: str) -> bytes:
        pages.append(html)
        return b"%PDF-1.7 test"

    monkeypatch.setattr("surveyapp.reports.building.render_pdf", render)
    sign_in(make_user(session, "provider_admin", month.provider))
    built = client.post(f"/contracts/{month.id}/reports/{MONTH}/build", data={"locale": "zh_CN"})
    assert built.status_code in (200, 302) and pages
    assert "回复很慢" in pages[0] and "***" in pages[0]
    _clean(pages[0], "report")


def test_the_case_page_masks_comments_and_webhooks_and_alerts_carry_none(
    client, session, sign_in, month
):
    make_endpoint(session, month.provider_id, "https://hooks.example.com/in")
    response_id = session.scalar(
        select(Response.id).where(Response.contract_id == month.id, Response.month == MONTH)
    )
    case = open_cases(session, response_id, month.created_at + timedelta(days=300))
    session.commit()
    assert case is not None
    sign_in(make_user(session, "provider_analyst", month.provider))
    page = client.get(f"/cases/{case.id}").text
    assert "回复很慢" in page and "***" in page
    _clean(page, "case page")
    payloads = [e.payload for e in session.scalars(select(OutboxEvent))]
    assert payloads
    _clean(json.dumps(payloads, ensure_ascii=False), "webhooks")
    assert "回复很慢" not in json.dumps(payloads, ensure_ascii=False)
    lines = "\n".join(case_lines(case, "https://survey.test"))
    assert "回复很慢" not in lines
    _clean(lines, "alert e-mail")
