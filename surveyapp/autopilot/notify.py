"""Telling the client's users that the month's report is ready (step ``notify``).

The message carries the contract number, the month and a link to the portal, nothing else: no
figures and no customer data travel by e-mail; the reader signs in to see the report. Each
recipient has a ledger row of its own (``notify:<user id>``), claimed before the message goes
out and marked done after, so a rerun mails only those not done yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..mail import Mailer, MailError, build_message
from ..models import Contract, Role, User
from . import ledger


def recipient_step(user: User) -> str:
    return f"notify:{user.id}"


def client_users(session: Session, contract: Contract) -> list[User]:
    """The client organization's active users: the only recipients of the report notice."""
    return list(
        session.scalars(
            select(User)
            .where(
                User.organization_id == contract.client_id,
                User.role == Role.CLIENT_VIEWER,
                User.active.is_(True),
            )
            .order_by(User.id)
        )
    )


def portal_url(base_url: str, contract: Contract) -> str:
    return f"{base_url.rstrip('/')}/portal/contracts/{contract.id}"


@dataclass
class NotifySummary:
    sent: int = 0
    already: int = 0
    failed: list[str] | None = None


def notify_report_ready(
    session: Session,
    contract: Contract,
    month: str,
    *,
    mailer: Mailer,
    base_url: str,
    now: datetime,
) -> NotifySummary:
    """Mail each client user not told yet; failures stay on their row for the next run."""
    summary = NotifySummary(failed=[])
    done = ledger.month_ledger(session, contract.id, month)
    for user in client_users(session, contract):
        step = recipient_step(user)
        if step in done and done[step].status == "done":
            summary.already += 1
            continue
        row = ledger.start(session, contract.id, month, step, now)
        try:
            mailer.send(_message(mailer, user, contract, month, base_url))
        except MailError as error:
            ledger.fail(session, row.id, now, str(error))
            summary.failed.append(f"{user.email}: {error}")
            continue
        ledger.finish(row, now)
        audit.record(
            session,
            "report.ready_mailed",
            actor_label="autopilot",
            subject=user,
            organization_id=contract.provider_id,
            details={"contract": contract.number, "month": month},
        )
        session.commit()
        summary.sent += 1
    return summary


def _message(mailer: Mailer, user: User, contract: Contract, month: str, base_url: str):
    locale = "en" if user.locale == "en" else "zh_CN"
    with force_locale(locale):
        subject = _("Your satisfaction report for %(month)s is ready", month=month)
        text = render_template(
            "autopilot/email/report_ready.txt",
            name=user.name,
            number=contract.number,
            month=month,
            portal_url=portal_url(base_url, contract),
            provider=contract.provider.name,
        )
    headers = {"Content-Language": "en" if locale == "en" else "zh-CN"}
    return build_message(
        mailer.settings, user.email, subject, text, None, headers,
        sender_name=contract.provider.name,
    )  # fmt: skip
