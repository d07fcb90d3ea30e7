"""The month's breach register: derived from the platform's records, recorded by staff,
reviewed by the client, settled and then locked.

Every step is one function with one transaction, called by the pages, the API and the CLI
alike. Derivation is idempotent: running it again updates the evidence and amounts of the
entries it derived before and never touches their status or history. A settled month is
locked; a later change is a new correction entry, visible beside the settled ones.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import analysis

from ..audit import record
from ..cycles.calendar import month_bounds, parse_month
from ..models import (
    BreachEntry,
    BreachKind,
    BreachMonth,
    BreachNote,
    Contract,
    Cycle,
    EntrySource,
    EntryStatus,
    FeePayment,
    Report,
    User,
)
from . import amounts
from .calendar import nth_working_day
from .terms import CLAUSES, terms_of

TICKET_KINDS = {"inquiry": BreachKind.INQUIRY_LATE, "complaint": BreachKind.COMPLAINT_LATE}
RECORDABLE = (BreachKind.CONFIDENTIALITY, BreachKind.SERVICE_NOT_DELIVERED)
CLIENT_ACTIONS = {
    "acknowledge": ({EntryStatus.OPEN, EntryStatus.DISPUTED}, EntryStatus.ACKNOWLEDGED),
    "dispute": ({EntryStatus.OPEN, EntryStatus.ACKNOWLEDGED}, EntryStatus.DISPUTED),
    "comment": (None, None),
}
PROVIDER_ACTIONS = {
    "answer": (None, None),
    "waive": ({EntryStatus.OPEN, EntryStatus.DISPUTED, EntryStatus.ACKNOWLEDGED},
              EntryStatus.WAIVED),
    "reopen": ({EntryStatus.WAIVED}, EntryStatus.OPEN),
}  # fmt: skip
NEEDS_WORDS = {"dispute", "comment", "answer", "waive"}
AUDIT_ACTIONS = {
    "acknowledge": "breach_entry.acknowledge",
    "dispute": "breach_entry.dispute",
    "comment": "breach_entry.comment",
    "answer": "breach_entry.answer",
    "waive": "breach_entry.waive",
    "reopen": "breach_entry.reopen",
}


class LedgerError(ValueError):
    """A step the ledger refuses, with the message for the person who asked."""


class MonthSettled(LedgerError):
    pass


@dataclass(frozen=True)
class DeriveSummary:
    created: int
    updated: int
    unchanged: int


def settlement(session: Session, contract_id: int, month: str) -> BreachMonth | None:
    return session.scalar(
        select(BreachMonth).where(
            BreachMonth.contract_id == contract_id, BreachMonth.month == month
        )
    )


def fee_due_date(contract: Contract, month: str) -> date:
    """Clause 三: the fee is due by the contract's Nth working day of the month."""
    year, mon = parse_month(month)
    return nth_working_day(year, mon, contract.payment_due_working_days)


def _refuse_if_settled(session: Session, contract: Contract, month: str) -> None:
    if settlement(session, contract.id, month) is not None:
        raise MonthSettled(str(_l("This month is settled: record a correction instead.")))


def _check_month_in_term(contract: Contract, month: str) -> None:
    first = f"{contract.first_day:%Y-%m}"
    last = f"{contract.end_date:%Y-%m}" if contract.end_date else "9999-12"
    if not first <= month <= last:
        raise LedgerError(str(_l("This month is outside the contract's term.")))


def _note(entry: BreachEntry, action: str, side: str, author: User | None, body: str = "",
          before: str | None = None, after: str | None = None) -> None:  # fmt: skip
    entry.notes.append(
        BreachNote(action=action, side=side, author_id=author.id if author else None,
                   body=body, from_status=before, to_status=after)
    )  # fmt: skip


