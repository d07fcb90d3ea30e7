"""The client's customers: confidential contact data (clause 四), encrypted at rest.

Contact fields are stored only as ciphertext; ``set_contact`` encrypts and ``reveal_contact``
decrypts, so decryption happens only where a caller asks for it (sending an e-mail, an admin
viewing a customer) and never as a side effect of loading a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, TimestampMixin
from .types import UTCDateTime, keyring


@dataclass(frozen=True)
class Contact:
    name: str | None
    email: str | None
    mobile: str | None


def mobile_lookup(mobile: str) -> str:
    """The keyed hash of a mobile number written any way: spaces, dashes, dots and brackets are
    dropped first, so ``138 0013 8000`` and ``13800138000`` are one person (issue #23)."""
    return keyring.lookup_hash(re.sub(r"[\s\-.()]", "", mobile))


class Customer(TimestampMixin, Base):
    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("contract_id", "ref"),
        UniqueConstraint("contract_id", "email_lookup"),
        CheckConstraint("language IN ('zh_CN', 'en')", name="language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    ref: Mapped[str] = mapped_column(String(64))
    name_enc: Mapped[str | None] = mapped_column(String(512))
    email_enc: Mapped[str | None] = mapped_column(String(1024))
    mobile_enc: Mapped[str | None] = mapped_column(String(512))
    email_lookup: Mapped[str | None] = mapped_column(String(64))
    mobile_lookup: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="zh_CN")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def set_contact(self, *, name: str | None, email: str | None, mobile: str | None) -> None:
        self.name_enc = keyring.encrypt(name) if name else None
        self.email_enc = keyring.encrypt(email) if email else None
        self.mobile_enc = keyring.encrypt(mobile) if mobile else None
        self.email_lookup = keyring.lookup_hash(email) if email else None
        self.mobile_lookup = mobile_lookup(mobile) if mobile else None

    def reveal_contact(self) -> Contact:
        def open_(value: str | None) -> str | None:
            return keyring.decrypt(value) if value else None

        return Contact(open_(self.name_enc), open_(self.email_enc), open_(self.mobile_enc))
