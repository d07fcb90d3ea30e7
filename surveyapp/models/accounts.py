"""One-time links of the account pages: invitations, password resets and the first-run code.

Only the SHA-256 of a link's secret is stored. A link works once (``spent_at``) and until
``expires_at``; issuing a new one for the same person and purpose spends the old ones.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin
from .organizations import User
from .types import UTCDateTime


class LinkPurpose(StrEnum):
    INVITATION = "invitation"  # set a password (and name) for an invited user: 72 h
    PASSWORD_RESET = "password_reset"  # "forgot password": 1 h
    SETUP = "setup"  # the first-run code printed by ``flask init-db``: no user yet


class AccountLink(TimestampMixin, Base):
    __tablename__ = "account_links"
    __table_args__ = (
        CheckConstraint(" OR ".join(f"purpose = '{p}'" for p in LinkPurpose), name="purpose"),
        CheckConstraint("purpose = 'setup' OR user_id IS NOT NULL", name="user_needed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    spent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
