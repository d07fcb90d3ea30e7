"""Follow-up cases: opened in the response's transaction, changed by staff (audited).

``open_cases`` is called by ``survey.intake.accept_response`` before its commit, so a response
and its case, consent and outbox rows are stored together or not at all. The due time is the
contract's complaint hours (clause 一(2), 48 h by default) after the response, as elapsed time;
pages show it in the contract's time zone (``local_due``).

Contact data (clause 四) is shown only by ``reveal_contact``: when the customer said yes to
"May we contact you about your answers?" and the user's role may see contact data; each
showing is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from .. import audit
from ..models import (
    Answer,
    CaseStatus,
    Contact,
    Contract,
    Customer,
    FollowupCase,
    FollowupRule,
    Invitation,
    Question,
    Response,
    ResponseConsent,
    Role,
    User,
)
from ..webhooks.outbox import enqueue
from .rules import Answered, RuleSet, Trigger, primary, triggers

CONTACT_ROLES = frozenset({Role.PROVIDER_ADMIN})
EDITABLE = ("status", "owner_id", "notes")
_INSERT_CONSENT = insert(ResponseConsent)  # prebuilt: it runs inside the intake's write lock


class InvalidChange(ValueError):
    """A change staff may not make (unknown status, owner outside the provider)."""


def rules_for(session: Session, contract_id: int) -> RuleSet:
    return RuleSet.of(
        session.scalar(select(FollowupRule).where(FollowupRule.contract_id == contract_id))
    )


def answered(session: Session, response_id: int) -> list[Answered]:
    rows = session.execute(
        select(
            Answer.question_code,
            Answer.kind,
            Answer.value,
            Answer.text_value,
            Question.dimension,
            Question.clause_ref,
        )
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.response_id == response_id)
        .order_by(Question.position, Answer.seq)
    )
    return [Answered(*row) for row in rows]


def due_time(complaint_hours: int, opened_at: datetime) -> datetime:
    """Opened + the contract's complaint hours (elapsed hours, so a DST change is counted)."""
    return opened_at + timedelta(hours=complaint_hours)


def local_due(case: FollowupCase) -> datetime:
    return case.due_at.astimezone(ZoneInfo(case.contract.timezone))


@dataclass(frozen=True)
class CaseFacts:
    """What opening a response's cases needs: its contract, month, customer, answers (in the
    order of the questions) and the triggers the contract's rules found in them.

    The survey intake builds it from what it has already read before its transaction writes,
    so the write lock is held only for the writes; ``read_facts`` reads it for a stored
    response.
    """

    contract_id: int
    contract_number: str
    provider_id: int
    owner_id: int | None
    complaint_hours: int
    month: str
    customer_id: int | None
    answers: tuple[Answered, ...]
    found: tuple[Trigger, ...]
    webhooks: bool = True  # False: the provider has no active endpoint, so no outbox rows


def read_facts(session: Session, response_id: int) -> CaseFacts:
    response = session.get(Response, response_id)
    contract = session.get(Contract, response.contract_id)
    customer_id = None
    if response.invitation_id is not None:
        customer_id = session.scalar(
            select(Invitation.customer_id).where(Invitation.id == response.invitation_id)
        )
    answers = tuple(answered(session, response_id))
    return CaseFacts(
        contract_id=contract.id,
        contract_number=contract.number,
        provider_id=contract.provider_id,
        owner_id=contract.owner_id,
        complaint_hours=contract.complaint_hours,
        month=response.month,
        customer_id=customer_id,
        answers=answers,
        found=tuple(triggers(answers, rules_for(session, contract.id))),
    )


