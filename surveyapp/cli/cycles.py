"""Cycle commands for cron or any job runner; every one is safe to run twice.

Without ``--contract``/``--month`` they act on what is due now: ``open-cycle`` opens every
active contract whose survey window has begun, ``send-invitations`` and ``remind`` work on every
open month, ``close-cycle`` closes every open month whose window has ended.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from .. import audit
from ..customers.names import customer_names
from ..cycles.aggregates import store_month_aggregates
from ..cycles.calendar import cycle_window, month_of
from ..cycles.closing import close_month
from ..cycles.lifecycle import CycleError, find_cycle, open_cycle
from ..cycles.links import Links, MonthClosed, links_csv
from ..cycles.sending import SendSummary, send_invitations, send_reminders
from ..extensions import db
from ..mail import Mailer, SmtpSettings
from ..models import Contract, ContractStatus, Cycle, CycleStatus, utcnow
from .contracts import contract_by_number

contract_option = click.option(
    "--contract", "number", help="Contract number (合同编号); default: all that are due."
)
month_option = click.option(
    "--month", help="Survey month YYYY-MM (default: the current month in the contract's time zone)."
)
now_option = click.option(
    "--now", "now_text", hidden=True, help="Pretend it is this ISO instant (UTC)."
)


def _now(now_text: str | None) -> datetime:
    if not now_text:
        return utcnow()
    value = datetime.fromisoformat(now_text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _contract(number: str) -> Contract:
    return contract_by_number(number)


def _open_cycles(number: str | None, month: str | None, now: datetime) -> list[Cycle]:
    if number:
        contract = _contract(number)
        cycle = find_cycle(db.session, contract, month or month_of(now, contract.timezone))
        if cycle is None:
            raise click.UsageError(
                f"{contract.number} has no survey month {month or month_of(now, contract.timezone)}"
            )
        return [cycle]
    query = (
        select(Cycle)
        .where(Cycle.status == CycleStatus.OPEN)
        .order_by(Cycle.contract_id, Cycle.month)
    )
    if month:
        query = query.where(Cycle.month == month)
    return list(db.session.scalars(query))


def _label(cycle: Cycle) -> str:
    return f"{cycle.contract.number} {cycle.month}"


@click.command("open-cycle", short_help="Open due survey months and invite their customers.")
@with_appcontext
@contract_option
@month_option
@now_option
def open_cycle_command(number, month, now_text) -> None:
    """Open a survey month and create one invitation per active customer (idempotent)."""
    now = _now(now_text)
    links = Links.from_config(current_app.config)
    if number:
        contracts = [_contract(number)]
    else:
        contracts = list(
            db.session.scalars(
                select(Contract)
                .where(Contract.status == ContractStatus.ACTIVE)
                .order_by(Contract.number)
            )
        )
    failed = False
    for contract in contracts:
        target = month or month_of(now, contract.timezone)
        if not number:
            opens, closes = cycle_window(
                target, contract.timezone, contract.survey_open_day, contract.survey_open_days
            )
            if not opens <= now < closes:
                continue
        try:
            with force_locale("en"):
                result = open_cycle(db.session, contract, target, now=now, links=links)
        except CycleError as exc:
            with force_locale("en"):
                click.echo(f"{contract.number} {target}: {exc}", err=True)
            failed = True
            continue
        click.echo(
            f"{contract.number} {target}: open; {result.created} invitations created, "
            f"{result.existing} already there."
        )
    if failed:
        sys.exit(1)


def _run_sending(step, number, month, now_text, what: str) -> None:
    now = _now(now_text)
    links = Links.from_config(current_app.config)
    settings = SmtpSettings.from_config(current_app.config)
    total = SendSummary()
    for cycle in _open_cycles(number, month, now):
        label = _label(cycle)

        def progress(done: int, of: int, summary: SendSummary, label=label) -> None:
            click.echo(f"  {label}: {done}/{of} (sent {summary.sent}, failed {summary.failed})")

        try:
            with Mailer(settings) as mailer:
                summary = step(
                    db.session, cycle, mailer=mailer, links=links, now=now, progress=progress
                )
        except CycleError as exc:
            with force_locale("en"):
                click.echo(f"{label}: {exc}", err=True)
            continue
        click.echo(
            f"{label}: {what} sent {summary.sent}, failed {summary.failed}, "
            f"skipped {summary.skipped}"
            + (f", not attempted {summary.remaining}" if summary.remaining else "")
        )
        total.sent += summary.sent
        total.failed += summary.failed
        total.skipped += summary.skipped
        total.remaining += summary.remaining
    click.echo(f"Summary: sent {total.sent}, failed {total.failed}, skipped {total.skipped}.")
    if total.failed or total.remaining:
        click.echo(
            "Run the command again to retry the failed ones; those already sent are skipped.",
            err=True,
        )
        sys.exit(1)


@click.command("send-invitations", short_help="E-mail the invitations not sent yet.")
@with_appcontext
@contract_option
@month_option
@now_option
def send_invitations_command(number, month, now_text) -> None:
    """E-mail the invitations not sent yet (resumable: those already sent are skipped)."""
    _run_sending(send_invitations, number, month, now_text, "invitations")


@click.command("remind", short_help="E-mail due reminders to non-responders.")
@with_appcontext
@contract_option
@month_option
@now_option
def remind_command(number, month, now_text) -> None:
    """E-mail reminders to non-responders whose reminder is due (contract's days, maximum)."""
    _run_sending(send_reminders, number, month, now_text, "reminders")


@click.command("close-cycle", short_help="Close ended months, analyse, build the reports.")
@with_appcontext
@contract_option
@month_option
@now_option
def close_cycle_command(number, month, now_text) -> None:
    """Close ended survey months, then analyse, propose action items and build the reports."""
    now = _now(now_text)
    if number:
        cycles = _open_cycles(number, month, now)
    else:
        cycles = [c for c in _open_cycles(None, month, now) if c.closes_at <= now]
    closed = waiting = 0
    for cycle in cycles:
        outcome = close_month(db.session, cycle, now=now, actor_label="cli:close-cycle")
        closed += outcome.closed
        waiting += outcome.reports_missing is not None
        click.echo(f"{_label(cycle)}: {outcome.line()}")
    click.echo(f"Summary: {closed} closed.")
    if waiting:
        click.echo(
            f"{waiting} months have no report yet: install Chromium (or set BROWSER_PATH), then "
            "run build-reports or let the autopilot retry.",
            err=True,
        )


@click.command("export-links", short_help="Write unanswered customers' links as CSV.")
@with_appcontext
@click.option("--contract", "number", required=True, help="Contract number (合同编号).")
@click.option("--month", required=True, help="Survey month YYYY-MM.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="CSV file to write (UTF-8 with BOM).",
)
def export_links_command(number, month, output) -> None:
    """Write the links of customers who have not answered as CSV (for SMS or messaging tools)."""
    contract = _contract(number)
    cycle = find_cycle(db.session, contract, month)
    if cycle is None:
        raise click.UsageError(f"{contract.number} has no survey month {month}")
    try:
        body = links_csv(db.session, cycle, Links.from_config(current_app.config))
    except MonthClosed as exc:
        with force_locale("en"):
            raise click.UsageError(str(exc.args[0])) from None
    with open(output, "wb") as handle:
        handle.write(body)
    audit.record(
        db.session,
        "cycle.links_exported",
        actor_label="cli",
        subject=cycle,
        organization_id=contract.provider_id,
        details={"contract": contract.number, "month": month},
    )
    db.session.commit()
    rows = body.count(b"\n") - 1
    click.echo(f"Wrote {rows} links to {output}.")


@click.command("rebuild-aggregates", short_help="Rebuild the stored aggregates of closed months.")
@with_appcontext
@click.option("--contract", "number", help="Contract number (合同编号); default: every contract.")
@click.option("--month", help="Survey month YYYY-MM; default: every closed month.")
def rebuild_aggregates_command(number, month) -> None:
    """Rebuild the stored aggregates of closed months (counts, driver pairs, funnel, comment
    themes): after an upgrade that adds one, or a correction made in the database."""
    query = (
        select(Cycle)
        .where(Cycle.status == CycleStatus.CLOSED)
        .order_by(Cycle.contract_id, Cycle.month)
    )
    if number:
        query = query.where(Cycle.contract_id == _contract(number).id)
    if month:
        query = query.where(Cycle.month == month)
    cycles = list(db.session.scalars(query))
    if not cycles:
        raise click.UsageError("no closed survey month matches")
    names: dict[int, tuple[str, ...]] = {}
    for done, cycle in enumerate(cycles, start=1):
        if cycle.contract_id not in names:
            names[cycle.contract_id] = customer_names(db.session, cycle.contract_id)
        store_month_aggregates(db.session, cycle.contract_id, cycle.month, names[cycle.contract_id])
        db.session.commit()  # month by month: an interrupted run keeps what it rebuilt
        click.echo(f"{_label(cycle)}: rebuilt ({done}/{len(cycles)}).")
    click.echo(f"Summary: {len(cycles)} months rebuilt.")


COMMANDS = [
    open_cycle_command,
    send_invitations_command,
    remind_command,
    close_cycle_command,
    export_links_command,
    rebuild_aggregates_command,
]
