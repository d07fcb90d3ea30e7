"""``purge-contacts``: contact data of long-ended contracts erased; responses kept."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from surveyapp.models import AuditEvent, Customer, Response

from ..factories import (
    make_contract,
    make_customer,
    make_cycle,
    make_invitation,
    make_response,
)


def _contract_with_answers(session, number: str, end: date | None):
    contract = make_contract(session, number=number, start_date=date(2023, 1, 1), end_date=end)
    cycle = make_cycle(session, contract, month="2025-06")
    for _ in range(3):
        invitation, _ = make_invitation(session, cycle, make_customer(session, contract))
        make_response(session, invitation)
    return contract


def _contacts(session, contract) -> list[tuple]:
    session.expire_all()
    return session.execute(
        select(Customer.ref, Customer.email_enc, Customer.mobile_enc, Customer.email_lookup).where(
            Customer.contract_id == contract.id
        )
    ).all()


def test_purge_erases_contacts_of_contracts_ended_long_ago_and_keeps_responses(runner, session):
    old = _contract_with_answers(session, "OLD-1", date(2024, 6, 30))
    recent = _contract_with_answers(session, "NEW-1", date(2026, 6, 30))
    running = _contract_with_answers(session, "RUN-1", None)
    responses = session.scalar(select(func.count()).select_from(Response))

    result = runner.invoke(
        args=["purge-contacts", "--older-than-days", "365", "--today", "2026-11-25"]
    )
    assert result.exit_code == 0, result.output
    assert "OLD-1: erased the contact data of 3 customers" in result.output

    assert all(ref and enc is None and mob is None and look is None
               for ref, enc, mob, look in _contacts(session, old))  # fmt: skip
    for kept in (recent, running):
        assert all(enc and mob and look for _, enc, mob, look in _contacts(session, kept))
    assert session.scalar(select(func.count()).select_from(Response)) == responses
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "contacts.purged")).one()
    assert event.details["customers"] == 3 and event.subject_id == old.id


def test_dry_run_changes_nothing(runner, session):
    old = _contract_with_answers(session, "OLD-1", date(2024, 6, 30))
    before = _contacts(session, old)
    result = runner.invoke(
        args=["purge-contacts", "--older-than-days", "30", "--dry-run", "--today", "2026-11-25"]
    )
    assert result.exit_code == 0 and "would erase" in result.output
    assert _contacts(session, old) == before


def test_purge_is_safe_to_run_twice_and_uses_retention_days(app, runner, session):
    _contract_with_answers(session, "OLD-1", date(2025, 10, 1))
    app.config["RETENTION_DAYS"] = 30
    first = runner.invoke(args=["purge-contacts", "--today", "2026-11-25"])
    second = runner.invoke(args=["purge-contacts", "--today", "2026-11-25"])
    assert "3 customers in 1 contracts" in first.output
    assert "0 customers in 0 contracts" in second.output
    count = (
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "contacts.purged")
    )
    assert session.scalar(count) == 1