def open_cases(
    session: Session,
    response_id: int,
    now: datetime,
    *,
    may_contact: bool | None = None,
    facts: CaseFacts | None = None,
) -> FollowupCase | None:
    """The response's consent, webhook event and, when a rule fires, its case; no commit.

    ``facts``: as the caller already knows them (else read from the stored response). When
    they say the provider has no active webhook endpoint, the outbox is not asked (it would
    write nothing): one query less while the intake holds the write lock.
    """
    if facts is None:
        facts = read_facts(session, response_id)
    if may_contact is not None:
        session.connection().execute(
            _INSERT_CONSENT,
            {"response_id": response_id, "may_contact": may_contact, "answered_at": now},
        )
    if facts.webhooks:
        enqueue(
            session,
            facts.provider_id,
            "response.submitted",
            {
                "response_id": response_id,
                "contract_id": facts.contract_id,
                "month": facts.month,
                "scores": {a.code: a.value for a in facts.answers if a.value is not None},
            },
            now=now,
        )
    if not facts.found:
        return None
    main = primary(facts.found)
    case = FollowupCase(
        contract_id=facts.contract_id,
        response_id=response_id,
        customer_id=facts.customer_id,
        month=facts.month,
        triggers=[t.as_dict() for t in facts.found],
        dimension=main.dimension,
        clause_ref=main.clause_ref,
        opened_at=now,
        due_at=due_time(facts.complaint_hours, now),
        owner_id=facts.owner_id,
        status=CaseStatus.OPEN,
        may_contact=bool(may_contact),
        notes="",
        created_at=now,
    )
    session.add(case)
    session.flush()
    audit.record(
        session,
        "case.opened",
        actor_label="system",
        subject=case,
        organization_id=facts.provider_id,
        details={"contract": facts.contract_number, "response_id": response_id,
                 "rules": sorted({t.rule for t in facts.found})},
    )  # fmt: skip
    if facts.webhooks:
        enqueue(session, facts.provider_id, "case.opened", case_payload(case), now=now)
    return case


def case_payload(case: FollowupCase) -> dict[str, Any]:
    """What webhooks say about a case: ids, scores and times, never contact data."""
    return {
        "case_id": case.id,
        "contract_id": case.contract_id,
        "response_id": case.response_id,
        "month": case.month,
        "status": str(case.status),
        "dimension": case.dimension,
        "clause": case.clause_ref,
        "due_at": case.due_at.isoformat(),
        "triggers": [
            {"rule": t["rule"], "question": t["question"], "value": t["value"]}
            for t in case.triggers
        ],
    }


def update_case(
    session: Session,
    case: FollowupCase,
    changes: Mapping[str, Any],
    actor: User,
    now: datetime,
) -> dict:
    """Apply staff changes, audit each changed field; commits. Returns the change set."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidChange(f"cannot change {sorted(unknown)}")
    if "status" in changes and changes["status"] not in set(CaseStatus):
        raise InvalidChange("unknown status")
    owner_id = changes.get("owner_id")
    if owner_id is not None:
        owner = session.get(User, owner_id)
        if (
            owner is None
            or not owner.role_enum.is_provider
            or owner.organization_id != case.contract.provider_id
        ):
            raise InvalidChange("the owner must be a member of the provider's staff")
    diff = {}
    for name, value in changes.items():
        before = getattr(case, name)
        if before != value:
            diff[name] = {"from": before, "to": value}
            setattr(case, name, value)
    if not diff:
        return diff
    if "status" in diff:
        status = CaseStatus(case.status)
        if status != CaseStatus.OPEN and case.followed_up_at is None:
            case.followed_up_at = now
        was_closed = CaseStatus(diff["status"]["from"]).closed
        case.closed_at = now if status.closed else None
        if status.closed and not was_closed:
            enqueue(session, case.contract.provider_id, "case.closed", case_payload(case), now=now)
    audit.record(
        session,
        "case.update",
        actor=actor,
        subject=case,
        organization_id=case.contract.provider_id,
        details={"changes": {k: {"from": str(v["from"]), "to": str(v["to"])}
                             for k, v in diff.items() if k != "notes"}
                 | ({"notes": "changed"} if "notes" in diff else {})},
    )  # fmt: skip
    session.commit()
    return diff


@dataclass(frozen=True)
class ContactView:
    shown: bool
    contact: Contact | None
    reason: str  # shown | no_consent | role | none


def reveal_contact(session: Session, case: FollowupCase, user: User) -> ContactView:
    """The customer's contact data for this user, or why not; a showing is audited (no commit)."""
    if not case.may_contact or case.customer_id is None:
        return ContactView(False, None, "no_consent")
    if user.role_enum not in CONTACT_ROLES:
        return ContactView(False, None, "role")
    customer = session.get(Customer, case.customer_id)
    contact = customer.reveal_contact()
    audit.record(
        session,
        "case.contact_shown",
        actor=user,
        subject=case,
        organization_id=case.contract.provider_id,
        details={"customer_id": customer.id},
    )
    return ContactView(True, contact, "shown")
