"""Surveys, their versions and questions.

A version that has responses is frozen (``frozen_at`` set): an edit makes a new version, and
questions keep their stable ``code`` across versions so monthly trends stay comparable.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin
from .organizations import _in
from .types import UTCDateTime


class QuestionType(StrEnum):
    RATING = "rating"  # 1-5 (CSAT / Likert)
    NPS = "nps"  # 0-10
    SINGLE = "single"
    MULTIPLE = "multiple"
    TEXT = "text"


class ShowIf(StrEnum):
    """How a question's condition compares the earlier answer it depends on."""

    AT_MOST = "le"  # a score <= value
    AT_LEAST = "ge"  # a score >= value
    EQUALS = "eq"  # a score == value
    CHOSEN = "in"  # one of the option codes in value (space separated) was chosen


class SurveyLanguages(StrEnum):
    """The languages a survey's texts are written in; its customers see what exists."""

    BOTH = "zh,en"
    ZH = "zh"
    EN = "en"


class Survey(TimestampMixin, Base):
    """A provider's questionnaire; contracts choose one, cycles use its latest version.

    ``retired_at``: no longer offered for a contract (contracts that chose it keep it).
    """

    __tablename__ = "surveys"
    __table_args__ = (CheckConstraint(_in("languages", SurveyLanguages), name="languages"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    languages: Mapped[str] = mapped_column(
        String(8), default=SurveyLanguages.BOTH, server_default=SurveyLanguages.BOTH.value
    )
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def language_codes(self) -> tuple[str, ...]:
        """``("zh", "en")``, ``("zh",)`` or ``("en",)``: the text columns' suffixes."""
        return tuple(self.languages.split(","))

    versions: Mapped[list[SurveyVersion]] = relationship(
        back_populates="survey", order_by="SurveyVersion.number"
    )


class SurveyVersion(TimestampMixin, Base):
    __tablename__ = "survey_versions"
    __table_args__ = (UniqueConstraint("survey_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"))
    number: Mapped[int] = mapped_column(Integer)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    intro_zh: Mapped[str] = mapped_column(Text, default="")
    intro_en: Mapped[str] = mapped_column(Text, default="")
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    survey: Mapped[Survey] = relationship(back_populates="versions")
    questions: Mapped[list[Question]] = relationship(
        back_populates="version", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(Base):
    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("version_id", "code"),
        UniqueConstraint("version_id", "position"),
        CheckConstraint(_in("type", QuestionType), name="type"),
        CheckConstraint("max_length IS NULL OR max_length > 0", name="max_length"),
        CheckConstraint(_in("show_if_op", ShowIf), name="show_if_op"),
        CheckConstraint(
            "(show_if_code IS NULL AND show_if_op IS NULL AND show_if_value IS NULL)"
            " OR (show_if_code IS NOT NULL AND show_if_op IS NOT NULL"
            " AND show_if_value IS NOT NULL)",
            name="show_if_complete",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_versions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(16))
    dimension: Mapped[str | None] = mapped_column(String(40))
    clause_ref: Mapped[str | None] = mapped_column(String(20))
    text_zh: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    max_length: Mapped[int | None] = mapped_column(Integer)
    # Logic: shown only when the earlier question ``show_if_code`` was shown and its answer
    # meets ``show_if_op`` / ``show_if_value`` (survey.logic); NULL: always shown.
    show_if_code: Mapped[str | None] = mapped_column(String(40))
    show_if_op: Mapped[str | None] = mapped_column(String(4))
    show_if_value: Mapped[str | None] = mapped_column(String(200))
    # Matrix: consecutive rating questions with the same group code are shown as one question
    # (rows of items on one scale) under the group's heading; each row is still its own
    # question with its own code, dimension and clause, so answers stay one per code.
    matrix_group: Mapped[str | None] = mapped_column(String(40))
    matrix_text_zh: Mapped[str | None] = mapped_column(Text)
    matrix_text_en: Mapped[str | None] = mapped_column(Text)

    version: Mapped[SurveyVersion] = relationship(back_populates="questions")
    options: Mapped[list[QuestionOption]] = relationship(
        back_populates="question", order_by="QuestionOption.position", cascade="all, delete-orphan"
    )


class QuestionOption(Base):
    __tablename__ = "question_options"
    __table_args__ = (UniqueConstraint("question_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    label_zh: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))

    question: Mapped[Question] = relationship(back_populates="options")
