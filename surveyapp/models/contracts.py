"""Service contracts between the provider and a client, their clauses and score targets."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
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
from .organizations import Organization, User, _in
from .types import UTCDateTime


class ContractStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ENDED = "ended"


class Contract(TimestampMixin, Base):
    """合同: the SLA hours (clauses 一(1), 一(2)) and the monthly survey schedule (一(3))."""

    __tablename__ = "contracts"
    __table_args__ = (
        CheckConstraint(_in("status", ContractStatus), name="status"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),
        CheckConstraint("inquiry_hours > 0 AND complaint_hours > 0", name="sla_hours"),
        CheckConstraint("survey_open_day BETWEEN 1 AND 28", name="open_day"),
        CheckConstraint("survey_open_days BETWEEN 1 AND 28", name="open_days"),
        CheckConstraint("reminder_after_days >= 1 AND max_reminders >= 0", name="reminders"),
        CheckConstraint("monthly_fee >= 0", name="fee"),
        CheckConstraint("provider_id <> client_id", name="parties"),
        CheckConstraint("payment_due_working_days BETWEEN 1 AND 28", name="payment_term"),
        UniqueConstraint("provider_id", "number"),
        CheckConstraint("sla_attribution IN ('last_agent', 'all_agents')", name="attribution"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(200))
    provider_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id"))
    status: Mapped[str] = mapped_column(String(16), default=ContractStatus.ACTIVE)
    signed_on: Mapped[date | None] = mapped_column(Date)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    # Ended before its end date by written agreement (clause 七): when, and the agreement.
    ended_on: Mapped[date | None] = mapped_column(Date)
    termination_ref: Mapped[str | None] = mapped_column(String(100))
    monthly_fee: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    # Clause 三: the fee is paid within the first N working days of each month.
    payment_due_working_days: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    # The parties as the contract names them (header): copied from the organizations when the
    # contract is made, edited with the contract.
    provider_address: Mapped[str | None] = mapped_column(String(300))
    provider_contact: Mapped[str | None] = mapped_column(String(100))
    provider_phone: Mapped[str | None] = mapped_column(String(40))
    client_address: Mapped[str | None] = mapped_column(String(300))
    client_contact: Mapped[str | None] = mapped_column(String(100))
    client_phone: Mapped[str | None] = mapped_column(String(40))
    inquiry_hours: Mapped[int] = mapped_column(Integer, default=24)
    complaint_hours: Mapped[int] = mapped_column(Integer, default=48)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    survey_open_day: Mapped[int] = mapped_column(Integer, default=1)
    survey_open_days: Mapped[int] = mapped_column(Integer, default=14)
    reminder_after_days: Mapped[int] = mapped_column(Integer, default=5)
    max_reminders: Mapped[int] = mapped_column(Integer, default=2)
    target_nps: Mapped[int] = mapped_column(Integer, default=30)
    target_response_rate: Mapped[int] = mapped_column(Integer, default=30)
    # Which agents a response is attributed to in the SLA x satisfaction join (issue #23): the
    # last agent of the customer's latest ticket, or every agent of its tickets, equally weighted.
    sla_attribution: Mapped[str] = mapped_column(
        String(16), default="last_agent", server_default="last_agent"
    )

    provider: Mapped[Organization] = relationship(foreign_keys=[provider_id])
    client: Mapped[Organization] = relationship(foreign_keys=[client_id])
    owner: Mapped[User | None] = relationship()
    clauses: Mapped[list[Clause]] = relationship(
        back_populates="contract", order_by="Clause.position", cascade="all, delete-orphan"
    )
    targets: Mapped[list[DimensionTarget]] = relationship(
        back_populates="contract", cascade="all, delete-orphan"
    )
    terms: Mapped[list[ContractTerm]] = relationship(
        back_populates="contract", order_by="ContractTerm.start_date", cascade="all, delete-orphan"
    )

    @property
    def first_day(self) -> date:
        """The first day of the first term: a renewed contract's months go back to it."""
        return min([self.start_date, *(t.start_date for t in self.terms)])


class ContractTerm(Base):
    """An earlier term of a renewed contract: its number and dates before the renewal.

    A renewal gives the contract a new number and dates and keeps its id, so its months,
    customers and trends continue across both terms; the earlier number stays here.
    """

    __tablename__ = "contract_terms"
    __table_args__ = (UniqueConstraint("contract_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(50))
    signed_on: Mapped[date | None] = mapped_column(Date)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    renewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    contract: Mapped[Contract] = relationship(back_populates="terms")


class Clause(Base):
    """One clause of the contract, e.g. ``一(2)`` complaints solved within 48 hours."""

    __tablename__ = "clauses"
    __table_args__ = (UniqueConstraint("contract_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    ref: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title_zh: Mapped[str] = mapped_column(String(100))
    title_en: Mapped[str] = mapped_column(String(100))
    obligation_zh: Mapped[str] = mapped_column(Text)
    obligation_en: Mapped[str] = mapped_column(Text)

    contract: Mapped[Contract] = relationship(back_populates="clauses")


class DimensionTarget(Base):
    """The score the contract aims at for one survey dimension."""

    __tablename__ = "dimension_targets"
    __table_args__ = (
        UniqueConstraint("contract_id", "dimension"),
        CheckConstraint("target_mean BETWEEN 1 AND 5", name="mean"),
        CheckConstraint("target_csat BETWEEN 0 AND 100", name="csat"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    dimension: Mapped[str] = mapped_column(String(40))
    clause_ref: Mapped[str | None] = mapped_column(String(20))
    target_mean: Mapped[Decimal] = mapped_column(Numeric(3, 2), default=Decimal("4.00"))
    target_csat: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("80.00"))

    contract: Mapped[Contract] = relationship(back_populates="targets")
