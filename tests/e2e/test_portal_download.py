"""In a real browser: a client user downloads its monthly PDF from the portal, byte for byte."""

import hashlib

import pytest
from sqlalchemy import select

from surveyapp.demo import DEMO_PASSWORD
from surveyapp.extensions import db
from surveyapp.models import Contract, Cycle, Report
from surveyapp.reports.building import build_monthly_report

from .conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def archived(demo_app, charts):
    with demo_app.app_context():
        contract = db.session.scalar(select(Contract).where(Contract.number == "HX-2025-002"))
        cycle = db.session.scalar(
            select(Cycle).where(Cycle.contract_id == contract.id, Cycle.month == "2026-10")
        )
        report = build_monthly_report(db.session, cycle, locale="zh_CN")
        sha = db.session.scalar(select(Report.sha256).where(Report.id == report.id))
        db.session.remove()
    return sha


@pytest.mark.parametrize(("viewport", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_client_downloads_exactly_the_archived_pdf(
    demo_server, archived, new_page, page_errors, tmp_path, viewport, label
):
    page = new_page(viewport)
    page.goto(f"{demo_server}/sign-in")
    page.fill("#email", "client@qinghe.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/portal/contracts/*")
    link = page.get_by_role("link", name="2026年10月 报告", exact=False)
    with page.expect_download() as download_info:
        link.click()
    path = tmp_path / "report.pdf"
    download_info.value.save_as(path)
    body = path.read_bytes()
    assert body.startswith(b"%PDF-")
    assert hashlib.sha256(body).hexdigest() == archived
    screenshot(page, f"portal-reports-{label}")
    assert page_errors == []
