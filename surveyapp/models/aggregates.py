"""Stored monthly answer counts of closed cycles (DESIGN.md section 5).

A closed cycle's answers never change, so its counts per question and value are stored when the
cycle closes (and rebuilt after a late correction or a history import); dashboards and trends
read these few thousand rows instead of the answer table.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class AnswerCount(Base):
    __tablename__ = "answer_counts"
    __table_args__ = (CheckConstraint("n > 0", name="n"),)

    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    question_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
