"""The survey platform's Flask application."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event

from .config import check_settings, settings_from_env
from .extensions import babel, csrf, db, login_manager, migrate
from .models.types import keyring, parse_data_keys

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """templates/, static/ and migrations/ sit at the top of a source checkout and inside the
    package of an installed wheel; use whichever exists."""
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"{name}/ not found beside or inside the surveyapp package")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Application factory: settings from the environment, overridden by ``config``."""
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
        instance_relative_config=True,
    )
    app.config.update(settings_from_env(os.environ, app.instance_path))
    if config:
        app.config.update(config)
    check_settings(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    keyring.configure(parse_data_keys(app.config["DATA_KEY"]))

    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    )
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(PACKAGE_DIR / "translations")

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(resource_dir("migrations")), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)

    from . import auth, i18n

    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.init_app(app)
    auth.init_app(app)

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)

    from . import errors, security
    from .dashboard.formatting import register_filters
    from .presenting import (
        figure_text,  # the table under every chart
        sla_hooks,
    )
    from .webhooks import events as webhook_events

    errors.init_app(app)
    figure_text.init_app(app)
    security.init_app(app)
    webhook_events.init_app(app)
    register_filters(app)
    sla_hooks.init_app(app)  # the SLA x satisfaction panels' template globals
    for blueprint in _blueprints():
        app.register_blueprint(blueprint)

    from .cli import register_commands

    register_commands(app)
    return app


def _blueprints() -> list:
    """Every area's blueprint (one package per area, LAYOUT.md)."""
    from .action_items.views import bp as action_items
    from .api import bp as api
    from .api_tokens.views import bp as api_tokens
    from .audit_log.views import bp as audit_log
    from .auth.user_pages import bp as users
    from .auth.views import bp as auth
    from .autopilot.views import bp as autopilot
    from .breaches.views import bp as breaches
    from .contracts.client_views import bp as clients
    from .contracts.views import bp as contracts
    from .customers.views import bp as customers
    from .cycles.views import bp as cycles
    from .dashboard.views import bp as dashboard
    from .exports.views import bp as exports
    from .followup.views import bp as followup
    from .history.views import bp as history
    from .home import bp as home
    from .portal.views import bp as portal
    from .reports.views import bp as reports
    from .survey.branding_page import bp as survey_page
    from .survey.views import bp as survey
    from .survey_versions.views import bp as survey_versions
    from .tickets.views import bp as tickets
    from .webhooks.views import bp as webhooks

    return [
        home, auth, contracts, dashboard, portal, action_items, exports, cycles, customers, survey,
        survey_page,  # form (#22): a contract's survey logo and rating style
        reports, survey_versions, api, api_tokens, tickets, autopilot, followup, webhooks, history,
        audit_log, clients, users, breaches,
    ]  # fmt: skip


def engine_options(url: str) -> dict[str, Any]:
    if url.startswith("postgresql"):
        # JIT adds 20-44 ms to each short aggregate query (DESIGN.md section 5). The ping on
        # each checkout costs a round trip per request and is kept: without it a connection
        # dropped by a restart, a failover or an idle timeout (PgBouncer, a firewall) fails a
        # customer's submit with the 503 page and loses the answers typed.
        return {"pool_pre_ping": True, "connect_args": {"options": "-c jit=off"}}
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {}


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.close()
