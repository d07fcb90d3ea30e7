"""Faults: the database unavailable, failing half-way through a submit, locked, or full.

Each gives a 503 page (JSON for the API) that says nothing was saved, leaves no partial write,
and the same submit sent again once the database is back is stored exactly once.
"""

from __future__ import annotations

import socket
import sqlite3
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select, text

from surveyapp.extensions import db
from surveyapp.models import Answer, FollowupCase, Invitation, Response

from ..conftest import PG_URL, make_app
from .conftest import full_answers

sqlite_only = pytest.mark.skipif(bool(PG_URL), reason="SQLite's own locks and page limits")


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Any connection to an address other than 127.0.0.1 fails the test."""
    real_connect = socket.socket.connect

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in (
            "127.0.0.1",
            "::1",
            "localhost",
        ):
            raise AssertionError(f"a test tried to reach {address}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


def stored(session) -> dict[str, int]:
    session.expire_all()
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model))
        for model in (Response, Answer, FollowupCase)
    } | {
        "answered": session.scalar(
            select(func.count()).select_from(Invitation).where(Invitation.responded_at.is_not(None))
        )
    }


NOTHING = {"responses": 0, "answers": 0, "followup_cases": 0, "answered": 0}
ONCE = {"responses": 1, "answered": 1}


@contextmanager
def failing(app, statement: str, make_error):
    """Every statement starting with ``statement`` fails with ``make_error()`` while inside."""
    with app.app_context():
        engine = db.engine

    def before(conn, cursor, sql, params, context, executemany):
        if sql.lstrip().upper().startswith(statement):
            raise make_error()

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _dbapi_error(app, message: str):
    with app.app_context():
        dbapi = db.engine.dialect.dbapi
    return lambda: dbapi.OperationalError(message)


def test_the_database_failing_mid_submit_gives_503_and_no_partial_write(
    app, client, session, survey, invite
):
    _, token = invite()
    data = full_answers(survey)
    with failing(app, "INSERT INTO ANSWERS", _dbapi_error(app, "server closed the connection")):
        response = client.post(f"/s/{token}", data=data)
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "Nothing was saved" in response.text or "本次内容未保存" in response.text
    assert stored(session) == NOTHING
    # the customer presses the button again once the database is back: stored exactly once
    assert client.post(f"/s/{token}", data=data).status_code == 303
    assert client.post(f"/s/{token}", data=data).status_code == 409
    counts = stored(session)
    assert {k: counts[k] for k in ONCE} == ONCE and counts["answers"] > 0


def test_the_database_failing_at_commit_leaves_nothing(app, client, session, survey, invite):
    _, token = invite()
    with failing(app, "UPDATE INVITATIONS", _dbapi_error(app, "connection lost")):
        assert client.post(f"/s/{token}", data=full_answers(survey)).status_code == 503
    assert stored(session) == NOTHING


def test_an_unreachable_database_gives_503_pages_and_json(database_url, session, survey, invite):
    with socket.socket() as probe:  # a port on 127.0.0.1 where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _, token = invite()
    dead = make_app(
        f"postgresql+psycopg://postgres@127.0.0.1:{port}/nothing",
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}},
    )
    client = dead.test_client()
    page = client.post(f"/s/{token}", data=full_answers(survey))
    assert page.status_code == 503 and "<html" in page.text.lower()
    api = client.get("/api/v1/contracts", headers={"Authorization": "Bearer sat_" + "a" * 40})
    assert api.status_code == 503 and api.json["type"] == "urn:surveyapp:problem:unavailable"
    assert client.get("/sign-in").status_code == 200  # pages without the database still work
    assert stored(session) == NOTHING
    # recovered: the same link and answers, on the working database
    alive = make_app(database_url).test_client()
    assert alive.post(f"/s/{token}", data=full_answers(survey)).status_code == 303
    assert {k: stored(session)[k] for k in ONCE} == ONCE


def test_connections_the_server_dropped_are_replaced_before_a_submit_uses_them(
    database_url, session, survey, invite
):
    """PostgreSQL: the pool pings a connection before lending it. After a restart of the server
    (here: every connection of the app terminated) the next submit is stored as usual: no 503,
    no answers lost."""
    if not database_url.startswith("postgresql"):
        pytest.skip("the connection pool's recovery is PostgreSQL's")
    app = make_app(database_url)
    client = app.test_client()
    _, token = invite()
    assert client.get(f"/s/{token}").status_code == 200  # the pool holds a connection now
    with app.app_context():
        database = db.engine.url.database
    killed = session.execute(
        text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = :name AND pid <> pg_backend_pid()"
        ),
        {"name": database},
    ).scalar()
    session.commit()
    assert killed >= 1
    assert client.post(f"/s/{token}", data=full_answers(survey)).status_code == 303
    assert stored(session)["responses"] == 1


def _short_busy_timeout(app, extra: str = "") -> None:
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):  # after the app's own pragmas
        dbapi_connection.execute("PRAGMA busy_timeout = 200")
        if extra:
            dbapi_connection.execute(extra)


@sqlite_only
def test_a_sqlite_lock_timeout_gives_a_clear_503_and_a_retry_works(
    database_url, session, survey, invite
):
    app = make_app(database_url)
    _short_busy_timeout(app)
    client = app.test_client()
    _, token = invite()
    blocker = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        response = client.post(f"/s/{token}", data=full_answers(survey))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert response.status_code == 503
    assert "busy" in response.text or "繁忙" in response.text
    assert stored(session) == NOTHING
    assert client.post(f"/s/{token}", data=full_answers(survey)).status_code == 303
    assert {k: stored(session)[k] for k in ONCE} == ONCE


@sqlite_only
def test_a_full_sqlite_disk_gives_a_clear_503(database_url, session, survey, invite):
    _, token = invite()
    path = database_url.removeprefix("sqlite:///")
    probe = sqlite3.connect(path, isolation_level=None)
    probe.execute("VACUUM")  # no free pages left over (a migration that copies a table leaves some)
    pages = probe.execute("PRAGMA page_count").fetchone()[0]
    probe.close()
    app = make_app(database_url)
    _short_busy_timeout(app, f"PRAGMA max_page_count = {pages}")
    comment = "很长的意见" * 380  # more than the free space left in the file's pages
    data = full_answers(survey, **{"q-COMMENT": comment[:2000]})
    response = app.test_client().post(f"/s/{token}", data=data)
    assert response.status_code == 503
    assert "no space" in response.text or "存储空间已满" in response.text
    assert stored(session) == NOTHING
