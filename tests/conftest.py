"""Shared fixtures: a migrated database per test (SQLite by default, PostgreSQL when
``TEST_DATABASE_URL`` is set), the app, its test client and CLI runner, and sign-in helpers.

SQLite: the schema is migrated once per session into a template file that each test copies.
PostgreSQL: one database is migrated once per session and every table is emptied after each
test, so tests that need real commits (concurrent submits) work the same on both.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from surveyapp import create_app
from surveyapp.config import normalise_database_url
from surveyapp.extensions import db
from surveyapp.models import Base

from . import factories

PG_URL = os.environ.get("TEST_DATABASE_URL")
IN_CI = os.environ.get("CI") == "true"

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "WTF_CSRF_ENABLED": False,
    "SMTP_HOST": "127.0.0.1",
    "SMTP_PORT": 1,  # nothing listens: a test that sends mail must start its own server
}


def make_app(url: str, **overrides) -> Flask:
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **overrides})


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = make_app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory) -> str:
    """The migrated database: a template SQLite file, or the PostgreSQL test database."""
    if PG_URL:
        url = normalise_database_url(PG_URL)
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        _migrate(url)
        return url
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    _migrate(f"sqlite:///{path}")
    return str(path)


@pytest.fixture
def database_url(database_template, tmp_path) -> Iterator[str]:
    if PG_URL:
        yield database_template
        _empty_all_tables(database_template)
    else:
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(database_template, path)
        yield f"sqlite:///{path}"


def _empty_all_tables(url: str) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def app(database_url) -> Iterator[Flask]:
    """The app, with no context pushed: each request gets its own, as in production."""
    app = make_app(database_url)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def session(app) -> Iterator[Session]:
    """A session of its own for arranging and checking rows, apart from the requests' sessions."""
    with app.app_context():
        engine = db.engine
    with Session(engine) as session:
        yield session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def sign_in(client):
    """Sign the test client in as ``user`` (made by ``factories.make_user``)."""

    def do(user, password: str = factories.PASSWORD):
        response = client.post("/sign-in", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.text
        return client

    return do


def require_tool(path: str, why: str) -> None:
    """Skip outside CI when a tool is missing; in CI a missing tool is a failure."""
    if shutil.which(path) or os.path.exists(path):
        return
    message = f"{path} is not installed ({why}); `.ci/run` installs it"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def demo_app(database_template, tmp_path_factory) -> Iterator[Flask]:
    """An app over the demo data, built once per module; tests using it must only read."""
    from datetime import date

    from surveyapp.demo import build_demo

    if PG_URL:
        _empty_all_tables(database_template)
        url = database_template
    else:
        path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
        shutil.copyfile(database_template, path)
        url = f"sqlite:///{path}"
    app = make_app(url)
    with app.app_context():
        build_demo(db.session, seed=42, today=date(2026, 11, 25))
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()
    if PG_URL:
        _empty_all_tables(url)


@pytest.fixture
def demo_client_for(demo_app):
    """A test client signed in as one of the demo users."""
    from surveyapp.demo import DEMO_PASSWORD

    def make(email: str):
        client = demo_app.test_client()
        response = client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302
        return client

    return make


@pytest.fixture(scope="session")
def charts():
    """The process's kaleido server, started once for every test that renders a report."""
    require_tool("chromium", "the report's charts are exported to SVG by kaleido with Chromium")
    from surveyapp.reports.pdf import chart_server

    server = chart_server()
    server.start()
    yield server
    server.stop()
