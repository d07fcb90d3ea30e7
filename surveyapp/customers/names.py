"""Known customer names of a contract (the analysis masks them in comment examples)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Customer


def customer_names(session: Session, contract_id: int) -> tuple[str, ...]:
    """The contract's customer names, decrypted, so the analysis masks them wherever a comment
    has one."""
    customers = session.scalars(select(Customer).where(Customer.contract_id == contract_id))
    return tuple(n for c in customers if (n := c.reveal_contact().name))
