"""Client organizations (乙方) a provider keeps: made, changed, deactivated, each audited.

The fields are the contract header's party fields: name, address, contact person, phone.
A deactivated client keeps its contracts and history but gets no new contract.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from .. import audit
from ..models import Organization, OrgKind, User
from .admin import ContractRuleError

CLIENT_FIELDS = ("name", "address", "contact_person", "phone")


def _clean(values: Mapping[str, str | None]) -> dict[str, str | None]:
    cleaned = {f: ((values.get(f) or "").strip() or None) for f in CLIENT_FIELDS}
    if not cleaned["name"]:
        raise ContractRuleError(_("A client needs a name."), "name")
    return cleaned


def _name_taken(session: Session, provider_id: int, name: str, client_id: int | None) -> bool:
    """Names are unique among the provider's own clients (another provider's are not seen)."""
    query = exists().where(
        Organization.provider_id == provider_id, func.lower(Organization.name) == name.lower()
    )
    if client_id is not None:
        query = query.where(Organization.id != client_id)
    return bool(session.scalar(select(query)))


def save_client(
    session: Session,
    provider_id: int,
    values: Mapping[str, str | None],
    actor: User,
    client: Organization | None = None,
) -> Organization:
    """Make a client kept by ``provider_id``, or change ``client``; names are unique per
    provider."""
    cleaned = _clean(values)
    if _name_taken(session, provider_id, cleaned["name"], client.id if client else None):
        raise ContractRuleError(
            _("You already have a client named %(name)s.", name=cleaned["name"]), "name"
        )
    if client is None:
        client = Organization(kind=OrgKind.CLIENT, provider_id=provider_id, **cleaned)
        session.add(client)
        session.flush()
        audit.record(
            session,
            "client.create",
            actor=actor,
            subject=client,
            organization_id=provider_id,
            details={"name": client.name},
        )
        return client
    diff = audit.apply_changes(client, cleaned)
    if diff:
        audit.record(
            session,
            "client.update",
            actor=actor,
            subject=client,
            organization_id=provider_id,
            details=diff,
        )
    return client


def set_client_active(
    session: Session, provider_id: int, client: Organization, active: bool, actor: User
) -> bool:
    """Deactivate (no new contracts; existing ones keep running) or reactivate a client."""
    if client.active == active:
        return False
    client.active = active
    action = "client.deactivate"
    if active:
        action = "client.activate"
    audit.record(
        session, action, actor=actor, subject=client, organization_id=provider_id,
        details={"name": client.name},
    )  # fmt: skip
    return True
