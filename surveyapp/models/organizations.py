"""Organizations (the provider 甲方 and its clients 乙方), their users and API tokens."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum
from functools import cache

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .base import Base, TimestampMixin
from .types import UTCDateTime


class OrgKind(StrEnum):
    PROVIDER = "provider"
    CLIENT = "client"


class Role(StrEnum):
    PROVIDER_ADMIN = "provider_admin"
    PROVIDER_ANALYST = "provider_analyst"
    CLIENT_VIEWER = "client_viewer"

    @property
    def is_provider(self) -> bool:
        return self is not Role.CLIENT_VIEWER


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class Organization(TimestampMixin, Base):
    __tablename__ = "organizations"
    __table_args__ = (
        CheckConstraint(_in("kind", OrgKind), name="kind"),
        # a client's name is unique among its provider's clients; providers have no provider
        UniqueConstraint("provider_id", "name"),
        CheckConstraint("contact_cap_days >= 0", name="contact_cap"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    contact_person: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    # A client is kept by the provider that created it; NULL for providers and for clients
    # that predate this column (those belong to the providers they have contracts with).
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # A provider's contact-frequency cap: a person served under several of its contracts is
    # invited at most once in this many days across them (0: no cap). Issue #23.
    contact_cap_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")

    users: Mapped[list[User]] = relationship(back_populates="organization")
    provider: Mapped[Organization | None] = relationship(remote_side="Organization.id")


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(_in("role", Role), name="role"),
        CheckConstraint("locale IN ('zh_CN', 'en')", name="locale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(24))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    locale: Mapped[str] = mapped_column(String(8), default="zh_CN")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the id kept in the session and remember cookie; sign-out raises it, so a copied
    # cookie stops working (surveyapp/security/sessions.py).
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Invited and not yet through the invitation link: no usable password.
    invitation_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    organization: Mapped[Organization] = relationship(back_populates="users")

    def get_id(self) -> str:  # Flask-Login: "id.version", checked when the session is loaded
        return f"{self.id}.{self.session_version or 0}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @staticmethod
    def check_no_password(password: str) -> bool:
        """The work of ``check_password`` for an address without an account: always False.

        Sign-in does it for an unknown address, so its answer takes as long (issue #19, 9).
        """
        check_password_hash(_unknown_account_hash(), password)
        return False

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive users cannot sign in
        return self.active

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


@cache
def _unknown_account_hash() -> str:
    """A hash made like every user's (same method and cost) of a secret nobody knows."""
    return generate_password_hash(secrets.token_urlsafe(32))


class ApiToken(TimestampMixin, Base):
    """A helpdesk's credential for the JSON API; only the SHA-256 of the token is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The admin who made it; deactivating that admin revokes it.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    organization: Mapped[Organization] = relationship()
