"""E-mailing invitations and reminders: resumable, never twice to the same customer.

Each invitation is first *claimed* with a conditional UPDATE (``sent_at IS NULL`` and the
attempt count it was read with, or the reminder count), then mailed, then marked; each step is
committed on its own. A run that stops half-way (crash, SMTP outage) is simply run again: those
already mailed are skipped, the failed ones are tried again, and two runs at the same time do not
both mail one customer. Contact data is decrypted only here, right before the message is built.

Contact-frequency cap (issue #23): a person served under several contracts of the same provider
is invited at most once in the provider's ``contact_cap_days`` (default 30) across them. The
person is recognised by the keyed lookup hash of the e-mail address or of the mobile number
(``Customer.email_lookup``, ``mobile_lookup``; never by clear text); an invitation whose person
was mailed under another of the provider's contracts within the cap is *held back*
(``held_back_at``), never mailed for that month, and counted on the month page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Update

from ..mail import Mailer, MailError, SmtpSettings, build_message
from ..models import Channel, Contract, Customer, Cycle, CycleStatus, Invitation
from .lifecycle import CycleError
from .links import Links

MAX_CONNECTION_FAILURES = 3

Progress = Callable[[int, int, "SendSummary"], None]


@dataclass
class SendSummary:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    remaining: int = 0  # left for the next run (batch limit reached or SMTP server unreachable)
    held_back: int = 0  # of the skipped: held back by the contact-frequency cap

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.skipped


def _require_open(cycle: Cycle, now: datetime) -> None:
    if cycle.status != CycleStatus.OPEN or now >= cycle.closes_at:
        raise CycleError(_l("The survey month %(month)s is not open.", month=cycle.month))


def _compose(settings: SmtpSettings, invitation: Invitation, links: Links, *, reminder: bool):
    customer = invitation.customer
    contact = customer.reveal_contact()
    if not contact.email:
        return None
    cycle = invitation.cycle
    contract = cycle.contract
    context = dict(
        name=contact.name,
        client=contract.client.name,
        provider=contract.provider.name,
        month=cycle.month,
        closes_at=invitation.expires_at.astimezone(ZoneInfo(contract.timezone)),
        survey_url=links.survey_url(invitation),
        opt_out_url=links.opt_out_url(invitation),
        reminder=reminder,
    )
    with force_locale(invitation.locale):
        subject = (
            _("Reminder: how was our service in %(month)s?", month=cycle.month)
            if reminder
            else _("How was our service in %(month)s?", month=cycle.month)
        )
        text = render_template("cycles/email/invitation.txt", **context)
        html = render_template("cycles/email/invitation.html", **context)
    headers = {
        "List-Unsubscribe": f"<{context['opt_out_url']}>",
        "Content-Language": "en" if invitation.locale == "en" else "zh-CN",
    }
    return build_message(
        settings, contact.email, subject, text, html, headers, sender_name=contract.provider.name
    )


def send_invitations(
    session: Session,
    cycle: Cycle,
    *,
    mailer: Mailer,
    links: Links,
    now: datetime,
    limit: int | None = None,
    progress: Progress | None = None,
) -> SendSummary:
    """Mail each e-mail invitation of ``cycle`` not mailed yet; failed ones are retried next run."""
    _require_open(cycle, now)
    candidates = session.execute(
        select(Invitation.id, Invitation.send_attempts)
        .where(
            Invitation.cycle_id == cycle.id,
            Invitation.channel == Channel.EMAIL,
            Invitation.sent_at.is_(None),
            Invitation.held_back_at.is_(None),
        )
        .order_by(Invitation.id)
    ).all()
    summary = SendSummary()
    summary.skipped = session.scalar(
        select(func.count()).where(
            Invitation.cycle_id == cycle.id,
            (Invitation.channel != Channel.EMAIL)
            | Invitation.sent_at.is_not(None)
            | Invitation.held_back_at.is_not(None),
        )
    )
    candidates = _apply_contact_cap(session, cycle, candidates, summary, now)

    def claim(row: Row) -> Update:
        return (
            update(Invitation)
            .where(
                Invitation.id == row.id,
                Invitation.sent_at.is_(None),
                Invitation.send_attempts == row.send_attempts,
            )
            .values(send_attempts=row.send_attempts + 1)
        )

    def mark_sent(row: Row) -> Update:
        return (
            update(Invitation).where(Invitation.id == row.id).values(sent_at=now, last_error=None)
        )

    def mark_failed(row: Row, error: str) -> Update:
        return update(Invitation).where(Invitation.id == row.id).values(last_error=error)

    return _mail_each(
        session,
        candidates,
        summary,
        mailer=mailer,
        links=links,
        reminder=False,
        claim=claim,
        mark_sent=mark_sent,
        mark_failed=mark_failed,
        limit=limit,
        progress=progress,
    )


def send_reminders(
    session: Session,
    cycle: Cycle,
    *,
    mailer: Mailer,
    links: Links,
    now: datetime,
    limit: int | None = None,
    progress: Progress | None = None,
) -> SendSummary:
    """Remind mailed non-responders after the contract's days, at most its number of reminders."""
    _require_open(cycle, now)
    contract = cycle.contract
    wait = timedelta(days=contract.reminder_after_days)
    candidates = session.execute(
        select(
            Invitation.id,
            Invitation.reminders_sent,
            Invitation.sent_at,
            Invitation.last_reminded_at,
        )
        .where(
            Invitation.cycle_id == cycle.id,
            Invitation.channel == Channel.EMAIL,
            Invitation.sent_at.is_not(None),
            Invitation.responded_at.is_(None),
        )
        .order_by(Invitation.id)
    ).all()
    summary = SendSummary()
    due = []
    for row in candidates:
        if (
            row.reminders_sent >= contract.max_reminders
            or now < (row.last_reminded_at or row.sent_at) + wait
        ):
            summary.skipped += 1
        else:
            due.append(row)

    def claim(row: Row) -> Update:
        """The claim itself records the reminder; a failed send gives it back."""
        return (
            update(Invitation)
            .where(
                Invitation.id == row.id,
                Invitation.reminders_sent == row.reminders_sent,
                Invitation.responded_at.is_(None),
            )
            .values(reminders_sent=row.reminders_sent + 1, last_reminded_at=now)
        )

    def give_back(row: Row, error: str) -> Update:
        return (
            update(Invitation)
            .where(Invitation.id == row.id)
            .values(
                reminders_sent=row.reminders_sent,
                last_reminded_at=row.last_reminded_at,
                last_error=error,
            )
        )

    return _mail_each(
        session,
        due,
        summary,
        mailer=mailer,
        links=links,
        reminder=True,
        claim=claim,
        mark_sent=None,
        mark_failed=give_back,
        limit=limit,
        progress=progress,
    )


