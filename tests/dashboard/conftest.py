"""A portfolio of three contracts in one month: one closed it, one still open, one without
a survey (issue 25)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from surveyapp.cycles.calendar import month_of, shift_month
from surveyapp.cycles.lifecycle import close_cycle, open_cycle
from surveyapp.cycles.links import Links
from surveyapp.models import Invitation, utcnow

from ..factories import (
    make_contract,
    make_customer,
    make_organization,
    make_response,
    make_survey_version,
)


def _contract(session, provider, number: str, customers: int):
    contract = make_contract(session, provider=provider, number=number)
    version = make_survey_version(session, provider)
    contract.survey_id = version.survey_id
    session.commit()
    for n in range(customers):
        make_customer(session, contract, ref=f"{number}-{n}")
    return contract


def _answer(session, cycle, count: int, nps: int) -> None:
    invitations = session.scalars(
        select(Invitation).where(Invitation.cycle_id == cycle.id).order_by(Invitation.id)
    ).all()
    for invitation in invitations[:count]:
        make_response(session, invitation, {"RESP": 5, "NPS": nps})
        invitation.responded_at = utcnow()
    session.commit()


@pytest.fixture
def portfolio(session):
    """Three contracts of one provider in one month: closed, still open, no survey at all."""
    provider = make_organization(session, "provider")
    closed = _contract(session, provider, "P-CLOSED", customers=10)
    still_open = _contract(session, provider, "P-OPEN", customers=6)
    _contract(session, provider, "P-NONE", customers=2)
    month = shift_month(month_of(utcnow(), closed.timezone), 1)
    links = Links("test-secret", "http://localhost")
    done = open_cycle(session, closed, month, now=utcnow(), links=links).cycle
    running = open_cycle(session, still_open, month, now=utcnow(), links=links).cycle
    session.commit()
    _answer(session, done, 4, nps=10)  # 4 of 10: NPS 100, response rate 40.0 %
    _answer(session, running, 2, nps=3)  # live NPS would be -100: must not show
    close_cycle(session, done, now=utcnow())
    return provider, month, closed, still_open
