"""``purge-contacts``: erase customer contact data of contracts that ended long ago.

Clause 四's duty of confidentiality outlives the contract; keeping the data no longer than
needed is the surest way to keep it. For every contract whose end date is more than
``--older-than-days`` (``RETENTION_DAYS``, default 365) days ago, each customer's name, e-mail,
mobile and their lookup hashes are erased. Reference ids, invitations and the anonymous
responses stay, so reports and trends are unchanged. Audited per contract; safe to run twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from .. import audit
from ..extensions import db
from ..models import Contract, Customer

CONTACT_COLUMNS = ("name_enc", "email_enc", "mobile_enc", "email_lookup", "mobile_lookup")


@dataclass(frozen=True)
class Purged:
    contract_number: str
    customers: int


def _with_contact():
    return or_(*(getattr(Customer, name).is_not(None) for name in CONTACT_COLUMNS))


def purge_contacts(
    session: Session, *, today: date, older_than_days: int, dry_run: bool = False
) -> list[Purged]:
    """Erase contact data of contracts ended before ``today - older_than_days``."""
    cutoff = today - timedelta(days=older_than_days)
    contracts = session.scalars(
        select(Contract)
        .where(Contract.end_date.is_not(None), Contract.end_date < cutoff)
        .order_by(Contract.number)
    ).all()
    done = []
    for contract in contracts:
        scope = (Customer.contract_id == contract.id, _with_contact())
        count = len(session.scalars(select(Customer.id).where(*scope)).all())
        if not count:
            continue
        done.append(Purged(contract.number, count))
        if dry_run:
            continue
        session.execute(
            update(Customer)
            .where(*scope)
            .values(
                name_enc=None,
                email_enc=None,
                mobile_enc=None,
                email_lookup=None,
                mobile_lookup=None,
            )
        )
        audit.record(
            session,
            "contacts.purged",
            actor_label="cli",
            subject=contract,
            organization_id=contract.provider_id,
            details={"customers": count, "ended": contract.end_date.isoformat()},
        )
        session.commit()
    return done


@click.command("purge-contacts", short_help="Erase contact data of contracts ended long ago.")
@with_appcontext
@click.option(
    "--older-than-days", type=click.IntRange(0), default=None, help="Default: RETENTION_DAYS."
)
@click.option("--dry-run", is_flag=True, help="Say what would be erased; change nothing.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, hidden=True)
def purge_contacts_command(older_than_days: int | None, dry_run: bool, today) -> None:
    """Erase customer contact data of contracts ended more than N days ago."""
    days = current_app.config["RETENTION_DAYS"] if older_than_days is None else older_than_days
    done = purge_contacts(
        db.session,
        today=today.date() if today else date.today(),
        older_than_days=days,
        dry_run=dry_run,
    )
    verb = "would erase" if dry_run else "erased"
    for item in done:
        click.echo(f"{item.contract_number}: {verb} the contact data of {item.customers} customers")
    total = sum(item.customers for item in done)
    click.echo(
        f"{'Dry run: ' if dry_run else ''}{total} customers in {len(done)} contracts ({verb})."
    )


COMMANDS = [purge_contacts_command]
