"""``record`` is the only writer of audit events (who did what, to which record, when)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from .models import AuditEvent, User


def record(
    session: Session,
    action: str,
    *,
    actor: User | None = None,
    actor_label: str | None = None,
    subject: Any = None,
    organization_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to ``session``; it commits with the change it describes."""
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        actor_label=actor_label or (actor.email if actor is not None else "system"),
        subject_type=type(subject).__name__ if subject is not None else None,
        subject_id=getattr(subject, "id", None),
        organization_id=organization_id,
        details=details or {},
    )
    session.add(event)
    return event


def plain(value: Any) -> Any:
    """A value as it is written into an audit event's JSON details."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def apply_changes(obj: Any, changes: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Set each changed attribute of ``obj``; return ``{name: {"from", "to"}}`` for the audit."""
    diff = {}
    for name, value in changes.items():
        before = getattr(obj, name)
        if before != value:
            diff[name] = {"from": plain(before), "to": plain(value)}
            setattr(obj, name, value)
    return diff
