"""Opening and closing a contract's survey month (clause 一(3)); both safe to run twice.

``open_cycle`` creates the month's cycle (status open) and one invitation per active customer
who has not opted out; run again it only adds invitations for customers added since.
``close_cycle`` ends the month: links expire at once and the month's answer counts are stored.
The clock is an argument (``now``) so cron, the admin page and tests agree on what "now" is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import analysis

from .. import audit
from ..models import (
    Channel,
    Contract,
    ContractStatus,
    Customer,
    Cycle,
    CycleStatus,
    Invitation,
    SurveyVersion,
    User,
)
from ..survey.drafts import discard_drafts  # form (#22)
from .aggregates import store_month_aggregates
from .calendar import cycle_window, parse_month
from .links import Links


class CycleError(Exception):
    """A cycle step cannot be done; the message says why (translated lazily)."""


@dataclass(frozen=True)
class OpenResult:
    cycle: Cycle
    created: int
    existing: int


def find_cycle(session: Session, contract: Contract, month: str) -> Cycle | None:
    return session.scalar(
        select(Cycle).where(Cycle.contract_id == contract.id, Cycle.month == month)
    )


def current_version(session: Session, contract: Contract) -> SurveyVersion | None:
    if contract.survey_id is None:
        return None
    return session.scalar(
        select(SurveyVersion)
        .where(SurveyVersion.survey_id == contract.survey_id)
        .order_by(SurveyVersion.number.desc())
        .limit(1)
    )


def add_cycle(
    session: Session,
    contract: Contract,
    month: str,
    version_id: int,
    *,
    opened_at: datetime | None = None,
    closed: bool = False,
    historical: bool = False,
) -> Cycle:
    """The one writer of a month's cycle row (opening, the demo, the history import): its
    window from the contract's schedule, open from ``opened_at`` (default: when the window
    opens), or ``closed`` when the window ended; flushed, so it has its id."""
    opens, closes = cycle_window(
        month, contract.timezone, contract.survey_open_day, contract.survey_open_days
    )
    cycle = Cycle(
        contract_id=contract.id,
        month=month,
        survey_version_id=version_id,
        status=CycleStatus.CLOSED if closed else CycleStatus.OPEN,
        opens_at=opens,
        closes_at=closes,
        opened_at=opened_at or opens,
        closed_at=closes if closed else None,
        historical=historical,
    )
    session.add(cycle)
    session.flush()
    return cycle


def open_cycle(
    session: Session,
    contract: Contract,
    month: str,
    *,
    now: datetime,
    links: Links,
    actor: User | None = None,
) -> OpenResult:
    """Open ``month`` for ``contract`` and invite its customers; commits."""
    try:
        parse_month(month)
    except ValueError as exc:
        raise CycleError(_l("%(month)s is not a month in the form YYYY-MM.", month=month)) from exc
    if contract.status != ContractStatus.ACTIVE:
        raise CycleError(_l("The contract is not active."))
    opens, closes = cycle_window(
        month, contract.timezone, contract.survey_open_day, contract.survey_open_days
    )
    cycle = find_cycle(session, contract, month)
    if cycle is not None and cycle.status == CycleStatus.CLOSED:
        raise CycleError(_l("The survey month %(month)s is closed.", month=month))
    if cycle is None and now >= closes:
        raise CycleError(_l("The survey window of %(month)s has already ended.", month=month))

    for attempt in (1, 2):
        try:
            result = _open(session, contract, month, cycle, now, links, actor)
            session.commit()
            return result
        except IntegrityError:
            # Someone opened the same month at the same moment; their rows now exist, so the
            # second pass finds them and adds nothing twice.
            session.rollback()
            cycle = find_cycle(session, contract, month)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _open(
    session: Session,
    contract: Contract,
    month: str,
    cycle: Cycle | None,
    now: datetime,
    links: Links,
    actor: User | None,
) -> OpenResult:
    if cycle is None:
        version = current_version(session, contract)
        if version is None:
            raise CycleError(_l("The contract has no survey yet."))
        cycle = add_cycle(session, contract, month, version.id, opened_at=now)
    elif cycle.status == CycleStatus.DRAFT:
        cycle.status, cycle.opened_at = CycleStatus.OPEN, now

    invited = set(
        session.scalars(select(Invitation.customer_id).where(Invitation.cycle_id == cycle.id))
    )
    customers = session.execute(
        select(Customer.id, Customer.language, Customer.email_enc.is_not(None))
        .where(
            Customer.contract_id == contract.id,
            Customer.active.is_(True),
            Customer.opted_out_at.is_(None),
        )
        .order_by(Customer.id)
    ).all()
    new = [
        Invitation(
            cycle_id=cycle.id,
            customer_id=customer_id,
            token_hash=links.token_hash(cycle.id, customer_id),
            channel=Channel.EMAIL if has_email else Channel.LINK,
            locale=language,
            expires_at=cycle.closes_at,
        )
        for customer_id, language, has_email in customers
        if customer_id not in invited
    ]
    session.add_all(new)
    if new:
        audit.record(
            session,
            "cycle.opened",
            actor=actor,
            subject=cycle,
            organization_id=contract.provider_id,
            details={"contract": contract.number, "month": month, "invitations_created": len(new)},
        )
    session.flush()
    return OpenResult(cycle=cycle, created=len(new), existing=len(invited))


def close_cycle(
    session: Session, cycle: Cycle, *, now: datetime, actor: User | None = None
) -> bool:
    """Close ``cycle``: links expire now, the month's aggregates are stored. False if already
    closed."""
    if cycle.status == CycleStatus.CLOSED:
        return False
    cycle.status, cycle.closed_at = CycleStatus.CLOSED, now
    session.execute(
        update(Invitation)
        .where(Invitation.cycle_id == cycle.id, Invitation.expires_at > now)
        .values(expires_at=now)
    )
    store_month_aggregates(session, cycle.contract_id, cycle.month)
    discard_drafts(session, cycle)  # form (#22): saved drafts end with the month
    audit.record(
        session,
        "cycle.closed",
        actor=actor,
        subject=cycle,
        organization_id=cycle.contract.provider_id,
        details={"contract": cycle.contract.number, "month": cycle.month},
    )
    session.commit()
    return True


@dataclass(frozen=True)
class CycleCounts:
    invitations: int
    sent: int
    failed: int
    opened: int
    responded: int
    reminders: int
    email_opened: int = 0  # the e-mail funnel: of the e-mails sent, opened and answered
    email_answered: int = 0

    @property
    def response_rate(self) -> float | None:
        """Percent of the invitations answered, whatever the channel (None before any)."""
        rate = analysis.response_rate(self.responded, self.invitations)
        return None if rate.empty else rate.value


def cycle_counts(session: Session, cycle: Cycle) -> CycleCounts:
    row = session.execute(
        select(
            func.count(),
            func.count(Invitation.sent_at),
            func.count(Invitation.last_error),
            func.count(Invitation.opened_at),
            func.count(Invitation.responded_at),
            func.coalesce(func.sum(Invitation.reminders_sent), 0),
            func.count(case((Invitation.sent_at.is_not(None), Invitation.opened_at))),
            func.count(case((Invitation.sent_at.is_not(None), Invitation.responded_at))),
        ).where(Invitation.cycle_id == cycle.id)
    ).one()
    return CycleCounts(*(int(v) for v in row))
