"""Sign-in and sign-out (Flask-Login), password hashing, safe redirects."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..extensions import db, login_manager
from ..models import User


def _load_user(user_id: str) -> User | None:
    """``user_id`` is ``User.get_id()``: "id.version"; a session from before sign-out is refused."""
    number, _, version = user_id.partition(".")
    if not number.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(number))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def init_app(app: Flask) -> None:
    login_manager.user_loader(_load_user)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
