"""Creating, revoking and checking API tokens.

A token is 256 random bits from :mod:`secrets`, shown once when it is made; only its SHA-256 is
stored, and a presented token is found by looking its hash up (no comparison of secrets in
Python). A provider admin manages tokens of the provider itself and of the clients it has
contracts with; a client's token reads only that client's contracts. A token remembers the admin
who made it: deactivating that admin revokes it (``auth.users.deactivate_user``).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from .. import audit
from ..models import ApiToken, Contract, Organization, User, utcnow

PREFIX = "sat_"
TOKEN_BYTES = 32
NAME_MAX = 100
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(ValueError):
    """A token cannot be made as asked; the message says why."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def organizations_managed_by(session: Session, provider: Organization) -> list[Organization]:
    """The provider itself and every client it has a contract with."""
    clients = select(Contract.client_id).where(Contract.provider_id == provider.id)
    return list(
        session.scalars(
            select(Organization)
            .where(or_(Organization.id == provider.id, Organization.id.in_(clients)))
            .order_by(Organization.kind.desc(), Organization.name)
        )
    )


def tokens_managed_by(session: Session, provider: Organization) -> Select[tuple[ApiToken]]:
    ids = [o.id for o in organizations_managed_by(session, provider)]
    return (
        select(ApiToken)
        .where(ApiToken.organization_id.in_(ids))
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    )


def create_token(
    session: Session,
    organization: Organization,
    name: str,
    *,
    actor: User | None = None,
    actor_label: str | None = None,
) -> tuple[ApiToken, str]:
    """Make a token for ``organization``; returns the row and the token text (shown once)."""
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise TokenError(f"the token name must have 1 to {NAME_MAX} characters")
    secret = PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(
        organization_id=organization.id,
        name=name,
        token_hash=hash_token(secret),
        created_by_id=actor.id if actor is not None else None,
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        "api_token.created",
        actor=actor,
        actor_label=actor_label,
        subject=token,
        organization_id=organization.id,
        details={"name": name},
    )
    session.commit()
    return token, secret


def revoke_token(
    session: Session,
    token: ApiToken,
    *,
    actor: User | None = None,
    actor_label: str | None = None,
    now: datetime | None = None,
) -> bool:
    """Revoke ``token``; False (and nothing recorded) when it was already revoked."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = now or utcnow()
    audit.record(
        session,
        "api_token.revoked",
        actor=actor,
        actor_label=actor_label,
        subject=token,
        organization_id=token.organization_id,
        details={"name": token.name},
    )
    session.commit()
    return True


def authenticate(session: Session, presented: str, now: datetime | None = None) -> ApiToken | None:
    """The live token whose hash matches ``presented``, or None; notes when it was last used.

    ``last_used_at`` is written at most once a minute per token, so a busy helpdesk does not
    turn every read into a write.
    """
    if not presented or len(presented) > 200:
        return None
    token = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == hash_token(presented), ApiToken.revoked_at.is_(None)
        )
    )
    if token is None:
        return None
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.commit()
    return token
