"""The survey as a customer meets it on a 360 px phone, with JavaScript and without: answers
survive a language switch and a reload, a skipped required question gets the focus, and the
form, thank-you, closed and 404 pages pass axe-core and the Nu HTML checker (issue #22)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from ..factories import make_contract, make_invitation, make_open_cycle, make_survey_version
from .a11y import axe_serious, nu_errors
from .conftest import PHONE, _local_only

pytestmark = pytest.mark.browser
AXE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>.*?</script>", re.S)  # axe, added by the test
SHOTS = Path(os.environ.get("FORM_SHOTS", "/work/shots/form"))


@pytest.fixture
def links(session, live_server):
    """An open cycle of the five-question test survey; ``links(locale)`` makes a link."""
    contract = make_contract(session)
    contract.client.name, contract.provider.name = "华兴商贸有限公司", "启明客服外包服务"
    version = make_survey_version(session, contract.provider)
    contract.survey_id = version.survey_id
    session.commit()
    cycle = make_open_cycle(session, contract, version)

    def make(locale: str = "zh_CN") -> str:
        _, token = make_invitation(session, cycle, locale=locale)
        return f"{live_server}/s/{token}"

    make.cycle = cycle
    return make


@pytest.fixture
def no_js_page(browser):
    """``make()``: a phone page without JavaScript; ``make(axe=True)``: with JavaScript and the
    page's script policy set aside so axe-core can be added to it."""
    contexts = []

    def make(axe: bool = False):
        options = {"bypass_csp": True} if axe else {"java_script_enabled": False}
        context = browser.new_context(viewport=PHONE, locale="zh-CN", **options)
        context.route("**/*", _local_only)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _answer_three(page) -> None:
    page.get_by_role("radio", name="2 不满意").check()
    page.locator("fieldset#q-NPS label.score").nth(8).click()
    page.get_by_label("意见").fill("等了很久")


def _three_still_there(page, english: bool = False) -> None:
    name = "2 Dissatisfied" if english else "2 不满意"
    assert page.get_by_role("radio", name=name).is_checked()
    assert page.locator("fieldset#q-NPS input:checked").get_attribute("value") == "8"
    assert page.locator("#q-COMMENT").input_value() == "等了很久"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_switching_language_keeps_three_answers(links, new_page, no_js_page, javascript):
    page = new_page(PHONE) if javascript else no_js_page()
    page.goto(links())
    _answer_three(page)
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    _three_still_there(page, english=True)
    assert page.locator(".lang-now").inner_text() == "English"
    assert page.locator(".field-error").count() == 0


def test_a_reload_keeps_the_answers_with_javascript(links, new_page, page_errors):
    page = new_page(PHONE)
    page.goto(links())
    _answer_three(page)
    assert page.locator("#progress").get_attribute("value") is not None
    assert page.evaluate("document.getElementById('progress').value") == 3
    page.reload()
    _three_still_there(page)
    stored = page.evaluate("JSON.stringify(Object.keys(localStorage))")
    assert "/s/" not in stored and page.url.rsplit("/", 1)[1] not in stored  # a hash, not the link
    assert page_errors == []


def test_a_skipped_required_question_gets_the_focus_with_javascript(links, new_page):
    page = new_page(PHONE)
    url = links()
    page.goto(url)
    page.locator("fieldset#q-NPS label.score").nth(9).click()
    page.get_by_role("button", name="提交回答").click()
    assert page.url == url  # nothing was sent
    assert page.evaluate("document.activeElement.name") == "q-RESP"
    assert page.locator("#q-RESP-error").inner_text() == "请回答此题。"
    page.get_by_role("radio", name="4 满意").check()
    assert page.locator("#q-RESP-error").count() == 0
    page.get_by_role("button", name="提交回答").click()
    page.wait_for_url(url + "/thanks")
    assert page.evaluate("localStorage.length") == 0  # forgotten once received


