"""The database unavailable, locked or full: a 503 page (JSON for ``/api``), never a crash.

The request's transaction is rolled back before the answer is sent, so nothing half-written is
left behind; the client may send the same request again once the database is back (a survey
submit is then stored exactly once: one response per invitation is a database constraint).
"""

from __future__ import annotations

import contextlib

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from ..extensions import db

RETRY_AFTER_SECONDS = 30


def _database_unavailable(exc: Exception):
    from ..errors import render_error

    current_app.logger.error("database unavailable: %s", exc.__class__.__name__, exc_info=exc)
    with contextlib.suppress(DBAPIError):  # a dead connection: discarding the session is enough
        db.session.rollback()
    db.session.remove()
    text = str(getattr(exc, "orig", exc)).lower()
    if "locked" in text or "busy" in text:
        message = _("The database is busy. Nothing was saved; please try again in a minute.")
    elif "full" in text:
        message = _("The server has no space left to save this. Nothing was saved.")
    else:
        message = _("The database cannot be reached. Nothing was saved; please try again later.")
    response = current_app.make_response(render_error(503, message))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(PoolTimeout, _database_unavailable)
