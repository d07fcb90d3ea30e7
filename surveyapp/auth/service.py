"""Authentication rules, callable without HTTP."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..models import User


def authenticate(session: Session, email: str, password: str, now: datetime) -> User | None:
    """The active user with this e-mail and password, or None. Both outcomes are audited.

    The password hash is checked exactly once whatever the address (unknown, inactive, known),
    so the answer's time does not tell which addresses have accounts (issue #19, 9).
    """
    email = email.strip().lower()
    user = session.scalar(select(User).where(User.email == email))
    matches = (
        user.check_password(password) if user is not None else User.check_no_password(password)
    )
    if user is None or not user.active or not matches:
        audit.record(
            session, "sign_in.failed", actor_label=email[:120], details={"email": email[:254]}
        )
        session.commit()
        return None
    user.last_sign_in_at = now
    audit.record(session, "sign_in", actor=user, organization_id=user.organization_id)
    session.commit()
    return user


def safe_next(target: str | None, default: str) -> str:
    """Only same-site relative paths; anything else (``//evil``, ``https://...``) is the default."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return default
    return target
