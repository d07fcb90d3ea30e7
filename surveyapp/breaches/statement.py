"""The monthly statement: the month's breaches by clause, the amounts under the terms with the
cap applied, each entry's status, the fee's payment status and the running year to date.

One function builds it for the page, the PDF and the API. Waived entries cost nothing; the cap
applies to each kind's entries as derived or recorded; corrections after settlement are added
beside the cap, as the explicit amounts they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    BreachEntry,
    BreachKind,
    BreachMonth,
    Contract,
    EntrySource,
    EntryStatus,
    FeePayment,
)
from . import amounts
from .calendar import UnknownCalendarYear
from .register import fee_due_date
from .terms import CLAUSES, terms_of

ORDER = list(BreachKind)


@dataclass(frozen=True)
class KindLine:
    """One kind of breach in the month: its entries and what they cost."""

    kind: str
    clause_ref: str
    party: str
    count: int
    within_tolerance: int
    gross: Decimal
    cap: Decimal | None
    payable: Decimal
    corrections: Decimal

    @property
    def cap_applied(self) -> bool:
        return self.cap is not None and self.gross > self.cap


@dataclass(frozen=True)
class PaymentStatus:
    fee: Decimal
    due_on: date | None  # None when the calendar does not know the year yet
    paid: Decimal
    payments: tuple[FeePayment, ...]
    state: str  # paid_on_time | paid_late | unpaid | not_due | no_fee | unknown_calendar
    calendar_year_missing: int | None = None


@dataclass(frozen=True)
class Statement:
    contract: Contract
    month: str
    entries: tuple[BreachEntry, ...]
    lines: tuple[KindLine, ...]
    provider_total: Decimal  # Party A owes (clauses 一, 二, 四)
    client_total: Decimal  # Party B owes (clause 三)
    payment: PaymentStatus
    settled: BreachMonth | None
    ytd_provider: Decimal
    ytd_client: Decimal
    counts: dict[str, int] = field(default_factory=dict)
    settled_on: date | None = None  # the settlement's date in the contract's time zone


def _entries(session: Session, contract_id: int, months: list[str]) -> list[BreachEntry]:
    return list(
        session.scalars(
            select(BreachEntry)
            .where(BreachEntry.contract_id == contract_id, BreachEntry.month.in_(months))
            .order_by(BreachEntry.month, BreachEntry.id)
        )
    )


def kind_lines(
    entries: list[BreachEntry], terms: dict, fee: Decimal, settled: BreachMonth | None = None
) -> list[KindLine]:
    """The month's lines by kind; a settled month keeps the caps it was settled under."""
    lines = []
    for kind in ORDER:
        own = [e for e in entries if e.kind == kind]
        if not own:
            continue
        counted = [e for e in own if e.status != EntryStatus.WAIVED]
        regular = [e for e in counted if e.source != EntrySource.CORRECTION]
        gross = sum((e.amount for e in regular), amounts.ZERO)
        if settled is not None and settled.settled_caps is not None:
            kept = settled.settled_caps.get(kind.value)
            cap = None if kept is None else Decimal(kept)
        else:
            cap = amounts.monthly_cap(terms.get(kind), fee)
        corrections = sum(
            (e.amount for e in counted if e.source == EntrySource.CORRECTION), amounts.ZERO
        )
        lines.append(
            KindLine(
                kind=kind,
                clause_ref=CLAUSES[kind],
                party=kind.party,
                count=len(regular),
                within_tolerance=sum(e.within_tolerance for e in regular),
                gross=gross,
                cap=cap,
                payable=amounts.capped(gross, cap),
                corrections=corrections,
            )  # fmt: skip
        )
    return lines


def _totals(lines: list[KindLine]) -> tuple[Decimal, Decimal]:
    provider = sum((x.payable + x.corrections for x in lines if x.party == "provider"),
                   amounts.ZERO)  # fmt: skip
    client = sum((x.payable + x.corrections for x in lines if x.party == "client"), amounts.ZERO)
    return provider, client


def payment_status(
    session: Session, contract: Contract, month: str, today: date, fee: Decimal | None = None
) -> PaymentStatus:
    """The month's fee against its payments; ``fee`` as settled, else the contract's."""
    payments = tuple(
        session.scalars(
            select(FeePayment)
            .where(FeePayment.contract_id == contract.id, FeePayment.month == month)
            .order_by(FeePayment.paid_on, FeePayment.id)
        )
    )
    paid = sum((p.amount for p in payments), amounts.ZERO)
    fee = contract.monthly_fee if fee is None else fee
    try:
        due = fee_due_date(contract, month)
    except UnknownCalendarYear as error:
        return PaymentStatus(fee, None, paid, payments, "unknown_calendar", error.year)
    if fee <= 0:
        state = "no_fee"
    elif paid >= fee:
        running, paid_by = amounts.ZERO, None
        for p in payments:
            running += p.amount
            if running >= fee:
                paid_by = p.paid_on
                break
        state = "paid_on_time" if paid_by is not None and paid_by <= due else "paid_late"
    else:
        state = "unpaid" if today > due else "not_due"
    return PaymentStatus(fee, due, paid, payments, state)


def month_statement(session: Session, contract: Contract, month: str, now: datetime) -> Statement:
    terms = terms_of(session, contract.id)
    year = month[:4]
    months = [f"{year}-{m:02d}" for m in range(1, int(month[5:]) + 1)]
    every = _entries(session, contract.id, months)
    entries = [e for e in every if e.month == month]
    settled_months = {
        row.month: row
        for row in session.scalars(
            select(BreachMonth).where(
                BreachMonth.contract_id == contract.id, BreachMonth.month.in_(months)
            )
        )
    }
    lines = kind_lines(entries, terms, contract.monthly_fee, settled_months.get(month))
    provider_total, client_total = _totals(lines)
    ytd_provider = ytd_client = amounts.ZERO
    for m in months:
        own = [e for e in every if e.month == m]
        if own:
            kept = settled_months.get(m)
            a, b = _totals(kind_lines(own, terms, contract.monthly_fee, kept))
            ytd_provider += a
            ytd_client += b
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.status] = counts.get(entry.status, 0) + 1
    zone = ZoneInfo(contract.timezone)  # "today" and dates as the contract reads them
    settled = settled_months.get(month)  # read once with the year's settled months above
    return Statement(
        contract=contract, month=month, entries=tuple(entries), lines=tuple(lines),
        provider_total=provider_total, client_total=client_total,
        payment=payment_status(session, contract, month, now.astimezone(zone).date(),
                               settled.settled_fee if settled else None),
        settled=settled,
        ytd_provider=ytd_provider, ytd_client=ytd_client, counts=counts,
        settled_on=settled.settled_at.astimezone(zone).date() if settled else None,
    )  # fmt: skip


def months_with_entries(session: Session, contract_id: int) -> list[str]:
    return list(
        session.scalars(
            select(BreachEntry.month)
            .where(BreachEntry.contract_id == contract_id)
            .distinct()
            .order_by(BreachEntry.month.desc())
        )
    )
