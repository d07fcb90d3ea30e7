from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from ..demo import DEMO_PASSWORD, DemoExists, build_demo
from ..extensions import db


@click.command("demo")
@with_appcontext
@click.option(
    "--seed", type=int, default=42, show_default=True, help="Random seed (same seed, same data)."
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Build the 12 closed months before this date (default: today).",
)
def demo(seed: int, today) -> None:
    """Load realistic demo data: a provider, three clients, 12 closed survey months, tickets."""
    day = today.date() if today else date.today()
    try:
        summary = build_demo(db.session, seed=seed, today=day, progress=click.echo)
    except DemoExists:
        click.echo("Demo data is already loaded; nothing to do.")
        return
    click.echo(
        f"Loaded {summary.contracts} contracts, {summary.responses} responses, "
        f"{summary.answers} answers and {summary.tickets} tickets."
    )
    for email in summary.users:
        click.echo(f"  sign in as {email} / {DEMO_PASSWORD}")


COMMANDS = [demo]
