"""Known customer names of a contract: every reader (pages, PDF, exports, API) masks them in
comment text (the analysis masks them in comment examples)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Customer
from ..models.types import keyring


def customer_names(session: Session, contract_id: int) -> tuple[str, ...]:
    """The contract's customer names, decrypted, so the analysis masks them wherever a comment
    has one (only the encrypted name column is read, not whole customer rows)."""
    encrypted = session.scalars(
        select(Customer.name_enc).where(
            Customer.contract_id == contract_id, Customer.name_enc.is_not(None)
        )
    )
    return tuple(dict.fromkeys(name for value in encrypted if (name := keyring.decrypt(value))))
