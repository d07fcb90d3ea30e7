"""The one close step stores the SLA x satisfaction proposals (issue #23): a team whose
customers rate its knowledge below the contract's target gets a training item on clause 二(2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from surveyapp.cycles.closing import analyse
from surveyapp.models import ActionItem, Agent, DimensionTarget, Question, Team

from ..factories import (
    make_contract,
    make_customer,
    make_cycle,
    make_invitation,
    make_organization,
    make_response,
    make_survey_version,
    make_ticket,
)

MONTH = "2026-10"
RECEIVED = datetime(2026, 10, 5, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 3, tzinfo=UTC)


def test_closing_a_month_proposes_training_for_a_team_below_target(session):
    provider, client = make_organization(session, "provider"), make_organization(session)
    contract = make_contract(session, provider=provider, client=client)
    version = make_survey_version(session, provider)
    version.questions.append(
        Question(position=9, code="KNOW", type="rating", dimension="professional_knowledge",
                 clause_ref="二(2)", text_zh="专业知识", text_en="Knowledge")  # fmt: skip
    )
    session.add(
        DimensionTarget(contract_id=contract.id, dimension="professional_knowledge",
                        clause_ref="二(2)", target_mean=Decimal("4.00"))  # fmt: skip
    )
    session.commit()
    cycle = make_cycle(session, contract, version, month=MONTH, status="closed")
    team = Team(provider_id=provider.id, name="夜班二组")
    session.add(team)
    session.flush()
    agent = Agent(provider_id=provider.id, name="王芳", team_id=team.id)
    session.add(agent)
    session.commit()
    for i in range(6):
        customer = make_customer(session, contract, ref=f"K{i}")
        invitation, _ = make_invitation(session, cycle, customer)
        make_response(session, invitation, {"RESP": 4, "NPS": 8, "KNOW": 2})
        make_ticket(session, contract, customer_ref=customer.ref, agent_id=agent.id,
                    team_id=team.id, received_at=RECEIVED,
                    first_reply_at=RECEIVED + timedelta(hours=1))  # fmt: skip

    analyse(session, cycle, now=NOW)
    session.commit()

    items = session.scalars(
        select(ActionItem).where(ActionItem.contract_id == contract.id,
                                 ActionItem.rule == "staff_training")  # fmt: skip
    ).all()
    keys = {item.key for item in items}
    assert "staff_training:team:夜班二组:professional_knowledge" in keys
    assert all(item.clause_ref == "二(2)" for item in items)
    assert all("王芳" not in item.title for item in items)  # items reach the client

    analyse(session, cycle, now=NOW)  # idempotent
    session.commit()
    again = session.scalars(
        select(ActionItem).where(ActionItem.contract_id == contract.id,
                                 ActionItem.rule == "staff_training")  # fmt: skip
    ).all()
    assert len(again) == len(items)