def _ticket_items(contract: Contract, month: str, now: datetime, terms, conn) -> list[dict]:
    start, end = month_bounds(month, contract.timezone)
    frame = analysis.read_tickets(conn, contract.id, start, end)
    report = analysis.sla_compliance(
        frame, now, months=[month], inquiry_hours=contract.inquiry_hours,
        complaint_hours=contract.complaint_hours, timezone=contract.timezone,
    )  # fmt: skip
    late = report.breaches
    items = []
    for ticket_kind, kind in TICKET_KINDS.items():
        received = int((frame["kind"] == ticket_kind).sum())
        allowed = amounts.tolerance(terms.get(kind), received)
        cost = amounts.per_breach(terms.get(kind), contract.monthly_fee)
        rows = late[late["kind"] == ticket_kind].sort_values(["received_at", "external_id"])
        for position, row in enumerate(rows.itertuples(index=False)):
            inside = position < allowed
            taken = None if row.still_open else round(float(row.hours_taken), 1)
            items.append({
                "key": f"ticket:{row.external_id}",
                "kind": kind,
                "evidence": {
                    "ticket": str(row.external_id),
                    "hours_allowed": int(row.hours_allowed),
                    "hours_taken": taken,
                    "hours_over": round(float(row.hours_over), 1),
                    "still_open": bool(row.still_open),
                    "tickets_in_month": received,
                    "tolerance": allowed,
                },
                "within_tolerance": inside,
                "amount": amounts.ZERO if inside else cost,
            })  # fmt: skip
    return items


def _survey_item(session: Session, contract: Contract, month: str, now: datetime, terms):
    """Clause 一(3): once the month is over, its survey must have run and its report issued."""
    if now < month_bounds(month, contract.timezone)[1]:
        return None
    cycle = session.scalar(
        select(Cycle).where(Cycle.contract_id == contract.id, Cycle.month == month)
    )
    if cycle is None or cycle.status != "closed":
        reason = "survey_not_run"
    elif not session.scalar(
        select(func.count(Report.id)).where(
            Report.contract_id == contract.id, Report.month == month
        )
    ):
        reason = "report_not_issued"
    else:
        return None
    kind = BreachKind.SURVEY_MISSED
    return {
        "key": "survey",
        "kind": kind,
        "evidence": {"reason": reason},
        "within_tolerance": False,
        "amount": amounts.per_breach(terms.get(kind), contract.monthly_fee),
    }


def payment_days_late(contract: Contract, payments: list[FeePayment], due: date,
                      today: date) -> tuple[Decimal, list[tuple[Decimal, int]]]:  # fmt: skip
    """The fee still unpaid today and, for each late portion, its amount and days late (paid
    late: until paid; still unpaid: until today)."""
    fee = contract.monthly_fee
    remaining, portions = fee, []
    for payment in sorted(payments, key=lambda p: (p.paid_on, p.id or 0)):
        part = min(payment.amount, remaining)
        if part <= 0:
            break
        if payment.paid_on > due:
            portions.append((part, (payment.paid_on - due).days))
        remaining -= part
    if remaining > 0 and today > due:
        portions.append((remaining, (today - due).days))
    return remaining, portions


def _payment_item(session: Session, contract: Contract, month: str, now: datetime, terms):
    """Clause 三: the fee not paid by the due working day is Party B's breach."""
    if contract.monthly_fee <= 0:
        return None
    due = fee_due_date(contract, month)
    today = now.astimezone(ZoneInfo(contract.timezone)).date()
    payments = session.scalars(
        select(FeePayment).where(FeePayment.contract_id == contract.id, FeePayment.month == month)
    ).all()
    unpaid, portions = payment_days_late(contract, list(payments), due, today)
    if not portions:
        return None
    kind = BreachKind.LATE_PAYMENT
    term = terms.get(kind)
    total = sum((amounts.late_payment(term, part, days) for part, days in portions), amounts.ZERO)
    return {
        "key": "payment",
        "kind": kind,
        "evidence": {
            "due_on": due.isoformat(),
            "fee": str(contract.monthly_fee),
            "paid": [{"on": p.paid_on.isoformat(), "amount": str(p.amount)}
                     for p in sorted(payments, key=lambda p: p.paid_on)],
            "unpaid": str(unpaid),
            "days_late": max(days for _part, days in portions),
        },
        "within_tolerance": False,
        "amount": total,
    }  # fmt: skip


