"""Drafts: answers saved with "save and finish later" (the path without JavaScript).

One draft per invitation (``response_drafts.invitation_id`` is UNIQUE), holding only the
posted answer fields (``q-*``), never contact data. A draft is never a response: it is shown
again when the link is opened, deleted when the response is stored (``views.submit`` right
after ``accept_response``) and when the month closes (``discard_drafts``, called from
``cycles.lifecycle.close_cycle``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from ..models import Cycle, Invitation, ResponseDraft, utcnow

FIELD_PREFIX = "q-"
MAX_VALUES = 200
MAX_CHARS = 20_000


def draft_fields(formdata: MultiDict) -> dict[str, list[str]]:
    """The answer fields of a posted form, bounded: names ``q-*``, at most 200 values, texts
    cut at 20,000 characters (the form refuses longer texts on submit anyway)."""
    kept: dict[str, list[str]] = {}
    count = 0
    for name in formdata:
        if not name.startswith(FIELD_PREFIX) or len(name) > 60:
            continue
        for value in formdata.getlist(name):
            if count >= MAX_VALUES or not value.strip():
                continue
            kept.setdefault(name, []).append(value.replace("\x00", "")[:MAX_CHARS])
            count += 1
    return kept


def save_draft(
    session: Session, invitation_id: int, formdata: MultiDict, now: datetime | None = None
) -> None:
    """Keep the posted answers as the invitation's draft (replacing any); commits."""
    answers, now = draft_fields(formdata), now or utcnow()
    draft = session.scalar(
        select(ResponseDraft).where(ResponseDraft.invitation_id == invitation_id)
    )
    if draft is None:
        session.add(ResponseDraft(invitation_id=invitation_id, answers=answers, updated_at=now))
        try:
            session.commit()
            return
        except IntegrityError:  # saved a moment ago from another tab: replace that one
            session.rollback()
            draft = session.scalar(
                select(ResponseDraft).where(ResponseDraft.invitation_id == invitation_id)
            )
    draft.answers, draft.updated_at = answers, now
    session.commit()


def draft_answers(session: Session, invitation_id: int) -> MultiDict | None:
    answers = session.scalar(
        select(ResponseDraft.answers).where(ResponseDraft.invitation_id == invitation_id)
    )
    if not answers:
        return None
    return MultiDict([(name, value) for name, values in answers.items() for value in values])


def delete_draft(session: Session, invitation_id: int) -> None:
    """Forget the invitation's draft once its response is stored; commits only when there was
    one (most responses have none: a look-up on the unique index instead of a write)."""
    has_draft = select(ResponseDraft.id).where(ResponseDraft.invitation_id == invitation_id)
    if session.scalar(has_draft) is None:
        return
    session.execute(delete(ResponseDraft).where(ResponseDraft.invitation_id == invitation_id))
    session.commit()


def discard_drafts(session: Session, cycle: Cycle) -> int:
    """Delete every draft of the cycle's invitations (the month is closed); the caller commits."""
    invitations = select(Invitation.id).where(Invitation.cycle_id == cycle.id)
    result = session.execute(
        delete(ResponseDraft).where(ResponseDraft.invitation_id.in_(invitations))
    )
    return result.rowcount or 0
