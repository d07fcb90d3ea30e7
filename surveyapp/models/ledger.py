"""The autopilot's ledger: one row per contract, survey month and step of the monthly cycle.

``tick`` reads it to know what is done and writes it as it works, so a second tick (at the same
moment, or after a crash) neither repeats a finished step nor loses one that failed.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .organizations import _in
from .types import UTCDateTime


class StepStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class AutopilotStep(Base):
    __tablename__ = "autopilot_steps"
    __table_args__ = (
        UniqueConstraint("contract_id", "month", "step"),
        CheckConstraint(_in("status", StepStatus), name="status"),
        CheckConstraint("attempts >= 0", name="attempts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    step: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), default=StepStatus.RUNNING)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(300))
