"""Store a closed month's answer counts (DESIGN.md section 5: dashboards read these rows)."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from ..models import Answer, AnswerCount


def store_answer_counts(session: Session, contract_id: int, month: str) -> None:
    """Replace the stored counts of one contract and month by a fresh GROUP BY of its answers.

    Only scored answers (ratings and NPS) are counted. Safe to run again after a late
    correction or a history import.
    """
    session.execute(
        delete(AnswerCount).where(
            AnswerCount.contract_id == contract_id, AnswerCount.month == month
        )
    )
    counts = (
        select(Answer.contract_id, Answer.month, Answer.question_code, Answer.value, func.count())
        .where(Answer.contract_id == contract_id, Answer.month == month, Answer.value.is_not(None))
        .group_by(Answer.contract_id, Answer.month, Answer.question_code, Answer.value)
    )
    session.execute(
        insert(AnswerCount).from_select(
            ["contract_id", "month", "question_code", "value", "n"], counts
        )
    )