def derive_month(
    session: Session, contract: Contract, month: str, now: datetime, actor: User | None = None
) -> DeriveSummary:
    """Bring the month's derived entries up to date with the platform's records."""
    _check_month_in_term(contract, month)
    _refuse_if_settled(session, contract, month)
    terms = terms_of(session, contract.id)
    items = _ticket_items(contract, month, now, terms, session.connection())
    items += [
        item
        for item in (
            _survey_item(session, contract, month, now, terms),
            _payment_item(session, contract, month, now, terms),
        )
        if item is not None
    ]
    existing = {
        e.key: e
        for e in session.scalars(
            select(BreachEntry).where(
                BreachEntry.contract_id == contract.id, BreachEntry.month == month
            )
        )
    }
    created = updated = unchanged = 0
    for item in items:
        entry = existing.get(item["key"])
        if entry is None:
            entry = BreachEntry(
                contract_id=contract.id, month=month, key=item["key"], kind=item["kind"],
                clause_ref=CLAUSES[item["kind"]], source=EntrySource.DERIVED,
                evidence=item["evidence"], within_tolerance=item["within_tolerance"],
                amount=item["amount"], status=EntryStatus.OPEN,
                created_by_id=actor.id if actor else None,
            )  # fmt: skip
            session.add(entry)
            _note(entry, "derived", "system", actor, after=EntryStatus.OPEN)
            created += 1
        elif (entry.evidence, entry.within_tolerance, entry.amount) != (
            item["evidence"],
            item["within_tolerance"],
            item["amount"],
        ):
            body = f"{entry.amount} → {item['amount']}"
            moved = entry.amount != item["amount"]
            entry.evidence = item["evidence"]
            entry.within_tolerance = item["within_tolerance"]
            entry.amount = item["amount"]
            _note(entry, "recomputed", "system", actor, body)
            if moved:
                _reopen(entry, actor)
            updated += 1
        else:
            unchanged += 1
    found = {item["key"] for item in items}
    for entry in existing.values():  # derived once, no longer in the records: withdrawn
        if entry.source != EntrySource.DERIVED or entry.key in found:
            continue
        if entry.amount != amounts.ZERO:
            body = f"{entry.amount} → {amounts.ZERO}"
            entry.amount = amounts.ZERO
            _note(entry, "withdrawn", "system", actor, body)
            _reopen(entry, actor)
            updated += 1
    if created or updated:
        record(session, "breach_register.derived", actor=actor, subject=contract,
               organization_id=contract.provider_id,
               details={"month": month, "created": created, "updated": updated})  # fmt: skip
    session.commit()
    return DeriveSummary(created, updated, unchanged)


def _reopen(entry: BreachEntry, actor: User | None) -> None:
    """An amount the client agreed to or disputed has changed: it is open for review again."""
    if entry.status in (EntryStatus.ACKNOWLEDGED, EntryStatus.DISPUTED):
        before = entry.status
        entry.status = EntryStatus.OPEN
        _note(entry, "reopen", "system", actor, "", before, EntryStatus.OPEN)


