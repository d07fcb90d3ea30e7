"""What an imported month holds, and why a dashboard figure of it is blank (issue #21, item 6).

A month imported from an old export may hold only some of the survey's questions: without a
rating question of a service dimension its CSAT is blank, without the recommendation question
its NPS is. :func:`month_notes` says so per month, for ``templates/history/_month_note.html``
(the dashboard places it under the month's figures).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Answer, Cycle, Question, QuestionType


@dataclass
class MonthNote:
    month: str
    questions: list[str] = field(default_factory=list)  # codes, with answers
    blanks: list[str] = field(default_factory=list)  # why a figure is blank


def month_notes(session: Session, contract_id: int, months: list[str] | None = None) -> list:
    """One :class:`MonthNote` per imported (historical) month of the contract."""
    query = select(Cycle.month).where(Cycle.contract_id == contract_id, Cycle.historical)
    if months is not None:
        query = query.where(Cycle.month.in_(months))
    historical = sorted(session.scalars(query))
    if not historical:
        return []
    rows = session.execute(
        select(Answer.month, Answer.question_code, Question.type, Question.dimension,
               func.count())
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.contract_id == contract_id, Answer.month.in_(historical))
        .group_by(Answer.month, Answer.question_code, Question.type, Question.dimension)
    ).all()  # fmt: skip
    notes = []
    for month in historical:
        held = [(code, kind, dim) for m, code, kind, dim, _n in rows if m == month]
        note = MonthNote(month, sorted({code for code, _k, _d in held}))
        if not held:
            note.blanks.append(str(_l("No answers were imported for this month.")))
        else:
            if not any(k == QuestionType.RATING and d for _c, k, d in held):
                note.blanks.append(
                    str(_l("CSAT is blank: the month holds no rating of a service dimension."))
                )
            if not any(k == QuestionType.NPS for _c, k, _d in held):
                note.blanks.append(
                    str(_l("NPS is blank: the month holds no recommendation (0–10) question."))
                )
        notes.append(note)
    return notes
