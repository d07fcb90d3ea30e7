"""``backup`` and ``restore`` of the database.

SQLite: ``backup`` copies the live database with SQLite's online backup API (consistent while
the site keeps serving); ``restore`` checks the file is a database of this application and
copies it back over the live one the same way. PostgreSQL: use ``pg_dump`` and ``pg_restore``
(README: Security), which know about roles, extensions and concurrent writers; the commands
say so instead of half-doing it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from .. import audit
from ..extensions import db

PG_DUMP = 'pg_dump --format=custom --no-owner --file={file} "$DATABASE_URL"'
PG_RESTORE = 'pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" {file}'


def _sqlite_path() -> Path | None:
    url = make_url(db.engine.url)
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        raise click.ClickException("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    def progress(_status: int, remaining: int, total: int) -> None:
        if total:
            click.echo(f"  {total - remaining}/{total} pages", err=True)

    source.backup(target, pages=1024, progress=progress)


def backup_sqlite(live: Path, output: Path) -> None:
    with sqlite3.connect(live) as source, sqlite3.connect(output) as target:
        _copy(source, target)
    source.close()
    target.close()


def check_backup(path: Path) -> None:
    """A readable SQLite file, intact, with this application's schema in it."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        conn.close()
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"{path} is not a SQLite database: {exc}") from exc
    if ok != "ok":
        raise click.ClickException(f"{path} failed the integrity check: {ok}")
    if not {"alembic_version", "contracts", "customers"} <= tables:
        raise click.ClickException(f"{path} is not a backup of this application")


@click.command("backup", short_help="Copy the live database to a backup file.")
@with_appcontext
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path))
def backup(output: Path) -> None:
    """Copy the live database to FILE (SQLite online backup; pg_dump for PostgreSQL)."""
    live = _sqlite_path()
    if live is None:
        raise click.ClickException(
            "this database is PostgreSQL: back it up with\n  " + PG_DUMP.format(file=output)
        )
    if output.exists():
        raise click.ClickException(f"{output} exists; choose a new file name")
    backup_sqlite(live, output)
    check_backup(output)
    audit.record(db.session, "database.backup", actor_label="cli", details={"file": output.name})
    db.session.commit()
    click.echo(f"Backed up {live} to {output} ({output.stat().st_size} bytes).")


@click.command("restore", short_help="Replace the live database with a backup (--yes).")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm: the live database is replaced by FILE.")
def restore(file: Path, yes: bool) -> None:
    """Replace the live database with the backup FILE (needs --yes)."""
    live = _sqlite_path()
    missing = f"{file} does not exist" if not file.is_file() else None
    if live is None:
        raise click.ClickException(
            (f"{missing}. " if missing else "")
            + "This database is PostgreSQL: restore it with\n  "
            + PG_RESTORE.format(file=file)
        )
    if missing:
        raise click.ClickException(missing)
    check_backup(file)
    if not yes:
        raise click.ClickException(
            f"this replaces every row in {live} with the contents of {file}; "
            "stop the web and worker processes, then run again with --yes"
        )
    db.session.remove()
    db.engine.dispose()
    with sqlite3.connect(file) as source, sqlite3.connect(live, timeout=30) as target:
        _copy(source, target)
    source.close()
    target.close()
    audit.record(db.session, "database.restore", actor_label="cli", details={"file": file.name})
    db.session.commit()
    click.echo(
        f"Restored {live} from {file}. Run `init-db` if the backup is from an older version."
    )


COMMANDS = [backup, restore]
