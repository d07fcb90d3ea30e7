"""What the public survey page keeps beside the responses: the client's logo and drafts.

``ContractLogo``: the image shown on a contract's survey (uploaded by a provider admin, checked
by its magic bytes and size in ``survey.branding``), served from our own origin.
``ResponseDraft``: the answers a customer saved with "save and finish later" (the no-JavaScript
path); one per invitation, never counted as a response, deleted when the response is stored
or the month closes (``survey.drafts``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .types import UTCDateTime

LOGO_TYPES = ("image/png", "image/jpeg", "image/webp")


class ContractLogo(Base):
    __tablename__ = "contract_logos"
    __table_args__ = (
        CheckConstraint(
            "content_type IN (" + ", ".join(f"'{t}'" for t in LOGO_TYPES) + ")", name="type"
        ),
        CheckConstraint("size_bytes > 0 AND size_bytes <= 262144", name="size"),
    )

    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True
    )
    content: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str] = mapped_column(String(16))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ResponseDraft(Base):
    __tablename__ = "response_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), unique=True
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)  # field name -> list of posted values
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
