"""The client's portal: its own contract, aggregated figures only, no customer identity."""

import re

from sqlalchemy import select

from surveyapp.models import Customer, Report

from ..factories import (
    make_action_item,
    make_contract,
    make_cycle,
    make_invitation,
    make_response,
    make_survey_version,
    make_user,
)


def _closed_month_with(session, n_responses: int):
    contract = make_contract(session)
    version = make_survey_version(session, contract.provider)
    cycle = make_cycle(session, contract, version, month="2026-10", status="closed")
    for i in range(n_responses):
        invitation, _ = make_invitation(session, cycle)
        make_response(session, invitation, values={"RESP": 4 + i % 2, "NPS": 9})
    return contract, cycle


def test_a_client_lands_on_its_only_contract(client, session, sign_in):
    contract, _ = _closed_month_with(session, 6)
    sign_in(make_user(session, "client_viewer", contract.client))
    response = client.get("/", follow_redirects=True)
    assert response.request.path == f"/portal/contracts/{contract.id}"
    assert contract.number in response.text


def test_breakdowns_of_fewer_than_five_answers_are_suppressed(client, session, sign_in):
    contract, _ = _closed_month_with(session, 4)
    sign_in(make_user(session, "client_viewer", contract.client))
    page = client.get(f"/portal/contracts/{contract.id}").text
    table = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "少于 5" in table and "4.50" not in table and "4.25" not in table


def test_five_answers_are_shown(client, session, sign_in):
    contract, _ = _closed_month_with(session, 5)
    sign_in(make_user(session, "client_viewer", contract.client))
    table = (
        client.get(f"/portal/contracts/{contract.id}").text.split("<tbody>")[1].split("</tbody>")[0]
    )
    assert "4.40" in table  # mean of 4, 5, 4, 5, 4


def test_the_portal_shows_no_customer_identity(client, session, sign_in):
    contract, cycle = _closed_month_with(session, 6)
    sign_in(make_user(session, "client_viewer", contract.client))
    page = client.get(f"/portal/contracts/{contract.id}").text
    for customer in session.scalars(select(Customer).where(Customer.contract_id == contract.id)):
        contact = customer.reveal_contact()
        for secret in (customer.ref, contact.name, contact.email, contact.mobile):
            assert secret not in page


def test_the_portal_shows_accepted_action_items_but_not_proposals(client, session, sign_in):
    contract, _ = _closed_month_with(session, 6)
    make_action_item(session, contract, title="Visible finding", status="in_progress")
    make_action_item(session, contract, title="Internal draft", status="proposed")
    sign_in(make_user(session, "client_viewer", contract.client))
    page = client.get(f"/portal/contracts/{contract.id}").text
    assert "Visible finding" in page and "Internal draft" not in page
    assert "/action-items/" not in page  # read only: no edit links


def test_the_portal_lists_the_latest_report_version_of_each_month(client, session, sign_in):
    contract, cycle = _closed_month_with(session, 6)
    for version in (1, 2):
        session.add(
            Report(
                cycle_id=cycle.id,
                contract_id=contract.id,
                month=cycle.month,
                locale="zh_CN",
                version=version,
                sha256="a" * 64,
                size_bytes=2048,
                inputs_version="x",
                content=b"%PDF",
            )
        )
    session.commit()
    latest = session.scalar(select(Report.id).where(Report.version == 2))
    sign_in(make_user(session, "client_viewer", contract.client))
    page = client.get(f"/portal/contracts/{contract.id}").text
    links = re.findall(rf'href="/contracts/{contract.id}/reports/(\d+).pdf"', page)
    assert links == [str(latest)]


def test_a_provider_user_cannot_open_the_portal(client, session, sign_in):
    contract, _ = _closed_month_with(session, 5)
    sign_in(make_user(session, "provider_admin", contract.provider))
    assert client.get(f"/portal/contracts/{contract.id}").status_code == 403


def test_a_contract_without_a_closed_month_says_so(client, session, sign_in):
    contract = make_contract(session)
    sign_in(make_user(session, "client_viewer", contract.client))
    assert "尚无已结束的调查月份" in client.get(f"/portal/contracts/{contract.id}").text
