"""One response rate (answers / invitations issued, whatever the channel) on every page that
shows it: a month handed out by links.csv only, and a month mixing e-mail and links (issue 25).
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

import analysis
from surveyapp.api_tokens.service import create_token
from surveyapp.cycles.calendar import month_of, shift_month
from surveyapp.models import Invitation, MonthSummary, utcnow
from surveyapp.reports import building, content

from ..factories import make_contract, make_customer, make_survey_version, make_user

KPI = r'kpi-label">回复率</div>\s*<div class="kpi-value">([^<]*)</div>'


@pytest.fixture
def setup(session):
    contract = make_contract(session)
    version = make_survey_version(session, contract.provider)
    contract.survey_id = version.survey_id
    session.commit()
    for n in range(1, 4):  # three customers with an e-mail address
        make_customer(session, contract, ref=f"E{n}")
    for n in range(1, 6):  # five reached only by SMS or a messaging tool
        customer = make_customer(session, contract, ref=f"L{n}")
        customer.set_contact(name=f"短信客户{n}", email=None, mobile=f"1390000000{n}")
    session.commit()
    admin = make_user(session, "provider_admin", contract.provider)
    viewer = make_user(session, "client_viewer", contract.client)
    token = create_token(session, contract.provider, "reporting")[1]
    return contract, admin, viewer, token


def _signed_in(app, user):
    client = app.test_client()
    client.post("/sign-in", data={"email": user.email, "password": "correct horse battery"})
    return client


def _links_by_ref(admin_client, base: str, month: str) -> dict[str, str]:
    download = admin_client.get(f"{base}/{month}/links.csv")
    assert download.status_code == 200
    rows = csv.DictReader(io.StringIO(download.data.decode("utf-8-sig")))
    return {row["customer_ref"]: urlsplit(row["survey_link"]).path for row in rows}


def _answer(app, path: str) -> None:
    customer = app.test_client()  # a customer's phone: no session
    form = customer.get(path).text
    key = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    posted = customer.post(path, data={"csrf_token": key, "q-RESP": "4", "q-NPS": "9"})
    assert posted.status_code == 303, posted.text[:300]


def _rates_everywhere(app, session, contract, month, admin, viewer, token) -> dict[str, str]:
    """The month's response rate as each reader shows it (one decimal, as printed)."""
    staff = _signed_in(app, admin)
    found = {}
    month_page = staff.get(f"/contracts/{contract.id}/cycles/{month}").text
    found["month page"] = re.search(r"data-rate>([^<]*)<", month_page).group(1)
    portfolio = staff.get(f"/dashboard/?month={month}").text
    found["portfolio"] = re.search(r"<td data-rate[^>]*>\s*([^<]*?)\s*</td>", portfolio).group(1)
    dashboard = staff.get(f"/dashboard/contracts/{contract.id}?month={month}").text
    found["dashboard"] = re.search(KPI, dashboard).group(1)
    portal = _signed_in(app, viewer).get(f"/portal/contracts/{contract.id}?month={month}").text
    found["portal"] = re.search(KPI, portal).group(1)
    with app.test_request_context():
        cycle = next(c for c in _cycles(session, contract) if c.month == month)
        report = building._analyse(session, cycle, "zh_CN", utcnow()).analysis
        headlines = {h.key: h.value for h in content.headlines(report)}
        found["report"] = headlines["response_rate"]
    export = staff.get(f"/exports/contracts/{contract.id}/metrics.csv").data.decode("utf-8-sig")
    row = next(
        r
        for r in csv.DictReader(io.StringIO(export))
        if r["month"] == month and r["dimension"] == "response_rate"
    )
    found["export"] = f"{float(row['csat']):.1f}%"
    body = app.test_client().get(
        f"/api/v1/contracts/{contract.id}/metrics?month={month}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert body.status_code == 200
    item = next(i for i in body.get_json()["data"] if i["dimension"] == "response_rate")
    found["api"] = f"{item['response_rate']:.1f}%"  # one field per meaning (API)
    return found


def _cycles(session, contract):
    from surveyapp.models import Cycle

    session.expire_all()
    return session.scalars(select(Cycle).where(Cycle.contract_id == contract.id)).all()


def test_one_response_rate_for_a_links_only_month_and_a_mixed_month(mail_app, session, setup, smtp):
    contract, admin, viewer, token = setup
    staff = _signed_in(mail_app, admin)
    base = f"/contracts/{contract.id}/cycles"
    links_month = shift_month(month_of(utcnow(), contract.timezone), 1)
    mixed_month = shift_month(links_month, 1)

    # Month 1: every link handed out by links.csv only (SMS), 3 of 8 answer, then closed.
    assert staff.post(f"{base}/open", data={"month": links_month}).status_code == 302
    links = _links_by_ref(staff, base, links_month)
    assert len(links) == 8
    for ref in ("E1", "L1", "L2"):
        _answer(mail_app, links[ref])
    staff.post(f"{base}/{links_month}/close")

    # Month 2: e-mails to the three with an address, links.csv for everyone not answered;
    # two e-mailed customers and three SMS customers answer: 5 of 8.
    assert staff.post(f"{base}/open", data={"month": mixed_month}).status_code == 302
    staff.post(f"{base}/{mixed_month}/send")
    assert len(smtp.messages) == 3
    links = _links_by_ref(staff, base, mixed_month)
    for ref in ("E1", "E2", "L1", "L3", "L5"):
        _answer(mail_app, links[ref])
    staff.post(f"{base}/{mixed_month}/close")

    session.expire_all()
    stored = {s.month: s for s in session.scalars(select(MonthSummary))}
    assert (stored[links_month].invited, stored[links_month].answered) == (8, 3)
    assert stored[links_month].emailed == 0
    mixed = stored[mixed_month]
    assert (mixed.invited, mixed.answered) == (8, 5)
    assert (mixed.emailed, mixed.email_opened, mixed.email_answered) == (3, 2, 2)
    assert mixed.answered / mixed.emailed > 1  # what answers / e-mails sent used to show

    links_only = _rates_everywhere(mail_app, session, contract, links_month, admin, viewer, token)
    mixed_rates = _rates_everywhere(mail_app, session, contract, mixed_month, admin, viewer, token)
    assert links_only == dict.fromkeys(links_only, "37.5%"), links_only
    assert mixed_rates == dict.fromkeys(mixed_rates, "62.5%"), mixed_rates
    assert len(links_only) == 7  # month page, portfolio, dashboard, portal, report, export, API

    # the e-mail funnel is its own figure beside the rate
    month_page = staff.get(f"{base}/{mixed_month}").text
    assert "已发送 3 · 已打开 2 · 已回复 2" in month_page or "sent 3 · opened 2 · answered 2" in (
        month_page
    )


def test_the_rate_never_exceeds_100_percent():
    assert analysis.response_rate(8, 8).value == 100.0
    assert analysis.response_rate(0, 0).empty
    with pytest.raises(ValueError):
        analysis.response_rate(5, 3)  # more answers than invitations: refused, not 166.7 %


def test_the_month_page_counts_every_invitation_whatever_the_channel(session, setup):
    """Every invitation counts as issued, whatever its channel, in the live funnel too."""
    contract, *_ = setup
    from surveyapp.cycles.lifecycle import cycle_counts, open_cycle
    from surveyapp.cycles.links import Links

    month = shift_month(month_of(utcnow(), contract.timezone), 1)
    cycle = open_cycle(session, contract, month, now=utcnow(), links=Links("s", "http://x")).cycle
    session.commit()
    invitations = session.scalars(select(Invitation).where(Invitation.cycle_id == cycle.id)).all()
    invitations[0].responded_at = invitations[0].opened_at = utcnow()
    session.commit()
    counts = cycle_counts(session, cycle)
    assert (counts.invitations, counts.responded, counts.sent) == (8, 1, 0)
    assert counts.response_rate == 12.5
