"""In a real browser: the portfolio with one contract that closed the month and one still open,
on a phone and a desktop (screenshots in test-artifacts/)."""

from __future__ import annotations

import pytest

from ..dashboard import conftest as dashboard
from ..factories import PASSWORD, make_user
from .conftest import DESKTOP, screenshot

pytestmark = pytest.mark.browser
portfolio = dashboard.portfolio  # the fixture, shared with tests/dashboard
PHONE_390 = {"width": 390, "height": 844}


@pytest.mark.parametrize(("viewport", "label"), [(PHONE_390, "390"), (DESKTOP, "desktop")])
def test_the_portfolio_shows_an_open_month_without_figures(
    live_server,
    new_page,
    page_errors,
    session,
    portfolio,
    viewport,
    label,  # noqa: F811
):
    provider, month, closed, still_open = portfolio
    user = make_user(session, "provider_analyst", provider)
    page = new_page(viewport)
    page.goto(f"{live_server}/sign-in")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/dashboard/?month={month}")
    page.wait_for_load_state("networkidle")
    running = page.locator("table.portfolio tr", has_text="P-OPEN")
    assert "进行中，目前 2 份回复" in running.inner_text()
    assert "40.0%" in page.locator("table.portfolio tr", has_text="P-CLOSED").inner_text()
    screenshot(page, f"portfolio-open-and-closed-{label}")
    running.get_by_role("link", name="月度页面").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/contracts/{still_open.id}/cycles/{month}")
    assert page_errors == []
