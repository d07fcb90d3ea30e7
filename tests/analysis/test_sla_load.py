"""The SLA x satisfaction loader against a real database (SQLite; PostgreSQL when
TEST_DATABASE_URL is set): its table descriptions match the models, and what it reads equals
the rows written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from analysis import sla_load
from surveyapp.extensions import db
from surveyapp.models import Agent, Base, Question, Team

from ..factories import (
    make_contract,
    make_customer,
    make_cycle,
    make_invitation,
    make_response,
    make_survey_version,
    make_ticket,
)


@pytest.mark.parametrize("table", sla_load.TABLES, ids=lambda t: t.name)
def test_table_descriptions_match_the_models(table):
    assert set(table.c.keys()) <= set(Base.metadata.tables[table.name].c.keys())


def test_the_month_is_read_with_ratings_per_response_and_the_windows_tickets(app, session):
    contract = make_contract(session, sla_attribution="all_agents")
    version = make_survey_version(session, contract.provider)
    version.questions.append(
        Question(position=9, code="OVERALL", type="rating", dimension="overall",
                 clause_ref="一(3)", text_zh="总体", text_en="Overall")  # fmt: skip
    )
    session.commit()
    cycle = make_cycle(session, contract, version, month="2026-11", status="closed")
    team = Team(provider_id=contract.provider_id, name="一组")
    session.add(team)
    session.flush()
    agent = Agent(provider_id=contract.provider_id, name="王芳", team_id=team.id)
    session.add(agent)
    session.commit()
    answered = make_customer(session, contract, ref="K1")
    silent = make_customer(session, contract, ref="K2")
    invitation, _ = make_invitation(session, cycle, answered, responded_at=cycle.opens_at)
    make_invitation(session, cycle, silent)
    make_response(session, invitation, {"RESP": 2, "NPS": 7, "OVERALL": 4})
    received = datetime(2026, 10, 1, 1, tzinfo=UTC)  # 1 Oct 09:00 in Shanghai: in the window
    make_ticket(session, contract, external_id="IN", customer_ref="K1", agent_id=agent.id,
                team_id=team.id, received_at=received,
                first_reply_at=received + timedelta(hours=2))  # fmt: skip
    make_ticket(session, contract, external_id="OUT", customer_ref="K1",
                received_at=datetime(2026, 9, 30, 15, tzinfo=UTC))  # fmt: skip

    with app.app_context(), db.engine.connect() as conn:
        inputs = sla_load.read_sla_inputs(conn, contract.id, "2026-11")
    row = inputs.responses.iloc[0]
    assert (row["customer_ref"], row["overall"], row["nps"]) == ("K1", 4.0, 7.0)
    assert inputs.tickets["external_id"].tolist() == ["IN"]
    ticket = inputs.tickets.iloc[0]
    assert (ticket["agent"], ticket["team"], ticket["customer_ref"]) == ("王芳", "一组", "K1")
    assert ticket["received_at"] == received
    assert sorted(map(tuple, inputs.invitations.to_numpy().tolist())) == [
        ("K1", True), ("K2", False)
    ]
    assert inputs.attribution == "all_agents"
    assert (inputs.inquiry_hours, inputs.complaint_hours) == (24, 48)
