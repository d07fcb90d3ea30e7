"""In a real browser: the demo provider sees every demo contract, a client user only its own."""

import re

import pytest

from surveyapp.demo import DEMO_PASSWORD

from .conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.browser


def _sign_in(page, base, email, lands_on):
    page.goto(f"{base}/")
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(re.escape(base) + lands_on))


@pytest.mark.parametrize(("viewport", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_demo_provider_sees_all_demo_contracts(
    demo_server, new_page, page_errors, viewport, label
):
    page = new_page(viewport)
    _sign_in(page, demo_server, "admin@huaxin.example", "/dashboard/$")
    numbers = page.locator("table.portfolio tbody td:first-child a").all_inner_texts()
    assert sorted(numbers) == ["HX-2025-001", "HX-2025-002", "HX-2025-003"]
    page.locator("header nav").get_by_role("link", name="合同", exact=True).click()
    assert page.locator("table.data tbody tr").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert screenshot(page, f"contracts-provider-{label}").stat().st_size > 5000
    assert page_errors == []


def test_the_demo_client_sees_only_its_own_contract(demo_server, new_page, page_errors):
    page = new_page(PHONE)
    _sign_in(page, demo_server, "client@qinghe.example", r"/portal/contracts/\d+$")
    assert page.get_by_role("heading", level=1).inner_text().startswith("电商平台在线客服外包合同")
    assert "HX-2025-001" not in page.content() and "HX-2025-003" not in page.content()
    page.goto(f"{demo_server}/contracts/")
    assert page.locator("tbody td:first-child").all_inner_texts() == ["HX-2025-002"]
    screenshot(page, "contract-client-phone")
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(f"{demo_server}/sign-in")
    assert page_errors == []


def test_the_language_switch_shows_english(demo_server, new_page):
    page = new_page(DESKTOP)
    page.goto(f"{demo_server}/sign-in")
    page.get_by_role("link", name="English").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
