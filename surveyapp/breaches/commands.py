"""``flask breaches derive``: bring the breach registers up to date, for cron (safe to run
twice: derivation is idempotent and skips settled months)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..cycles.calendar import MONTH_RE, month_of, shift_month
from ..extensions import db
from ..models import Contract, ContractStatus, utcnow
from .calendar import UnknownCalendarYear
from .register import LedgerError, MonthSettled, derive_month


@click.command("derive")
@with_appcontext
@click.option("--month", help="YYYY-MM; by default last month in each contract's time zone.")
@click.option("--contract", "number", help="Only this contract number.")
def derive_command(month: str | None, number: str | None) -> None:
    """Derive each active contract's register for the month."""
    if month is not None and not MONTH_RE.match(month):
        raise click.BadParameter("a month such as 2026-10", param_hint="--month")
    query = select(Contract).where(Contract.status == ContractStatus.ACTIVE)
    if number:
        query = query.where(Contract.number == number)
    now, failed = utcnow(), False
    for contract in db.session.scalars(query.order_by(Contract.id)).all():
        target = month or shift_month(month_of(now, contract.timezone), -1)
        try:
            summary = derive_month(db.session, contract, target, now)
        except MonthSettled:
            click.echo(f"{contract.number} {target}: settled, skipped")
            continue
        except UnknownCalendarYear as error:
            db.session.rollback()
            click.echo(f"{contract.number} {target}: no working-day calendar for "
                       f"{error.year}; update chinese-calendar", err=True)  # fmt: skip
            failed = True
            continue
        except LedgerError as error:
            db.session.rollback()
            click.echo(f"{contract.number} {target}: {error}", err=True)
            continue
        click.echo(f"{contract.number} {target}: {summary.created} new, "
                   f"{summary.updated} updated, {summary.unchanged} unchanged")  # fmt: skip
    if failed:
        raise SystemExit(1)
