"""Migrations: one head, the schema they build equals the models (no drift), and down/up works."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from surveyapp.extensions import db
from surveyapp.models import Base


def test_migrations_have_a_single_head(app):
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config(app.extensions["migrate"].directory)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_the_migrated_schema_matches_the_models(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_builds_every_table_and_downgrade_removes_them(app):
    with app.app_context():
        _down_and_up()


def _down_and_up():
    tables = set(Base.metadata.tables)
    assert tables <= set(inspect(db.engine).get_table_names())
    downgrade(revision="base")
    db.engine.dispose()
    assert not tables & set(inspect(db.engine).get_table_names())
    upgrade()
    db.engine.dispose()
    assert tables <= set(inspect(db.engine).get_table_names())
