"""``build-reports``: the month's PDF summaries of every contract whose cycle is closed.

Safe to run twice: a month and language that already has a report is skipped unless
``--rebuild`` asks for a new version. Exits non-zero when any contract failed.
"""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..cycles.calendar import MONTH_RE
from ..extensions import db
from ..i18n import LOCALES
from ..models import Contract, Cycle, CycleStatus, Report


def _month(_ctx, _param, value: str) -> str:
    if not MONTH_RE.match(value):
        raise click.BadParameter("use the form YYYY-MM, e.g. 2026-10")
    return value


def _bar(done: int, total: int, width: int = 20) -> str:
    filled = round(width * done / total)
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"


@click.command("build-reports", short_help="Build the monthly PDF reports of closed months.")
@with_appcontext
@click.option("--month", required=True, callback=_month, help="The survey month, YYYY-MM.")
@click.option("--contract", "number", default=None, help="Only this contract number.")
@click.option("--locale", type=click.Choice(list(LOCALES)), default="zh_CN", show_default=True,
              help="Language of the report.")  # fmt: skip
@click.option("--rebuild", is_flag=True, help="Build a new version even where one exists.")
def build_reports(month: str, number: str | None, locale: str, rebuild: bool) -> None:
    """Build and archive the month's PDF report of every contract whose cycle is closed."""
    from ..reports.building import build_monthly_report
    from ..reports.pdf import ChartExportUnavailable, chart_server

    query = (
        select(Cycle)
        .join(Contract, Contract.id == Cycle.contract_id)
        .where(Cycle.month == month, Cycle.status == CycleStatus.CLOSED)
        .order_by(Contract.number)
    )
    if number:
        query = query.where(Contract.number == number)
    cycles = db.session.scalars(query).all()
    if not cycles:
        which = f" of contract {number}" if number else ""
        click.echo(f"No closed cycle for {month}{which}.")
        raise SystemExit(1 if number else 0)
    try:
        chart_server().start()
    except ChartExportUnavailable as error:
        raise click.ClickException(str(error)) from error

    built = skipped = 0
    failed: list[str] = []
    started = time.perf_counter()
    for position, cycle in enumerate(cycles, start=1):
        prefix = f"{_bar(position, len(cycles))} {cycle.contract.number} {month} {locale}"
        exists = db.session.scalar(
            select(Report.id).where(Report.cycle_id == cycle.id, Report.locale == locale).limit(1)
        )
        if exists and not rebuild:
            skipped += 1
            click.echo(f"{prefix}: already built, skipped (--rebuild makes a new version)")
            continue
        tick = time.perf_counter()
        try:
            report = build_monthly_report(
                db.session, cycle, locale=locale, actor_label="cli:build-reports"
            )
        except Exception as error:  # one contract's failure must not stop the batch
            db.session.rollback()
            failed.append(cycle.contract.number)
            click.echo(f"{prefix}: FAILED: {error}", err=True)
            continue
        built += 1
        click.echo(
            f"{prefix}: version {report.version}, {report.size_bytes / 1024:.0f} KB, "
            f"sha256 {report.sha256[:12]}…, {time.perf_counter() - tick:.2f} s"
        )
    click.echo(
        f"Built {built}, skipped {skipped}, failed {len(failed)} of {len(cycles)} "
        f"in {time.perf_counter() - started:.1f} s."
        + (f" Failed: {', '.join(failed)}" if failed else "")
    )
    if failed:
        raise SystemExit(1)


COMMANDS = [build_reports]
