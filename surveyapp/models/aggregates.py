"""Stored aggregates of closed cycles (DESIGN.md section 5).

A closed cycle's answers never change, so what the dashboards, trends and reports need of it is
stored when the cycle closes (and rebuilt after a late correction or a history import):

* ``answer_counts``: counts per question and value (scores, CSAT, NPS, trends);
* ``answer_pair_counts``: joint counts of each rating with the overall rating on the same
  response (key drivers);
* ``month_summaries``: the invitation funnel (invited whatever the channel, opened, answered;
  the response rate is answered / invited), the e-mail funnel (sent, opened, answered) and
  the comment keywords, themes and masked examples of the month.

Dashboards then read a few thousand rows instead of the answer and invitation tables; only the
open month is computed live.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .types import UTCDateTime


class AnswerCount(Base):
    __tablename__ = "answer_counts"
    __table_args__ = (CheckConstraint("n > 0", name="n"),)

    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    question_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class AnswerPairCount(Base):
    """How many responses gave ``question_code`` the score ``value`` and the target question
    (the overall rating) the score ``target_value``."""

    __tablename__ = "answer_pair_counts"
    __table_args__ = (CheckConstraint("n > 0", name="n"),)

    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    target_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    question_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    target_value: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class MonthSummary(Base):
    """A closed month's funnel and comment themes (``comment_themes`` holds the records of
    :meth:`analysis.ThemeSummary.to_records`; comment examples in it are already masked)."""

    __tablename__ = "month_summaries"
    __table_args__ = (
        CheckConstraint("invited >= 0 AND opened >= 0 AND answered >= 0", name="counts"),
        CheckConstraint(
            "answered <= invited AND emailed >= 0 AND email_opened >= 0 AND email_answered >= 0",
            name="funnel",
        ),
    )

    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    invited: Mapped[int] = mapped_column(Integer)  # invitations issued, whatever the channel
    opened: Mapped[int] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer)
    emailed: Mapped[int] = mapped_column(Integer, server_default="0")  # the e-mail funnel
    email_opened: Mapped[int] = mapped_column(Integer, server_default="0")
    email_answered: Mapped[int] = mapped_column(Integer, server_default="0")
    comment_themes: Mapped[dict[str, Any]] = mapped_column(JSON)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
