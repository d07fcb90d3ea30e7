"""The landing page after sign-in, per role."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for

from .access import ANY_SIGNED_IN, requires

bp = Blueprint("home", __name__)


@bp.get("/")
@requires(*ANY_SIGNED_IN)
def index():
    """Everyone lands on the contracts they may see; clients see only their own."""
    return redirect(url_for("contracts.index"))
