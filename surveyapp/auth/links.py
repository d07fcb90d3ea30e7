"""One-time links: issue (the secret is returned once, its hash stored), look up, spend.

A secret has 256 bits from :mod:`secrets`; a presented one is found by its hash. Spending is
one conditional UPDATE, so two requests with the same link cannot both use it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..models import AccountLink, LinkPurpose, User

LIFETIMES = {
    LinkPurpose.INVITATION: timedelta(hours=72),
    LinkPurpose.PASSWORD_RESET: timedelta(hours=1),
    LinkPurpose.SETUP: timedelta(hours=24),
}


class LinkUnusable(Exception):
    """The link cannot be used: ``reason`` is "unknown", "expired" or "spent"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue(
    session: Session,
    purpose: LinkPurpose,
    now: datetime,
    *,
    user: User | None = None,
    created_by: User | None = None,
) -> str:
    """Add a link and spend the unspent ones of the same purpose and person; return the secret."""
    spend_all(session, purpose, now, user=user)
    secret = secrets.token_urlsafe(32)
    session.add(
        AccountLink(
            purpose=purpose,
            token_hash=hash_secret(secret),
            user_id=user.id if user is not None else None,
            expires_at=now + LIFETIMES[purpose],
            created_by_id=created_by.id if created_by is not None else None,
        )
    )
    return secret


def spend_all(
    session: Session, purpose: LinkPurpose | None, now: datetime, *, user: User | None = None
) -> None:
    """Spend every unspent link of ``user`` (of one purpose, or all when ``purpose`` is None)."""
    query = update(AccountLink).where(AccountLink.spent_at.is_(None))
    if purpose is not None:
        query = query.where(AccountLink.purpose == purpose)
    query = query.where(
        AccountLink.user_id == user.id if user is not None else AccountLink.user_id.is_(None)
    )
    session.execute(query.values(spent_at=now).execution_options(synchronize_session=False))


def find(session: Session, secret: str, purposes: tuple[LinkPurpose, ...], now: datetime):
    """The usable link for ``secret``, or :class:`LinkUnusable` saying why not."""
    if not secret or len(secret) > 100:
        raise LinkUnusable("unknown")
    link = session.scalar(
        select(AccountLink).where(
            AccountLink.token_hash == hash_secret(secret), AccountLink.purpose.in_(purposes)
        )
    )
    if link is None:
        raise LinkUnusable("unknown")
    if link.spent_at is not None:
        raise LinkUnusable("spent")
    if link.expires_at <= now:
        raise LinkUnusable("expired")
    return link


def spend(session: Session, link: AccountLink, now: datetime) -> None:
    """Mark ``link`` used; :class:`LinkUnusable` ("spent") if another request was first."""
    done = session.execute(
        update(AccountLink)
        .where(AccountLink.id == link.id, AccountLink.spent_at.is_(None))
        .values(spent_at=now)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise LinkUnusable("spent")
