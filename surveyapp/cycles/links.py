"""Personal links of a cycle: the URLs, a CSV for SMS or messaging tools, QR codes.

The CSV carries the customer reference, language and links but no contact data (clause 四):
the SMS tool matches the reference against the client's own list. It is UTF-8 with a BOM so
Excel shows Chinese, and cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import segno
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Customer, Cycle, CycleStatus, Invitation
from ..survey.tokens import link_token, token_hash

CSV_COLUMNS = ["customer_ref", "language", "survey_link", "opt_out_link", "closes_at"]


@dataclass(frozen=True)
class Links:
    """Builds an invitation's token and URLs from the server's key and public address."""

    secret: str
    base_url: str

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Links:
        return cls(secret=config["SECRET_KEY"], base_url=config["BASE_URL"].rstrip("/"))

    def token(self, cycle_id: int, customer_id: int) -> str:
        return link_token(self.secret, cycle_id, customer_id)

    def token_hash(self, cycle_id: int, customer_id: int) -> str:
        return token_hash(self.token(cycle_id, customer_id))

    def survey_url(self, invitation: Invitation) -> str:
        return f"{self.base_url}/s/{self.token(invitation.cycle_id, invitation.customer_id)}"

    def opt_out_url(self, invitation: Invitation) -> str:
        return self.survey_url(invitation) + "/opt-out"


def pending_invitations(session: Session, cycle: Cycle) -> list[Invitation]:
    """Invitations still waiting for an answer, of customers who did not opt out."""
    return list(
        session.scalars(
            select(Invitation)
            .join(Customer, Customer.id == Invitation.customer_id)
            .where(
                Invitation.cycle_id == cycle.id,
                Invitation.responded_at.is_(None),
                Customer.opted_out_at.is_(None),
                Customer.active.is_(True),
            )
            .order_by(Customer.ref)
        )
    )


def _cell(value: str) -> str:
    """Neutralise a spreadsheet formula (=, +, -, @, tab, CR at the start)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class MonthClosed(Exception):
    """The cycle is closed: its links no longer take answers, so none are handed out."""

    def __init__(self, cycle: Cycle) -> None:
        super().__init__(
            _l(  # lazy: the page shows it in the reader's language, the CLI in English
                "Survey month %(month)s is closed: its links no longer take answers, so none are "
                "handed out.",
                month=cycle.month,
            )
        )


def require_open(cycle: Cycle) -> None:
    """Refuse to hand out a closed cycle's links (CSV or QR code): raise :class:`MonthClosed`."""
    if cycle.status == CycleStatus.CLOSED:
        raise MonthClosed(cycle)


def links_csv(session: Session, cycle: Cycle, links: Links) -> bytes:
    """The links of the customers who have not answered; :class:`MonthClosed` once closed."""
    require_open(cycle)
    zone = ZoneInfo(cycle.contract.timezone)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for invitation in pending_invitations(session, cycle):
        closes: datetime = invitation.expires_at.astimezone(zone)
        writer.writerow(
            [
                _cell(invitation.customer.ref),
                invitation.locale,
                links.survey_url(invitation),
                links.opt_out_url(invitation),
                closes.strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=8, border=4, xmldecl=False, svgns=True, title="QR"
    )
    return buffer.getvalue()
