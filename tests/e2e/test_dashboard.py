"""In a real browser: every dashboard chart is drawn, nothing fails, screenshots for the README."""

import re

import pytest

from surveyapp.demo import DEMO_PASSWORD

from .conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.browser


def _sign_in(page, base, email):
    page.goto(f"{base}/sign-in")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


HAS_SVG = "el => el.querySelector('svg.main-svg')"
DRAWN = f"[...document.querySelectorAll('[data-figure]')].filter({HAS_SVG}).length"


def _drawn_charts(page) -> int:
    """Wait until every chart holder has plotly's SVG; return how many have one."""
    page.wait_for_function(
        f"[...document.querySelectorAll('[data-figure]')].every({HAS_SVG})", timeout=20_000
    )
    return page.evaluate(DRAWN)


@pytest.mark.parametrize(("viewport", "label"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_the_contract_dashboard_draws_every_chart(
    demo_server, new_page, page_errors, viewport, label
):
    page = new_page(viewport)
    _sign_in(page, demo_server, "admin@huaxin.example")
    page.get_by_role("link", name="HX-2025-001").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-figure]").count() == 6
    assert _drawn_charts(page) == 6
    assert page.locator(".kpi").count() == 5
    screenshot(page, f"dashboard-contract-{label}")
    assert page_errors == []


def test_the_month_selector_changes_the_month(demo_server, new_page, page_errors):
    page = new_page(DESKTOP)
    _sign_in(page, demo_server, "admin@huaxin.example")
    page.get_by_role("link", name="HX-2025-002").click()
    page.wait_for_url(re.compile(r"/dashboard/contracts/\d+\?month=2026-10$"))
    page.wait_for_load_state("networkidle")
    page.select_option("#month", "2026-05")  # no button press: charts.js submits on change
    page.wait_for_url(re.compile(r"/dashboard/contracts/\d+\?month=2026-05$"))
    assert _drawn_charts(page) == 6
    assert page_errors == []


def test_the_portfolio_draws_its_heatmap(demo_server, new_page, page_errors):
    page = new_page(DESKTOP)
    _sign_in(page, demo_server, "admin@huaxin.example")
    assert _drawn_charts(page) == 1
    screenshot(page, "dashboard-portfolio-desktop")
    assert page_errors == []


@pytest.mark.parametrize(("viewport", "label"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_the_client_portal_draws_its_charts(demo_server, new_page, page_errors, viewport, label):
    page = new_page(viewport)
    _sign_in(page, demo_server, "client@mingyuan.example")
    assert page.locator("[data-figure]").count() == 4
    assert _drawn_charts(page) == 4
    screenshot(page, f"portal-{label}")
    assert page_errors == []
