"""Alert e-mails to a contract's owner about new follow-up cases, in the owner's language.

Each owner chooses (``AlertPreference``): one e-mail per case (the default; ``send-case-alerts``
every few minutes), one daily digest (``send-case-digests``), or none. A case is alerted once
(``alerted_at``). Messages carry the case link, the reasons and the due time, never contact data.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..mail import Mailer, MailError, SmtpSettings, build_message
from ..models import AlertMode, AlertPreference, CaseStatus, FollowupCase, User
from .cases import local_due


def _reason(trigger: dict) -> str:
    if trigger["rule"] == "nps":
        return _("NPS %(v)s (detractor)", v=trigger["value"])
    if trigger["rule"] == "rating":
        return _("%(q)s rated %(v)s", q=trigger["question"], v=trigger["value"])
    return _("Complaint in the comment (%(q)s)", q=trigger["question"])


def case_lines(case: FollowupCase, base_url: str) -> list[str]:
    return [
        _("Case #%(id)s, contract %(number)s", id=case.id, number=case.contract.number),
        _("Why: %(reasons)s", reasons="; ".join(_reason(t) for t in case.triggers)),
        _(
            "Due: %(due)s (%(zone)s)",
            due=local_due(case).strftime("%Y-%m-%d %H:%M"),
            zone=case.contract.timezone,
        ),  # fmt: skip
        f"{base_url}/cases/{case.id}",
    ]


def _pending(session: Session, mode: AlertMode) -> dict[User, list[FollowupCase]]:
    query = (
        select(FollowupCase, User)
        .join(User, User.id == FollowupCase.owner_id)
        .outerjoin(AlertPreference, AlertPreference.user_id == User.id)
        .where(
            FollowupCase.alerted_at.is_(None),
            FollowupCase.status == CaseStatus.OPEN,
            User.active,
        )
        .order_by(FollowupCase.id)
    )
    if mode == AlertMode.IMMEDIATE:
        query = query.where(
            or_(AlertPreference.mode.is_(None), AlertPreference.mode == AlertMode.IMMEDIATE)
        )
    else:
        query = query.where(AlertPreference.mode == mode)
    grouped: dict[User, list[FollowupCase]] = defaultdict(list)
    for case, user in session.execute(query):
        grouped[user].append(case)
    return grouped


def send_case_alerts(
    session: Session, settings: SmtpSettings, base_url: str, now: datetime, *, digest: bool = False
) -> tuple[int, int]:
    """Send the pending alerts (one per case, or one digest per owner); ``(sent, failed)``."""
    sent = failed = 0
    pending = _pending(session, AlertMode.DIGEST if digest else AlertMode.IMMEDIATE)
    with Mailer(settings) as mailer:
        for user, cases in pending.items():
            batches = [cases] if digest else [[c] for c in cases]
            for batch in batches:
                with force_locale("en" if user.locale == "en" else "zh_CN"):
                    if digest:
                        subject = _("%(n)s new follow-up cases", n=len(batch))
                    else:
                        subject = _("New follow-up case #%(id)s (%(number)s)", id=batch[0].id,
                                    number=batch[0].contract.number)  # fmt: skip
                    intro = _("A customer needs a follow-up within the contract's complaint hours.")
                    body = "\n\n".join(
                        [intro] + ["\n".join(case_lines(c, base_url)) for c in batch]
                    )
                try:
                    mailer.send(build_message(settings, user.email, subject, body))
                except MailError:
                    failed += len(batch)
                    continue
                for case in batch:
                    case.alerted_at = now
                session.commit()
                sent += 1
    return sent, failed
