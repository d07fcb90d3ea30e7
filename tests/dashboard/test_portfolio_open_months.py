"""The portfolio shows a month's figures only for the contracts that closed it, and no link on
the portfolio or the contract dashboards leads to an error page (issue 25)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from ..factories import make_user


def _row(page: str, number: str) -> str:
    return next(row for row in page.split("</tr>") if f">{number}</a>" in row)


@pytest.mark.parametrize("role", ["provider_admin", "provider_analyst"])
def test_only_the_contract_that_closed_the_month_shows_figures(
    client, session, sign_in, portfolio, role
):
    provider, month, closed, still_open = portfolio
    sign_in(make_user(session, role, provider))
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert f'<option value="{month}" selected>' in page.text

    done = _row(page.text, "P-CLOSED")
    assert re.search(r"data-rate[^>]*>\s*40\.0%", done)
    assert ">100.0<" in done.replace(" ", "").replace("\n", "")  # NPS of the closed month
    assert f"/dashboard/contracts/{closed.id}?month={month}" in done

    running = _row(page.text, "P-OPEN")
    assert 'data-month-state="open"' in running
    assert "2" in re.sub(r"<[^>]+>", "", running.split("data-month-state")[1])
    assert "-100" not in running and "%" not in running  # no live NPS, no rate, no CSAT
    assert "data-rate" not in running
    assert f"/contracts/{still_open.id}/cycles/{month}" in running  # the month page
    assert f"/dashboard/contracts/{still_open.id}?month=" not in running  # that would 404

    assert 'data-month-state="none"' in _row(page.text, "P-NONE")


def _same_origin_hrefs(html: str) -> set[str]:
    hrefs = set()
    for href in re.findall(r'href="([^"]+)"', html):
        href = href.replace("&amp;", "&")
        parts = urlsplit(href)
        if href.startswith("#") or parts.scheme in ("data", "mailto", "tel"):
            continue
        if parts.netloc and parts.netloc != "localhost":
            continue
        hrefs.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return hrefs


@pytest.mark.parametrize("role", ["provider_admin", "provider_analyst"])
def test_every_link_on_the_portfolio_and_the_contract_dashboards_answers_200(
    client, session, sign_in, portfolio, role
):
    provider, month, closed, still_open = portfolio
    sign_in(make_user(session, role, provider))
    portfolio_page = client.get("/dashboard/").text
    links = _same_origin_hrefs(portfolio_page)
    dashboards = {h for h in links if h.startswith("/dashboard/contracts/")}
    assert len(dashboards) == 3  # each contract's dashboard, with the month only when closed
    for dashboard in dashboards:
        page = client.get(dashboard)
        assert page.status_code == 200, dashboard
        links |= _same_origin_hrefs(page.text)
    language = {h for h in links if h.startswith("/language/") or "set-language" in h}
    answers = {}
    for href in sorted(links - language) + sorted(language):  # switch the language last
        answers[href] = client.get(href, follow_redirects=True).status_code
    failed = {href: status for href, status in answers.items() if status != 200}
    assert not failed, failed
    assert f"/contracts/{still_open.id}/cycles/{month}" in answers
    assert len(answers) > 15
