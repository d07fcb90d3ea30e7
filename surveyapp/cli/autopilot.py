"""``tick``: the one command a scheduler runs; it does whatever of the monthly cycle is due.

``*/5 * * * * cd /srv/surveyapp && venv/bin/flask --app surveyapp tick`` (README, Autopilot).
Exits 1 when a step failed (the error is in the ledger and the next tick tries again).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy.orm import Session

from ..autopilot.tick import run_tick
from ..extensions import db
from ..models import utcnow


def _now(_ctx, _param, value: str | None) -> datetime:
    if not value:
        return utcnow()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("use an ISO time such as 2026-12-01T09:00 (UTC)") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@click.command("tick", short_help="Run every autopilot step that is due now.")
@with_appcontext
@click.option("--now", callback=_now, help="Run as of this ISO time (UTC unless it has an offset).")
@click.option("--dry-run", is_flag=True, help="Print what is due; change nothing.")
def tick_command(now: datetime, dry_run: bool) -> None:
    """Open, send, remind, close, analyse, report and notify: whatever is due for every contract."""
    with force_locale("en"):
        summary = run_tick(lambda: Session(db.engine), now, dry_run=dry_run, progress=click.echo)
    for outcome in summary.caught_up:
        click.echo(f"caught up: {outcome.line()}")
    click.echo(summary.line())
    if not summary.ok:
        for outcome in summary.failed:
            click.echo(f"failed: {outcome.line()}", err=True)
        sys.exit(1)


COMMANDS = [tick_command]
