"""In a real browser: upload a 问卷星 export, check the proposed mapping, preview, confirm, and
the contract dashboard draws the 12-month trend of the imported history."""

import json
import re
from datetime import date

import pytest

from tests.factories import (
    PASSWORD,
    make_contract,
    make_organization,
    make_survey_version,
    make_user,
)
from tests.history.exports import responses, wjx_csv

from .conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_and_contract(app, session, tmp_path):
    app.instance_path = str(tmp_path)  # uploads go to the test's folder
    provider = make_organization(session, "provider")
    contract = make_contract(
        session, provider=provider, start_date=date(2025, 1, 1), number="HIST-001"
    )
    make_survey_version(session, provider)
    return make_user(session, "provider_admin", provider), contract


def _sign_in(page, base, user):
    page.goto(f"{base}/sign-in")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_upload_map_preview_confirm_then_the_dashboard_shows_twelve_months(
    live_server, new_page, page_errors, admin_and_contract
):
    admin, contract = admin_and_contract
    page = new_page(DESKTOP)
    _sign_in(page, live_server, admin)
    page.goto(f"{live_server}/contracts/{contract.id}")
    page.get_by_role("link", name="导入历史结果").click()
    page.set_input_files(
        "#file",
        files=[
            {"name": "问卷星.csv", "mimeType": "text/csv", "buffer": wjx_csv(responses(120), "gbk")}
        ],
    )
    page.get_by_role("button", name="上传并对应列").click()
    page.wait_for_url(re.compile(r"/history/[A-Za-z0-9_-]{22}$"))

    assert page.input_value("#col-0") == "id"
    assert page.input_value("#col-1") == "date"
    assert page.input_value("#col-6") == "q:RESP"
    assert page.input_value("#col-10") == ""  # the phone column: flagged, not imported
    assert "非常满意 = 5" in page.input_value("#value_map")

    page.get_by_role("button", name="显示预览").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("table.preview tbody tr").count() == 10
    assert "将导入 120 份答卷" in page.locator(".summary").inner_text()
    screenshot(page, "history-preview-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "history-preview-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url(re.compile(r"/dashboard/contracts/\d+$"))
    page.set_viewport_size(DESKTOP)
    assert "已导入 120 份答卷" in page.content()
    trend = json.loads(page.locator("#fig-trend").text_content())
    months = {x for trace in trend["data"] for x in trace.get("x", [])}
    assert len({m[:7] for m in map(str, months)}) == 12
    page.wait_for_function(
        "document.querySelector('[data-figure=fig-trend] svg.main-svg') !== null", timeout=20_000
    )
    screenshot(page, "history-dashboard-desktop")
    assert page_errors == []


def test_the_mapping_page_fits_a_phone(live_server, new_page, page_errors, admin_and_contract):
    admin, contract = admin_and_contract
    page = new_page(PHONE)
    _sign_in(page, live_server, admin)
    page.goto(f"{live_server}/contracts/{contract.id}/history/")
    page.set_input_files(
        "#file",
        files=[{"name": "x.csv", "mimeType": "text/csv", "buffer": wjx_csv(responses(5), "gbk")}],
    )
    page.get_by_role("button", name="上传并对应列").click()
    page.wait_for_url(re.compile(r"/history/[A-Za-z0-9_-]{22}$"))
    screenshot(page, "history-mapping-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)
    screenshot(page, "history-mapping-desktop")
    assert page_errors == []
