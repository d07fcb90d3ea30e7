"""Day one without the demo, in a real browser (issue #18): from an empty database the first
administrator sets the provider up with init-db's one-time code; makes a client, a contract
from the template and a survey from the standard questionnaire with one question added;
invites a client user by e-mail (caught by an in-process SMTP server) who sets a password;
imports customers; opens the month and sends the invitations; a customer answers through the
link in the e-mail; the month closes and its report is built; the client user downloads the
PDF from the portal. A screenshot of every step goes to the test artifacts folder."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from surveyapp.auth.setup import issue_setup_code
from surveyapp.extensions import db
from surveyapp.models import Contract, Report, Response, User, utcnow

from ..cycles.conftest import Inbox, _free_port
from .conftest import DESKTOP, screenshot

pytestmark = pytest.mark.browser

ADMIN_PASSWORD = "Tall-lighthouse-2027"
CLIENT_PASSWORD = "Quiet-harbour-2027"


@pytest.fixture
def inbox():
    from aiosmtpd.controller import Controller

    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port(), ready_timeout=10)
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


def _link(message, pattern: str) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(pattern, body).group(0)


def _shot(page, step: str) -> None:
    screenshot(page, f"day-one-{step}")


def _submit(page) -> None:
    """Press the form's main button and wait for the answer page."""
    button = page.locator("main form button[type=submit].primary").last
    with page.expect_navigation():
        button.click()


