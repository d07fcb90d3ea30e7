"""Suppression: nothing a client user or a client token sees names an agent or shows a group
of fewer than 5 responses (portal, PDF, API, exports). Issue #23."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from surveyapp.api_tokens.service import create_token
from surveyapp.cycles.aggregates import store_month_aggregates
from surveyapp.models import Question
from surveyapp.reports.building import build_monthly_report

from ..factories import (
    make_contract,
    make_customer,
    make_cycle,
    make_invitation,
    make_organization,
    make_response,
    make_survey_version,
    make_ticket,
    make_user,
)
from ..reports.conftest import pdf_text

MONTH = "2026-10"
RECEIVED = datetime(2026, 10, 5, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 20, tzinfo=UTC)
AGENTS = ("SecretAgentWang", "SecretAgentLi", "SecretAgentZhao")
TINY_TEAM = "TinyTeamQ"
BIG_TEAM = "BigTeamP"


@pytest.fixture
def month(session):
    """Six customers served by BigTeamP (two agents), two by TinyTeamQ (one agent), all
    answered; two of BigTeamP's tickets breached."""
    from surveyapp.models import Agent, Team

    provider, client = make_organization(session, "provider"), make_organization(session)
    contract = make_contract(session, provider=provider, client=client)
    version = make_survey_version(session, provider)
    version.questions.append(
        Question(
            position=9,
            code="OVERALL",
            type="rating",
            dimension="overall",
            clause_ref="一(3)",
            text_zh="总体",
            text_en="Overall",
        )  # fmt: skip
    )
    session.commit()
    cycle = make_cycle(session, contract, version, month=MONTH, status="closed")
    big, tiny = (
        Team(provider_id=provider.id, name=BIG_TEAM),
        Team(provider_id=provider.id, name=TINY_TEAM),
    )
    session.add_all([big, tiny])
    session.flush()
    agents = [
        Agent(provider_id=provider.id, name=AGENTS[0], team_id=big.id),
        Agent(provider_id=provider.id, name=AGENTS[1], team_id=big.id),
        Agent(provider_id=provider.id, name=AGENTS[2], team_id=tiny.id),
    ]
    session.add_all(agents)
    session.commit()
    for i in range(8):
        customer = make_customer(session, contract, ref=f"K{i}")
        invitation, _ = make_invitation(session, cycle, customer)
        make_response(session, invitation, {"RESP": 4, "NPS": 9, "OVERALL": 5 if i % 3 else 2})
        agent = agents[2] if i >= 6 else agents[i % 2]
        late = i in (0, 1)
        make_ticket(session, contract, customer_ref=customer.ref, agent_id=agent.id,
                    team_id=agent.team_id, received_at=RECEIVED,
                    first_reply_at=RECEIVED + timedelta(hours=30 if late else 1))  # fmt: skip
    store_month_aggregates(session, contract.id, MONTH)
    session.commit()
    return contract, cycle, client


def _xlsx_text(data: bytes) -> str:
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(data), read_only=True)
    return " ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True)
                    for c in row)  # fmt: skip


def _leaks(text: str) -> list[str]:
    return [word for word in (*AGENTS, TINY_TEAM) if word in text]


def test_a_client_sees_no_agent_and_no_group_under_five_anywhere(
    app, session, client, sign_in, charts, tmp_path, month
):
    contract, cycle, client_org = month
    seen: dict[str, str] = {}

    with app.app_context():
        report = build_monthly_report(session, cycle, now=NOW, locale="en")
    path = tmp_path / "report.pdf"
    path.write_bytes(report.content)
    seen["pdf"] = pdf_text(path)

    viewer = sign_in(make_user(session, "client_viewer", client_org))
    portal = viewer.get(f"/portal/contracts/{contract.id}?month={MONTH}")
    assert portal.status_code == 200
    seen["portal"] = portal.text
    download = viewer.get(f"/contracts/{contract.id}/reports/{report.id}.pdf")
    assert download.data == report.content  # the archived file whose text was read above
    for url in (
        f"/exports/contracts/{contract.id}/metrics.csv",
        f"/exports/contracts/{contract.id}/metrics.xlsx",
    ):
        response = viewer.get(url)
        assert response.status_code == 200, url
        seen[url] = response.get_data(as_text=url.endswith(".csv"))
    seen["xlsx"] = _xlsx_text(seen.pop(f"/exports/contracts/{contract.id}/metrics.xlsx"))
    # the per-response export names agents: provider staff only
    assert viewer.get(f"/contracts/{contract.id}/tickets/sla-satisfaction.csv").status_code == 403

    token = create_token(session, client_org, "client reporting")[1]
    headers = {"Authorization": f"Bearer {token}"}
    for path_ in (
        f"/contracts/{contract.id}/sla-satisfaction?month={MONTH}",
        f"/contracts/{contract.id}/tickets",
        f"/contracts/{contract.id}/metrics",
    ):
        response = client.get(f"/api/v1{path_}", headers=headers)
        assert response.status_code == 200, (path_, response.text)
        seen[path_] = response.text

    assert BIG_TEAM in seen["portal"] and BIG_TEAM in seen["pdf"]  # teams of 5+ are shown
    assert BIG_TEAM in seen[f"/contracts/{contract.id}/sla-satisfaction?month={MONTH}"]
    assert {name: _leaks(text) for name, text in seen.items() if _leaks(text)} == {}


def test_provider_staff_see_the_agents_on_the_dashboard_and_in_the_export(
    app, session, client, sign_in, month
):
    contract, _cycle, _client_org = month
    staff = sign_in(make_user(session, "provider_analyst", contract.provider))
    page = staff.get(f"/dashboard/contracts/{contract.id}?month={MONTH}")
    assert page.status_code == 200
    assert all(name in page.text for name in AGENTS) and TINY_TEAM in page.text
    export = staff.get(f"/contracts/{contract.id}/tickets/sla-satisfaction.csv?month={MONTH}")
    body = export.get_data(as_text=True)
    assert export.status_code == 200 and AGENTS[0] in body
    assert body.count("\n") == 9  # header and one row per response
    assert "@" not in body  # customers by number only, never an e-mail address
