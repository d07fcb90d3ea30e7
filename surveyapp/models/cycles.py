"""A contract's survey month (clause 一(3)) and the personal invitations in it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin
from .contracts import Contract
from .customers import Customer
from .organizations import _in
from .surveys import SurveyVersion
from .types import UTCDateTime


class CycleStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    LINK = "link"
    QR = "qr"


class Cycle(TimestampMixin, Base):
    __tablename__ = "cycles"
    __table_args__ = (
        UniqueConstraint("contract_id", "month"),
        CheckConstraint(_in("status", CycleStatus), name="status"),
        CheckConstraint("length(month) = 7", name="month"),
        CheckConstraint("closes_at > opens_at", name="window"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"))
    month: Mapped[str] = mapped_column(String(7))  # "2026-11"
    survey_version_id: Mapped[int] = mapped_column(ForeignKey("survey_versions.id"))
    status: Mapped[str] = mapped_column(String(16), default=CycleStatus.DRAFT)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    historical: Mapped[bool] = mapped_column(Boolean, default=False)

    contract: Mapped[Contract] = relationship()
    survey_version: Mapped[SurveyVersion] = relationship()


class Invitation(TimestampMixin, Base):
    """One customer in one cycle. Only the SHA-256 of the link's token is stored."""

    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("cycle_id", "customer_id"),
        CheckConstraint(_in("channel", Channel), name="channel"),
        CheckConstraint("reminders_sent >= 0 AND send_attempts >= 0", name="counts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(8), default=Channel.EMAIL)
    locale: Mapped[str] = mapped_column(String(8), default="zh_CN")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    send_attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Not mailed: the same person was invited under another of the provider's contracts within
    # the provider's contact-frequency cap (surveyapp/cycles/sending.py).
    held_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    cycle: Mapped[Cycle] = relationship()
    customer: Mapped[Customer] = relationship()
