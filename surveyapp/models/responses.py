"""Responses and their answers.

One response per invitation is enforced by a unique constraint. Each answer row carries the
contract and month (set at insert) so the monthly aggregates are answered from the index
``(contract_id, month, question_code, value)`` alone (DESIGN.md section 5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from .base import Base
from .types import UTCDateTime


class Response(Base):
    __tablename__ = "responses"
    __table_args__ = (
        UniqueConstraint("contract_id", "source", "source_id"),
        CheckConstraint("seconds_taken IS NULL OR seconds_taken >= 0", name="seconds"),
        CheckConstraint("locale IN ('zh_CN', 'en')", name="locale"),
        Index(None, "contract_id", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id"), unique=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"))
    month: Mapped[str] = mapped_column(String(7))
    survey_version_id: Mapped[int] = mapped_column(ForeignKey("survey_versions.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locale: Mapped[str] = mapped_column(String(8), default="zh_CN")
    seconds_taken: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(32), default="survey")
    source_id: Mapped[str | None] = mapped_column(String(100))

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )


class Answer(Base):
    """One answer; a multiple-choice question has one row per chosen option (``seq``)."""

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id", "seq"),
        # Written with OR, not IN: SQLite builds a lookup table for an IN list of more than two
        # values on every row it checks, which made this check a third of an answer's insert
        # cost (history import); the two forms accept exactly the same values.
        CheckConstraint(
            "kind = 'rating' OR kind = 'nps' OR kind = 'single' OR kind = 'multiple'"
            " OR kind = 'text'",
            name="kind",
        ),
        CheckConstraint(
            "(kind = 'rating' AND value IS NOT NULL AND value BETWEEN 1 AND 5)"
            " OR (kind = 'nps' AND value IS NOT NULL AND value BETWEEN 0 AND 10)"
            " OR (kind IN ('single', 'multiple') AND option_id IS NOT NULL AND value IS NULL)"
            " OR (kind = 'text' AND text_value IS NOT NULL AND value IS NULL)",
            name="value",
        ),
        # Covers every count over answers: each read names its contracts (measured in bench/).
        Index(None, "contract_id", "month", "question_code", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"))
    month: Mapped[str] = mapped_column(String(7))
    question_code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(8))
    seq: Mapped[int] = mapped_column(SmallInteger, default=0)
    value: Mapped[int | None] = mapped_column(SmallInteger)
    option_id: Mapped[int | None] = mapped_column(ForeignKey("question_options.id"))
    text_value: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")


# The one writer of answer rows (and of imported responses): the form's intake, the demo and the
# history import all store answers through :func:`insert_answers`.
ANSWER_COLUMNS = (
    "response_id", "question_id", "contract_id", "month", "question_code", "kind", "seq",
    "value", "option_id", "text_value",
)  # fmt: skip
RESPONSE_COLUMNS = (
    "id", "cycle_id", "contract_id", "month", "survey_version_id", "submitted_at", "locale",
    "source", "source_id",
)  # fmt: skip


def answer_values(row: Mapping[str, Any], response_id: int) -> tuple:
    """An answer given by column name (``response_id`` aside) as the tuple
    :func:`insert_answers` takes; a column left out is NULL (``seq`` 0)."""
    return (response_id, *(row.get(c, 0 if c == "seq" else None) for c in ANSWER_COLUMNS[1:]))


def insert_answers(session: Session, rows: Sequence[Sequence[Any]]) -> None:
    """Insert answers, each a tuple in :data:`ANSWER_COLUMNS` order, in the session's
    transaction. The checks on ``answers`` (kind, score ranges) refuse a bad row."""
    _executemany(session, Answer.__tablename__, ANSWER_COLUMNS, rows)


def insert_responses(session: Session, rows: Sequence[Sequence[Any]]) -> None:
    """Insert responses with their ids, each a tuple in :data:`RESPONSE_COLUMNS` order, with
    ``submitted_at`` already in the driver's form (the history import, which reserves ids)."""
    _executemany(session, Response.__tablename__, RESPONSE_COLUMNS, rows)


def _executemany(
    session: Session, table: str, columns: tuple[str, ...], rows: Sequence[Sequence[Any]]
) -> None:
    """The driver's ``executemany`` of ready tuples on the session's connection (same
    transaction), through ``exec_driver_sql``: no per-row parameter processing (which cost as
    much as SQLite's insert), yet SQLAlchemy's events and error wrapping still apply, so a
    failing database is a ``DBAPIError`` the error pages answer with 503."""
    if not rows:
        return
    connection = session.connection()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    )
    connection.exec_driver_sql(statement, [tuple(row) for row in rows])
