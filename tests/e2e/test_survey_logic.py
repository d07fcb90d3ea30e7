"""In a real browser at 360 px, with JavaScript on and off: a low overall rating reveals its
follow-up, a high one does not (and the stored response has no row for the hidden question);
a matrix shows one labelled scale per row on a phone and is stored as one answer per row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from surveyapp.models import Answer, Response

from ..factories import make_contract, make_invitation, make_logic_survey_version, make_open_cycle
from .a11y import axe_serious, nu_errors
from .conftest import DESKTOP, PHONE, _local_only

pytestmark = pytest.mark.browser

SHOTS = Path("/work/shots/logic")
NEXT, SEND = "下一页", "提交回答"


@pytest.fixture
def survey_url(session, live_server):
    contract = make_contract(session)
    version = make_logic_survey_version(session, contract.provider)
    contract.survey_id = version.survey_id
    session.commit()
    cycle = make_open_cycle(session, contract, version)

    def make():
        invitation, token = make_invitation(session, cycle)
        return f"{live_server}/s/{token}", invitation.id

    return make


@pytest.fixture
def phone(browser, page_errors):
    """A 360 px phone page with JavaScript on or off."""
    contexts = []

    def make(js: bool):
        context = browser.new_context(
            viewport=PHONE, locale="zh-CN", java_script_enabled=js, bypass_csp=True
        )
        context.route("**/*", _local_only)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: msg.type == "error" and page_errors.append(msg.text))
        page.on("pageerror", lambda exc: page_errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _stored(session, invitation_id: int) -> dict:
    session.expire_all()
    response = session.scalar(select(Response).where(Response.invitation_id == invitation_id))
    rows = session.execute(
        select(Answer.question_code, Answer.value, Answer.text_value).where(
            Answer.response_id == response.id
        )
    ).all()
    return {code: value if value is not None else text for code, value, text in rows}


def _score(page, code: str, value: int, low: int = 1) -> None:
    page.locator(f"#q-{code} label.score").nth(value - low).click()


def _answer(page, js: bool, overall: int, wrong: str | None, shot: str = "") -> None:
    """Answer the whole survey, step by step without JavaScript."""
    follow_up = page.locator("#q-WRONG")
    _score(page, "OVERALL", overall)
    if not js:
        page.get_by_role("button", name=NEXT).click()
        page.wait_for_load_state()
    if wrong is not None:
        assert follow_up.is_visible()
        follow_up.fill(wrong)
        if shot:
            _shot(page, shot)
    else:
        assert page.locator("#q-WRONG").count() == 0 or not follow_up.is_visible()
    _score(page, "SPEED", 2)
    _score(page, "MANNER", 4)
    if not js:
        page.get_by_role("button", name=NEXT).click()
        page.wait_for_load_state()
    _score(page, "NPS", 3, low=0)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_low_rating_reveals_its_follow_up_and_it_is_stored(phone, survey_url, session, js):
    url, invitation_id = survey_url()
    page = phone(js)
    page.goto(url)
    assert not page.locator("#q-WRONG").is_visible()
    _score(page, "OVERALL", 2)
    if js:
        assert page.locator("#q-WRONG").is_visible()  # at once, without a round trip
        assert axe_serious(page) == []
    page.goto(url)
    _answer(page, js, 2, "等了三天没人回复", f"followup-revealed-{'js' if js else 'no-js'}")
    page.get_by_role("button", name=SEND).click()
    page.wait_for_url(url + "/thanks")
    assert _stored(session, invitation_id) == {
        "OVERALL": 2, "WRONG": "等了三天没人回复", "SPEED": 2, "MANNER": 4, "NPS": 3,
    }  # fmt: skip


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_high_rating_hides_the_follow_up_and_stores_no_row_for_it(
    phone, survey_url, session, js, page_errors
):
    url, invitation_id = survey_url()
    page = phone(js)
    page.goto(url)
    assert not page.locator("#q-WRONG").is_visible()
    if js:  # typed, then the rating raised: the follow-up hides again and is not sent
        _score(page, "OVERALL", 1)
        page.locator("#q-WRONG").fill("一开始不满意")
    _answer(page, js, overall=5, wrong=None)
    page.get_by_role("button", name=SEND).click()
    page.wait_for_url(url + "/thanks")
    stored = _stored(session, invitation_id)
    assert stored == {"OVERALL": 5, "SPEED": 2, "MANNER": 4, "NPS": 3}
    assert "WRONG" not in stored and page_errors == []


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_matrix_is_one_labelled_scale_per_row_on_a_phone(phone, survey_url, session, js):
    url, invitation_id = survey_url()
    page = phone(js)
    page.goto(url)
    if not js:
        _score(page, "OVERALL", 4)
        page.get_by_role("button", name=NEXT).click()
        page.wait_for_load_state()
    matrix = page.locator("fieldset.matrix")
    assert matrix.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    for code in ("SPEED", "MANNER"):  # each row: its label above its own five points
        label = page.locator(f"#q-{code}-label").bounding_box()
        points = page.locator(f"#q-{code} label.score")
        assert points.count() == 5
        first, last = points.nth(0).bounding_box(), points.nth(4).bounding_box()
        assert label["y"] + label["height"] <= first["y"] + 1
        assert abs(first["y"] - last["y"]) < 2 and last["x"] + last["width"] <= PHONE["width"]
    assert page.get_by_role("radio", name=re.compile(r"回复速度.*3")).count() == 1
    _score(page, "SPEED", 1)
    _score(page, "MANNER", 5)
    _shot(page, f"matrix-phone-{'js' if js else 'no-js'}")
    if js:
        _score(page, "OVERALL", 4)
        assert axe_serious(page) == []
    else:
        html = page.content()
        assert nu_errors({"matrix-step": html}) == []
        page.get_by_role("button", name=NEXT).click()
        page.wait_for_load_state()
    _score(page, "NPS", 9, low=0)
    page.get_by_role("button", name=SEND).click()
    page.wait_for_url(url + "/thanks")
    stored = _stored(session, invitation_id)
    assert (stored["SPEED"], stored["MANNER"]) == (1, 5)


def test_on_a_wide_screen_the_matrix_is_a_table_with_its_headers(new_page, survey_url):
    url, _ = survey_url()
    page = new_page(DESKTOP)
    page.goto(url)
    header = page.locator("#m-SVC-c5")
    assert header.is_visible() and "非常满意" in header.inner_text()
    row = page.locator("#q-SPEED-label").bounding_box()
    point = page.locator("#q-SPEED label.score").nth(0).bounding_box()
    assert abs(row["y"] + row["height"] / 2 - (point["y"] + point["height"] / 2)) < 12  # one line
    page.locator("fieldset.matrix").screenshot(path=str(SHOTS / "matrix-desktop.png"))
