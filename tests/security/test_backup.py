"""``backup`` and ``restore``: SQLite's online backup API; pg_dump / pg_restore for PostgreSQL."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from surveyapp.models import Contract

from ..conftest import PG_URL
from ..factories import make_contract

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="SQLite files; PostgreSQL uses pg_dump")


def test_backup_then_restore_brings_back_the_rows(runner, session, tmp_path):
    make_contract(session, number="KEEP-1")
    output = tmp_path / "backup.sqlite3"
    result = runner.invoke(args=["backup", "--output", str(output)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(output) as copy:
        assert copy.execute("SELECT number FROM contracts").fetchall() == [("KEEP-1",)]
    copy.close()

    make_contract(session, number="LATER-2")
    refused = runner.invoke(args=["restore", str(output)])
    assert refused.exit_code != 0 and "--yes" in refused.output
    assert session.scalar(select(func.count()).select_from(Contract)) == 2

    result = runner.invoke(args=["restore", str(output), "--yes"])
    assert result.exit_code == 0, result.output
    session.rollback()
    assert session.scalars(select(Contract.number)).all() == ["KEEP-1"]


def test_backup_refuses_to_overwrite_a_file(runner, tmp_path):
    output = tmp_path / "exists.sqlite3"
    output.write_bytes(b"precious")
    result = runner.invoke(args=["backup", "--output", str(output)])
    assert result.exit_code != 0 and output.read_bytes() == b"precious"


def test_restore_refuses_a_file_that_is_not_a_backup(runner, session, tmp_path):
    make_contract(session, number="KEEP-1")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    for path in (junk, other):
        result = runner.invoke(args=["restore", str(path), "--yes"])
        assert result.exit_code != 0, path
    assert session.scalars(select(Contract.number)).all() == ["KEEP-1"]


def test_postgresql_is_pointed_at_pg_dump(tmp_path):
    from ..conftest import make_app

    app = make_app("postgresql+psycopg://postgres@127.0.0.1:1/none")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", "--output", str(tmp_path / "x.dump")])
    assert result.exit_code != 0 and "pg_dump --format=custom" in result.output
    backup = tmp_path / "b.sqlite3"
    backup.write_bytes(b"")
    result = runner.invoke(args=["restore", str(backup), "--yes"])
    assert result.exit_code != 0 and "pg_restore" in result.output


def test_restore_of_a_missing_file_says_so_and_still_prints_the_postgresql_command(tmp_path):
    from ..conftest import make_app

    missing = tmp_path / "surveyapp-2026-11-25.dump"
    app = make_app("postgresql+psycopg://postgres@127.0.0.1:1/none")
    result = app.test_cli_runner().invoke(args=["restore", str(missing), "--yes"])
    assert result.exit_code == 1
    assert f"{missing} does not exist" in result.output
    assert f'pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" {missing}' in (
        result.output
    )
    assert "Traceback" not in result.output


def test_restore_of_a_missing_file_on_sqlite_says_so(runner, session, tmp_path):
    make_contract(session, number="KEEP-1")
    result = runner.invoke(args=["restore", str(tmp_path / "nowhere.sqlite3"), "--yes"])
    assert result.exit_code == 1 and "nowhere.sqlite3 does not exist" in result.output
    assert session.scalars(select(Contract.number)).all() == ["KEEP-1"]
