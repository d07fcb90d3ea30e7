"""Accepting a response: the response and all its answers in one transaction, exactly once.

The database decides "exactly once": ``responses.invitation_id`` is UNIQUE, so of two submits
of one invitation at the same moment (double click, two tabs, two phones) one INSERT fails and
is turned into ``AlreadyAnswered``; the read of ``responded_at`` before it is only a shortcut.
Any failure before the commit rolls everything back, so no half response is ever stored. No IP
address or user agent is recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..followup.cases import CaseFacts, open_cases
from ..followup.rules import Answered, triggers
from ..models import Cycle, CycleStatus, Invitation, Question, QuestionType, Response
from ..models.responses import answer_values, insert_answers
from .links import FrozenQuestion, Link, frozen_version
from .logic import validate_visibility


class AlreadyAnswered(Exception):
    """This invitation has a response already; nothing more was stored."""


class SurveyClosed(Exception):
    """The cycle is closed or the link has expired."""


def answer_rows(
    questions: Mapping[int, Question | FrozenQuestion],
    values: Mapping[int, Any],
    cycle: Cycle | Link,
) -> list[dict]:
    """One row per answer; a multiple-choice answer gives one row per chosen option (``seq``)."""
    rows = []
    for question_id, value in values.items():
        question = questions[question_id]
        base = {
            "question_id": question_id,
            "contract_id": cycle.contract_id,
            "month": cycle.month,
            "question_code": question.code,
            "kind": question.type,
            "seq": 0,
            "value": None,
            "option_id": None,
            "text_value": None,
        }
        if question.type in (QuestionType.RATING, QuestionType.NPS):
            rows.append(base | {"value": value})
        elif question.type == QuestionType.SINGLE:
            rows.append(base | {"option_id": value})
        elif question.type == QuestionType.MULTIPLE:
            rows.extend(
                base | {"option_id": option_id, "seq": seq} for seq, option_id in enumerate(value)
            )
        else:
            rows.append(base | {"text_value": value})
    return rows


def accept_response(
    session: Session,
    invitation: Invitation | Link,
    values: Mapping[int, Any],
    *,
    now: datetime,
    locale: str,
    seconds_taken: int | None = None,
    may_contact: bool | None = None,
) -> int:
    """Store one response with its answers and mark the invitation answered; commits; its id.

    ``values`` maps question ids to checked answers (see ``forms.read_answers``). Raises
    ``AlreadyAnswered`` when the invitation has a response (also one committed a moment ago by a
    concurrent request), ``SurveyClosed`` when its cycle no longer takes answers,
    ``logic.HiddenAnswer`` when an answer is given to a question its conditions hide (a
    question not shown is never stored, whatever the surface). In the same
    transaction ``followup.cases.open_cases`` stores the consent (``may_contact``: None when not
    asked), opens a follow-up case when a rule fires and writes the webhook outbox rows.

    Everything that is read or decided (the survey's questions, the contract's rules, the
    comment themes) is done before the first INSERT: on SQLite that INSERT takes the database's
    write lock, which is then held only for the writes and the commit.
    """
    link = invitation if isinstance(invitation, Link) else Link.of(session, invitation)
    if link.responded_at is not None:
        raise AlreadyAnswered()
    if not link.is_open(now):
        raise SurveyClosed()
    version = frozen_version(session, link.survey_version_id, link.version_created_at)
    questions = version.by_id
    validate_visibility(version.questions, values)
    rows = answer_rows(questions, values, link)
    facts = _case_facts(link, questions, rows)
    try:
        response_id = _insert_if_open(session, _response_row(link, now, locale, seconds_taken))
        _insert_answers(session, response_id, rows)
        open_cases(session, response_id, now, may_contact=may_contact, facts=facts)
        _mark_responded(session, link.invitation_id, now)
        session.commit()
    except IntegrityError:
        session.rollback()
        if _has_response(session, link.invitation_id):
            raise AlreadyAnswered() from None
        raise
    except BaseException:
        session.rollback()
        raise
    return response_id


def _case_facts(link: Link, questions: Mapping[int, FrozenQuestion], rows: list[dict]) -> CaseFacts:
    """The answers as the follow-up rules see them (in the order of the questions) and what
    the contract's rules find in them."""
    ordered = sorted(rows, key=lambda row: (questions[row["question_id"]].position, row["seq"]))
    answers = tuple(
        Answered(
            row["question_code"],
            row["kind"],
            row["value"],
            row["text_value"],
            questions[row["question_id"]].dimension,
            questions[row["question_id"]].clause_ref,
        )
        for row in ordered
    )
    return CaseFacts(
        contract_id=link.contract_id,
        contract_number=link.contract_number,
        provider_id=link.provider_id,
        owner_id=link.owner_id,
        complaint_hours=link.complaint_hours,
        month=link.month,
        customer_id=link.customer_id,
        answers=answers,
        found=tuple(triggers(answers, link.rules)),
        webhooks=link.webhooks,
    )


