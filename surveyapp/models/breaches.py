"""The contract's breach ledger (clause 五, annexes 二, 四, 七): terms, fee payments, the monthly
register of breaches with its threads, and the month's settlement.

Money is ``Numeric(12, 2)`` in yuan, handled as :class:`decimal.Decimal`; amounts are rounded
to the fen with ROUND_HALF_UP (``surveyapp.breaches.amounts.money``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, utcnow
from .organizations import User, _in
from .types import UTCDateTime


class BreachKind(StrEnum):
    """What annex 二 counts as breach, by the party that owes for it."""

    INQUIRY_LATE = "inquiry_late"  # Party A, 一(1): first reply after the inquiry hours
    COMPLAINT_LATE = "complaint_late"  # Party A, 一(2): no solution within the complaint hours
    SURVEY_MISSED = "survey_missed"  # Party A, 一(3): the month's survey or report missing
    CONFIDENTIALITY = "confidentiality"  # Party A, 四: customer information leaked
    SERVICE_NOT_DELIVERED = "service_not_delivered"  # Party A: agreed service not provided
    LATE_PAYMENT = "late_payment"  # Party B, 三: fee not paid by the Nth working day

    @property
    def party(self) -> str:
        return "client" if self is BreachKind.LATE_PAYMENT else "provider"


class EntryStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    DISPUTED = "disputed"
    WAIVED = "waived"
    SETTLED = "settled"


class EntrySource(StrEnum):
    DERIVED = "derived"  # from the platform's own records; re-derivation updates it
    RECORDED = "recorded"  # by provider staff (an incident the platform cannot see)
    CORRECTION = "correction"  # after settlement: a new, visible entry instead of an edit


class BreachTerm(Base):
    """How one kind of breach is counted and what it costs under one contract.

    Tolerance: the first ``tolerance_count`` breaches of the month cost nothing, or (share)
    ``tolerance_percent`` % of the month's tickets of that kind, rounded down. Cost per breach:
    ``amount`` yuan or ``fee_percent`` % of the monthly fee. Late payment instead costs
    ``daily_percent`` % of the unpaid fee per calendar day late. The month's total for the kind
    is capped at ``cap_amount`` and/or ``cap_fee_percent`` % of the fee (the lower applies).
    """

    __tablename__ = "breach_terms"
    __table_args__ = (
        UniqueConstraint("contract_id", "kind"),
        CheckConstraint(_in("kind", BreachKind), name="kind"),
        CheckConstraint(
            "tolerance_count IS NULL OR tolerance_percent IS NULL", name="one_tolerance"
        ),
        CheckConstraint("amount IS NULL OR fee_percent IS NULL", name="one_cost"),
        CheckConstraint(
            "(tolerance_count IS NULL OR tolerance_count >= 0)"
            " AND (tolerance_percent IS NULL OR tolerance_percent BETWEEN 0 AND 100)"
            " AND (amount IS NULL OR amount >= 0)"
            " AND (fee_percent IS NULL OR fee_percent BETWEEN 0 AND 100)"
            " AND (daily_percent IS NULL OR daily_percent BETWEEN 0 AND 100)"
            " AND (cap_amount IS NULL OR cap_amount >= 0)"
            " AND (cap_fee_percent IS NULL OR cap_fee_percent BETWEEN 0 AND 100)",
            name="ranges",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    tolerance_count: Mapped[int | None] = mapped_column(Integer)
    tolerance_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    fee_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    daily_percent: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    cap_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    cap_fee_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    preset: Mapped[str | None] = mapped_column(String(32))


class FeePayment(TimestampMixin, Base):
    """A payment of the monthly fee (clause 三), marked by a provider administrator."""

    __tablename__ = "fee_payments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    month: Mapped[str] = mapped_column(String(7))  # the fee month the payment is for
    paid_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class BreachEntry(TimestampMixin, Base):
    """One breach in a contract's month: clause, evidence (ticket ids and hours, never
    customer data), the amount under the terms, its status and thread."""

    __tablename__ = "breach_entries"
    __table_args__ = (
        UniqueConstraint("contract_id", "month", "key"),
        CheckConstraint(_in("kind", BreachKind), name="kind"),
        CheckConstraint(_in("status", EntryStatus), name="status"),
        CheckConstraint(_in("source", EntrySource), name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    month: Mapped[str] = mapped_column(String(7))
    # unique within the month: "ticket:<external id>", "survey", "payment", "recorded:<n>" ...
    key: Mapped[str] = mapped_column(String(140))
    kind: Mapped[str] = mapped_column(String(32))
    clause_ref: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(16), default=EntrySource.DERIVED)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    within_tolerance: Mapped[bool] = mapped_column(Boolean, default=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    status: Mapped[str] = mapped_column(String(16), default=EntryStatus.OPEN)
    # staff-recorded incidents: who (a role or team, not a customer), when, what
    responsible: Mapped[str | None] = mapped_column(String(200))
    occurred_on: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("breach_entries.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User | None] = relationship()
    notes: Mapped[list[BreachNote]] = relationship(
        back_populates="entry", order_by="BreachNote.id", cascade="all, delete-orphan"
    )

    @property
    def party(self) -> str:
        return BreachKind(self.kind).party


class BreachNote(Base):
    """One step of an entry's history: a comment, an acknowledgement, a dispute, an answer, a
    waiver, a recomputation, the settlement; kept for good (clause 六: negotiation first)."""

    __tablename__ = "breach_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("breach_entries.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(32))
    side: Mapped[str] = mapped_column(String(16))  # provider | client | system
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text, default="")
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entry: Mapped[BreachEntry] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()


class BreachMonth(Base):
    """A settled month: the register is locked, its totals as settled."""

    __tablename__ = "breach_months"
    __table_args__ = (UniqueConstraint("contract_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    month: Mapped[str] = mapped_column(String(7))
    provider_total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    client_total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    settled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    settled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # the terms as they stood when settled: each kind's monthly cap (yuan, null = none) and the
    # monthly fee, so a later change of terms or fee never moves a settled statement
    settled_caps: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    settled_fee: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