def record_entry(
    session: Session,
    contract: Contract,
    month: str,
    *,
    kind: str,
    responsible: str,
    occurred_on: date | None,
    description: str,
    evidence: str,
    actor: User,
) -> BreachEntry:
    """A breach the platform cannot see (a confidentiality incident, a service not delivered):
    who, when, what and the evidence, costed under the terms."""
    if kind not in RECORDABLE:
        raise LedgerError(str(_l("Choose the kind of breach.")))
    responsible, description, evidence = (s.strip() for s in (responsible, description, evidence))
    if not responsible or not description or occurred_on is None:
        raise LedgerError(str(_l("Say who, when and what.")))
    year, mon = parse_month(month)
    if (occurred_on.year, occurred_on.month) != (year, mon):
        raise LedgerError(str(_l("The date must fall in this month.")))
    _check_month_in_term(contract, month)
    _refuse_if_settled(session, contract, month)
    kind = BreachKind(kind)
    term = terms_of(session, contract.id).get(kind)
    before = session.scalar(
        select(func.count(BreachEntry.id)).where(
            BreachEntry.contract_id == contract.id, BreachEntry.month == month,
            BreachEntry.kind == kind,
        )
    )  # fmt: skip
    inside = before < amounts.tolerance(term, 0)
    entry = BreachEntry(
        contract_id=contract.id, month=month, key=f"recorded:{uuid.uuid4().hex[:12]}",
        kind=kind, clause_ref=CLAUSES[kind], source=EntrySource.RECORDED,
        evidence={"evidence": evidence[:2000]}, within_tolerance=inside,
        amount=amounts.ZERO if inside else amounts.per_breach(term, contract.monthly_fee),
        responsible=responsible[:200], occurred_on=occurred_on, description=description[:2000],
        status=EntryStatus.OPEN, created_by_id=actor.id,
    )  # fmt: skip
    session.add(entry)
    _note(entry, "recorded", "provider", actor, description[:2000], after=EntryStatus.OPEN)
    session.flush()
    record(session, "breach_entry.recorded", actor=actor, subject=entry,
           organization_id=contract.provider_id,
           details={"contract": contract.number, "month": month, "kind": kind})  # fmt: skip
    session.commit()
    return entry


def _check_open_to_change(session: Session, entry: BreachEntry) -> None:
    """Settled months are locked; only their corrections still move until settled."""
    locked = settlement(session, entry.contract_id, entry.month) is not None
    if entry.status == EntryStatus.SETTLED or (locked and entry.source != EntrySource.CORRECTION):
        raise MonthSettled(str(_l("This month is settled: record a correction instead.")))


def respond(
    session: Session, entry: BreachEntry, actor: User, action: str, body: str
) -> BreachEntry:
    """The client acknowledges, disputes or comments; the provider answers, waives or reopens.
    Each step is a note in the entry's thread and an audit event."""
    side = "provider" if actor.role_enum.is_provider else "client"
    actions = PROVIDER_ACTIONS if side == "provider" else CLIENT_ACTIONS
    if action not in actions:
        raise LedgerError(str(_l("Choose what to do.")))
    body = (body or "").strip()[:2000]
    if action in NEEDS_WORDS and not body:
        raise LedgerError(str(_l("Write a comment.")))
    _check_open_to_change(session, entry)
    allowed, target = actions[action]
    before = entry.status
    if allowed is not None and before not in allowed:
        raise LedgerError(str(_l("This entry cannot take that step now.")))
    if target is not None:
        entry.status = target
    _note(entry, action, side, actor, body, before, entry.status)
    record(session, AUDIT_ACTIONS[action], actor=actor, subject=entry,
           organization_id=_provider_of(session, entry),
           details={"month": entry.month, "from": before, "to": entry.status})  # fmt: skip
    session.commit()
    return entry


def _provider_of(session: Session, entry: BreachEntry) -> int:
    return session.get(Contract, entry.contract_id).provider_id


