"""Session expiry and sign-out invalidation.

The signed session cookie expires after ``PERMANENT_SESSION_LIFETIME`` without use (Flask
checks the signature's age on every request and refreshes it while the user is active). The id
Flask-Login keeps in the session and in the remember cookie is ``"user id.session version"``;
``end_sessions`` raises the version, so every copy of an old cookie stops working at once.
"""

from __future__ import annotations

from flask import Flask, session
from flask_login import user_logged_in
from sqlalchemy import update
from sqlalchemy.orm import Session

from ..models import User


def end_sessions(db_session: Session, user: User) -> None:
    """Invalidate every session and remember cookie of ``user`` (sign-out, password change)."""
    db_session.execute(
        update(User)
        .where(User.id == user.id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    )


def _mark_permanent(_app: Flask, user: User, **_extra) -> None:
    session.permanent = True


def init_app(app: Flask) -> None:
    user_logged_in.connect(_mark_permanent, app)