def test_a_provider_takes_the_platform_into_use_without_the_demo(
    app, live_server, inbox, new_page, page_errors, charts, tmp_path
):
    app.config.update(SMTP_PORT=inbox.port, SMTP_TIMEOUT=5, BASE_URL=live_server)
    with app.app_context():
        code = issue_setup_code(db.session, utcnow())
        db.session.commit()
    zone = ZoneInfo("Asia/Shanghai")
    today = datetime.now(zone).date()
    month = today.strftime("%Y-%m")
    page = new_page(DESKTOP)

    # 1. The one-time set-up page: the provider and its first administrator.
    page.goto(f"{live_server}/setup")
    page.fill("#code", code)
    page.fill("#organization", "华信联合客户服务有限公司")
    page.fill("#address", "上海市浦东新区张江路 88 号")
    page.fill("#contact_person", "周明")
    page.fill("#phone", "021-5000-8800")
    page.fill("#name", "周明")
    page.fill("#email", "admin@huaxin.example")
    page.fill("#password", ADMIN_PASSWORD)
    page.fill("#confirm", ADMIN_PASSWORD)
    _shot(page, "01-setup")
    _submit(page)
    page.wait_for_load_state()
    assert "/setup" not in page.url, page.locator(".field-error").all_text_contents()
    assert page.goto(f"{live_server}/setup").status == 404  # gone once a provider exists
    page_errors.clear()  # the browser logs that 404

    # 2. A client.
    page.goto(f"{live_server}/clients/new")
    page.fill("#name", "明远家电股份有限公司")
    page.fill("#address", "北京市朝阳区")
    page.fill("#contact_person", "李娜")
    page.fill("#phone", "010-8888-0000")
    _shot(page, "02-client")
    _submit(page)
    page.wait_for_url("**/clients/")

    # 3. A survey from the standard questionnaire, with one question added.
    page.goto(f"{live_server}/surveys/new")
    page.fill("#name", "月度满意度调查")
    _submit(page)
    page.wait_for_url("**/versions/1/edit")
    page.fill("#q-11-code", "DELIVERY")
    page.select_option("#q-11-type", "rating")
    page.fill("#q-11-text_zh", "您对送货速度是否满意？")
    page.fill("#q-11-text_en", "How satisfied are you with the delivery speed?")
    page.select_option("#q-11-dimension", "responsiveness")
    _shot(page, "03-survey")
    _submit(page)
    page.wait_for_url("**/versions/1")

    # 4. A contract from the template, using that survey; activated.
    page.goto(f"{live_server}/contracts/new")
    page.select_option("#client_id", label="明远家电股份有限公司")
    page.fill("#number", "HX-2027-001")
    page.fill("#title", "家电售后客户服务合同")
    page.fill("#signed_on", today.replace(day=1).isoformat())
    page.fill("#start_date", today.replace(day=1).isoformat())
    page.fill("#monthly_fee", "85000")
    page.select_option("#survey_id", label="月度满意度调查")
    page.fill("#survey_open_day", str(min(today.day, 28)))
    page.fill("#survey_open_days", "14")
    _submit(page)  # (a full-page screenshot of this long form before the click stops the click)
    assert page.url.endswith("/edit"), page.locator(".field-error, .flash").all_text_contents()
    _shot(page, "04-contract")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("启用|Activate")).click()
    page.wait_for_url(re.compile(r".*/contracts/\d+$"))
    with app.app_context():
        contract = db.session.scalar(select(Contract).where(Contract.number == "HX-2027-001"))
        contract_id, clause_count = contract.id, len(contract.clauses)
        assert contract.status == "active" and clause_count >= 8
    _shot(page, "05-contract-active")

    # 5. The client's user is invited; the e-mail's link sets a password.
    page.goto(f"{live_server}/users/invite")
    page.fill("#email", "li.na@mingyuan.example")
    page.fill("#name", "李娜")
    page.select_option("#role", "client_viewer")
    page.select_option("#client", label="明远家电股份有限公司")
    _shot(page, "06-invite")
    _submit(page)
    page.wait_for_load_state()
    invitation = next(m for m in inbox.messages if m["To"] == "li.na@mingyuan.example")
    set_password = _link(invitation, r"http://127\.0\.0\.1:\d+/account/password/\S+")

    # 6. Customers imported from CSV.
    csv = tmp_path / "customers.csv"
    csv.write_text(
        "ref,name,email,mobile,language\n"
        "C001,王芳,wang.fang@customer.example,,zh_CN\n"
        "C002,Tom Lee,tom@customer.example,,en\n",
        encoding="utf-8",
    )
    page.goto(f"{live_server}/contracts/{contract_id}/customers/import")
    page.set_input_files("#file", str(csv))
    _submit(page)
    page.wait_for_load_state()
    _shot(page, "07-customers")

    # 7. The month opens and the invitations go out by e-mail.
    page.goto(f"{live_server}/contracts/{contract_id}/cycles/")
    page.fill("#month", month)
    _submit(page)
    page.wait_for_url(f"**/cycles/{month}")
    page.get_by_role("button", name=re.compile("发送邀请|Send invitations")).click()
    page.wait_for_load_state()
    _shot(page, "08-month-open")
    survey_mail = next(m for m in inbox.messages if m["To"] == "wang.fang@customer.example")
    survey_link = _link(survey_mail, r"http://127\.0\.0\.1:\d+/s/[A-Za-z0-9_\-]+")

    # 8. A customer answers on a phone through the link in the invitation e-mail.
    customer = new_page()
    customer.goto(survey_link)
    customer.evaluate(
        """() => {
          const radios = [...document.querySelectorAll('input[type=radio]')];
          const names = new Set(radios.map(i => i.name));
          for (const name of names) {
            const group = document.querySelectorAll(`input[type=radio][name="${name}"]`);
            group[group.length - 1].checked = true;
          }
        }"""
    )
    customer.fill("textarea", "客服回复很及时，问题当天就解决了。")
    _shot(customer, "09-customer-form")
    customer.locator("button[name=intent][value=send]").click()  # not "save and finish later"
    customer.wait_for_load_state()
    _shot(customer, "10-customer-thanks")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1

    # 9. The month closes; its report is built.
    page.goto(f"{live_server}/contracts/{contract_id}/cycles/{month}")
    page.get_by_role("button", name=re.compile("关闭该月|Close the month")).click()
    page.wait_for_load_state()
    _shot(page, "11-month-closed")
    page.goto(f"{live_server}/contracts/{contract_id}/reports/")
    page.locator("form[action*='/build'] button").first.click()
    page.wait_for_load_state()
    _shot(page, "12-report-built")
    with app.app_context():
        # closing the month built its report already; the button above built a new version
        report = db.session.scalar(
            select(Report).where(Report.contract_id == contract_id).order_by(Report.id.desc())
        )
        assert report is not None
        sha = report.sha256

    # 10. The client user sets a password from the e-mail's link and downloads the PDF.
    client_page = new_page()
    client_page.goto(set_password)
    client_page.fill("#password", CLIENT_PASSWORD)
    client_page.fill("#confirm", CLIENT_PASSWORD)
    _shot(client_page, "13-set-password")
    _submit(client_page)
    client_page.wait_for_load_state()
    client_page.goto(f"{live_server}/portal/contracts/{contract_id}")
    _shot(client_page, "14-portal")
    with client_page.expect_download() as download:
        client_page.locator(f"a[href$='/{report.id}.pdf']").first.click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    import hashlib

    assert pdf.read_bytes().startswith(b"%PDF-")
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == sha
    with app.app_context():
        viewer = db.session.scalar(select(User).where(User.email == "li.na@mingyuan.example"))
        assert viewer.role == "client_viewer" and viewer.organization.name == "明远家电股份有限公司"
    assert page_errors == []
