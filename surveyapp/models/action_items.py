"""Improvement action items: a finding tied to a contract clause, its remedy and its effect."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, utcnow
from .organizations import User, _in
from .types import UTCDateTime


class ActionStatus(StrEnum):
    PROPOSED = "proposed"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DISMISSED = "dismissed"


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Effect(StrEnum):
    """The verdict of analysis.effects: p < 0.05 for improved / worse; ``target_met`` is a
    target crossed without a significant change; ``unchanged`` reads "no clear change"."""

    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    WORSE = "worse"
    TARGET_MET = "target_met"


class ActionItem(TimestampMixin, Base):
    __tablename__ = "action_items"
    __table_args__ = (
        UniqueConstraint("contract_id", "month", "key"),
        CheckConstraint(_in("status", ActionStatus), name="status"),
        CheckConstraint(_in("priority", Priority), name="priority"),
        CheckConstraint(f"effect IS NULL OR {_in('effect', Effect)}", name="effect"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"))
    month: Mapped[str] = mapped_column(String(7))
    key: Mapped[str] = mapped_column(String(80))  # rule + subject, makes proposals idempotent
    rule: Mapped[str] = mapped_column(String(32))
    clause_ref: Mapped[str] = mapped_column(String(20))
    dimension: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    remedy: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(String(8), default=Priority.MEDIUM)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=ActionStatus.PROPOSED)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    effect: Mapped[str | None] = mapped_column(String(12))
    effect_evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    owner: Mapped[User | None] = relationship()
