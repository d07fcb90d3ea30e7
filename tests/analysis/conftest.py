"""Database fixtures for the analysis tests: a SQLite file, and PostgreSQL when
``TEST_DATABASE_URL`` is set."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from . import demo

DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


PG_SCHEMA = "analysis_tests"


def _postgres_engine(url: str) -> sa.Engine:
    """An engine on a schema of its own: these tests drop and create every table, which must
    not touch the migrated schema the app tests share in the same database."""
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA IF NOT EXISTS {PG_SCHEMA}"))
    admin.dispose()
    return sa.create_engine(url, connect_args={"options": f"-c search_path={PG_SCHEMA}"})


@pytest.fixture(params=DATABASES)
def engine(request, tmp_path):
    if request.param == "sqlite":
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'analysis.db'}")
    else:
        engine = _postgres_engine(os.environ["TEST_DATABASE_URL"])
    demo.create_schema(engine)
    yield engine
    if request.param != "sqlite":
        demo.Base.metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def demo_engine(engine):
    with engine.begin() as conn:
        demo.insert_demo(conn)
    return engine