# The writes are prebuilt statements with bound parameters, run on the session's connection:
# building and cache-keying a statement per request costs more CPU than SQLite's own insert.
# ``bench/submit_app.py``'s bare insert runs the same answer and invitation statements, and a
# plain INSERT of the response (no cycle check).
_MARK_RESPONDED = (
    update(Invitation)
    .where(Invitation.id == bindparam("invitation"))
    .values(responded_at=bindparam("at"))
)
_MARK_OPENED = (
    update(Invitation)
    .where(Invitation.id == bindparam("invitation"), Invitation.opened_at.is_(None))
    .values(opened_at=bindparam("at"))
)
# PostgreSQL: the same UPDATE, which also sets synchronous_commit off for its own transaction
# (set_config(..., true) is SET LOCAL) in the same round trip. It is evaluated only for the
# row being written: an invitation opened before changes nothing, setting included.
_MARK_OPENED_NO_FLUSH_WAIT = _MARK_OPENED.where(
    func.set_config("synchronous_commit", "off", True) == "off"
)
_RESPONSE_OF = select(Response.id).where(Response.invitation_id == bindparam("invitation"))
_RESPONSE_COLUMNS = (
    "invitation_id", "cycle_id", "contract_id", "month", "survey_version_id", "submitted_at",
    "locale", "seconds_taken", "source",
)  # fmt: skip
# The response's row, written only while its cycle is open, in one statement. The month may
# have closed after the link was read (and its stored aggregates been built): then nothing is
# written. SQLite takes the write lock when this first statement starts, before it reads the
# cycle, so a close has either committed (and is seen) or waits for this commit. PostgreSQL's
# FOR SHARE waits for a close in progress and then sees it; a later close waits for this commit.
_INSERT_IF_OPEN = (
    insert(Response)
    .from_select(
        _RESPONSE_COLUMNS,
        select(
            *(bindparam(name, type_=Response.__table__.c[name].type) for name in _RESPONSE_COLUMNS)
        ).where(
            select(Cycle.id)
            .where(Cycle.id == bindparam("cycle_id"), Cycle.status == CycleStatus.OPEN)
            .with_for_update(read=True)
            .exists()
        ),
    )
    .returning(Response.id)
)


def _response_row(link: Link, now: datetime, locale: str, seconds_taken: int | None) -> dict:
    return {
        "invitation_id": link.invitation_id,
        "cycle_id": link.cycle_id,
        "contract_id": link.contract_id,
        "month": link.month,
        "survey_version_id": link.survey_version_id,
        "submitted_at": now,
        "locale": "en" if locale == "en" else "zh_CN",
        "seconds_taken": None if seconds_taken is None else max(0, int(seconds_taken)),
        "source": "survey",
    }


def _insert_if_open(session: Session, row: dict) -> int:
    """The response's row (see ``_INSERT_IF_OPEN``); ``SurveyClosed`` when its cycle is not open.

    It is the transaction's first statement: on SQLite it takes the write lock at once (waiting
    for the busy timeout); on PostgreSQL the unique index makes a second insert of the same
    invitation wait for the first and then fail."""
    response_id = session.connection().execute(_INSERT_IF_OPEN, row).scalar()
    if response_id is None:
        raise SurveyClosed()
    return response_id


def _insert_answers(session: Session, response_id: int, rows: list[dict]) -> None:
    # One writer of answer rows (issue #20): the demo and the history import use it too.
    insert_answers(session, [answer_values(row, response_id) for row in rows])


def _mark_responded(session: Session, invitation_id: int, now: datetime) -> None:
    session.connection().execute(_MARK_RESPONDED, {"invitation": invitation_id, "at": now})


def _has_response(session: Session, invitation_id: int) -> bool:
    found = session.connection().execute(_RESPONSE_OF, {"invitation": invitation_id}).first()
    return found is not None


def mark_opened(session: Session, invitation_id: int, now: datetime) -> None:
    """The form was shown: its first opened time (an earlier one is kept); commits.

    On PostgreSQL this one transaction commits without waiting for its WAL to reach the disk
    (``synchronous_commit`` off for it alone): a crash in the next fraction of a second could
    lose an opened time, never a response, and the database stays consistent. Every submit
    still waits for its commit to be durable. The form's GET then costs no disk flush.
    """
    connection = session.connection()
    statement = (
        _MARK_OPENED_NO_FLUSH_WAIT if connection.dialect.name == "postgresql" else _MARK_OPENED
    )
    connection.execute(statement, {"invitation": invitation_id, "at": now})
    session.commit()
