"""Closed loop (clause 一(3)): follow-up rules per contract, consent, follow-up cases (回访).

A response with a low score or a complaint comment opens one ``FollowupCase`` in the response's
own transaction (``surveyapp.followup.cases.open_cases``); the response id is UNIQUE here, so a
response never has two cases. The customer's answer to "May we contact you about your answers?"
is kept in ``ResponseConsent``; without a yes a case stays anonymous.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, utcnow
from .contracts import Contract
from .organizations import User, _in
from .types import UTCDateTime


class CaseStatus(StrEnum):
    OPEN = "open"
    CONTACTED = "contacted"
    RESOLVED = "resolved"
    DECLINED = "declined"  # the customer declined the follow-up

    @property
    def closed(self) -> bool:
        return self in (CaseStatus.RESOLVED, CaseStatus.DECLINED)


class AlertMode(StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"
    OFF = "off"


class FollowupRule(Base):
    """A contract's trigger rules; a contract without a row uses the defaults (all on)."""

    __tablename__ = "followup_rules"
    __table_args__ = (
        CheckConstraint("nps_max IS NULL OR nps_max BETWEEN 0 AND 10", name="nps_max"),
        CheckConstraint("rating_max IS NULL OR rating_max BETWEEN 1 AND 5", name="rating_max"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), unique=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    nps_max: Mapped[int | None] = mapped_column(Integer)  # None: this rule is off
    rating_max: Mapped[int | None] = mapped_column(Integer)
    comment_themes: Mapped[str] = mapped_column(String(200), default="complaint")
    ask_consent: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ResponseConsent(Base):
    """The customer's answer to "May we contact you about your answers?" (no row: not asked)."""

    __tablename__ = "response_consents"

    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    may_contact: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FollowupCase(TimestampMixin, Base):
    """回访: which answers triggered it, the dimension and clause, due time, owner, status."""

    __tablename__ = "followup_cases"
    __table_args__ = (
        CheckConstraint(_in("status", CaseStatus), name="status"),
        CheckConstraint("due_at > opened_at", name="due"),
        Index(None, "contract_id", "status"),
        Index(None, "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"))
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), unique=True
    )
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    triggers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    dimension: Mapped[str | None] = mapped_column(String(40))
    clause_ref: Mapped[str | None] = mapped_column(String(20))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=CaseStatus.OPEN)
    may_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    contract: Mapped[Contract] = relationship()
    owner: Mapped[User | None] = relationship()

    def overdue(self, now: datetime) -> bool:
        return self.followed_up_at is None and now > self.due_at


class AlertPreference(Base):
    """How a user hears of new cases: an e-mail per case, a daily digest, or none."""

    __tablename__ = "alert_preferences"
    __table_args__ = (CheckConstraint(_in("mode", AlertMode), name="mode"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    mode: Mapped[str] = mapped_column(String(16), default=AlertMode.IMMEDIATE)
