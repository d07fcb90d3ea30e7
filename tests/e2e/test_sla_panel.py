"""In a real browser: the SLA x satisfaction panel on the dashboard (agents for staff) and the
team view on the portal (teams only). Screenshots go to /work/shots/sla/ when it exists."""

from pathlib import Path

import pytest

from surveyapp import demo_content
from surveyapp.demo import DEMO_PASSWORD

from .conftest import DESKTOP

pytestmark = pytest.mark.browser
SHOTS = Path("/work/shots/sla")


def _sign_in(page, base, email):
    page.goto(f"{base}/sign-in")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def _shot(locator, name):
    if SHOTS.is_dir():
        locator.screenshot(path=str(SHOTS / f"{name}.png"))


def test_the_dashboard_panel_shows_groups_teams_and_agents(demo_server, new_page, page_errors):
    page = new_page(DESKTOP)
    _sign_in(page, demo_server, "admin@huaxin.example")
    page.get_by_role("link", name="HX-2025-002").click()
    page.wait_for_load_state("networkidle")
    panel = page.locator("section.sla-satisfaction")
    assert panel.locator("tr.sla-group-breach").count() == 1
    assert panel.get_by_text("刘洋").count() >= 1  # an agent, for provider staff
    _shot(panel, "dashboard-panel")
    assert page_errors == []


def test_the_portal_team_view_names_no_agent(demo_server, new_page, page_errors):
    page = new_page(DESKTOP)
    _sign_in(page, demo_server, demo_content.CLIENTS[1]["user"])
    page.wait_for_url("**/portal/contracts/*")  # one contract: straight to it
    panel = page.locator("section.sla-satisfaction")
    assert panel.count() == 1
    text = page.content()
    assert not [name for name, _team in demo_content.AGENTS if name in text]
    _shot(panel, "portal-team-view")
    assert page_errors == []
