"""In a real browser at a phone's width: open a personal link, answer every question type."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from surveyapp.cycles.calendar import month_of, shift_month
from surveyapp.cycles.lifecycle import open_cycle
from surveyapp.cycles.links import Links
from surveyapp.models import Answer, Contract, Invitation, Response, utcnow

from .conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def survey_link(app, session, demo, live_server):
    """A real invitation of a demo contract, opened for next month, on the live server."""
    contract = session.scalar(select(Contract).where(Contract.number == "HX-2025-001"))
    links = Links(secret=app.config["SECRET_KEY"], base_url=live_server)
    month = shift_month(month_of(utcnow(), contract.timezone), 1)
    cycle = open_cycle(session, contract, month, now=utcnow(), links=links).cycle
    invitation = session.scalars(
        select(Invitation)
        .where(Invitation.cycle_id == cycle.id, Invitation.locale == "zh_CN")
        .order_by(Invitation.id)
    ).first()
    return links.survey_url(invitation), invitation


def test_a_customer_answers_every_question_type_on_a_phone(
    survey_link, new_page, page_errors, session
):
    url, invitation = survey_link
    page = new_page(PHONE)
    page.goto(url)
    assert page.get_by_role("heading", level=1).inner_text() == "客户服务满意度调查"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "survey-form-phone-empty")

    page.get_by_role("button", name="提交回答").click()  # nothing answered yet: errors per field
    assert page.locator("#q-RESP-error").inner_text() == "请回答此题。"  # flagged before sending
    assert page.evaluate("document.activeElement.name") == "q-RESP"
    screenshot(page, "survey-form-phone-errors")
    assert page_errors == []  # no round trip: nothing was sent

    ratings = ["RESP", "COMPL", "KNOW", "SOLVE", "COURT", "CONF", "OVERALL"]
    for index, code in enumerate(ratings):
        page.locator(f"fieldset#q-{code} label.score").nth(index % 5).click()  # scores 1..5
    page.locator("fieldset#q-NPS label.score").nth(9).click()  # 0..10: the tenth is 9
    page.get_by_role("radio", name="在线客服").check()
    page.get_by_role("checkbox", name="物流配送").check()
    page.get_by_role("checkbox", name="账单费用").check()
    page.get_by_label("您对我们的服务还有什么意见或建议？").fill("快递很快，客服很耐心 👍")
    screenshot(page, "survey-form-phone-filled")
    page.get_by_role("button", name="提交回答").click()
    page.wait_for_url(url + "/thanks")
    assert page.get_by_role("heading", level=1).inner_text() == "谢谢您！"
    assert screenshot(page, "survey-thanks-phone").stat().st_size > 3000
    assert page_errors == []

    response = session.scalar(select(Response).where(Response.invitation_id == invitation.id))
    values = dict(
        session.execute(
            select(Answer.question_code, Answer.value).where(
                Answer.response_id == response.id, Answer.value.is_not(None)
            )
        ).all()
    )
    assert values == {
        "RESP": 1,
        "COMPL": 2,
        "KNOW": 3,
        "SOLVE": 4,
        "COURT": 5,
        "CONF": 1,
        "OVERALL": 2,
        "NPS": 9,
    }
    assert (
        response is not None and response.locale == "zh_CN" and response.seconds_taken is not None
    )
    answers = session.scalar(
        select(func.count()).select_from(Answer).where(Answer.response_id == response.id)
    )
    assert answers == 7 + 1 + 1 + 2 + 1
    page.goto(url)
    assert "已经回答" in page.get_by_role("heading", level=1).inner_text()


def test_the_form_works_from_the_keyboard_and_in_english_on_a_desktop(
    survey_link, new_page, page_errors
):
    url, _ = survey_link
    page = new_page(DESKTOP)
    page.goto(url)
    page.get_by_role("button", name="English").click()  # a button of the form: answers kept
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Customer service satisfaction survey"
    )
    page.locator("fieldset#q-RESP input").first.focus()
    page.keyboard.press("ArrowRight")  # radio group: arrow keys move and select
    assert page.locator("fieldset#q-RESP input:checked").get_attribute("value") == "2"
    screenshot(page, "survey-form-desktop-en")
    assert page_errors == []