def _apply_contact_cap(
    session: Session, cycle: Cycle, candidates: Sequence[Row], summary: SendSummary, now: datetime
) -> list[Row]:
    """Hold back the candidates whose person (same e-mail or mobile lookup hash) was mailed
    under another of the provider's contracts within its cap; return the others."""
    provider = cycle.contract.provider
    days = provider.contact_cap_days
    if not days or not candidates:
        return list(candidates)
    ids = [row.id for row in candidates]
    keys = session.execute(
        select(Invitation.id, Customer.email_lookup, Customer.mobile_lookup)
        .join(Customer, Customer.id == Invitation.customer_id)
        .where(Invitation.id.in_(ids))
    ).all()
    emails = {k.email_lookup for k in keys if k.email_lookup}
    mobiles = {k.mobile_lookup for k in keys if k.mobile_lookup}
    if not emails and not mobiles:
        return list(candidates)
    person = Customer.email_lookup.in_(emails) | Customer.mobile_lookup.in_(mobiles)
    recent = session.execute(
        select(Customer.email_lookup, Customer.mobile_lookup)
        .select_from(Invitation)
        .join(Customer, Customer.id == Invitation.customer_id)
        .join(Cycle, Cycle.id == Invitation.cycle_id)
        .join(Contract, Contract.id == Cycle.contract_id)
        .where(
            Contract.provider_id == provider.id,
            Contract.id != cycle.contract_id,
            Invitation.sent_at > now - timedelta(days=days),
            person,
        )
    ).all()
    seen = {v for r in recent for v in (r.email_lookup, r.mobile_lookup) if v}
    held = {k.id for k in keys if (k.email_lookup in seen) or (k.mobile_lookup in seen)}
    if held:
        session.execute(update(Invitation).where(Invitation.id.in_(held)).values(held_back_at=now))
        session.commit()
        summary.held_back += len(held)
        summary.skipped += len(held)
    return [row for row in candidates if row.id not in held]


def held_back_count(session: Session, cycle: Cycle) -> int:
    """How many of the month's invitations the contact-frequency cap held back."""
    return session.scalar(
        select(func.count()).where(
            Invitation.cycle_id == cycle.id, Invitation.held_back_at.is_not(None)
        )
    )


def _mail_each(
    session: Session,
    due: Sequence[Row],
    summary: SendSummary,
    *,
    mailer: Mailer,
    links: Links,
    reminder: bool,
    claim: Callable[[Row], Update],
    mark_sent: Callable[[Row], Update] | None,
    mark_failed: Callable[[Row, str], Update],
    limit: int | None,
    progress: Progress | None,
) -> SendSummary:
    """Claim, mail and mark each row of ``due`` (``row.id`` is the invitation).

    The claim is committed before the message goes out and the outcome after it, so two runs
    never mail the same row and a failed one is left for the next run. A run stops after
    ``limit`` messages tried or ``MAX_CONNECTION_FAILURES`` in a row; the rest is counted in
    ``summary.remaining``.
    """
    connection_failures = 0
    for index, row in enumerate(due, start=1):
        if (
            limit is not None and summary.sent + summary.failed >= limit
        ) or connection_failures >= MAX_CONNECTION_FAILURES:
            summary.remaining = len(due) - index + 1
            break
        invitation = session.get(Invitation, row.id)
        if _unreachable(invitation):
            summary.skipped += 1
            continue
        claimed = session.execute(claim(row)).rowcount
        session.commit()
        if not claimed:  # another run has it
            summary.skipped += 1
            continue
        error = _deliver(mailer, mailer.settings, invitation, links, reminder=reminder)
        if error is None:
            if mark_sent is not None:
                session.execute(mark_sent(row))
            summary.sent += 1
            connection_failures = 0
        else:
            session.execute(mark_failed(row, str(error)[:500]))
            summary.failed += 1
            connection_failures = connection_failures + 1 if error.connection else 0
        session.commit()
        if progress:
            progress(index, len(due), summary)
    session.expire_all()
    return summary


def _unreachable(invitation: Invitation) -> bool:
    customer: Customer = invitation.customer
    return (
        customer.opted_out_at is not None
        or not customer.active
        or customer.email_enc is None
        or invitation.responded_at is not None
    )


def _deliver(
    mailer: Mailer, settings: SmtpSettings, invitation: Invitation, links: Links, *, reminder: bool
) -> MailError | None:
    message = _compose(settings, invitation, links, reminder=reminder)
    if message is None:
        return MailError("no e-mail address")
    try:
        mailer.send(message)
    except MailError as exc:
        return exc
    return None
