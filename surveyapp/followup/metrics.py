"""Closed-loop figures: cases opened, followed up within the complaint hours, resolved.

"Followed up in time" means the case left *open* (contacted, resolved or customer declined)
before its due time, i.e. within the contract's complaint hours (clause 一(2)). The client sees
these counts only, never which customer a case is about.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..models import Answer, CaseStatus, Cycle, FollowupCase, Invitation, Response


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


MIN_N = 5  # DESIGN.md section 5: no figure from fewer than 5 responses


@dataclass(frozen=True)
class FollowupEffect:
    """Next month's mean NPS of customers with a case in ``month``: followed up or not."""

    month: str
    next_month: str
    followed_n: int
    followed_mean: float | None
    others_n: int
    others_mean: float | None

    @property
    def enough(self) -> bool:
        return self.followed_n >= MIN_N and self.others_n >= MIN_N


def next_month(month: str) -> str:
    year, mon = map(int, month.split("-"))
    return f"{year + mon // 12}-{mon % 12 + 1:02d}"


def followup_effect(session: Session, contract_id: int, month: str) -> FollowupEffect:
    """Compare the next month's NPS of followed-up customers with those not followed up.

    Means are given only when both groups have at least ``MIN_N`` answers (n permitting).
    """
    following = next_month(month)
    rows = session.execute(
        select(FollowupCase.followed_up_at.is_not(None), Answer.value)
        .join(Invitation, Invitation.customer_id == FollowupCase.customer_id)
        .join(
            Cycle,
            (Cycle.id == Invitation.cycle_id)
            & (Cycle.month == following)
            & (Cycle.contract_id == FollowupCase.contract_id),
        )  # fmt: skip
        .join(Response, Response.invitation_id == Invitation.id)
        .join(Answer, (Answer.response_id == Response.id) & (Answer.kind == "nps"))
        .where(FollowupCase.contract_id == contract_id, FollowupCase.month == month)
    ).all()
    followed = [v for f, v in rows if f]
    others = [v for f, v in rows if not f]
    enough = len(followed) >= MIN_N and len(others) >= MIN_N

    def mean(values: list[int]) -> float | None:
        return sum(values) / len(values) if enough else None

    return FollowupEffect(
        month, following, len(followed), mean(followed), len(others), mean(others)
    )
