"""Tickets carry the customer's number, the agent and the team (issue #23)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from surveyapp.models import Agent, Team, Ticket
from surveyapp.tickets.importing import import_tickets
from surveyapp.tickets.ingest import upsert_tickets

from ..factories import make_contract, make_customer, make_organization

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


@pytest.fixture
def contract(session):
    provider = make_organization(session, "provider")
    contract = make_contract(session, provider=provider, number="C-1")
    make_customer(session, contract, ref="K-1")
    return contract


def row(external_id: str, **kw) -> dict:
    return {
        "contract": "C-1",
        "external_id": external_id,
        "kind": "inquiry",
        "received_at": "2026-11-02T09:30:00+08:00",
    } | kw


def _ticket(session, external_id: str) -> Ticket:
    return session.scalar(select(Ticket).where(Ticket.external_id == external_id))


def test_agents_and_teams_are_named_per_provider_and_made_once(session, contract):
    provider = contract.provider
    upsert_tickets(
        session,
        provider,
        [row("T-1", agent="王芳", team="一组"), row("T-2", agent="王芳", team="一组")],
        now=NOW,
    )
    other = make_organization(session, "provider")
    make_contract(session, provider=other, number="C-1")
    upsert_tickets(session, other, [row("T-9", agent="王芳", team="一组")], now=NOW)
    assert session.query(Agent).count() == 2  # one per provider
    agent = session.scalar(select(Agent).where(Agent.provider_id == provider.id))
    team = session.scalar(select(Team).where(Team.provider_id == provider.id))
    assert agent.team_id == team.id
    assert {_ticket(session, "T-1").agent_id, _ticket(session, "T-2").agent_id} == {agent.id}


def test_a_ticket_keeps_the_team_its_agent_worked_in_when_the_agent_moves(session, contract):
    provider = contract.provider
    upsert_tickets(session, provider, [row("T-1", agent="李雷", team="一组")], now=NOW)
    upsert_tickets(session, provider, [row("T-2", agent="李雷", team="二组")], now=NOW)
    upsert_tickets(session, provider, [row("T-3", agent="李雷")], now=NOW)
    teams = {t.name: t.id for t in session.scalars(select(Team))}
    assert _ticket(session, "T-1").team_id == teams["一组"]
    assert _ticket(session, "T-2").team_id == teams["二组"]
    assert _ticket(session, "T-3").team_id == teams["二组"]  # the agent's team now
    assert session.scalar(select(Agent)).team_id == teams["二组"]


def test_an_unknown_customer_number_is_kept_and_reported(session, contract):
    result = upsert_tickets(
        session,
        contract.provider,
        [row("T-1", customer_ref="K-1"), row("T-2", customer_ref="K-404")],
        now=NOW,
    )
    assert result.created == 2
    assert result.unknown_customer_refs == ["K-404"]
    assert _ticket(session, "T-2").customer_ref == "K-404"
    assert [w.field for w in result.rows[1].warnings] == ["customer_ref"]
    assert result.rows[0].warnings == []


def test_the_csv_takes_chinese_headers_for_customer_agent_and_team(session, contract):
    data = (
        "工单号,类型,受理时间,客户编号,坐席,团队\n"
        "T-1,咨询,2026-11-02T09:30:00+08:00,K-1,王芳,一组\n"
        "T-2,投诉,2026-11-03T09:30:00+08:00,K-77,张伟,二组\n"
    ).encode()
    result = import_tickets(session, contract, data, now=NOW)
    assert (result.imported, result.created) == (True, 2)
    assert result.unknown_customer_refs == ["K-77"]
    ticket = _ticket(session, "T-2")
    assert (ticket.customer_ref, session.get(Agent, ticket.agent_id).name) == ("K-77", "张伟")
    assert session.get(Team, ticket.team_id).name == "二组"


def test_the_csv_takes_english_headers(session, contract):
    data = (
        b"external_id,kind,received_at,customer_ref,agent,team\n"
        b"T-1,inquiry,2026-11-02T09:30:00+08:00,K-1,Wang Fang,Team A\n"
    )
    result = import_tickets(session, contract, data, now=NOW)
    assert (result.created, result.unknown_customer_refs) == (1, [])
    assert session.get(Team, _ticket(session, "T-1").team_id).name == "Team A"


def test_a_dry_run_adds_no_agent_or_team(session, contract):
    upsert_tickets(session, contract.provider, [row("T-1", agent="新人", team="三组")],
                   now=NOW, dry_run=True)  # fmt: skip
    assert session.query(Agent).count() == 0
    assert session.query(Team).count() == 0
