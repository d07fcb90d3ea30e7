"""The breach register and its amounts, against figures worked out by hand in each test.

The contract: a monthly fee of 20 000.00 yuan, inquiries answered within 24 h, complaints
solved within 48 h; late inquiries and late complaints each tolerated twice a month.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from surveyapp.breaches import amounts
from surveyapp.breaches.calendar import UnknownCalendarYear, nth_working_day
from surveyapp.breaches.register import (
    LedgerError,
    MonthSettled,
    correct_entry,
    derive_month,
    fee_due_date,
    record_entry,
    record_payment,
    respond,
    settle_month,
)
from surveyapp.breaches.statement import month_statement
from surveyapp.breaches.terms import save_terms
from surveyapp.models import AuditEvent, BreachEntry, BreachKind, BreachTerm, Ticket

from ..factories import make_contract, make_organization, make_ticket, make_user

MONTH = "2026-10"
NOW = datetime(2026, 11, 5, 4, tzinfo=UTC)
FEE = Decimal("20000.00")


def _terms():
    return {
        BreachKind.INQUIRY_LATE: {"tolerance_count": 2, "amount": "300.00",
                                  "cap_amount": "1000.00"},
        BreachKind.COMPLAINT_LATE: {"tolerance_count": 2, "fee_percent": "2.5",
                                    "cap_fee_percent": "10"},
        BreachKind.SURVEY_MISSED: {"amount": "1000.00"},
        BreachKind.CONFIDENTIALITY: {"amount": "20000.00"},
        BreachKind.LATE_PAYMENT: {"daily_percent": "0.05"},
    }  # fmt: skip


@pytest.fixture
def ledger(session):
    provider = make_organization(session, "provider")
    contract = make_contract(session, provider=provider, monthly_fee=FEE)
    admin = make_user(session, "provider_admin", provider)
    client_user = make_user(session, "client_viewer", contract.client)
    save_terms(session, contract, _terms(), admin)
    return contract, admin, client_user


def _ticket(session, contract, kind, day, hours, external_id):
    received = datetime(2026, 10, day, 2, tzinfo=UTC)
    done = None if hours is None else received + timedelta(hours=hours)
    field = "first_reply_at" if kind == "inquiry" else "resolved_at"
    return make_ticket(session, contract, kind=kind, received_at=received,
                       external_id=external_id, **{field: done})  # fmt: skip


def _month_of_tickets(session, contract):
    # inquiries: 6 late (in order of receipt), 3 in time
    for n, (day, hours) in enumerate([(2, 30), (3, 26), (8, 48), (9, 25), (12, 40), (20, 72),
                                      (21, 3), (22, 23), (23, 1)], start=1):  # fmt: skip
        _ticket(session, contract, "inquiry", day, hours, f"INQ-{n}")
    # complaints: 3 solved late, 1 still open past its 48 h, 2 in time
    for n, (day, hours) in enumerate([(4, 50), (10, 60), (15, 100), (25, None),
                                      (26, 47), (27, 10)], start=1):  # fmt: skip
        _ticket(session, contract, "complaint", day, hours, f"CMP-{n}")


def test_fee_is_due_on_the_fifth_working_day_after_national_day_with_its_make_up_saturday():
    # 2026: 1-7 October are holidays, Saturday 10 October is worked instead. Working days:
    # Thu 8, Fri 9, Sat 10 (make-up), Mon 12, Tue 13.
    assert nth_working_day(2026, 10, 5) == date(2026, 10, 13)
    assert nth_working_day(2026, 10, 3) == date(2026, 10, 10)
    assert nth_working_day(2026, 11, 5) == date(2026, 11, 6)


def test_a_year_the_calendar_does_not_know_is_refused_with_its_year():
    with pytest.raises(UnknownCalendarYear) as raised:
        nth_working_day(2031, 1, 5)
    assert raised.value.year == 2031


def test_money_rounds_half_up_to_the_fen():
    assert amounts.money(Decimal("0.005")) == Decimal("0.01")
    assert amounts.money(Decimal("2.675")) == Decimal("2.68")  # a float would give 2.67
    assert amounts.money(Decimal("-0.005")) == Decimal("-0.01")


def test_register_and_amounts_of_a_month_of_late_tickets_and_a_late_payment(session, ledger):
    contract, admin, _ = ledger
    _month_of_tickets(session, contract)
    # half the fee on Monday 12 October (in time), half on Friday 16 October: 3 days late
    record_payment(session, contract, MONTH, date(2026, 10, 12), "10000.00", admin)
    record_payment(session, contract, MONTH, date(2026, 10, 16), "10000.00", admin)

    summary = derive_month(session, contract, MONTH, NOW, admin)

    entries = {e.key: e for e in session.query(BreachEntry).filter_by(contract_id=contract.id)}
    late_inquiries = [f"ticket:INQ-{n}" for n in range(1, 7)]
    late_complaints = [f"ticket:CMP-{n}" for n in range(1, 5)]
    assert sorted(entries) == sorted([*late_inquiries, *late_complaints, "survey", "payment"])
    assert summary.created == 12
    # the first two of each kind, by receipt, are within the tolerance and cost nothing
    for key in late_inquiries[:2] + late_complaints[:2]:
        assert entries[key].within_tolerance and entries[key].amount == Decimal("0.00")
    for key in late_inquiries[2:]:
        assert entries[key].amount == Decimal("300.00")
    complaint_cost = FEE * Decimal("2.5") / 100  # 500.00
    for key in late_complaints[2:]:
        assert entries[key].amount == complaint_cost
    assert entries["ticket:CMP-4"].evidence["still_open"] is True
    assert entries["ticket:INQ-1"].evidence == {
        "ticket": "INQ-1", "hours_allowed": 24, "hours_taken": 30.0, "hours_over": 6.0,
        "still_open": False, "tickets_in_month": 9, "tolerance": 2,
    }  # fmt: skip
    assert entries["survey"].evidence == {"reason": "survey_not_run"}
    assert entries["survey"].clause_ref == "一(3)"
    # interest: 10 000.00 x 0.05 % x 3 days
    assert (
        entries["payment"].amount == Decimal("10000.00") * Decimal("0.0005") * 3 == Decimal("15.00")
    )
    assert entries["payment"].evidence["due_on"] == "2026-10-13"
    assert entries["payment"].clause_ref == "三"

    statement = month_statement(session, contract, MONTH, NOW)
    lines = {line.kind: line for line in statement.lines}
    inquiry = lines[BreachKind.INQUIRY_LATE]
    assert (inquiry.count, inquiry.within_tolerance, inquiry.gross) == (6, 2, Decimal("1200.00"))
    assert inquiry.cap == Decimal("1000.00") and inquiry.cap_applied
    assert inquiry.payable == Decimal("1000.00")
    complaint = lines[BreachKind.COMPLAINT_LATE]
    assert complaint.gross == 2 * complaint_cost == Decimal("1000.00")
    assert complaint.cap == FEE / 10 and not complaint.cap_applied
    assert statement.provider_total == Decimal("1000.00") + Decimal("1000.00") + Decimal("1000.00")
    assert statement.client_total == Decimal("15.00")
    assert statement.payment.state == "paid_late"
    assert statement.payment.due_on == date(2026, 10, 13)
    assert statement.ytd_provider == Decimal("3000.00")


def test_paying_on_the_make_up_working_days_due_date_is_no_breach(session, ledger):
    contract, admin, _ = ledger
    record_payment(session, contract, MONTH, date(2026, 10, 13), "20000.00", admin)
    derive_month(session, contract, MONTH, NOW, admin)
    keys = {e.key for e in session.query(BreachEntry).filter_by(contract_id=contract.id)}
    assert "payment" not in keys
    assert fee_due_date(contract, MONTH) == date(2026, 10, 13)


def test_an_unpaid_fee_accrues_interest_until_today(session, ledger):
    contract, admin, _ = ledger
    derive_month(session, contract, MONTH, NOW, admin)
    entry = session.query(BreachEntry).filter_by(contract_id=contract.id, key="payment").one()
    days = (date(2026, 11, 5) - date(2026, 10, 13)).days  # 23
    assert entry.amount == amounts.money(FEE * Decimal("0.0005") * days) == Decimal("230.00")
    assert entry.evidence["unpaid"] == "20000.00"


def test_derivation_again_changes_nothing_and_keeps_status_and_thread(session, ledger):
    contract, admin, client_user = ledger
    _month_of_tickets(session, contract)
    derive_month(session, contract, MONTH, NOW, admin)
    entry = session.query(BreachEntry).filter_by(key="ticket:INQ-3").one()
    respond(session, entry, client_user, "dispute", "The customer asked to wait.")
    again = derive_month(session, contract, MONTH, NOW, admin)
    assert (again.created, again.updated) == (0, 0)
    # a day later the payment's interest and the open complaint's hours over have grown:
    # evidence and amount updated, status and thread kept
    later = derive_month(session, contract, MONTH, NOW + timedelta(days=1), admin)
    assert later.updated == 2
    session.refresh(entry)
    assert entry.status == "disputed"
    assert [n.action for n in entry.notes] == ["derived", "dispute"]
    payment = session.query(BreachEntry).filter_by(key="payment").one()
    assert [n.action for n in payment.notes] == ["derived", "recomputed"]


def test_share_tolerance_rounds_down_the_share_of_the_months_tickets(session, ledger):
    contract, admin, _ = ledger
    save_terms(session, contract, {BreachKind.INQUIRY_LATE: {"tolerance_percent": "25",
                                                             "amount": "100"}}, admin)  # fmt: skip
    _month_of_tickets(session, contract)  # 9 inquiries: 25 % is 2.25, so 2 tolerated
    derive_month(session, contract, MONTH, NOW, admin)
    inside = session.query(BreachEntry).filter_by(kind="inquiry_late", within_tolerance=True)
    assert inside.count() == 2


def test_settled_month_is_locked_and_changes_are_visible_corrections(session, ledger):
    contract, admin, client_user = ledger
    record_payment(session, contract, MONTH, date(2026, 10, 13), "20000.00", admin)
    incident = record_entry(
        session, contract, MONTH, kind="confidentiality", responsible="Team B night shift",
        occurred_on=date(2026, 10, 20), description="A call list left on a shared drive.",
        evidence="Internal review IR-7", actor=admin,
    )  # fmt: skip
    derive_month(session, contract, MONTH, NOW, admin)
    for entry in session.query(BreachEntry).filter_by(contract_id=contract.id):
        respond(session, entry, client_user, "acknowledge", "")
    statement = month_statement(session, contract, MONTH, NOW)
    settle_month(session, contract, MONTH, admin, (statement.provider_total,
                                                    statement.client_total))  # fmt: skip
    session.refresh(incident)
    assert incident.status == "settled"
    with pytest.raises(MonthSettled):
        respond(session, incident, client_user, "dispute", "Second thoughts")
    with pytest.raises(MonthSettled):
        respond(session, incident, admin, "answer", "A late remark")
    assert [n.action for n in incident.notes][-1] == "settled"
    with pytest.raises(MonthSettled):
        derive_month(session, contract, MONTH, NOW, admin)
    with pytest.raises(MonthSettled):
        record_entry(
            session,
            contract,
            MONTH,
            kind="confidentiality",
            responsible="x",
            occurred_on=date(2026, 10, 21),
            description="y",
            evidence="",
            actor=admin,
        )
    with pytest.raises(MonthSettled):  # the settled statement's payment state holds too
        record_payment(session, contract, MONTH, date(2026, 11, 2), "1.00", admin)
    correction = correct_entry(session, incident, admin, "-5000.00", "Half agreed in talks.")
    assert correction.source == "correction" and correction.corrects_id == incident.id
    respond(session, correction, client_user, "acknowledge", "")
    after = month_statement(session, contract, MONTH, NOW)
    assert after.settled.provider_total == Decimal("21000.00")  # 20 000 + survey 1 000
    assert after.provider_total == Decimal("16000.00")
    actions = {e.action for e in session.query(AuditEvent)}
    assert {"breach_entry.recorded", "breach_entry.acknowledge", "breach_month.settled",
            "breach_entry.corrected", "fee_payment.recorded", "breach_terms.update",
            "breach_register.derived"} <= actions  # fmt: skip


def test_a_month_with_an_open_dispute_cannot_be_settled(session, ledger):
    contract, admin, client_user = ledger
    record_payment(session, contract, MONTH, date(2026, 10, 9), "20000.00", admin)
    derive_month(session, contract, MONTH, NOW, admin)
    entry = session.query(BreachEntry).filter_by(key="survey").one()
    respond(session, entry, client_user, "dispute", "The survey ran on paper.")
    with pytest.raises(LedgerError):
        settle_month(session, contract, MONTH, admin, (Decimal(0), Decimal(0)))
    respond(session, entry, admin, "answer", "Paper forms are not the agreed channel.")
    respond(session, entry, admin, "waive", "Waived this once after talks.")
    settle_month(session, contract, MONTH, admin, (Decimal(0), Decimal(0)))
    assert entry.status == "waived"


def test_a_settled_month_keeps_the_caps_and_fee_it_was_settled_under(session, ledger):
    contract, admin, client_user = ledger
    _month_of_tickets(session, contract)
    record_payment(session, contract, MONTH, date(2026, 10, 13), "20000.00", admin)
    derive_month(session, contract, MONTH, NOW, admin)
    for entry in session.query(BreachEntry).filter_by(contract_id=contract.id):
        respond(session, entry, client_user, "acknowledge", "")
    before = month_statement(session, contract, MONTH, NOW)
    settle_month(session, contract, MONTH, admin, (before.provider_total, before.client_total))
    # later the terms lose every cap and the fee doubles: the settled month must not move
    for term in session.query(BreachTerm).filter_by(contract_id=contract.id):
        term.cap_amount = term.cap_fee_percent = None
    contract.monthly_fee = contract.monthly_fee * 2
    session.commit()
    after = month_statement(session, contract, MONTH, NOW)
    assert [(x.kind, x.cap, x.payable) for x in after.lines] == [
        (x.kind, x.cap, x.payable) for x in before.lines
    ]
    assert (after.provider_total, after.client_total) == (
        before.provider_total, before.client_total
    )
    assert after.payment.fee == before.payment.fee
    assert any(x.cap is not None for x in after.lines)  # the month had capped kinds


def test_a_changed_amount_reopens_what_the_client_agreed_and_a_vanished_breach_is_withdrawn(
    session, ledger
):
    contract, admin, client_user = ledger
    _month_of_tickets(session, contract)
    derive_month(session, contract, MONTH, NOW, admin)
    payment = session.query(BreachEntry).filter_by(key="payment").one()
    late = session.query(BreachEntry).filter_by(key="ticket:INQ-3").one()
    respond(session, payment, client_user, "acknowledge", "")
    respond(session, late, client_user, "acknowledge", "")
    # the helpdesk corrects INQ-3: it was answered within the hour after all
    ticket = session.query(Ticket).filter_by(external_id="INQ-3").one()
    ticket.first_reply_at = ticket.received_at + timedelta(hours=1)
    session.commit()
    derive_month(session, contract, MONTH, NOW + timedelta(days=1), admin)  # interest grew
    session.refresh(payment)
    session.refresh(late)
    assert payment.status == "open" and [n.action for n in payment.notes][-2:] == [
        "recomputed", "reopen"
    ]
    assert late.amount == Decimal("0.00") and late.status == "open"
    assert [n.action for n in late.notes][-2:] == ["withdrawn", "reopen"]
