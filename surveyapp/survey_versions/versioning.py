"""Survey versions: a version in use is frozen, so an edit makes a new version.

Month-to-month trends compare answers by the questions' stable codes; a version that a cycle
has used (or that has responses) must never change under the answers given to it. Editing it
copies it into version n + 1 with the changes applied; codes stay as they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from .. import audit
from ..models import Cycle, Question, QuestionOption, QuestionType, Response, SurveyVersion, User


class VersionRuleError(ValueError):
    """An edit that would break the survey (duplicate code, unknown type, no options...)."""


@dataclass(frozen=True)
class QuestionEdit:
    """The wanted state of one question; ``code`` identifies it across versions."""

    code: str
    type: str
    text_zh: str
    text_en: str
    required: bool = True
    dimension: str | None = None
    clause_ref: str | None = None
    max_length: int | None = None
    options: tuple[tuple[str, str, str], ...] = field(default=())  # (code, zh, en)


def is_frozen(session: Session, version: SurveyVersion) -> bool:
    """Frozen once marked, used by a cycle, or answered."""
    if version.frozen_at is not None:
        return True
    used = select(exists().where(Cycle.survey_version_id == version.id))
    answered = select(exists().where(Response.survey_version_id == version.id))
    return bool(session.scalar(used) or session.scalar(answered))


def _check(questions: Sequence[QuestionEdit]) -> None:
    codes = [q.code for q in questions]
    if not questions:
        raise VersionRuleError("a survey needs at least one question")
    if len(set(codes)) != len(codes):
        raise VersionRuleError("each question code may appear once")
    for q in questions:
        if q.type not in set(QuestionType):
            raise VersionRuleError(f"{q.code}: unknown question type {q.type!r}")
        if not q.code or not q.text_zh.strip() or not q.text_en.strip():
            raise VersionRuleError(
                f"{q.code or '?'}: a question needs a code and a text in both languages"
            )
        if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE) and len(q.options) < 2:
            raise VersionRuleError(f"{q.code}: a choice question needs at least two options")
        if len({o[0] for o in q.options}) != len(q.options):
            raise VersionRuleError(f"{q.code}: option codes must differ")


def _question(position: int, edit: QuestionEdit) -> Question:
    question = Question(
        position=position,
        code=edit.code,
        type=edit.type,
        dimension=edit.dimension or None,
        clause_ref=edit.clause_ref or None,
        text_zh=edit.text_zh.strip(),
        text_en=edit.text_en.strip(),
        required=edit.required,
        max_length=(edit.max_length or 2000) if edit.type == QuestionType.TEXT else None,
    )
    question.options = [
        QuestionOption(position=i, code=code, label_zh=zh, label_en=en)
        for i, (code, zh, en) in enumerate(edit.options)
    ]
    return question


def as_edits(version: SurveyVersion) -> list[QuestionEdit]:
    """The version's questions as edits (what an editor starts from)."""
    return [
        QuestionEdit(
            code=q.code,
            type=q.type,
            text_zh=q.text_zh,
            text_en=q.text_en,
            required=q.required,
            dimension=q.dimension,
            clause_ref=q.clause_ref,
            max_length=q.max_length,
            options=tuple((o.code, o.label_zh, o.label_en) for o in q.options),
        )
        for q in version.questions
    ]


def edit_survey(
    session: Session, version: SurveyVersion, questions: Sequence[QuestionEdit], actor: User
) -> SurveyVersion:
    """Apply an edit: in place while the version is unused, else as a new version."""
    _check(questions)
    target = version
    if is_frozen(session, version):
        latest = max(v.number for v in version.survey.versions)
        target = SurveyVersion(
            survey=version.survey,
            number=latest + 1,
            title_zh=version.title_zh,
            title_en=version.title_en,
            intro_zh=version.intro_zh,
            intro_en=version.intro_en,
        )
        session.add(target)
    else:
        target.questions.clear()
        session.flush()
    target.questions.extend(_question(i, q) for i, q in enumerate(questions))
    session.flush()
    audit.record(
        session,
        "survey.edit",
        actor=actor,
        subject=target,
        details={
            "from_version": version.number,
            "to_version": target.number,
            "codes": [q.code for q in questions],
        },
    )
    return target
