"""What the Record column says about an event's subject: its kind in the reader's language and
its id, and for a contract its number, looked up in one query for the whole page."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from ..access import contracts_visible_to
from ..labels import label
from ..models import AuditEvent, Contract, User


def subject_text(kind: str, subject_id: int | None, contract_numbers: dict[int, str]) -> str:
    """``合同 HX-2025-001`` for a contract whose number is known, else ``合同 #1``;
    a subject type without a label shows as the stored type name."""
    name = label("subject", kind)
    if kind == "Contract" and subject_id in contract_numbers:
        return f"{name} {contract_numbers[subject_id]}"
    return name if subject_id is None else f"{name} #{subject_id}"


def describe_subjects(
    session: Session, events: Sequence[AuditEvent], reader: User
) -> dict[int, str]:
    """``{event id: text}`` for the events that have a subject.

    Contract numbers come only from contracts ``reader`` may see; another contract shows as
    kind and id.
    """
    contract_ids = {
        e.subject_id for e in events if e.subject_type == "Contract" and e.subject_id is not None
    }
    numbers: dict[int, str] = {}
    if contract_ids:
        numbers = dict(
            session.execute(
                contracts_visible_to(reader)
                .with_only_columns(Contract.id, Contract.number)
                .where(Contract.id.in_(contract_ids))
            ).all()
        )
    return {
        e.id: subject_text(e.subject_type, e.subject_id, numbers) for e in events if e.subject_type
    }
