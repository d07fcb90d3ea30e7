"""Alembic environment: the application's metadata, batch mode for SQLite, compare types."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from surveyapp.models import Base
from surveyapp.models.types import UTCDateTime

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

engine = current_app.extensions["migrate"].db.engine
target_metadata = Base.metadata


def render_item(type_, obj, autogen_context):
    """Render the app's UTC type as a plain timezone-aware DateTime: migrations stay standalone."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline():
    context.configure(
        url=engine.url.render_as_string(hide_password=False),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def skip_empty(context_, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a SQLite table (copy, drop, rename) to change a constraint;
            # with foreign keys enforced, dropping a table that other rows refer to fails once
            # the database holds data. Alembic's advice: enforcement off while migrating (the
            # pragma is ignored inside a transaction, hence the commit), then check every key.
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            process_revision_directives=skip_empty,
            render_as_batch=True,
            compare_type=True,
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.commit()
            connection.exec_driver_sql("PRAGMA foreign_keys = ON")
            connection.commit()
            if broken:
                raise RuntimeError(
                    f"the migration left rows whose foreign keys point nowhere: {broken[:5]}"
                )


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
