from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_migrate import upgrade

from ..auth.setup import issue_setup_code
from ..extensions import db
from ..models import utcnow


@click.command("init-db", short_help="Create or upgrade the database schema.")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database schema to the latest migration (safe to run twice).

    While no provider exists it prints a one-time code for the set-up page (/setup), valid for
    24 hours; running it again prints a new code and the old one stops working.
    """
    upgrade()
    click.echo("Database schema is up to date.")
    code = issue_setup_code(db.session, utcnow())
    if code is not None:
        click.echo("No provider yet. Open /setup and enter this one-time code (24 hours): " + code)


COMMANDS = [init_db]
