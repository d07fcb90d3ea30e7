"""The contact-frequency cap: one person under two of a provider's contracts is invited once
in the provider's days (issue #23), recognised by the keyed hash of e-mail or mobile."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from surveyapp.cycles.lifecycle import open_cycle
from surveyapp.cycles.links import Links
from surveyapp.cycles.sending import held_back_count, send_invitations
from surveyapp.extensions import db
from surveyapp.mail import Mailer, SmtpSettings
from surveyapp.models import Contract, Customer, Cycle, Invitation, Organization

from ..factories import (
    make_contract,
    make_customer,
    make_organization,
    make_survey_version,
    make_user,
)

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


def _contract(session, provider, ref, *, email, mobile):
    contract = make_contract(session, provider=provider)
    version = make_survey_version(session, provider)
    contract.survey_id = version.survey_id
    session.commit()
    customer = make_customer(session, contract, ref=ref)
    customer.set_contact(name="李雷", email=email, mobile=mobile)
    session.commit()
    return contract.id


@pytest.fixture
def two_contracts(session):
    """The same person (mobile written two ways, different e-mail) under two contracts of
    one provider, and a third contract of another provider with the same mobile."""
    provider = make_organization(session, "provider")
    a = _contract(session, provider, "A1", email="li.lei@work.example", mobile="138 0013 8000")
    b = _contract(session, provider, "B1", email="lilei@home.example", mobile="13800138000")
    other = _contract(session, make_organization(session, "provider"), "C1",
                      email="li@other.example", mobile="13800138000")  # fmt: skip
    return provider.id, a, b, other


def _send(app, contract_id, now):
    with app.app_context():
        links = Links.from_config(app.config)
        contract = db.session.get(Contract, contract_id)
        cycle = db.session.scalar(
            select(Cycle).where(Cycle.contract_id == contract_id, Cycle.month == "2026-12")
        )
        if cycle is None:
            cycle = open_cycle(db.session, contract, "2026-12", now=now, links=links).cycle
        with Mailer(SmtpSettings.from_config(app.config)) as mailer:
            summary = send_invitations(db.session, cycle, mailer=mailer, links=links, now=now)
        return summary, held_back_count(db.session, cycle)


def test_a_person_under_two_contracts_is_invited_once_in_thirty_days(mail_app, smtp, two_contracts):
    _provider, a, b, other = two_contracts
    first, _ = _send(mail_app, a, NOW)
    second, held = _send(mail_app, b, NOW + timedelta(hours=1))
    third, _ = _send(mail_app, other, NOW + timedelta(hours=2))
    assert (first.sent, second.sent, second.held_back, held) == (1, 0, 1, 1)
    assert third.sent == 1  # another provider's contract is not capped
    assert len(smtp.to("lilei@home.example")) == 0
    again, held = _send(mail_app, b, NOW + timedelta(days=3))  # a second run keeps it back
    assert (again.sent, again.skipped, held) == (0, 1, 1)


def test_after_the_cap_days_the_person_is_invited_again(mail_app, smtp, session, two_contracts):
    _provider, a, b, _other = two_contracts
    _send(mail_app, a, NOW - timedelta(days=31))
    session.execute(  # the December cycle of A was mailed 31 days ago
        Invitation.__table__.update().values(sent_at=NOW - timedelta(days=31))
    )
    session.commit()
    summary, held = _send(mail_app, b, NOW)
    assert (summary.sent, held) == (1, 0)


def test_the_cap_is_a_provider_setting_and_zero_switches_it_off(
    mail_app, smtp, session, two_contracts
):
    provider_id, a, b, _other = two_contracts
    session.get(Organization, provider_id).contact_cap_days = 0
    session.commit()
    _send(mail_app, a, NOW)
    summary, held = _send(mail_app, b, NOW)
    assert (summary.sent, held) == (1, 0)


def test_the_mobile_hash_ignores_spaces_and_dashes(session, two_contracts):
    lookups = session.scalars(select(Customer.mobile_lookup)).all()
    assert len(set(lookups)) == 1
    assert all(len(v) == 64 for v in lookups)  # a hash, never the number


def test_the_month_page_shows_how_many_were_held_back(
    mail_app, smtp, two_contracts, session, client, sign_in
):
    provider_id, a, b, _other = two_contracts
    _send(mail_app, a, NOW)
    _send(mail_app, b, NOW)
    cycle = session.scalar(select(Cycle).where(Cycle.contract_id == b))
    user = make_user(session, "provider_analyst", session.get(Organization, provider_id))
    page = sign_in(user).get(f"/contracts/{b}/cycles/{cycle.month}")
    assert page.status_code == 200
    assert re.search(r"data-held-back>\s*1\s*<", page.text)