def settle_month(session: Session, contract: Contract, month: str, actor: User,
                 totals: tuple[Decimal, Decimal]) -> BreachMonth:  # fmt: skip
    """Lock the month once nothing is open or disputed: acknowledged entries become settled.
    Settling again after corrections settles the corrections (the settled totals stay)."""
    entries = session.scalars(
        select(BreachEntry).where(BreachEntry.contract_id == contract.id,
                                  BreachEntry.month == month)
    ).all()  # fmt: skip
    pending = [e for e in entries if e.status in (EntryStatus.OPEN, EntryStatus.DISPUTED)]
    if pending:
        raise LedgerError(str(_l("Entries still open or disputed: agree on them first.")))
    existing = settlement(session, contract.id, month)
    if existing is not None and not any(e.status == EntryStatus.ACKNOWLEDGED for e in entries):
        raise MonthSettled(str(_l("This month is settled already.")))
    for entry in entries:
        if entry.status == EntryStatus.ACKNOWLEDGED:
            entry.status = EntryStatus.SETTLED
            _note(entry, "settled", "provider", actor, "", EntryStatus.ACKNOWLEDGED,
                  EntryStatus.SETTLED)  # fmt: skip
    terms = terms_of(session, contract.id)
    month_row = existing or BreachMonth(
        contract_id=contract.id, month=month, provider_total=totals[0], client_total=totals[1],
        settled_by_id=actor.id, settled_fee=contract.monthly_fee,
        settled_caps={kind.value: _text(amounts.monthly_cap(term, contract.monthly_fee))
                      for kind, term in terms.items()},
    )  # fmt: skip
    session.add(month_row)
    record(session, "breach_month.settled", actor=actor, subject=contract,
           organization_id=contract.provider_id,
           details={"month": month, "provider_total": str(totals[0]),
                    "client_total": str(totals[1]), "again": existing is not None})  # fmt: skip
    session.commit()
    return month_row


def correct_entry(session: Session, entry: BreachEntry, actor: User, amount: Any,
                  reason: str) -> BreachEntry:  # fmt: skip
    """After settlement, a change is a new entry beside the settled one: its amount (negative
    to give back), its reason, its own review."""
    if settlement(session, entry.contract_id, entry.month) is None:
        raise LedgerError(str(_l("The month is not settled: change the entry itself.")))
    reason = (reason or "").strip()[:2000]
    try:
        value = amounts.money(str(amount).strip())
    except ArithmeticError:
        raise LedgerError(str(_l("Not a number."))) from None
    if not reason or value == 0 or abs(value) > Decimal("9999999999.99"):
        raise LedgerError(str(_l("Give the amount of the correction and its reason.")))
    correction = BreachEntry(
        contract_id=entry.contract_id, month=entry.month,
        key=f"correction:{entry.id}:{uuid.uuid4().hex[:8]}", kind=entry.kind,
        clause_ref=entry.clause_ref, source=EntrySource.CORRECTION,
        evidence={"corrects": entry.id}, amount=value, description=reason,
        corrects_id=entry.id, status=EntryStatus.OPEN, created_by_id=actor.id,
    )  # fmt: skip
    session.add(correction)
    _note(correction, "corrected", "provider", actor, reason, after=EntryStatus.OPEN)
    session.flush()
    record(session, "breach_entry.corrected", actor=actor, subject=correction,
           organization_id=_provider_of(session, entry),
           details={"corrects": entry.id, "amount": str(value), "month": entry.month})  # fmt: skip
    session.commit()
    return correction


def record_payment(session: Session, contract: Contract, month: str, paid_on: date | None,
                   amount: Any, actor: User) -> FeePayment:  # fmt: skip
    """A payment of the month's fee (clause 三), as the provider received it."""
    try:
        value = amounts.money(str(amount).strip())
    except ArithmeticError:
        raise LedgerError(str(_l("Not a number."))) from None
    if paid_on is None or value <= 0 or value > Decimal("9999999999.99"):
        raise LedgerError(str(_l("Give the date and the amount paid.")))
    _check_month_in_term(contract, month)
    _refuse_if_settled(session, contract, month)  # the settled statement's payment state holds
    payment = FeePayment(contract_id=contract.id, month=month, paid_on=paid_on, amount=value,
                         recorded_by_id=actor.id)  # fmt: skip
    session.add(payment)
    session.flush()
    record(
        session,
        "fee_payment.recorded",
        actor=actor,
        subject=contract,
        organization_id=contract.provider_id,
        details={"month": month, "paid_on": paid_on.isoformat(), "amount": str(value)},
    )
    session.commit()
    return payment


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
