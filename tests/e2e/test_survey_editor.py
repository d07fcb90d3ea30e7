"""In a real browser: a survey from the standard questionnaire, a question added and moved up
with the ↑ button, one save; the preview at phone (390 px) and desktop width. Screenshots."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from surveyapp.models import Survey

from ..factories import PASSWORD, make_user
from .conftest import DESKTOP, screenshot

pytestmark = pytest.mark.browser
PHONE_390 = {"width": 390, "height": 844}


def _sign_in(page, base, user):
    page.goto(f"{base}/sign-in")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_create_edit_and_preview_a_survey_in_a_browser(
    session, live_server, new_page, page_errors, size
):
    admin = make_user(session, "provider_admin", locale="en")  # this machine lacks CJK fonts
    page = new_page(PHONE_390 if size == "phone" else DESKTOP)
    _sign_in(page, live_server, admin)
    page.goto(f"{live_server}/surveys/new")
    page.fill("#name", "Monthly satisfaction")
    screenshot(page, f"survey-new-{size}")
    page.click("button.primary")
    page.wait_for_url("**/versions/1/edit")
    page.fill("#q-11-code", "DELIVERY")
    page.select_option("#q-11-type", "rating")
    page.fill("#q-11-text_zh", "您对送货速度是否满意？")
    page.fill("#q-11-text_en", "How satisfied are you with the delivery speed?")
    page.select_option("#q-11-dimension", "responsiveness")
    page.locator(".q-row").nth(11).locator(".q-move button").first.click()  # ↑ before COMMENT
    screenshot(page, f"survey-editor-{size}")
    page.click("button.primary")
    page.wait_for_url("**/versions/1")
    survey = session.scalar(select(Survey).where(Survey.name == "Monthly satisfaction"))
    session.refresh(survey.versions[0])
    codes = [q.code for q in survey.versions[0].questions]
    assert codes[-2:] == ["DELIVERY", "COMMENT"] and len(codes) == 12
    page.goto(f"{live_server}/surveys/{survey.id}/versions/1/preview")
    assert "not stored" in page.text_content(".preview-banner")
    assert page.locator("input[name=q-DELIVERY]").count() == 5
    screenshot(page, f"survey-preview-{size}")
    assert not page_errors
    page.click("button.submit")  # answered nothing: a 400 page with the messages
    assert page.locator(".error-summary li").count() == 7  # the required ones, nothing stored
    screenshot(page, f"survey-preview-checked-{size}")
