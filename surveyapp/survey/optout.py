"""Opting out from the survey e-mails (the link in every message).

Opting out marks the customer, not only this invitation: no further invitations, reminders or
new cycles reach them. It works from any of the customer's links, also after the cycle closed,
and is idempotent. The audit event names the customer record, never contact data.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from .. import audit
from ..models import Customer, Invitation


def opt_out(session: Session, invitation: Invitation, *, now: datetime) -> bool:
    """Mark the invitation's customer as opted out; False when they already were. Commits."""
    changed = session.execute(
        update(Customer)
        .where(Customer.id == invitation.customer_id, Customer.opted_out_at.is_(None))
        .values(opted_out_at=now)
    ).rowcount
    if changed:
        audit.record(
            session,
            "customer.opted_out",
            actor_label="customer",
            subject=invitation.customer,
            organization_id=invitation.cycle.contract.provider_id,
            details={"invitation_id": invitation.id},
        )
    session.commit()
    return bool(changed)
