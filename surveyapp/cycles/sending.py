"""E-mailing invitations and reminders: resumable, never twice to the same customer.

Each invitation is first *claimed* with a conditional UPDATE (``sent_at IS NULL`` and the
attempt count it was read with, or the reminder count), then mailed, then marked; each step is
committed on its own. A run that stops half-way (crash, SMTP outage) is simply run again: those
already mailed are skipped, the failed ones are tried again, and two runs at the same time do not
both mail one customer. Contact data is decrypted only here, right before the message is built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..mail import Mailer, MailError, SmtpSettings, build_message
from ..models import Channel, Customer, Cycle, CycleStatus, Invitation
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
        )
        .order_by(Invitation.id)
    ).all()
    summary = SendSummary()
    summary.skipped = session.scalar(
        select(func.count()).where(
            Invitation.cycle_id == cycle.id,
            (Invitation.channel != Channel.EMAIL) | Invitation.sent_at.is_not(None),
        )
    )
    connection_failures = 0
    for index, (invitation_id, attempts) in enumerate(candidates, start=1):
        if (
            limit is not None and summary.sent + summary.failed >= limit
        ) or connection_failures >= MAX_CONNECTION_FAILURES:
            summary.remaining = len(candidates) - index + 1
            break
        invitation = session.get(Invitation, invitation_id)
        if _unreachable(invitation):
            summary.skipped += 1
            continue
        claimed = session.execute(
            update(Invitation)
            .where(
                Invitation.id == invitation_id,
                Invitation.sent_at.is_(None),
                Invitation.send_attempts == attempts,
            )
            .values(send_attempts=attempts + 1)
        ).rowcount
        session.commit()
        if not claimed:  # another run has it
            summary.skipped += 1
            continue
        error = _deliver(mailer, mailer.settings, invitation, links, reminder=False)
        if error is None:
            session.execute(
                update(Invitation)
                .where(Invitation.id == invitation_id)
                .values(sent_at=now, last_error=None)
            )
            summary.sent += 1
            connection_failures = 0
        else:
            session.execute(
                update(Invitation)
                .where(Invitation.id == invitation_id)
                .values(last_error=str(error)[:500])
            )
            summary.failed += 1
            connection_failures = connection_failures + 1 if error.connection else 0
        session.commit()
        if progress:
            progress(index, len(candidates), summary)
    session.expire_all()
    return summary


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
    for invitation_id, reminders, sent_at, last_reminded in candidates:
        if reminders >= contract.max_reminders or now < (last_reminded or sent_at) + wait:
            summary.skipped += 1
        else:
            due.append((invitation_id, reminders, last_reminded))
    connection_failures = 0
    for index, (invitation_id, reminders, last_reminded) in enumerate(due, start=1):
        if (
            limit is not None and summary.sent + summary.failed >= limit
        ) or connection_failures >= MAX_CONNECTION_FAILURES:
            summary.remaining = len(due) - index + 1
            break
        invitation = session.get(Invitation, invitation_id)
        if _unreachable(invitation):
            summary.skipped += 1
            continue
        claimed = session.execute(
            update(Invitation)
            .where(
                Invitation.id == invitation_id,
                Invitation.reminders_sent == reminders,
                Invitation.responded_at.is_(None),
            )
            .values(reminders_sent=reminders + 1, last_reminded_at=now)
        ).rowcount
        session.commit()
        if not claimed:
            summary.skipped += 1
            continue
        error = _deliver(mailer, mailer.settings, invitation, links, reminder=True)
        if error is None:
            summary.sent += 1
            connection_failures = 0
        else:  # give the reminder back so the next run tries again
            session.execute(
                update(Invitation)
                .where(Invitation.id == invitation_id)
                .values(
                    reminders_sent=reminders,
                    last_reminded_at=last_reminded,
                    last_error=str(error)[:500],
                )
            )
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
