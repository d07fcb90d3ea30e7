"""First run: the provider organization and its first administrator, without the demo.

``flask init-db`` prints a one-time code while no provider exists (only its hash is stored;
24 h; a new run spends the old code). The set-up page needs that code and answers 404 once a
provider exists, so nobody on the network can claim a fresh installation first.
``flask create-user --organization-kind provider`` does the same from the shell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit
from ..models import LinkPurpose, Organization, OrgKind, Role, User
from . import links
from .users import AccountError, create_user, normal_email


@dataclass(frozen=True)
class ProviderDetails:
    name: str
    address: str | None = None
    contact_person: str | None = None
    phone: str | None = None


def provider_exists(session: Session) -> bool:
    return bool(session.scalar(select(exists().where(Organization.kind == OrgKind.PROVIDER))))


def issue_setup_code(session: Session, now: datetime) -> str | None:
    """A new set-up code while no provider exists (the old one stops working), else None."""
    if provider_exists(session):
        return None
    code = links.issue(session, LinkPurpose.SETUP, now)
    session.commit()
    return code


def new_organization(
    session: Session, details: ProviderDetails, kind: OrgKind = OrgKind.PROVIDER
) -> Organization:
    name = details.name.strip()
    if not name or len(name) > 200:
        raise AccountError(_l("Give the organization a name of up to 200 characters."))
    if session.scalar(select(exists().where(Organization.name == name))):
        raise AccountError(_l("An organization named %(name)s already exists.", name=name))
    organization = Organization(
        kind=kind,
        name=name,
        address=(details.address or "").strip()[:300] or None,
        contact_person=(details.contact_person or "").strip()[:100] or None,
        phone=(details.phone or "").strip()[:40] or None,
    )
    session.add(organization)
    return organization


def complete_setup(
    session: Session,
    code: str,
    provider: ProviderDetails,
    *,
    email: str,
    name: str,
    password: str,
    locale: str,
    now: datetime,
) -> User:
    """Create the provider and its first administrator, spending the code; all or nothing.

    :class:`links.LinkUnusable` for a wrong, spent or expired code, :class:`AccountError` for
    bad details (the code is then still usable)."""
    if provider_exists(session):
        raise links.LinkUnusable("unknown")
    link = links.find(session, code, (LinkPurpose.SETUP,), now)
    try:
        links.spend(session, link, now)
        organization = new_organization(session, provider)
        session.flush()
        audit.record(
            session,
            "setup.completed",
            actor_label="setup",
            subject=organization,
            organization_id=organization.id,
            details={"organization": organization.name, "email": normal_email(email)},
        )
        return create_user(  # commits the code, the organization, the user and the events
            session,
            email=email,
            name=name,
            role=Role.PROVIDER_ADMIN,
            organization=organization,
            password=password,
            locale=locale,
            actor_label="setup",
        )
    except (AccountError, links.LinkUnusable, IntegrityError):
        session.rollback()
        raise
