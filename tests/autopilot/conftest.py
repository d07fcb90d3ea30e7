"""Autopilot fixtures: the real SMTP server of the cycle tests, the session's one Chromium of
the report tests, two contracts with different schedules, and a tick that runs in the app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from surveyapp.autopilot.tick import TickSummary, run_tick
from surveyapp.extensions import db
from surveyapp.models import AutopilotStep, Contract, Invitation

from ..cycles.conftest import mail_app, smtp  # noqa: F401  (fixtures shared with the cycle tests)
from ..factories import make_customer, make_organization, make_survey_version, make_user


@dataclass
class Party:
    contract_id: int
    number: str
    customers: list[str]  # e-mail addresses, in the order of the customer refs
    client_users: list[str]
    provider_users: list[str]


def make_party(session: Session, number: str, customers: int = 3, **schedule) -> Party:
    """An active contract with a survey, ``customers`` customers, a client user and staff."""
    from ..factories import make_contract

    provider = make_organization(session, "provider")
    contract = make_contract(session, provider=provider, number=number, **schedule)
    version = make_survey_version(session, provider)
    contract.survey_id = version.survey_id
    session.commit()
    emails = []
    for i in range(customers):
        customer = make_customer(session, contract, ref=f"{number}-{i + 1}")
        emails.append(customer.reveal_contact().email)
    client_user = make_user(session, "client_viewer", contract.client)
    staff = make_user(session, "provider_admin", provider)
    return Party(contract.id, number, emails, [client_user.email], [staff.email])


@pytest.fixture
def parties(session) -> tuple[Party, Party]:
    """Two schedules: A opens on the 1st (Shanghai) for 10 days, reminders after 3 days, at most
    2; B opens on the 5th (Berlin) for 7 days, one reminder after 2 days."""
    a = make_party(
        session, "AP-A", survey_open_day=1, survey_open_days=10, reminder_after_days=3,
        max_reminders=2, timezone="Asia/Shanghai",
    )  # fmt: skip
    b = make_party(
        session, "AP-B", survey_open_day=5, survey_open_days=7, reminder_after_days=2,
        max_reminders=1, timezone="Europe/Berlin",
    )  # fmt: skip
    return a, b


@pytest.fixture
def tick(mail_app: Flask) -> Callable[..., TickSummary]:  # noqa: F811
    """``tick(now)`` runs one tick inside the app, as the command does."""

    def run(now: datetime, **kw) -> TickSummary:
        with mail_app.app_context():
            return run_tick(lambda: Session(db.engine), now, **kw)

    return run


def ledger_steps(session: Session, contract_id: int, month: str) -> list[str]:
    """The month's steps in the order they were first started."""
    session.expire_all()
    return list(
        session.scalars(
            select(AutopilotStep.step)
            .where(AutopilotStep.contract_id == contract_id, AutopilotStep.month == month)
            .order_by(AutopilotStep.id)
        )
    )


def invitations(session: Session, contract_id: int, month: str) -> list[Invitation]:
    from surveyapp.models import Cycle

    session.expire_all()
    return list(
        session.scalars(
            select(Invitation)
            .join(Cycle, Cycle.id == Invitation.cycle_id)
            .where(Cycle.contract_id == contract_id, Cycle.month == month)
            .order_by(Invitation.id)
        )
    )


def contract_of(session: Session, party: Party) -> Contract:
    return session.get(Contract, party.contract_id)
