from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_migrate import upgrade


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database schema to the latest migration (safe to run twice)."""
    upgrade()
    click.echo("Database schema is up to date.")


COMMANDS = [init_db]
