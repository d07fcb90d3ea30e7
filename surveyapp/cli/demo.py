from __future__ import annotations

import secrets
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db


def new_demo_password() -> str:
    """16 random characters, different for every load: nobody can read it in the repository."""
    return secrets.token_urlsafe(12)


def _print_password(password: str, emails: list[str]) -> None:
    click.echo("")
    click.echo(f"  Demo password (shown once, the same for every demo user): {password}")
    for email in emails:
        click.echo(f"    {email}")
    click.echo("")


@click.command("demo", short_help="Load realistic demo data (12 closed months).")
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
@click.option(
    "--new-password",
    is_flag=True,
    help="Give the demo users a new random password and print it (the demo is already loaded).",
)
@click.option(
    "--into-production",
    is_flag=True,
    help="With SURVEYAPP_ENV=production: really add the demo companies, contracts and users "
    "(signing in with the printed password) to this production database.",
)
def demo(seed: int, today, new_password: bool, into_production: bool) -> None:
    """Load realistic demo data: a provider, three clients, 12 closed survey months, tickets.

    The demo users get a random password, printed once. Refused with SURVEYAPP_ENV=production
    unless --into-production is given."""
    from ..demo import DemoExists, build_demo, reset_demo_passwords

    if current_app.config.get("ENV_NAME") == "production" and not into_production:
        raise click.ClickException(
            "SURVEYAPP_ENV=production: the demo would add made-up companies, contracts and "
            "provider administrators to this database; pass --into-production to do it anyway"
        )
    password = new_demo_password()
    if new_password:
        emails = reset_demo_passwords(db.session, password)
        if not emails:
            raise click.ClickException("no demo users in this database; run `demo` first")
        _print_password(password, emails)
        return
    day = today.date() if today else date.today()
    try:
        summary = build_demo(
            db.session, seed=seed, today=day, progress=click.echo, password=password
        )
    except DemoExists:
        click.echo(
            "Demo data is already loaded; nothing to do. Its password was printed when it was "
            "loaded; `demo --new-password` prints a new one."
        )
        return
    click.echo(
        f"Loaded {summary.contracts} contracts, {summary.responses} responses, "
        f"{summary.answers} answers and {summary.tickets} tickets."
    )
    _print_password(password, summary.users)


COMMANDS = [demo]