def test_a_skipped_required_question_gets_the_focus_without_javascript(links, no_js_page):
    page = no_js_page()
    page.goto(links())
    page.locator("fieldset#q-NPS label.score").nth(9).click()
    page.get_by_role("button", name="提交回答").click()
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.id") == "q-RESP-error"
    top = page.evaluate("document.getElementById('q-RESP').getBoundingClientRect().top")
    assert 0 <= top < PHONE["height"]  # in view


def test_save_and_finish_later_without_javascript(links, no_js_page):
    url = links()
    page = no_js_page()
    page.goto(url)
    _answer_three(page)
    page.get_by_role("button", name="保存，稍后再填").click()
    page.wait_for_selector("text=您的回答已保存")
    later = no_js_page()
    later.goto(url)
    _three_still_there(later)


def test_the_pages_pass_axe_and_nu_in_both_languages_on_a_phone(links, no_js_page, session):
    pages, found = {}, []
    SHOTS.mkdir(parents=True, exist_ok=True)
    for locale, lang in (("zh_CN", "zh"), ("en", "en")):
        page = no_js_page(axe=True)
        url = links(locale)
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(SHOTS / f"first-screen-{lang}.png"))
        pages[f"form-{lang}"] = page.content()  # before axe adds its script
        found += [f"form {lang}: {v}" for v in axe_serious(page)]
        meta = page.evaluate(
            "Array.from(document.querySelectorAll('title, meta[property^=og], link[rel~=icon]'))"
            ".map(e => e.outerHTML)"
        )
        (SHOTS / f"share-card-{lang}.txt").write_text("\n".join(meta) + "\n", encoding="utf-8")
        page.get_by_role("button", name="提交回答" if lang == "zh" else "Send my answers").click()
        pages[f"errors-{lang}"] = page.content()
        found += [f"errors {lang}: {v}" for v in axe_serious(page)]
        page.locator("fieldset#q-RESP label.score").nth(3).click()
        page.locator("fieldset#q-NPS label.score").nth(9).click()
        page.get_by_role("button", name="提交回答" if lang == "zh" else "Send my answers").click()
        page.wait_for_url(url + "/thanks")
        pages[f"thanks-{lang}"] = page.content()
        found += [f"thanks {lang}: {v}" for v in axe_serious(page)]
        page.goto(url[: -len(url.rsplit("/", 1)[1]) + 20])  # a link cut short
        assert "链接可能不完整" in page.content() or "may be incomplete" in page.content()
        pages[f"404-{lang}"] = page.content()
        found += [f"404 {lang}: {v}" for v in axe_serious(page)]
        page.screenshot(path=str(SHOTS / f"not-found-{lang}.png"))
    links.cycle.status = "closed"
    session.commit()
    for locale, lang in (("zh_CN", "zh"), ("en", "en")):
        page = no_js_page(axe=True)
        page.goto(links(locale))
        pages[f"closed-{lang}"] = page.content()
        found += [f"closed {lang}: {v}" for v in axe_serious(page)]
    assert found == []
    errors = nu_errors({name: AXE_SCRIPT.sub("", html) for name, html in pages.items()})
    assert errors == [], "\n".join(errors)
    (SHOTS / "pages-checked.json").write_text(json.dumps(sorted(pages)), encoding="utf-8")


@pytest.mark.parametrize("style", ["plain", "stars", "faces"])
def test_each_rating_style_fits_a_phone_with_a_word_on_every_point(links, new_page, session, style):
    from surveyapp.models import Survey

    survey = session.get(Survey, links.cycle.contract.survey_id)
    survey.scale_style = style
    session.commit()
    page = new_page({"width": 320, "height": 740})
    page.goto(links())
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator("fieldset#q-NPS label.score").nth(10).bounding_box()["x"] < 320
    names = ["1 非常不满意", "2 不满意", "3 一般", "4 满意", "5 非常满意"]
    for name in names:
        assert page.get_by_role("radio", name=name, exact=True).count() == 1
    page.get_by_role("radio", name="4 满意", exact=True).check()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("fieldset#q-RESP").screenshot(path=str(SHOTS / f"rating-{style}-320.png"))
    page.set_viewport_size({"width": 720, "height": 740})
    page.locator("fieldset#q-RESP").screenshot(path=str(SHOTS / f"rating-{style}-720.png"))
