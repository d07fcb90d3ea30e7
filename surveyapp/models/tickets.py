"""Tickets: the inquiries and complaints handled for the client, evidence for 一(1) and 一(2)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, TimestampMixin, utcnow
from .organizations import _in
from .types import UTCDateTime


class TicketKind(StrEnum):
    INQUIRY = "inquiry"
    COMPLAINT = "complaint"


class Ticket(TimestampMixin, Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("contract_id", "external_id"),
        CheckConstraint(_in("kind", TicketKind), name="kind"),
        # a contract's tickets of a period (SLA compliance): without it a year of one
        # contract was read through every contract's tickets of that year
        Index(None, "contract_id", "received_at"),
        # a customer's tickets (the SLA x satisfaction join, issue #23)
        Index(None, "contract_id", "customer_ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"))
    external_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str | None] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    first_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The client's customer number (``Customer.ref``), the agent who handled the ticket last and
    # the team that agent worked in then (kept when the agent moves): issue #23.
    customer_ref: Mapped[str | None] = mapped_column(String(64))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
