"""In a real browser: an unhappy customer answers, the owner's alert e-mail arrives at aiosmtpd,
the owner follows its link to the case, sees the contact data (consent given), updates the case
on the board; screenshots at 360 px and desktop width."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from surveyapp.followup.alerts import send_case_alerts
from surveyapp.mail import SmtpSettings
from surveyapp.models import AuditEvent, FollowupCase, utcnow

from ..cycles.conftest import smtp  # noqa: F401  (aiosmtpd on 127.0.0.1)
from ..factories import (
    PASSWORD,
    make_contract,
    make_customer,
    make_cycle,
    make_invitation,
    make_user,
)
from .conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def unhappy(session):
    owner = make_user(session, "provider_admin", locale="en", name="Owner Li")
    contract = make_contract(
        session, provider=owner.organization, owner_id=owner.id, number="HX-E2E-1"
    )
    now = utcnow()
    cycle = make_cycle(
        session, contract, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=5)
    )
    customer = make_customer(session, contract)
    _, token = make_invitation(session, cycle, customer)
    return {"owner": owner, "customer": customer, "token": token}


def _sign_in(page, base, user):
    page.goto(f"{base}/sign-in")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_the_case_board_from_survey_answer_to_alert_email_to_follow_up(
    app,
    live_server,
    session,
    new_page,
    page_errors,
    smtp,  # noqa: F811
    unhappy,
):
    page = new_page(PHONE)
    page.goto(f"{live_server}/s/{unhappy['token']}")
    page.locator("input[name=q-RESP][value='1']").check()
    page.locator("input[name=q-NPS][value='2']").check()
    page.fill("textarea[name=q-COMMENT]", "我要投诉，一直没人处理")
    page.locator("input[name=consent][value=yes]").check()
    page.click("button.submit")
    page.wait_for_url(re.compile(r"/thanks$"))

    with app.app_context():
        settings = SmtpSettings(host="127.0.0.1", port=smtp.port, timeout=5)
        assert send_case_alerts(session, settings, live_server, utcnow()) == (1, 0)
    [mail] = smtp.to(unhappy["owner"].email)
    assert mail["Subject"].startswith("New follow-up case #")
    link = re.search(r"http://127\.0\.0\.1:\d+/cases/\d+", mail.get_content()).group(0)
    assert unhappy["customer"].reveal_contact().email not in mail.get_content()

    _sign_in(page, live_server, unhappy["owner"])
    page.goto(link)
    page.get_by_role("link", name="Show contact data").click()
    assert unhappy["customer"].reveal_contact().email in page.content()
    screenshot(page, "case-page-phone")
    page.select_option("#status", "contacted")
    page.fill("#notes", "Called back, refund arranged.")
    page.click("form.case-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server}/cases/?status=contacted")
    assert page.locator("table.cases tbody tr").count() == 1
    screenshot(page, "case-board-phone")
    wide = new_page(DESKTOP)
    _sign_in(wide, live_server, unhappy["owner"])
    wide.goto(f"{live_server}/cases/")
    screenshot(wide, "case-board-desktop")

    session.expire_all()
    case = session.scalar(select(FollowupCase))
    assert case.status == "contacted" and case.followed_up_at is not None
    actions = session.scalars(select(AuditEvent.action)).all()
    assert "case.contact_shown" in actions and "case.update" in actions
    assert page_errors == []
