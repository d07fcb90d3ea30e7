"""Closed-loop figures: cases opened, followed up within the complaint hours, resolved.

"Followed up in time" means the case left *open* (contacted, resolved or customer declined)
before its due time, i.e. within the contract's complaint hours (clause 一(2)). The client sees
these counts only, never which customer a case is about.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..models import CaseStatus, FollowupCase


@dataclass(frozen=True)
class CaseCounts:
    month: str
    opened: int
    in_time: int
    resolved: int

    @property
    def in_time_share(self) -> float | None:
        return None if not self.opened else 100.0 * self.in_time / self.opened


def case_counts_by_month(session: Session, contract_id: int) -> list[CaseCounts]:
    """One row per month with cases, oldest first."""
    in_time = case(
        (FollowupCase.followed_up_at.is_not(None)
         & (FollowupCase.followed_up_at <= FollowupCase.due_at), 1), else_=0,
    )  # fmt: skip
    resolved = case((FollowupCase.status == CaseStatus.RESOLVED, 1), else_=0)
    rows = session.execute(
        select(FollowupCase.month, func.count(), func.sum(in_time), func.sum(resolved))
        .where(FollowupCase.contract_id == contract_id)
        .group_by(FollowupCase.month)
        .order_by(FollowupCase.month)
    )
    return [CaseCounts(m, n, int(t or 0), int(r or 0)) for m, n, t, r in rows]


def case_counts(session: Session, contract_id: int, month: str) -> CaseCounts:
    for row in case_counts_by_month(session, contract_id):
        if row.month == month:
            return row
    return CaseCounts(month, 0, 0, 0)
