"""Imported months on the dashboard and the client portal: the trend, and no invented rate."""

import re

from surveyapp.history.formats import read_table
from surveyapp.history.importing import import_history
from surveyapp.history.mapping import propose_mapping
from tests.factories import make_user

from .exports import responses, wjx_csv


def imported(session, world, n=120):
    table = read_table(wjx_csv(responses(n), "gbk"))
    mapping = propose_mapping(table.header, world["version"], preset="wjx")
    import_history(session, world["contract"], world["version"], mapping, table, source="wjx")


def response_rate_tile(page: str) -> str:
    tiles = re.findall(r'<div class="kpi[^"]*">(.*?)</div>\s*</div>', page, re.S)
    return next(t for t in tiles if "回复率" in t or "Response rate" in t)


def test_the_dashboard_of_an_imported_month_shows_no_response_rate(client, session, world, sign_in):
    imported(session, world)
    sign_in(world["admin"])
    page = client.get(f"/dashboard/contracts/{world['contract'].id}?month=2025-12").text
    tile = response_rate_tile(page)
    assert '<div class="kpi-value">—</div>' in tile
    assert ">0.0%" not in tile  # (the target prints as 30.0%)
    assert all(f"2025-{m:02d}" in page for m in range(1, 13))


def test_the_client_portal_shows_no_response_rate_for_an_imported_month(
    client, session, world, sign_in
):
    imported(session, world)
    sign_in(make_user(session, "client_viewer", world["contract"].client))
    page = client.get(f"/portal/contracts/{world['contract'].id}?month=2025-12")
    assert page.status_code == 200
    tile = response_rate_tile(page.text)
    assert "—" in tile and ">0.0%" not in tile  # (the target prints as 30.0%)


def test_the_report_headline_of_an_imported_month_has_no_response_rate(app, session, world):
    from analysis import monthly_analysis
    from surveyapp.reports import content

    imported(session, world)
    analysis = monthly_analysis(session.connection(), world["contract"].id, "2025-12")
    assert analysis.response_rate.n == 0
    with app.test_request_context():
        rate = next(h for h in content.headlines(analysis) if h.key == "response_rate")
    assert rate.value == "—" and rate.met is None
