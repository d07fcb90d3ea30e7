from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..access import ANY_SIGNED_IN, public, requires
from ..extensions import db
from ..i18n import LOCALES
from ..models import utcnow
from ..security.sessions import end_sessions
from .forms import SignInForm
from .service import authenticate, safe_next

bp = Blueprint("auth", __name__)


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        user = authenticate(db.session, form.email.data, form.password.data, utcnow())
        if user is not None:
            _fresh_session()  # a new session on sign-in: no fixation
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next"), url_for("home.index")))
        flash(_("E-mail or password is not correct."), "error")
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/sign_in.html", form=form), status


@bp.post("/sign-out")
@requires(*ANY_SIGNED_IN)
def sign_out():
    end_sessions(db.session, current_user)  # a copied cookie stops working too
    db.session.commit()
    logout_user()
    _fresh_session()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.get("/language/<code>")
@public
def set_language(code: str):
    if code in LOCALES:
        session["locale"] = code
    return redirect(safe_next(request.args.get("next"), url_for("home.index")))


def _fresh_session() -> None:
    """Drop everything in the session except the chosen language."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
