"""The landing page after sign-in, per role."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import current_user

from .access import ANY_SIGNED_IN, requires

bp = Blueprint("home", __name__)


@bp.get("/")
@requires(*ANY_SIGNED_IN)
def index():
    """Provider staff land on the portfolio dashboard, a client user on its portal."""
    if current_user.role_enum.is_provider:
        return redirect(url_for("dashboard.overview"))
    return redirect(url_for("portal.index"))
